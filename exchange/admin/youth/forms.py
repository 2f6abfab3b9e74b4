"""Forms of the Kommune's Taschengeldbörse: its rules, its holidays, a consent form."""

from __future__ import annotations

import re
from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ...formfields import BlankableDateField, NoBidiControls
from ...i18n import _, _l
from ...postings.categories import CATEGORIES
from ...postings.forms import parse_euros
from ...youth import rules
from . import services

# "1,5" or "1.5" or "2" hours.
_HOURS = re.compile(r"\d{1,3}([.,]\d{1,2})?")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class HoursField(StringField):
    """Hours as typed ("1,5"); .minutes holds the value, None when it cannot be read."""

    minutes: int | None = None

    def process_formdata(self, valuelist):
        """Read the hours with a decimal comma or point."""
        super().process_formdata(valuelist)
        text = (self.data or "").strip().replace(",", ".")
        self.minutes = round(float(text) * 60) if _HOURS.fullmatch(text) else None

    def pre_validate(self, form):
        """A number of hours, or the plain message."""
        if self.minutes is None:
            raise StopValidation(_("Enter the hours as a number, for example 2 or 1,5."))


class ClockField(TimeField):
    """A time of day (08:00) with the plain message for anything else."""

    def process_formdata(self, valuelist):
        """Read HH:MM (also 8:00 or 8.00); anything else leaves the field empty."""
        if not valuelist:
            return
        text = " ".join(valuelist).strip().replace(".", ":")
        try:
            self.data = datetime.strptime(text, "%H:%M").time()
        except ValueError:
            self.data = None
            raise ValueError(_("Enter a time like 08:00.")) from None


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes; an unknown value gets a plain message."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        """Only values from the list."""
        known = {str(value) for value, _label in self.choices}
        if any(value not in known for value in self.data or []):
            raise ValidationError(_("Choose from the list."))


class AgeField(IntegerField):
    """A whole number of years, with the plain message for anything else."""

    def process_formdata(self, valuelist):
        """Read the number; anything else leaves the field empty."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_("Enter the age as a whole number, for example 14.")) from None


def light_work_choices() -> list[tuple[str, object]]:
    """The light-work categories (KindArbSchV §2) in the order of the posting form."""
    return [(c.key, c.label) for c in CATEGORIES if c.key in rules.LIGHT_WORK]


class PolicyForm(FlaskForm):
    """The Kommune's Taschengeldbörse rules, within the law's ceilings."""

    min_age = AgeField(
        _l("Youngest age"),
        validators=[InputRequired(message=_l("Enter the youngest age, for example 14."))],
    )
    max_age = AgeField(
        _l("Oldest age"),
        validators=[InputRequired(message=_l("Enter the oldest age, for example 17."))],
    )
    daily_hours = HoursField(_l("Hours a day at most"))
    weekly_hours = HoursField(_l("Hours a week at most"))
    earliest = ClockField(
        _l("Jobs start at the earliest at"),
        validators=[InputRequired(message=_l("Enter a time like 08:00."))],
    )
    latest = ClockField(
        _l("Jobs end at the latest at"),
        validators=[InputRequired(message=_l("Enter a time like 18:00."))],
    )
    school_day_start = ClockField(
        _l("On school days, from"),
        validators=[InputRequired(message=_l("Enter a time like 14:00."))],
    )
    categories = CheckboxesField(_l("Jobs young people may do"), choices=light_work_choices())
    recommended_pay = StringField(_l("Recommended pay in euros per hour"), filters=[_strip])
    insurance_notice = TextAreaField(
        _l("Notice on insurance and Minijobs"),
        filters=[_strip],
        validators=[Length(max=services.MAX_NOTICE), NoBidiControls()],
    )

    def validate(self, extra_validators=None) -> bool:
        """The fields, then the law's ceilings and the limits against each other."""
        ok = super().validate(extra_validators)
        try:
            self.pay_cents = parse_euros(self.recommended_pay.data)
        except ValueError:
            self.pay_cents = None
            self.recommended_pay.errors.append(_("Enter the pay as an amount, for example 5,00."))
            return False
        if self.pay_cents is None:
            self.recommended_pay.errors.append(_("Enter the recommended pay, for example 5,00."))
            return False
        if not ok:
            return False
        for name, message in services.policy_problems(self.values()):
            field = getattr(self, name)
            if not field.errors:
                field.errors.append(message)
        return not self.errors

    def load(self, policy: rules.Policy, pay_cents: int, notice: str) -> None:
        """Show the stored rules (or the defaults)."""
        self.min_age.data = policy.min_age
        self.max_age.data = policy.max_age
        self.daily_hours.data = hours_text(policy.daily_minutes)
        self.weekly_hours.data = hours_text(policy.weekly_minutes)
        self.earliest.data = policy.earliest
        self.latest.data = policy.latest
        self.school_day_start.data = policy.school_day_start
        self.categories.data = sorted(policy.categories)
        euros, cents = divmod(pay_cents, 100)
        self.recommended_pay.data = f"{euros},{cents:02d}"
        self.insurance_notice.data = notice

    def values(self) -> dict:
        """The cleaned values for services.save_policy."""
        return {
            "min_age": self.min_age.data,
            "max_age": self.max_age.data,
            "daily_minutes": self.daily_hours.minutes,
            "weekly_minutes": self.weekly_hours.minutes,
            "earliest": self.earliest.data,
            "latest": self.latest.data,
            "school_day_start": self.school_day_start.data,
            "categories": list(self.categories.data or []),
            "recommended_pay_cents": self.pay_cents,
            "insurance_notice": self.insurance_notice.data or "",
        }


def hours_text(minutes: int) -> str:
    """Minutes as hours with a decimal comma: 90 -> "1,5", 120 -> "2"."""
    whole, rest = divmod(minutes, 60)
    return str(whole) if not rest else f"{minutes / 60:.2f}".rstrip("0").replace(".", ",")


class LocalHolidayForm(FlaskForm):
    """A holiday of the Kommune beyond the Land's."""

    holiday_date = BlankableDateField(
        _l("Date"), validators=[InputRequired(message=_l("Enter the date of the holiday."))]
    )
    holiday_name = StringField(
        _l("Name of the holiday"),
        filters=[_strip],
        validators=[
            InputRequired(message=_l("Enter the name of the holiday.")),
            Length(max=120),
            NoBidiControls(),
        ],
    )


class SchoolHolidayForm(FlaskForm):
    """School holidays of the Land, first and last day included."""

    term_name = StringField(
        _l("Name of the holidays"),
        filters=[_strip],
        validators=[
            InputRequired(message=_l("Enter the name of the holidays, for example Herbstferien.")),
            Length(max=120),
            NoBidiControls(),
        ],
    )
    first_day = BlankableDateField(
        _l("First day"), validators=[InputRequired(message=_l("Enter the first day."))]
    )
    last_day = BlankableDateField(
        _l("Last day"), validators=[InputRequired(message=_l("Enter the last day."))]
    )


class ConsentForm(FlaskForm):
    """The parents' signed consent form as the town hall received it."""

    signed_on = BlankableDateField(
        _l("Signed on"),
        validators=[InputRequired(message=_l("Enter the date on the signed form."))],
    )
    signed_by = StringField(
        _l("Signed by"),
        filters=[_strip],
        validators=[
            InputRequired(message=_l("Enter who signed the form.")),
            Length(max=120),
            NoBidiControls(),
        ],
    )
    taken_by = StringField(
        _l("Form taken by"),
        filters=[_strip],
        validators=[
            InputRequired(message=_l("Enter who took the form.")),
            Length(max=120),
            NoBidiControls(),
        ],
    )


class WithdrawForm(FlaskForm):
    """The day the parents withdrew their consent."""

    withdrawn_on = BlankableDateField(
        _l("Withdrawn on"),
        validators=[InputRequired(message=_l("Enter the day of the withdrawal."))],
    )


# The radio values of the pupil status; "" is "decided by age".
PUPIL_BY_AGE, PUPIL_YES, PUPIL_NO = "age", "yes", "no"
PUPIL_VALUES = {PUPIL_BY_AGE: None, PUPIL_YES: True, PUPIL_NO: False}


class PupilForm(FlaskForm):
    """Whether the young person is still in full-time compulsory schooling."""

    is_pupil = RadioField(
        _l("In full-time compulsory schooling"),
        choices=[
            (PUPIL_BY_AGE, _l("Decided by age (until 16: yes)")),
            (PUPIL_YES, _l("Yes, according to the parents' form")),
            (PUPIL_NO, _l("No, has left school according to the parents' form")),
        ],
        validators=[InputRequired(message=_l("Choose one of the answers."))],
    )

    def value(self) -> bool | None:
        """None (by age), True or False."""
        return PUPIL_VALUES[self.is_pupil.data]

    @staticmethod
    def radio_value(is_pupil: bool | None) -> str:
        """The radio value for a stored status."""
        return {None: PUPIL_BY_AGE, True: PUPIL_YES, False: PUPIL_NO}[is_pupil]
