"""Reads for the town hall's work for proxies: the list, the shared inbox, call notes, the
Vermittlungsblatt."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ...accounts.models import User
from ...extensions import db
from ...matching.queries import matches_for, open_postings_of
from ...messaging.models import Conversation
from ...messaging.queries import unread_by_conversation
from ...municipalities.models import Municipality
from ...notifications.models import Notification
from .models import CallNote

# The admin lists' page size (moderation's lists use the same).
PAGE_SIZE = 30


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


def proxy_ids(municipality: Municipality):
    """The ids of the Kommune's proxy accounts, as a subquery."""
    return select(User.id).where(User.municipality_id == municipality.id, User.is_proxy.is_(True))


def inbox_conversations(municipality: Municipality, page: int = 1):
    """Conversations of the Kommune's proxies, the most recent first."""
    ids = proxy_ids(municipality)
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
                Notification.user_id.in_(proxy_ids(municipality)),
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
