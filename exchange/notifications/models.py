"""The e-mail outbox: written in the event's transaction, delivered by a worker."""

from __future__ import annotations

import enum
import json
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import UTCDateTime, utcnow


def mask_address(address: str) -> str:
    """An e-mail address an operator may see: "e***@example.org"."""
    local, at, domain = (address or "").rpartition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


class MailFailure(enum.StrEnum):
    """Why the outbox gave up on a mail for good."""

    REJECTED = "rejected"  # the server refused it permanently (SMTP 5xx)
    EXPIRED = "expired"  # temporary failures for longer than the retry window


class OutboxEmail(db.Model):
    """One e-mail waiting for (or done with) delivery.

    States: pending (no attempt yet), retrying (attempts > 0, not sent, not failed), sent
    (``sent_at``), failed for good (``failed_at``, with ``failure`` and ``last_error``).
    """

    __tablename__ = "outbox_email"
    __table_args__ = (Index("ix_outbox_email_pending", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A worker holds a mail until this time while it sends it; others leave it alone.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Temporary failures are retried until then (queued or requeued + OUTBOX_RETRY_HOURS);
    # NULL for rows written before the column existed: created_at + the window.
    retry_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    failure: Mapped[str | None] = mapped_column(String(20))  # a MailFailure value
    # The body carries a secret link or code: it is erased once the mail is sent or given up.
    is_secret: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @property
    def masked_recipient(self) -> str:
        """The recipient as operators see it."""
        return mask_address(self.recipient)


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
