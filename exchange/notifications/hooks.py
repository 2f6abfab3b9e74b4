"""Notifications' part of an erasure (connected when the app is built)."""

from __future__ import annotations

from sqlalchemy import delete, or_, select

from ..core import signals
from ..extensions import db
from ..postings.models import Posting
from .models import Notification


@signals.account_unlinking.connect
def _drop_notifications_about_her_postings(user, **_kw) -> None:
    # Her own notifications and saved searches go by their keys' ON DELETE rules.
    posting_ids = select(Posting.id).where(Posting.author_id == user.id)
    db.session.execute(
        delete(Notification).where(
            or_(
                Notification.posting_id.in_(posting_ids),
                Notification.own_posting_id.in_(posting_ids),
            )
        )
    )
