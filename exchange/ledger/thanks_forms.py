"""The thank-you form."""

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..i18n import _l


class ThanksForm(FlaskForm):
    """A few words of thanks to the helper."""

    body = TextAreaField(
        _l("Your thank-you"),
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[
            DataRequired(message=_l("Write a few words of thanks.")),
            Length(max=500, message=_l("The thank-you can be at most 500 characters long.")),
        ],
    )
