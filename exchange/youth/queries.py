"""Reads: a Kommune's youth policy as rules.Policy, and a young person's facts as rules.Helper."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from ..municipalities.models import Municipality
from . import rules
from .models import LocalHoliday, ParentalConsent, SchoolHoliday, YouthPolicy


def policy_row(municipality: Municipality) -> YouthPolicy | None:
    """The Kommune's stored policy, or None while it keeps the defaults."""
    return db.session.get(YouthPolicy, municipality.id)


def policy_for(municipality: Municipality) -> rules.Policy:
    """The Kommune's rules (defaults where none are set), its Land, holidays and school terms."""
    row = policy_row(municipality)
    local = frozenset(
        db.session.scalars(
            select(LocalHoliday.on_date).where(LocalHoliday.municipality_id == municipality.id)
        )
    )
    terms = tuple(
        (first, last)
        for first, last in db.session.execute(
            select(SchoolHoliday.first_day, SchoolHoliday.last_day)
            .where(SchoolHoliday.municipality_id == municipality.id)
            .order_by(SchoolHoliday.first_day)
        )
    )
    base = dict(land=municipality.state or "", local_holidays=local, school_holidays=terms)
    if row is None:
        return rules.Policy(**base)
    return rules.Policy(
        min_age=row.min_age,
        max_age=row.max_age,
        daily_minutes=row.daily_minutes,
        weekly_minutes=row.weekly_minutes,
        earliest=row.earliest,
        latest=row.latest,
        school_day_start=row.school_day_start,
        categories=frozenset(k for k in row.categories_csv.split(",") if k),
        **base,
    )


def valid_consent(user: User) -> ParentalConsent | None:
    """The newest recorded, not withdrawn consent form of user, or None."""
    return db.session.scalars(
        select(ParentalConsent)
        .where(ParentalConsent.user_id == user.id, ParentalConsent.withdrawn_on.is_(None))
        .order_by(ParentalConsent.signed_on.desc(), ParentalConsent.id.desc())
        .limit(1)
    ).first()


def helper_for(user: User) -> rules.Helper:
    """What the rules need to know about user (consent read only for minors)."""
    is_minor = user.birth_date is not None and rules.Helper(user.birth_date).is_minor_on(
        date.today()
    )
    return rules.Helper(
        birth_date=user.birth_date,
        is_pupil=user.is_full_time_pupil,
        has_consent=is_minor and valid_consent(user) is not None,
    )
