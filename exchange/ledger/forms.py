"""Forms of the record of help: what happened, and the helper's answer."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.validators import ValidationError as WTFValidationError

from ..core.idempotency import IdempotentFormMixin
from ..formfields import BlankableDateField, NoBidiControls
from ..i18n import _, _l
from ..postings.forms import parse_euros
from .vocab import Outcome

CONFIRM = "confirm"
DISPUTE = "dispute"


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def parse_hours(text: str | None) -> int | None:
    """'2', '1,5', '1.5' (hours) -> minutes; None when empty; ValueError when malformed."""
    text = (text or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{1,2}([.,]\d{1,2})?", text):
        raise ValueError(text)
    try:
        return int(Decimal(text.replace(",", ".")) * 60)
    except InvalidOperation as error:  # pragma: no cover - the regex already excludes this
        raise ValueError(text) from error


def hours_text(minutes: int | None) -> str:
    """Minutes as hours for a form field: 90 -> '1,5', 120 -> '2'."""
    if minutes is None:
        return ""
    hours = Decimal(minutes) / 60
    text = f"{hours:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


class HoursField(StringField):
    """Hours as typed ('1,5'); ``minutes`` holds the parsed value after validation."""

    minutes: int | None = None

    def pre_validate(self, form):
        """Parse the typed hours; the services check the range."""
        try:
            self.minutes = parse_hours(self.data)
        except ValueError:
            self.minutes = None
            raise WTFValidationError(_("Enter the hours as a number, for example 1,5.")) from None


class OutcomeForm(IdempotentFormMixin, FlaskForm):
    """What happened after a posting: with whom, when, how long (and the pay agreed)."""

    outcome = RadioField(
        _l("What happened?"),
        choices=[
            (Outcome.HELPED.value, _l("The help took place")),
            (Outcome.NOT_HAPPENED.value, _l("It did not come about")),
        ],
        validators=[InputRequired(message=_l("Say whether the help took place."))],
    )
    person = RadioField(_l("With whom?"), validators=[Optional()], coerce=str)
    on_date = BlankableDateField(_l("On which day?"), validators=[Optional()])
    hours = HoursField(_l("How many hours?"), filters=[_strip])
    pay = StringField(_l("Pay agreed per hour in euros"), filters=[_strip])

    def setup(self, people: list[tuple[str, str]]) -> OutcomeForm:
        """Offer the people who answered as (conversation id, name)."""
        self.person.choices = people
        return self

    @property
    def helped(self) -> bool:
        """True when the author says the help took place."""
        return self.outcome.data == Outcome.HELPED

    def validate_person(self, field):
        """Someone must be named when the help took place."""
        if self.helped and not field.data:
            raise WTFValidationError(_("Choose who helped."))

    def validate_on_date(self, field):
        """A day is needed when the help took place."""
        if self.helped and field.data is None and not field.errors:
            raise WTFValidationError(_("Enter the date, for example 24.12.2026."))

    def validate_hours(self, field):
        """Hours are needed when the help took place."""
        if self.helped and field.minutes is None:
            raise WTFValidationError(_("Enter the hours from 0.5 to 24, for example 1,5."))

    def validate_pay(self, field):
        """Euros with up to two decimals."""
        try:
            field.cents = parse_euros(field.data)
        except ValueError:
            field.cents = None
            raise WTFValidationError(_("Enter the pay as an amount, for example 8,50.")) from None


class ConfirmForm(FlaskForm):
    """The helper's answer: the hours are right, or they were others."""

    answer = RadioField(
        _l("Are the hours right?"),
        choices=[
            (CONFIRM, _l("Yes, that is right")),
            (DISPUTE, _l("No, it was a different number of hours")),
        ],
        validators=[InputRequired(message=_l("Say whether the hours are right."))],
    )
    hours = HoursField(_l("How many hours was it?"), filters=[_strip])
    note = TextAreaField(
        _l("What was different?"),
        filters=[_strip],
        validators=[
            Length(max=300, message=_l("The note can be at most 300 characters long.")),
            NoBidiControls(),
        ],
    )

    def validate_hours(self, field):
        """Other hours are needed when she disagrees."""
        if self.answer.data == DISPUTE and field.minutes is None and not field.errors:
            raise WTFValidationError(_("Enter the hours from 0.5 to 24, for example 1,5."))

    def validate_note(self, field):
        """A short reason is needed when she disagrees."""
        if self.answer.data == DISPUTE and not field.data:
            raise WTFValidationError(_("Say briefly what was different."))


class DecideForm(FlaskForm):
    """An admin decides the hours (or books a correction) with a short note."""

    hours = HoursField(_l("Hours to book"), filters=[_strip])
    note = StringField(
        _l("Note"),
        filters=[_strip],
        validators=[Length(max=300, message=_l("The note can be at most 300 characters long."))],
    )

    def validate_hours(self, field):
        """Hours must be given."""
        if field.minutes is None and not field.errors:
            raise WTFValidationError(_("Enter the hours from 0.5 to 24, for example 1,5."))
