"""Reads of conversations and messages."""

from functools import cache

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..extensions import db
from ..postings.models import Posting
from .models import Conversation, Message


def _unread_condition(user: User):
    """Messages from others in user's conversations, newer than user's last visit."""
    as_author = and_(
        Conversation.author_id == user.id,
        or_(
            Conversation.author_read_at.is_(None),
            Message.created_at > Conversation.author_read_at,
        ),
    )
    as_responder = and_(
        Conversation.responder_id == user.id,
        or_(
            Conversation.responder_read_at.is_(None),
            Message.created_at > Conversation.responder_read_at,
        ),
    )
    return and_(
        or_(as_author, as_responder),
        or_(Message.sender_id.is_(None), Message.sender_id != user.id),
    )


def unread_count_query(user: User):
    """The statement counting the messages from others that user has not seen yet."""
    return (
        select(func.count(Message.id))
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(_unread_condition(user))
    )


def unread_count(user: User) -> int:
    """Number of messages from others that user has not seen yet."""
    return db.session.scalar(unread_count_query(user)) or 0


INBOX_PAGE_SIZE = 20
MESSAGES_PAGE_SIZE = 50


def conversations_of(user: User, page: int = 1):
    """One page of user's conversations, the most recent first."""
    query = (
        select(Conversation)
        .where(or_(Conversation.author_id == user.id, Conversation.responder_id == user.id))
        .options(selectinload(Conversation.author), selectinload(Conversation.responder))
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
    )
    return db.paginate(query, page=page, per_page=INBOX_PAGE_SIZE, error_out=False)


def messages_page(conversation: Conversation, page: int = 1):
    """One page of a conversation's messages: page 1 holds the newest, each page oldest first."""
    query = (
        select(Message)
        .where(Message.conversation_id == conversation.id)
        .options(selectinload(Message.sender))
        .order_by(Message.id.desc())
    )
    result = db.paginate(query, page=page, per_page=MESSAGES_PAGE_SIZE, error_out=False)
    result.items.reverse()
    return result


def chosen_conversation_id(posting_id: int | None) -> int | None:
    """The conversation whose responder the posting's author has chosen, if any."""
    if posting_id is None:
        return None
    return db.session.scalar(
        select(Conversation.id).where(
            Conversation.posting_id == posting_id, Conversation.is_assigned.is_(True)
        )
    )


def unread_by_conversation(user: User, conversation_ids: list[int]) -> dict[int, int]:
    """Unread message counts for the given conversations of user."""
    rows = db.session.execute(
        select(Message.conversation_id, func.count(Message.id))
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(_unread_condition(user), Message.conversation_id.in_(conversation_ids))
        .group_by(Message.conversation_id)
    )
    return dict(rows.all())


def conversation_for_participant(conversation_id: int, user: User) -> Conversation | None:
    """The conversation when user takes part in it, else None."""
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or not conversation.is_participant(user):
        return None
    return conversation


def conversations_for(posting: Posting) -> list[Conversation]:
    """All responses to a posting, oldest first."""
    return list(
        db.session.scalars(
            select(Conversation)
            .where(Conversation.posting_id == posting.id)
            .options(selectinload(Conversation.responder))
            .order_by(Conversation.created_at)
        )
    )


def own_conversation(posting: Posting, user: User) -> Conversation | None:
    """The conversation user started about posting, if any."""
    return db.session.scalar(
        _own_conversation_statement(), {"posting_id": posting.id, "responder_id": user.id}
    )


@cache
def _own_conversation_statement():
    # Built once: every signed-in posting page runs it.
    return select(Conversation).where(
        Conversation.posting_id == bindparam("posting_id"),
        Conversation.responder_id == bindparam("responder_id"),
    )
