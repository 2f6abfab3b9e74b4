"""Conversations between a posting's author and one responder."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import db
from ..municipalities.models import Municipality
from ..timeutil import UTCDateTime, utcnow


class Conversation(db.Model):
    """A response to a posting and the talk that follows; survives the deletion of either side."""

    __tablename__ = "conversation"
    __table_args__ = (UniqueConstraint("posting_id", "responder_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    posting_id: Mapped[int | None] = mapped_column(
        ForeignKey("posting.id", ondelete="SET NULL"), index=True
    )
    # Kept so the conversation still makes sense after the posting is deleted.
    posting_title: Mapped[str] = mapped_column(String(120))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    responder_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # The author picked this responder ("vergeben").
    is_assigned: Mapped[bool] = mapped_column(Boolean, default=False)
    # The date, start and length agreed with the chosen helper (a minor can only be chosen for
    # an agreed time; a dated posting's own time is the default). Counted for the youth caps.
    agreed_on: Mapped[date | None] = mapped_column(Date)
    agreed_start: Mapped[time | None] = mapped_column(Time)
    agreed_minutes: Mapped[int | None] = mapped_column(Integer)
    is_author_sharing_phone: Mapped[bool] = mapped_column(Boolean, default=False)
    is_responder_sharing_phone: Mapped[bool] = mapped_column(Boolean, default=False)
    author_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responder_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    municipality: Mapped[Municipality] = relationship()
    posting = relationship("Posting", foreign_keys=[posting_id])
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    responder: Mapped[User | None] = relationship(foreign_keys=[responder_id])
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.id", cascade="all, delete-orphan"
    )

    def is_participant(self, user: User) -> bool:
        """True when user is the author or the responder."""
        return user.id in (self.author_id, self.responder_id)

    def other_party(self, user: User) -> User | None:
        """The person user talks to (None when that account was deleted)."""
        return self.responder if user.id == self.author_id else self.author

    def is_sharing_phone(self, user: User) -> bool:
        """Whether user shares their phone number in this conversation."""
        if user.id == self.author_id:
            return self.is_author_sharing_phone
        return self.is_responder_sharing_phone

    def read_at(self, user: User) -> datetime | None:
        """When user last opened the conversation."""
        return self.author_read_at if user.id == self.author_id else self.responder_read_at

    def __repr__(self) -> str:
        return f"<Conversation {self.id}>"


class Message(db.Model):
    """One plain-text message; sender_id and body are NULL once the sender deleted their account."""

    __tablename__ = "message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), index=True
    )
    sender_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # NULL when erased with the sender's account: shown as a translated "message deleted".
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    sender: Mapped[User | None] = relationship()
