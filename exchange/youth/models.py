"""A Kommune's Taschengeldbörse policy, its holidays, and the parents' consent records."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Date, ForeignKey, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import db
from ..municipalities.models import Municipality
from ..timeutil import UTCDateTime, utcnow


class YouthPolicy(db.Model):
    """The Kommune's own rules for young helpers, within the law's ceilings (youth.rules).

    A Kommune without a row has the defaults of rules.Policy.
    """

    __tablename__ = "youth_policy"

    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), primary_key=True
    )
    min_age: Mapped[int] = mapped_column(Integer, default=14)
    max_age: Mapped[int] = mapped_column(Integer, default=17)
    daily_minutes: Mapped[int] = mapped_column(Integer, default=120)
    weekly_minutes: Mapped[int] = mapped_column(Integer, default=600)
    earliest: Mapped[time] = mapped_column(Time, default=time(8))
    latest: Mapped[time] = mapped_column(Time, default=time(18))
    school_day_start: Mapped[time] = mapped_column(Time, default=time(14))
    # Comma-separated category keys minors may do; "" never occurs (at least one is required).
    categories_csv: Mapped[str] = mapped_column(String(300))
    # Recommended pay in cents per hour ("mindestens 5 € pro Stunde").
    recommended_pay_cents: Mapped[int] = mapped_column(Integer, default=500)
    # Insurance / Minijob notice shown with the rules and on the consent form.
    insurance_notice: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    municipality: Mapped[Municipality] = relationship()


class LocalHoliday(db.Model):
    """A holiday of the Kommune beyond its Land's (e.g. 15 August in a Catholic Bavarian town)."""

    __tablename__ = "youth_local_holiday"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    on_date: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(120))


class SchoolHoliday(db.Model):
    """The Land's school holidays as the admin entered them (inclusive range)."""

    __tablename__ = "youth_school_holiday"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(120))


class ParentalConsent(db.Model):
    """The signed consent form of a minor's parents, as the town hall recorded it.

    A withdrawal is recorded on the same row (withdrawn_on, by whom); a new form is a new row.
    Kept for the retention period after the account's deletion (user_id then NULL).
    """

    __tablename__ = "parental_consent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # The date on the signed form and who signed it (parent or guardian, by name).
    signed_on: Mapped[date] = mapped_column(Date)
    signed_by: Mapped[str] = mapped_column(String(120))
    # The staff member who took the form (name as typed) and the admin account that recorded it.
    taken_by: Mapped[str] = mapped_column(String(120))
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the young person's account was erased: the retention period counts from here.
    unlinked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    @property
    def is_valid(self) -> bool:
        """Recorded and not withdrawn."""
        return self.withdrawn_on is None
