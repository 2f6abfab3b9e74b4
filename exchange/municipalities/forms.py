"""The form for a Kommune's own facts (used by its admins' settings page)."""

from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import NumberRange, Optional

from ..formfields import NoBidiControls
from ..i18n import _, _l
from .services import FACT_FIELDS, RADIUS_BOUNDS_KM, clean_facts, fact_problems
from .states import STATES


class _WholeKm(IntegerField):
    """A whole number of km, or empty; anything else gets the range check's one plain message."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None


class MunicipalityFactsForm(FlaskForm):
    """Bundesland, postal address, phone, office hours, contact e-mail, the signatory and the
    usual distance (default radius) of matching, the board and the posting form."""

    state = SelectField(_l("Federal state"), choices=[])
    postal_address = TextAreaField(_l("Postal address"), validators=[NoBidiControls()])
    phone = TelField(_l("Phone number"))
    office_hours = TextAreaField(_l("Office hours"), validators=[NoBidiControls()])
    contact_email = EmailField(_l("Contact e-mail address"))
    signatory_name = StringField(_l("Name of the signatory"), validators=[NoBidiControls()])
    signatory_role = StringField(_l("Role of the signatory"), validators=[NoBidiControls()])
    default_radius_km = _WholeKm(
        _l("Usual distance in km"),
        validators=[
            Optional(),
            NumberRange(
                min=RADIUS_BOUNDS_KM[0],
                max=RADIUS_BOUNDS_KM[1],
                message=_l("Enter a distance from 1 to 50 km."),
            ),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request so that the names follow the current language.
        self.state.choices = [("", _("Please choose"))] + [
            (code, str(name)) for code, name in STATES.items()
        ]

    def values(self) -> dict:
        """The cleaned plain values the service takes."""
        return clean_facts({key: getattr(self, key).data for key in FACT_FIELDS})

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then the service's rules, so that every problem shows at once."""
        valid = super().validate(extra_validators)
        for key, message in fact_problems(self.values()).items():
            field = getattr(self, key)
            if not field.errors:
                field.errors = [*field.errors, message]
            valid = False
        return valid
