"""In-app notifications about matching postings, and the saved searches that cause them."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import (
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

# The outbox lives in exchange/mail (below accounts); re-exported for code written before.
from ..mail.models import OutboxEmail  # noqa: F401
from ..timeutil import UTCDateTime, utcnow


class Notification(db.Model):
    """An in-app note that a new posting fits one of the user's postings or saved searches.

    One per user and new posting: nobody is told twice about the same posting.
    """

    __tablename__ = "notification"
    __table_args__ = (UniqueConstraint("user_id", "posting_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), index=True
    )
    # What it fits: one of the user's postings, or one of their saved searches.
    own_posting_id: Mapped[int | None] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), index=True
    )
    saved_search_id: Mapped[int | None] = mapped_column(
        ForeignKey("saved_search.id", ondelete="CASCADE"), index=True
    )
    reasons_json: Mapped[str] = mapped_column(Text, default="[]")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the e-mail (immediate or in a digest) has been queued in the outbox.
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    user = relationship("User", foreign_keys=[user_id])
    posting = relationship("Posting", foreign_keys=[posting_id])
    own_posting = relationship("Posting", foreign_keys=[own_posting_id])
    saved_search = relationship("SavedSearch")

    @property
    def reasons(self) -> list:
        """The match reasons as (key, params) pairs."""
        return [tuple(r) for r in json.loads(self.reasons_json or "[]")]


class SavedSearch(db.Model):
    """'New requests in Garten, 5 km around Westenholz': told when a fitting posting appears."""

    __tablename__ = "saved_search"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str | None] = mapped_column(String(20))
    category: Mapped[str | None] = mapped_column(String(20))
    place_name: Mapped[str] = mapped_column(String(120))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    radius_km: Mapped[int] = mapped_column(Integer, default=5)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReminderSent(db.Model):
    """A reminder mail that went out, so that the daily job never sends it twice.

    ``key`` names the reminder and what it is about: "job:<conversation id>:<date>" for the
    day before a dated job, "expiry:<posting id>:<expires_at>" before a posting expires (a new
    expiry after an extension is a new key).
    """

    __tablename__ = "reminder_sent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), index=True
    )
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
