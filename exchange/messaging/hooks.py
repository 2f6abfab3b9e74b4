"""Messaging's answers to lower layers' signals (connected when the app is built)."""

from __future__ import annotations

from sqlalchemy import delete, or_, select, update

from ..accounts.export import value_of
from ..core import signals
from ..extensions import db
from ..postings.models import Posting
from ..postings.services import update_rows
from ..postings.vocab import Direction
from ..youth.queries import policy_for
from . import queries, youth
from .models import Conversation, Message


@signals.posting_reopened.connect
def _clear_chosen_helper(posting, **_kw) -> None:
    update_rows(
        update(Conversation).where(Conversation.posting_id == posting.id).values(is_assigned=False)
    )


@signals.posting_access.connect
def _responder_may_see(posting, user, **_kw) -> bool:
    return queries.own_conversation(posting, user) is not None


@signals.posting_page.connect
def _conversations_on_page(posting, viewer, is_author, **_kw) -> dict:
    if is_author:
        responses = queries.conversations_for(posting)
        return {"responses": responses, "youth_boxes": _youth_boxes(posting, responses)}
    if viewer.is_authenticated:
        return {"own_conversation": queries.own_conversation(posting, viewer)}
    return {}


def _youth_boxes(posting, responses) -> dict:
    """The rules box of each young responder to a request (the Kommune's policy read once)."""
    if posting.direction != Direction.REQUEST:
        return {}
    job_day = posting.on_date
    minors = [c for c in responses if youth.is_minor(c.responder, job_day)]
    if not minors:
        return {}
    policy = policy_for(posting.municipality)
    return {c.id: youth.rules_box(posting, c, policy) for c in minors}


# --- privacy: export and erasure -----------------------------------------------------------


def _her_conversations(user_id: int):
    return or_(Conversation.author_id == user_id, Conversation.responder_id == user_id)


@signals.personal_texts.connect
def _her_messages(user, **_kw) -> tuple[list, list]:
    return [], list(db.session.scalars(select(Message.body).where(Message.sender_id == user.id)))


@signals.account_unlinking.connect
def _unlink_her_postings(user, **_kw) -> None:
    posting_ids = select(Posting.id).where(Posting.author_id == user.id)
    db.session.execute(
        update(Conversation).where(Conversation.posting_id.in_(posting_ids)).values(posting_id=None)
    )


@signals.account_erasing.connect
def _erase_her_side(user, **_kw) -> None:
    uid = user.id
    # Her messages stay in the other person's conversation as "message deleted".
    db.session.execute(
        update(Message).where(Message.sender_id == uid).values(sender_id=None, body=None)
    )
    talks = list(db.session.scalars(select(Conversation.id).where(_her_conversations(uid))))
    # The title is her words when the posting was hers (she is the conversation's author).
    db.session.execute(
        update(Conversation)
        .where(Conversation.author_id == uid)
        .values(author_id=None, posting_title="", is_author_sharing_phone=False)
    )
    db.session.execute(
        update(Conversation)
        .where(Conversation.responder_id == uid)
        .values(responder_id=None, is_responder_sharing_phone=False)
    )
    # Nobody is left to read a conversation whose other side deleted their account already.
    db.session.execute(
        delete(Conversation).where(
            Conversation.id.in_(talks),
            Conversation.author_id.is_(None),
            Conversation.responder_id.is_(None),
        )
    )


@signals.export_requested.connect
def _export_her_conversations(user, **_kw) -> tuple[dict, set]:
    conversations = db.session.scalars(
        select(Conversation).where(_her_conversations(user.id)).order_by(Conversation.id)
    )
    return (
        {"conversations": [_conversation(c, user) for c in conversations]},
        {"conversation", "message"},
    )


def _conversation(conversation, user) -> dict:
    other = conversation.other_party(user)
    return {
        "id": conversation.id,
        "posting_title": conversation.posting_title,
        "role": "author" if conversation.author_id == user.id else "responder",
        "other_person": other.short_name if other else None,
        "shares_my_phone": conversation.is_sharing_phone(user),
        "is_assigned": conversation.is_assigned,
        "created_at": value_of(conversation.created_at),
        "messages": [
            {
                "from_me": m.sender_id == user.id,
                "sender": (
                    "me" if m.sender_id == user.id else (m.sender.short_name if m.sender else None)
                ),
                "body": m.body,
                "created_at": value_of(m.created_at),
            }
            for m in conversation.messages
        ],
    }
