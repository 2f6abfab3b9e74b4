"""Forms of the town hall's work for proxies: the proxy's details, a call note."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ...core.idempotency import IdempotentFormMixin
from ...formfields import BlankableDateField, NoBidiControls
from ...i18n import _l
from ...municipalities.location_fields import location_fields, location_values
from .vocab import ConsentMethod

CONSENT_METHODS = ConsentMethod.labels()


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ProxyForm(IdempotentFormMixin, FlaskForm):
    """A resident without internet, as the town hall registers them."""

    display_name = StringField(
        _l("First and last name"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter the person's name.")),
            Length(max=80, message=_l("The name can be at most 80 characters long.")),
            NoBidiControls(),
        ],
    )
    phone = TelField(
        _l("Phone number"),
        filters=[_strip],
        validators=[Optional(), Length(max=40, message=_l("The phone number is too long."))],
    )
    postal_address = TextAreaField(
        _l("Postal address"),
        filters=[_strip],
        validators=[Optional(), Length(max=300, message=_l("The address is too long."))],
    )
    district, postcode = location_fields()
    birth_year = IntegerField(
        _l("Year of birth"),
        validators=[
            Optional(),
            NumberRange(min=1900, max=2100, message=_l("Enter a year like 1944.")),
        ],
    )
    contact_times = StringField(
        _l("When they can be called"),
        filters=[_strip],
        validators=[Optional(), Length(max=200, message=_l("Please keep it shorter."))],
    )
    consent_on = BlankableDateField(
        _l("Consent given on"),
        validators=[InputRequired(message=_l("Enter the day consent was given."))],
    )
    consent_method = RadioField(
        _l("How consent was given"),
        choices=list(CONSENT_METHODS.items()),
        validators=[InputRequired(message=_l("Choose how consent was given."))],
    )
    consent_by = StringField(
        _l("Consent taken by"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter who took the consent.")),
            Length(max=120),
        ],
    )

    def values(self) -> dict:
        """The plain values the services take."""
        return {
            "display_name": self.display_name.data,
            "phone": self.phone.data,
            "postal_address": self.postal_address.data,
            **location_values(self),
            "birth_year": self.birth_year.data,
            "contact_times": self.contact_times.data,
            "consent_on": self.consent_on.data,
            "consent_method": self.consent_method.data,
            "consent_by": self.consent_by.data,
        }


class CallNoteForm(IdempotentFormMixin, FlaskForm):
    """What came of a phone call."""

    body = TextAreaField(
        _l("What was said on the phone?"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Write what was said on the phone.")),
            Length(max=2000, message=_l("A note can be at most 2000 characters long.")),
        ],
    )
