"""Barrier reports in a person's export and erasure (connected when the app is built).

A report is not tied to an account (guests may send one); what makes it hers is the e-mail
address she gave, which is also her account's.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select

from ...core import signals
from ...extensions import db
from .models import AccessibilityFeedback


def _sent_by(user):
    email = (getattr(user, "email", None) or "").strip().lower()
    if not email:
        return None
    return func.lower(AccessibilityFeedback.email) == email


@signals.account_erasing.connect
def _delete_her_barrier_reports(user, **_kw) -> None:
    # They carry her name, address and words; the town hall answered or can no longer answer.
    condition = _sent_by(user)
    if condition is not None:
        db.session.execute(delete(AccessibilityFeedback).where(condition))


@signals.export_requested.connect
def _export_her_barrier_reports(user, **_kw) -> tuple[dict, set]:
    condition = _sent_by(user)
    rows = (
        db.session.scalars(
            select(AccessibilityFeedback).where(condition).order_by(AccessibilityFeedback.id)
        ).all()
        if condition is not None
        else []
    )
    sections = {
        "barrier_reports": [
            {
                "created_at": row.created_at.isoformat(),
                "message": row.message,
                "page": row.page,
                "name": row.name,
                "email": row.email,
                "answered_at": row.answered_at.isoformat() if row.answered_at else None,
            }
            for row in rows
        ]
    }
    return sections, {"accessibility_feedback"}
