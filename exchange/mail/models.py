"""The e-mail outbox: written in the event's transaction, delivered by a worker."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

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
