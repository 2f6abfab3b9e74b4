"""Writes of the Kommune's Taschengeldbörse: its policy, holidays and the parents' consent forms.

Each write checks the admin, keeps within the law's ceilings (youth.rules), records an audit
entry and flushes; the view commits once. Bad input raises an ExchangeError naming the form
field, and nothing is changed.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from ...accounts.models import User
from ...errors import ExchangeError, InvalidState
from ...extensions import db
from ...i18n import _
from ...municipalities.models import Municipality
from ...postings.services import recompute_adults_only
from ...timeutil import utcnow
from ...youth import rules
from ...youth.models import LocalHoliday, ParentalConsent, SchoolHoliday, YouthPolicy
from ...youth.queries import valid_consent
from ..access import check_admin
from ..audit.models import AuditEntry

# The law's ceilings a Kommune's policy can only narrow (rules.CHILD_CEILING / YOUTH_CEILING).
YOUNGEST = rules.MIN_AGE
OLDEST = rules.ADULT_AGE - 1
EARLIEST, LATEST, MAX_DAILY_MINUTES, MAX_WEEKLY_MINUTES = rules.YOUTH_CEILING
CHILD_DAILY_MINUTES = rules.CHILD_CEILING[2]
# Children and pupils may work on school days only after lessons: a start before noon would
# let the Kommune's jobs fall into school time.
SCHOOL_START_EARLIEST, SCHOOL_START_LATEST = time(12), time(18)
MAX_PAY_CENTS = 5000
# "Mindestens 5 € pro Stunde", as most Taschengeldbörsen recommend (YouthPolicy's default).
DEFAULT_PAY_CENTS = 500
MAX_NOTICE = 3000
# The longest school holidays (summer) last about six and a half weeks.
MAX_SCHOOL_HOLIDAY_DAYS = 60


def _audit(admin: User, municipality: Municipality, action: str, obj=None, person=None):
    """One audit entry for a write of the town hall (person: the young person it concerns)."""
    db.session.add(
        AuditEntry(
            municipality_id=municipality.id,
            admin_id=admin.id,
            admin_name=admin.display_name,
            proxy_id=person.id if person is not None else None,
            proxy_name=person.display_name if person is not None else "",
            action=action,
            object_type=type(obj).__name__.lower() if obj is not None else None,
            object_id=getattr(obj, "id", None),
        )
    )


# ---------------------------------------------------------------------------------- the policy


def _age_problems(low: int, high: int) -> list[tuple[str, str]]:
    out = []
    if low < YOUNGEST:
        out.append(
            (
                "min_age",
                _("The youngest age can be 13 at the lowest: the law allows no work under 13."),
            )
        )
    elif low > OLDEST:
        out.append(("min_age", _("The youngest age can be 17 at the highest.")))
    if high > OLDEST:
        out.append(
            ("max_age", _("The oldest age can be 17 at the highest: from 18, helpers are adults."))
        )
    elif high < YOUNGEST:
        out.append(("max_age", _("The oldest age can be 13 at the lowest.")))
    if not out and low > high:
        out.append(("max_age", _("The oldest age cannot be lower than the youngest age.")))
    return out


def _hour_problems(daily: int, weekly: int) -> list[tuple[str, str]]:
    out = []
    half_hours = _("Enter whole or half hours, for example 1,5.")
    if daily <= 0:
        out.append(("daily_hours", _("Enter at least half an hour a day.")))
    elif daily > MAX_DAILY_MINUTES:
        out.append(
            (
                "daily_hours",
                _(
                    "The daily limit can be 8 hours at most: more is not allowed "
                    "for anyone under 18."
                ),
            )
        )
    elif daily % 30:
        out.append(("daily_hours", half_hours))
    if weekly <= 0:
        out.append(("weekly_hours", _("Enter at least half an hour a week.")))
    elif weekly > MAX_WEEKLY_MINUTES:
        out.append(
            (
                "weekly_hours",
                _(
                    "The weekly limit can be 40 hours at most: more is not "
                    "allowed for anyone under 18."
                ),
            )
        )
    elif weekly % 30:
        out.append(("weekly_hours", half_hours))
    elif not out and weekly < daily:
        out.append(("weekly_hours", _("The weekly limit cannot be lower than the daily limit.")))
    return out


def _clock_problems(earliest: time, latest: time, school_start: time) -> list[tuple[str, str]]:
    out = []
    if earliest < EARLIEST:
        out.append(
            (
                "earliest",
                _(
                    "Jobs can start at 06:00 at the earliest: the law allows no "
                    "earlier work for anyone under 18."
                ),
            )
        )
    if latest > LATEST:
        out.append(
            (
                "latest",
                _(
                    "Jobs must end by 20:00 at the latest: the law allows no "
                    "later work for anyone under 18."
                ),
            )
        )
    if not out and earliest >= latest:
        out.append(("latest", _("The end of the time window must be later than its start.")))
    if not SCHOOL_START_EARLIEST <= school_start <= SCHOOL_START_LATEST:
        out.append(
            (
                "school_day_start",
                _(
                    "Enter a time from 12:00 to 18:00: on school days, children "
                    "and pupils may only work after lessons."
                ),
            )
        )
    return out


def policy_problems(values: dict) -> list[tuple[str, str]]:
    """Every way values break the law's ceilings or contradict themselves: (field, message)."""
    out = [
        *_age_problems(values["min_age"], values["max_age"]),
        *_hour_problems(values["daily_minutes"], values["weekly_minutes"]),
        *_clock_problems(values["earliest"], values["latest"], values["school_day_start"]),
    ]
    categories = values["categories"]
    if not categories:
        out.append(("categories", _("Choose at least one kind of job young people may do.")))
    elif not set(categories) <= rules.LIGHT_WORK:
        out.append(("categories", _("Young people may only do light work.")))
    pay = values["recommended_pay_cents"]
    if pay < 0 or pay > MAX_PAY_CENTS:
        out.append(("recommended_pay", _("Enter an amount from 0 to 50 euros.")))
    if len(values["insurance_notice"]) > MAX_NOTICE:
        out.append(("insurance_notice", _("The notice can be at most 3000 characters long.")))
    return out


def save_policy(admin: User, municipality: Municipality, values: dict) -> YouthPolicy:
    """Store the Kommune's Taschengeldbörse rules (they hold from the next check on)."""
    check_admin(admin, municipality)
    problems = policy_problems(values)
    if problems:
        field, message = problems[0]
        raise ExchangeError(message, field=field)
    row = db.session.get(YouthPolicy, municipality.id)
    if row is None:
        row = YouthPolicy(municipality_id=municipality.id)
        db.session.add(row)
    row.min_age = values["min_age"]
    row.max_age = values["max_age"]
    row.daily_minutes = values["daily_minutes"]
    row.weekly_minutes = values["weekly_minutes"]
    row.earliest = values["earliest"]
    row.latest = values["latest"]
    row.school_day_start = values["school_day_start"]
    # Sorted, so that the same choice is always stored the same way.
    row.categories_csv = ",".join(sorted(values["categories"]))
    row.recommended_pay_cents = values["recommended_pay_cents"]
    row.insurance_notice = values["insurance_notice"].strip()
    row.updated_at = utcnow()
    row.updated_by_id = admin.id
    db.session.flush()
    _audit(admin, municipality, "admin_youth.policy", row)
    # Open jobs are marked "nur für Erwachsene" by the rules in force: mark them again.
    recompute_adults_only(municipality)
    return row


# -------------------------------------------------------------------------------- the holidays


def add_local_holiday(
    admin: User, municipality: Municipality, on_date: date, name: str
) -> LocalHoliday:
    """Add a holiday of the Kommune beyond its Land's (no jobs for minors on it)."""
    check_admin(admin, municipality)
    name = name.strip()
    if not name:
        raise ExchangeError(_("Enter the name of the holiday."), field="holiday_name")
    public = rules.holiday_name(rules.Policy(land=municipality.state or ""), on_date)
    if public:
        raise ExchangeError(
            _("This day is already a public holiday: %(name)s.", name=public), field="holiday_date"
        )
    exists = db.session.scalar(
        select(LocalHoliday.id).where(
            LocalHoliday.municipality_id == municipality.id, LocalHoliday.on_date == on_date
        )
    )
    if exists is not None:
        raise ExchangeError(
            _("This day is already entered as a local holiday."), field="holiday_date"
        )
    holiday = LocalHoliday(municipality_id=municipality.id, on_date=on_date, name=name)
    db.session.add(holiday)
    db.session.flush()
    _audit(admin, municipality, "admin_youth.add_local_holiday", holiday)
    recompute_adults_only(municipality)
    return holiday


def remove_local_holiday(admin: User, municipality: Municipality, holiday: LocalHoliday) -> None:
    """Remove one of the Kommune's local holidays."""
    check_admin(admin, municipality)
    _audit(admin, municipality, "admin_youth.remove_local_holiday", holiday)
    db.session.delete(holiday)
    db.session.flush()
    recompute_adults_only(municipality)


def add_school_holiday(
    admin: User, municipality: Municipality, first_day: date, last_day: date, name: str
) -> SchoolHoliday:
    """Add school holidays of the Land (first and last day included)."""
    check_admin(admin, municipality)
    name = name.strip()
    if not name:
        raise ExchangeError(_("Enter the name of the holidays."), field="term_name")
    if last_day < first_day:
        raise ExchangeError(_("The last day cannot be before the first day."), field="last_day")
    if last_day - first_day > timedelta(days=MAX_SCHOOL_HOLIDAY_DAYS):
        raise ExchangeError(
            _("School holidays last at most 60 days. Please check the dates."), field="last_day"
        )
    overlap = db.session.scalars(
        select(SchoolHoliday).where(
            SchoolHoliday.municipality_id == municipality.id,
            SchoolHoliday.first_day <= last_day,
            SchoolHoliday.last_day >= first_day,
        )
    ).first()
    if overlap is not None:
        raise ExchangeError(
            _("These days overlap with holidays already entered: %(name)s.", name=overlap.name),
            field="first_day",
        )
    term = SchoolHoliday(
        municipality_id=municipality.id, first_day=first_day, last_day=last_day, name=name
    )
    db.session.add(term)
    db.session.flush()
    _audit(admin, municipality, "admin_youth.add_school_holiday", term)
    db.session.flush()
    return term


def remove_school_holiday(admin: User, municipality: Municipality, term: SchoolHoliday) -> None:
    """Remove school holidays entered by mistake."""
    check_admin(admin, municipality)
    _audit(admin, municipality, "admin_youth.remove_school_holiday", term)
    db.session.delete(term)
    db.session.flush()


# -------------------------------------------------------------------------- the consent forms


def _check_minor(person: User) -> None:
    if not rules.Helper(person.birth_date).is_minor_on(date.today()):
        raise InvalidState(
            _("%(name)s is of age: no consent of the parents is needed.", name=person.display_name)
        )


def record_consent(
    admin: User,
    municipality: Municipality,
    person: User,
    *,
    signed_on: date,
    signed_by: str,
    taken_by: str,
) -> ParentalConsent:
    """Record the parents' signed consent form that the town hall received."""
    check_admin(admin, municipality)
    _check_minor(person)
    if signed_on > date.today():
        raise ExchangeError(_("The date of signing cannot be in the future."), field="signed_on")
    if signed_on < person.birth_date:
        raise ExchangeError(
            _("The date of signing cannot be before the birth date."), field="signed_on"
        )
    signed_by, taken_by = signed_by.strip(), taken_by.strip()
    if not signed_by:
        raise ExchangeError(_("Enter who signed the form."), field="signed_by")
    if not taken_by:
        raise ExchangeError(_("Enter who took the form."), field="taken_by")
    if valid_consent(person) is not None:
        raise InvalidState(
            _("A valid consent is already recorded. Record its withdrawal before a new form.")
        )
    consent = ParentalConsent(
        municipality_id=municipality.id,
        user_id=person.id,
        signed_on=signed_on,
        signed_by=signed_by,
        taken_by=taken_by,
        recorded_by_id=admin.id,
        recorded_at=utcnow(),
    )
    db.session.add(consent)
    db.session.flush()
    _audit(admin, municipality, "admin_youth.record_consent", consent, person)
    db.session.flush()
    return consent


def withdraw_consent(
    admin: User, municipality: Municipality, person: User, *, withdrawn_on: date
) -> ParentalConsent:
    """Record that the parents withdrew their consent (from then on the minor cannot act)."""
    check_admin(admin, municipality)
    consent = valid_consent(person)
    if consent is None:
        raise InvalidState(_("There is no valid consent to withdraw."))
    if withdrawn_on > date.today():
        raise ExchangeError(
            _("The date of the withdrawal cannot be in the future."), field="withdrawn_on"
        )
    if withdrawn_on < consent.signed_on:
        raise ExchangeError(
            _("The withdrawal cannot be before the form was signed."), field="withdrawn_on"
        )
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_recorded_by_id = admin.id
    consent.withdrawn_at = utcnow()
    db.session.flush()
    _audit(admin, municipality, "admin_youth.withdraw_consent", consent, person)
    db.session.flush()
    return consent


def set_pupil_status(
    admin: User, municipality: Municipality, person: User, is_pupil: bool | None
) -> None:
    """Record from the parents' form whether the young person is still in full-time school."""
    check_admin(admin, municipality)
    _check_minor(person)
    person.is_full_time_pupil = is_pupil
    db.session.flush()
    _audit(admin, municipality, "admin_youth.pupil", person, person)
    db.session.flush()
