"""Reads for the Kommune's overview: the figures, what waits for the admins, CSV rows."""

from __future__ import annotations

import statistics
from datetime import timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from ...accounts.models import User
from ...extensions import db
from ...matching.queries import matches_for
from ...messaging.models import Conversation, Message
from ...municipalities.models import Municipality
from ...postings.models import Posting
from ...postings.vocab import OPEN_STATUSES, Direction
from ...timeutil import utcnow
from ..moderation.models import Report
from ..proxies.queries import proxy_ids
from ..youth.queries import missing_consent_count

WAITING_AFTER = timedelta(days=7)


def _board(municipality: Municipality):
    return select(Posting).where(
        Posting.municipality_id == municipality.id,
        Posting.status.in_(OPEN_STATUSES),
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
                Posting.status.in_(OPEN_STATUSES),
                Posting.expires_at > now,
            )
            .group_by(Posting.kind, Posting.direction)
        )
    }
    answered = select(Conversation.posting_id).where(Conversation.posting_id.is_not(None))
    old_unanswered = db.session.scalars(
        _board(municipality)
        .where(Posting.direction == Direction.REQUEST, Posting.created_at <= now - WAITING_AFTER)
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
                Posting.direction == Direction.OFFER,
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


def todo_counts(municipality: Municipality) -> dict:
    """What waits for the admins: open reports, registrations, unread messages for proxies,
    young people whose parents' consent form is not recorded."""
    proxy = proxy_ids(municipality)
    unread_for_proxies = db.session.scalar(
        select(func.count(Message.id))
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(
            Conversation.municipality_id == municipality.id,
            or_(
                and_(
                    Conversation.author_id.in_(proxy),
                    or_(Message.sender_id.is_(None), Message.sender_id != Conversation.author_id),
                    or_(
                        Conversation.author_read_at.is_(None),
                        Message.created_at > Conversation.author_read_at,
                    ),
                ),
                and_(
                    Conversation.responder_id.in_(proxy),
                    or_(
                        Message.sender_id.is_(None), Message.sender_id != Conversation.responder_id
                    ),
                    or_(
                        Conversation.responder_read_at.is_(None),
                        Message.created_at > Conversation.responder_read_at,
                    ),
                ),
            ),
        )
    )
    return {
        "reports": db.session.scalar(
            select(func.count(Report.id)).where(
                Report.municipality_id == municipality.id, Report.resolved_at.is_(None)
            )
        ),
        "approvals": db.session.scalar(
            select(func.count(User.id)).where(
                User.municipality_id == municipality.id, User.is_approved.is_(False)
            )
        ),
        "inbox": unread_for_proxies or 0,
        "consents": missing_consent_count(municipality),
    }
