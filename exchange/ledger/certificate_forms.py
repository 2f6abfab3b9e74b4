"""Forms of the Engagementnachweis: the public code lookup."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from ..i18n import _l


class LookupForm(FlaskForm):
    """A code typed from a printed proof (a GET form: it changes nothing)."""

    class Meta:
        csrf = False

    code = StringField(
        _l("Verification code"),
        validators=[DataRequired(message=_l("Type the code printed on the proof."))],
    )
