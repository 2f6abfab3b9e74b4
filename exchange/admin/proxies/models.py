"""What the town hall keeps about residents without internet and their phone calls."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...extensions import db
from ...timeutil import UTCDateTime, utcnow


class ProxyProfile(db.Model):
    """What the town hall knows about a resident without internet; only admins see it."""

    __tablename__ = "proxy_profile"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    # For letters; never shown to other residents, cleared when the account is activated.
    postal_address: Mapped[str] = mapped_column(Text, default="")
    birth_year: Mapped[int | None] = mapped_column(Integer)
    contact_times: Mapped[str] = mapped_column(String(200), default="")
    consent_on: Mapped[date] = mapped_column(Date)
    # A ConsentMethod value.
    consent_method: Mapped[str] = mapped_column(String(20))
    consent_by: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", foreign_keys=[user_id])


class CallNote(db.Model):
    """What came of a phone call about a proxy's conversation; only admins see it."""

    __tablename__ = "call_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    author_name: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
