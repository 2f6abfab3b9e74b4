"""Reads of notifications for every page: the header's counts."""

from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from ..messaging.queries import unread_count_query
from .models import Notification


def header_counts(user) -> tuple[int, int]:
    """Unread messages and unseen notifications of user, for the page header, in one query."""
    unseen = select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    row = db.session.execute(
        select(unread_count_query(user).scalar_subquery(), unseen.scalar_subquery())
    ).one()
    return row[0] or 0, row[1] or 0
