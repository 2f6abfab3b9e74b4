"""Forms of the Kommune's own settings that are not its facts: terms of use and conduct."""

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from ...i18n import _l


class TermsForm(FlaskForm):
    """A new version of the terms of use and the code of conduct."""

    terms_text = TextAreaField(
        _l("Terms of use"), validators=[DataRequired(message=_l("Enter the terms of use."))]
    )
    conduct_text = TextAreaField(
        _l("Code of conduct"), validators=[DataRequired(message=_l("Enter the code of conduct."))]
    )
