"""Reads of the e-mail outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from ..extensions import db
from ..timeutil import utcnow
from .models import OutboxEmail


def outbox_backlog(now: datetime | None = None) -> dict:
    """How many mails are unsent and how long the oldest has waited (seconds, or None).

    Counts every unsent mail, also those the worker has given up on: they are still undelivered.
    """
    count, oldest = db.session.execute(
        select(func.count(OutboxEmail.id), func.min(OutboxEmail.created_at)).where(
            OutboxEmail.sent_at.is_(None)
        )
    ).one()
    age = None
    if oldest is not None:
        age = max(0, int(((now or utcnow()) - oldest).total_seconds()))
    return {"pending": count, "oldest_pending_age_seconds": age}
