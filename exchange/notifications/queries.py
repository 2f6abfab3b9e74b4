"""Reads of notifications for every page: the header's counts."""

from __future__ import annotations

from functools import cache
from types import SimpleNamespace

from sqlalchemy import bindparam, func, select

from ..extensions import db
from ..messaging.queries import unread_count_query
from .models import Notification


@cache
def _header_counts_statement():
    """The header's statement, built once with the user's id as a bound parameter.

    Every signed-in page runs it; building it anew cost more than running it.
    """
    user = SimpleNamespace(id=bindparam("header_user_id"))
    unseen = select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return select(unread_count_query(user).scalar_subquery(), unseen.scalar_subquery())


def header_counts(user) -> tuple[int, int]:
    """Unread messages and unseen notifications of user, for the page header, in one query."""
    row = db.session.execute(_header_counts_statement(), {"header_user_id": user.id}).one()
    return row[0] or 0, row[1] or 0
