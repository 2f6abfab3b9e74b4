"""Reads for the Kommune's admin area: reports, people, the overview figures, CSV rows."""

from __future__ import annotations

import statistics
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..extensions import db
from ..matching.queries import matches_for, open_postings_of
from ..messaging.models import Conversation, Message
from ..messaging.queries import unread_by_conversation
from ..municipalities.models import Municipality
from ..notifications.models import Notification
from ..postings.models import Posting
from ..postings.vocab import OPEN_STATUSES, Direction
from ..timeutil import utcnow
from .models import AuditEntry, CallNote, Report

WAITING_AFTER = timedelta(days=7)


PAGE_SIZE = 30


def open_reports(municipality: Municipality, page: int = 1):
    """One page of the reports not yet dealt with, oldest first."""
    query = (
        select(Report)
        .where(Report.municipality_id == municipality.id, Report.resolved_at.is_(None))
        .options(selectinload(Report.posting), selectinload(Report.message))
        .order_by(Report.created_at, Report.id)
    )
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def residents(municipality: Municipality, blocked_only: bool = False) -> list[User]:
    """The Kommune's accounts, by name."""
    query = select(User).where(User.municipality_id == municipality.id)
    if blocked_only:
        query = query.where(User.is_blocked.is_(True))
    return list(db.session.scalars(query.order_by(User.display_name)))


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


# --- Proxy accounts, inbox, audit log, approvals ------------------------------------------


def proxies(municipality: Municipality, q: str = "", page: int = 1):
    """The Kommune's proxy accounts by name, optionally filtered by a part of the name."""
    query = select(User).where(User.municipality_id == municipality.id, User.is_proxy.is_(True))
    if q:
        query = query.where(func.lower(User.display_name).contains(q.lower(), autoescape=True))
    return db.paginate(
        query.order_by(User.display_name, User.id),
        page=page,
        per_page=PAGE_SIZE,
        error_out=False,
    )


def pending_approvals(municipality: Municipality, page: int = 1):
    """One page of the registrations waiting for the Kommune's approval, oldest first."""
    query = (
        select(User)
        .where(User.municipality_id == municipality.id, User.is_approved.is_(False))
        .order_by(User.created_at, User.id)
    )
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def _proxy_ids(municipality: Municipality):
    return select(User.id).where(User.municipality_id == municipality.id, User.is_proxy.is_(True))


def inbox_conversations(municipality: Municipality, page: int = 1):
    """Conversations of the Kommune's proxies, the most recent first."""
    ids = _proxy_ids(municipality)
    query = (
        select(Conversation)
        .where(
            Conversation.municipality_id == municipality.id,
            or_(Conversation.author_id.in_(ids), Conversation.responder_id.in_(ids)),
        )
        .options(
            selectinload(Conversation.author),
            selectinload(Conversation.responder),
        )
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
    )
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def proxy_of(conversation: Conversation) -> User | None:
    """The proxy taking part in a conversation (the author when both are)."""
    for person in (conversation.author, conversation.responder):
        if person is not None and person.is_proxy:
            return person
    return None


def unread_for_proxies(proxy_by_conversation: dict[int, User]) -> dict[int, int]:
    """Unread counts of a page of inbox conversations, one query per proxy on the page."""
    ids_by_proxy: dict[int, list[int]] = {}
    proxies = {}
    for conversation_id, proxy in proxy_by_conversation.items():
        ids_by_proxy.setdefault(proxy.id, []).append(conversation_id)
        proxies[proxy.id] = proxy
    counts: dict[int, int] = {}
    for proxy_id, ids in ids_by_proxy.items():
        counts.update(unread_by_conversation(proxies[proxy_id], ids))
    return counts


def unread_for(conversation: Conversation, user: User) -> int:
    """Messages from the other side that user (a proxy) has not been told of yet."""
    # Counted in SQL: a conversation may hold thousands of messages.
    return unread_by_conversation(user, [conversation.id]).get(conversation.id, 0)


def proxy_notifications(municipality: Municipality, limit: int = 50):
    """Unread match notifications of the Kommune's proxies, newest first."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(
                Notification.municipality_id == municipality.id,
                Notification.user_id.in_(_proxy_ids(municipality)),
                Notification.read_at.is_(None),
            )
            .options(selectinload(Notification.posting), selectinload(Notification.user))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def call_notes(conversation: Conversation):
    """Phone-call notes on a conversation, oldest first."""
    return list(
        db.session.scalars(
            select(CallNote)
            .where(CallNote.conversation_id == conversation.id)
            .order_by(CallNote.created_at, CallNote.id)
        )
    )


def audit_log(municipality: Municipality, filters: dict, page: int = 1):
    """The Kommune's acting-for audit log, newest first, filtered by admin, resident, action
    and date range."""

    query = select(AuditEntry).where(AuditEntry.municipality_id == municipality.id)
    if filters.get("admin_id"):
        query = query.where(AuditEntry.admin_id == filters["admin_id"])
    if filters.get("proxy_id"):
        query = query.where(AuditEntry.proxy_id == filters["proxy_id"])
    if filters.get("action"):
        query = query.where(AuditEntry.action == filters["action"])
    # Days are the Kommune's local days.
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    if filters.get("since"):
        start = datetime.combine(filters["since"], time.min, tzinfo=zone)
        query = query.where(AuditEntry.created_at >= start)
    if filters.get("until"):
        end = datetime.combine(filters["until"] + timedelta(days=1), time.min, tzinfo=zone)
        query = query.where(AuditEntry.created_at < end)
    return db.paginate(
        query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()),
        page=page,
        per_page=50,
        error_out=False,
    )


def audit_choices(municipality: Municipality) -> dict:
    """The admins, residents and actions that occur in the Kommune's audit log."""
    rows = db.session.execute(
        select(
            AuditEntry.admin_id,
            AuditEntry.admin_name,
            AuditEntry.proxy_id,
            AuditEntry.proxy_name,
            AuditEntry.action,
        )
        .where(AuditEntry.municipality_id == municipality.id)
        .distinct()
    ).all()
    return {
        "admins": sorted({(r[0], r[1]) for r in rows if r[0]}, key=lambda x: x[1]),
        "proxies": sorted({(r[2], r[3]) for r in rows if r[2]}, key=lambda x: x[1]),
        "actions": sorted({r[4] for r in rows}),
    }


def sheet(proxy: User) -> list[dict]:
    """For the Vermittlungsblatt: each open posting with its responses and best matches."""
    conversations = list(
        db.session.scalars(
            select(Conversation)
            .where((Conversation.author_id == proxy.id) | (Conversation.responder_id == proxy.id))
            .options(selectinload(Conversation.author), selectinload(Conversation.responder))
        )
    )
    # How to reach a helper: their phone where they share it with the proxy, else via the town hall.
    phone_of = {}
    for c in conversations:
        other = c.other_party(proxy)
        if other is not None and c.is_sharing_phone(other) and other.phone:
            phone_of[other.id] = other.phone
    items = []
    for posting in open_postings_of(proxy):
        responses = [c for c in conversations if c.posting_id == posting.id]
        items.append(
            {
                "posting": posting,
                "responses": [(c, c.responder, phone_of.get(c.responder_id)) for c in responses],
                "matches": [
                    (match, other, phone_of.get(other.author_id))
                    for match, other in matches_for(posting, limit=5)
                ],
            }
        )
    return items


def todo_counts(municipality: Municipality) -> dict:
    """What waits for the admins: open reports, registrations, unread messages for proxies."""
    proxy = select(User.id).where(User.municipality_id == municipality.id, User.is_proxy.is_(True))
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
    }
