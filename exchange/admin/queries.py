"""Reads for the Kommune's admin area: reports, people, the overview figures, CSV rows."""

from __future__ import annotations

import statistics
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..extensions import db
from ..matching.queries import matches_for
from ..messaging.models import Conversation
from ..municipalities.models import Municipality
from ..postings.models import Posting
from ..timeutil import utcnow
from .models import Report

WAITING_AFTER = timedelta(days=7)


def open_reports(municipality: Municipality) -> list[Report]:
    """Reports not yet dealt with, oldest first."""
    return list(
        db.session.scalars(
            select(Report)
            .where(Report.municipality_id == municipality.id, Report.resolved_at.is_(None))
            .options(selectinload(Report.posting), selectinload(Report.message))
            .order_by(Report.created_at)
        )
    )


def residents(municipality: Municipality, blocked_only: bool = False) -> list[User]:
    """The Kommune's accounts, by name."""
    query = select(User).where(User.municipality_id == municipality.id)
    if blocked_only:
        query = query.where(User.is_blocked.is_(True))
    return list(db.session.scalars(query.order_by(User.display_name)))


def _board(municipality: Municipality):
    return select(Posting).where(
        Posting.municipality_id == municipality.id,
        Posting.status.in_(("open", "in_contact")),
        Posting.expires_at > utcnow(),
    )


def figures(municipality: Municipality) -> dict:
    """Open requests and offers per Börse, who is still waiting, response time, helpers."""
    now = utcnow()
    counts = {
        (kind, direction): n
        for kind, direction, n in db.session.execute(
            select(Posting.kind, Posting.direction, func.count(Posting.id))
            .where(
                Posting.municipality_id == municipality.id,
                Posting.status.in_(("open", "in_contact")),
                Posting.expires_at > now,
            )
            .group_by(Posting.kind, Posting.direction)
        )
    }
    answered = select(Conversation.posting_id).where(Conversation.posting_id.is_not(None))
    old_unanswered = db.session.scalars(
        _board(municipality)
        .where(Posting.direction == "request", Posting.created_at <= now - WAITING_AFTER)
        .where(Posting.id.not_in(answered))
        .order_by(Posting.created_at)
    ).all()
    waiting = [p for p in old_unanswered if not matches_for(p, limit=1)]
    first_responses = db.session.execute(
        select(Posting.created_at, func.min(Conversation.created_at))
        .join(Conversation, Conversation.posting_id == Posting.id)
        .where(Posting.municipality_id == municipality.id)
        .where(Posting.created_at >= now - timedelta(days=90))
        .group_by(Posting.id, Posting.created_at)
    ).all()
    hours = [
        (first - created).total_seconds() / 3600 for created, first in first_responses if first
    ]
    since = now - timedelta(days=30)
    responders = set(
        db.session.scalars(
            select(Conversation.responder_id).where(
                Conversation.municipality_id == municipality.id,
                Conversation.created_at >= since,
                Conversation.responder_id.is_not(None),
            )
        )
    )
    offerers = set(
        db.session.scalars(
            select(Posting.author_id).where(
                Posting.municipality_id == municipality.id,
                Posting.direction == "offer",
                Posting.created_at >= since,
            )
        )
    )
    return {
        "counts": counts,
        "waiting": waiting,
        "median_first_response_hours": round(statistics.median(hours), 1) if hours else None,
        "active_helpers": len(responders | offerers),
    }


def postings_for_export(municipality: Municipality) -> list[Posting]:
    """All of the Kommune's postings for the CSV export, newest first."""
    return list(
        db.session.scalars(
            select(Posting)
            .where(Posting.municipality_id == municipality.id)
            .options(selectinload(Posting.district))
            .order_by(Posting.created_at.desc())
        )
    )


def response_counts(municipality: Municipality) -> dict[int, int]:
    """Number of responses per posting id."""
    return dict(
        db.session.execute(
            select(Conversation.posting_id, func.count(Conversation.id))
            .where(Conversation.municipality_id == municipality.id)
            .group_by(Conversation.posting_id)
        ).all()
    )
