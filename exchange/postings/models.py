"""Postings: requests (Gesuche) and offers (Angebote)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    event,
    false,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import db
from ..geo import Point
from ..municipalities.models import District, Municipality
from ..timeutil import UTCDateTime, utcnow
from .search import search_text
from .vocab import OPEN_STATUSES, Status, Timing


def adult_on(birth_date: date | None) -> date | None:
    """The 18th birthday (1 March for 29 February), or None when the birth date is unknown."""
    if birth_date is None:
        return None
    try:
        return birth_date.replace(year=birth_date.year + 18)
    except ValueError:
        return date(birth_date.year + 18, 3, 1)


def adult_on_if_minor(birth_date: date | None, today: date | None = None) -> date | None:
    """The 18th birthday while it lies ahead, else None (an adult's birth date is not copied)."""
    day = adult_on(birth_date)
    return day if is_minor_until(day, today) else None


def is_minor_until(adult_day: date | None, today: date | None = None) -> bool:
    """Whether someone who turns 18 on adult_day is a minor today."""
    return adult_day is not None and adult_day > (today or date.today())


class Posting(db.Model):
    """A request or an offer in one of the four Börsen."""

    __tablename__ = "posting"
    __table_args__ = (
        # The flag last: PostgreSQL counts a board from this index alone.
        Index("ix_posting_board", "municipality_id", "status", "expires_at", "is_author_blocked"),
        # Scoped to the Kommune: a radius search reads only its own Kommune's box, so its cost
        # does not grow with the number of Kommunen (docs/performance.md).
        Index("ix_posting_geo", "municipality_id", "latitude", "longitude"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    district_id: Mapped[int | None] = mapped_column(
        ForeignKey("district.id", ondelete="SET NULL"), index=True
    )
    postcode: Mapped[str] = mapped_column(String(5))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    timing: Mapped[str] = mapped_column(String(10), default=Timing.FLEXIBLE)
    on_date: Mapped[date | None] = mapped_column(Date)
    recurrence: Mapped[str | None] = mapped_column(String(120))
    # When a dated job starts and how long it takes (the youth rules need both).
    start_time: Mapped[time | None] = mapped_column(Time)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    # Set on every save from youth.rules.job_limits: no young person may do this job.
    is_adults_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    pay_per_hour_cents: Mapped[int | None] = mapped_column(Integer)
    radius_km: Mapped[int | None] = mapped_column(Integer)
    is_remote_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default=Status.OPEN)
    # What the status was before a moderator hid the posting, restored on unhiding.
    status_before_hidden: Mapped[str | None] = mapped_column(String(12))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Copied from the author's account (blocked by the Kommune's admins) in the same
    # transaction: the guest board filters on it without reading user_account.
    is_author_blocked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The day the author turns 18, copied from her birth date on every save while she is a
    # minor (None: an adult or unknown). Until then others see "Jugendliche/r" and the Kommune
    # instead of her name and place, and the board's place filters leave the posting out. A
    # date rather than a flag, so turning 18 needs no job: it is compared with today when read.
    author_adult_on: Mapped[date | None] = mapped_column(Date)
    # What the board's text search reads (exchange/postings/search.py), kept by the events below.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")

    municipality: Mapped[Municipality] = relationship()
    author: Mapped[User] = relationship()
    district: Mapped[District | None] = relationship()

    @property
    def point(self) -> Point:
        """The posting's centroid."""
        return Point(self.latitude, self.longitude)

    @property
    def place_name(self) -> str:
        """Ortsteil name or PLZ for display."""
        return self.district.name if self.district else self.postcode

    @property
    def is_author_minor(self) -> bool:
        """The author is under 18 today."""
        return is_minor_until(self.author_adult_on)

    @property
    def public_place_name(self) -> str:
        """What people outside her conversations see of the place: the Kommune for a minor."""
        return self.municipality.name if self.is_author_minor else self.place_name

    def is_expired(self, now: datetime | None = None) -> bool:
        """True once the expiry date has passed."""
        return self.expires_at <= (now or utcnow())

    def is_on_board(self, now: datetime | None = None) -> bool:
        """True when the posting is shown on the public board."""
        return self.status in OPEN_STATUSES and not self.is_expired(now)

    def __repr__(self) -> str:
        return f"<Posting {self.id} {self.direction}>"


@event.listens_for(Posting, "before_insert")
def _search_text_of_new(_mapper, _connection, posting: Posting) -> None:
    posting.search_text = search_text(posting.title, posting.description)


@event.listens_for(Posting, "before_update")
def _search_text_of_changed(_mapper, _connection, posting: Posting) -> None:
    attrs = inspect(posting).attrs
    if attrs.title.history.has_changes() or attrs.description.history.has_changes():
        posting.search_text = search_text(posting.title, posting.description)
