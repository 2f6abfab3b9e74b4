"""Outbox reads: the backlog and what is stuck, for /healthz and the operator's mail page."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from .. import timeutil
from ..extensions import db
from ..messaging.queries import unread_count_query
from .models import Notification, OutboxEmail

_UNSENT = (OutboxEmail.sent_at.is_(None), OutboxEmail.failed_at.is_(None))


def header_counts(user) -> tuple[int, int]:
    """Unread messages and unseen notifications of user, for the page header, in one query."""
    unseen = select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    row = db.session.execute(
        select(unread_count_query(user).scalar_subquery(), unseen.scalar_subquery())
    ).one()
    return row[0] or 0, row[1] or 0


def mail_counts() -> dict[str, int]:
    """How many mails are pending (never tried), retrying, and failed for good."""
    pending, retrying, failed = db.session.execute(
        select(
            func.count(OutboxEmail.id).filter(*_UNSENT, OutboxEmail.attempts == 0),
            func.count(OutboxEmail.id).filter(*_UNSENT, OutboxEmail.attempts > 0),
            func.count(OutboxEmail.id).filter(OutboxEmail.failed_at.is_not(None)),
        )
    ).one()
    return {"pending": pending, "retrying": retrying, "failed": failed}


def stuck_mail_summary() -> dict[str, int | None]:
    """Failed-for-good and retrying mails, and the age in seconds of the oldest retrying one."""
    counts = mail_counts()
    oldest = db.session.scalar(
        select(func.min(OutboxEmail.created_at)).where(*_UNSENT, OutboxEmail.attempts > 0)
    )
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    age = None if oldest is None else int((timeutil.utcnow() - oldest).total_seconds())
    return {
        "failed": counts["failed"],
        "retrying": counts["retrying"],
        "oldest_retrying_seconds": age,
    }


def failed_mails(page: int, per_page: int = 50):
    """Mails given up for good, newest failure first, one page (Flask-SQLAlchemy Pagination)."""
    return db.paginate(
        select(OutboxEmail)
        .where(OutboxEmail.failed_at.is_not(None))
        .order_by(OutboxEmail.failed_at.desc(), OutboxEmail.id.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
    )


def outbox_backlog(now: datetime | None = None) -> dict:
    """Unsent mail for /healthz, in one query: how many wait, the oldest's age, what is stuck.

    ``pending`` counts every mail neither delivered nor given up (``retrying`` of them have failed
    at least once); ``failed`` the ones given up for good, which an operator can requeue.
    """
    pending, retrying, failed, oldest = db.session.execute(
        select(
            func.count(OutboxEmail.id).filter(*_UNSENT),
            func.count(OutboxEmail.id).filter(*_UNSENT, OutboxEmail.attempts > 0),
            func.count(OutboxEmail.id).filter(OutboxEmail.failed_at.is_not(None)),
            func.min(OutboxEmail.created_at).filter(*_UNSENT),
        )
    ).one()
    age = None
    if oldest is not None:
        if oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        age = max(0, int(((now or timeutil.utcnow()) - oldest).total_seconds()))
    return {
        "pending": pending,
        "oldest_pending_age_seconds": age,
        "retrying": retrying,
        "failed": failed,
    }
