"""Reads of conversations and messages."""

from sqlalchemy import and_, func, or_, select

from ..accounts.models import User
from ..extensions import db
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


def unread_count(user: User) -> int:
    """Number of messages from others that user has not seen yet."""
    query = (
        select(func.count(Message.id))
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(_unread_condition(user))
    )
    return db.session.scalar(query) or 0


def conversations_of(user: User) -> list[Conversation]:
    """User's conversations, the most recent first."""
    from sqlalchemy.orm import selectinload

    return list(
        db.session.scalars(
            select(Conversation)
            .where(or_(Conversation.author_id == user.id, Conversation.responder_id == user.id))
            .options(selectinload(Conversation.author), selectinload(Conversation.responder))
            .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
        )
    )


def unread_by_conversation(user: User) -> dict[int, int]:
    """Unread message counts per conversation id."""
    rows = db.session.execute(
        select(Message.conversation_id, func.count(Message.id))
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(_unread_condition(user))
        .group_by(Message.conversation_id)
    )
    return dict(rows.all())


def conversation_for_participant(conversation_id: int, user: User) -> Conversation | None:
    """The conversation when user takes part in it, else None."""
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or not conversation.is_participant(user):
        return None
    return conversation
