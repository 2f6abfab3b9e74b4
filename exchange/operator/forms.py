"""Forms of the operator area: a Kommune, and appointing an admin."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.idempotency import IdempotentFormMixin
from ..formfields import NoBidiControls
from ..i18n import _l
from ..municipalities.vocab import Kind


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MunicipalityForm(IdempotentFormMixin, FlaskForm):
    """Everything that makes a Kommune."""

    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter the name.")),
            Length(max=120),
            NoBidiControls(),
        ],
    )
    slug = StringField(
        _l("Short name in the address"),
        filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
        validators=[DataRequired(message=_l("Enter a short name.")), Length(max=60)],
    )
    postcodes = StringField(
        _l("Postcodes"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Enter at least one postcode."))],
    )
    districts = TextAreaField(
        _l("Districts"), validators=[Optional(), Length(max=20000), NoBidiControls()]
    )
    enabled_kinds = CheckboxesField(
        _l("Exchanges offered"),
        choices=Kind.choices(),
        validators=[DataRequired(message=_l("Choose at least one exchange."))],
    )
    theme_color = StringField(
        _l("Theme colour"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Enter a colour like #0b5ea8."))],
    )
    requires_approval = BooleanField(_l("New accounts need approval by an admin"))
    contact_text = TextAreaField(_l("Contact"), validators=[Optional(), Length(max=5000)])
    imprint_text = TextAreaField(_l("Imprint"), validators=[Optional(), Length(max=20000)])
    privacy_text = TextAreaField(_l("Privacy notice"), validators=[Optional(), Length(max=50000)])
    accessibility_text = TextAreaField(
        _l("Accessibility statement"), validators=[Optional(), Length(max=50000)]
    )


class AppointAdminForm(FlaskForm):
    """Make an existing account of the Kommune one of its admins."""

    email = EmailField(
        _l("E-mail address of the account"),
        filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
        validators=[
            DataRequired(message=_l("Enter the e-mail address.")),
            Email(
                message=_l("Enter an e-mail address like name@example.org."),
                check_deliverability=False,
            ),
        ],
    )
