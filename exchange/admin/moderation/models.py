"""Reports (Meldungen) of postings and messages for the Kommune's moderators."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...extensions import db
from ...timeutil import UTCDateTime, utcnow


class Report(db.Model):
    """Someone signed in reports a posting, a message or a thank-you, with a reason."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    posting_id: Mapped[int | None] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("message.id", ondelete="CASCADE"), index=True
    )
    # A thank-you the helper received (ledger.Thanks).
    thanks_id: Mapped[int | None] = mapped_column(
        ForeignKey("thanks.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    outcome: Mapped[str | None] = mapped_column(String(200))

    posting = relationship("Posting")
    message = relationship("Message")
    thanks = relationship("Thanks")
    reporter = relationship("User", foreign_keys=[reporter_id])
