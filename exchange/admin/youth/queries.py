"""Reads for the Kommune's Taschengeldbörse: holidays, and who waits for a consent form."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from ...accounts.models import ROLE_RESIDENT, User
from ...extensions import db
from ...municipalities.models import Municipality
from ...youth import rules
from ...youth.models import LocalHoliday, ParentalConsent, SchoolHoliday

PAGE_SIZE = 30


def years_before(day: date, years: int) -> date:
    """The same calendar day years earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _minors(municipality: Municipality, today: date):
    """The Kommune's residents who are under 18 on today."""
    born_after = years_before(today, rules.ADULT_AGE)
    return select(User).where(
        User.municipality_id == municipality.id,
        User.role == ROLE_RESIDENT,
        User.birth_date.is_not(None),
        User.birth_date > born_after,
    )


def _has_valid_consent():
    return exists().where(
        ParentalConsent.user_id == User.id, ParentalConsent.withdrawn_on.is_(None)
    )


def missing_consent(municipality: Municipality, page: int = 1, today: date | None = None):
    """Minors of the Kommune without a valid consent form, the longest waiting first."""
    query = _minors(municipality, today or date.today()).where(~_has_valid_consent())
    return db.paginate(
        query.order_by(User.created_at, User.id), page=page, per_page=PAGE_SIZE, error_out=False
    )


def missing_consent_count(municipality: Municipality, today: date | None = None) -> int:
    """How many minors of the Kommune wait for their consent form to be recorded."""
    query = _minors(municipality, today or date.today()).where(~_has_valid_consent())
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def recorded_consents(municipality: Municipality, page: int = 1):
    """The Kommune's valid consent forms, the newest first (with their young person)."""
    query = (
        select(ParentalConsent)
        .join(User, User.id == ParentalConsent.user_id)
        .where(
            ParentalConsent.municipality_id == municipality.id,
            User.municipality_id == municipality.id,
            ParentalConsent.withdrawn_on.is_(None),
        )
        .options(selectinload(ParentalConsent.user))
        .order_by(ParentalConsent.recorded_at.desc(), ParentalConsent.id.desc())
    )
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def consents_of(person: User) -> list[ParentalConsent]:
    """Every consent form recorded for person, valid or withdrawn, the newest first."""
    return list(
        db.session.scalars(
            select(ParentalConsent)
            .where(ParentalConsent.user_id == person.id)
            .order_by(ParentalConsent.signed_on.desc(), ParentalConsent.id.desc())
        )
    )


def names_by_id(ids) -> dict[int, str]:
    """Display names of the accounts with these ids (the admins who recorded something)."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}


def local_holidays(municipality: Municipality) -> list[LocalHoliday]:
    """The Kommune's own holidays, by date."""
    return list(
        db.session.scalars(
            select(LocalHoliday)
            .where(LocalHoliday.municipality_id == municipality.id)
            .order_by(LocalHoliday.on_date, LocalHoliday.id)
        )
    )


def school_holidays(municipality: Municipality) -> list[SchoolHoliday]:
    """The school holidays entered for the Kommune, by their first day."""
    return list(
        db.session.scalars(
            select(SchoolHoliday)
            .where(SchoolHoliday.municipality_id == municipality.id)
            .order_by(SchoolHoliday.first_day, SchoolHoliday.id)
        )
    )


def public_holidays(municipality: Municipality, today: date | None = None) -> dict[int, list]:
    """The Land's public holidays of this year and the next: {year: [(date, name), ...]}."""
    year = (today or date.today()).year
    return {y: rules.public_holidays(municipality.state or "", y) for y in (year, year + 1)}
