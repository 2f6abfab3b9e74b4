"""The accessibility statement of a Kommune and the barriers residents report through it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ...extensions import db
from ...timeutil import UTCDateTime, utcnow
from .vocab import Conformance, EvaluationMethod


def _in(column: str, vocabulary) -> str:
    values = ", ".join(f"'{member.value}'" for member in vocabulary)
    return f"{column} IN ({values})"


class AccessibilityStatement(db.Model):
    """One Kommune's statement as its admins last saved it; a None field means the default."""

    __tablename__ = "accessibility_statement"
    __table_args__ = (
        # Named by the metadata's convention: ck_accessibility_statement_<name>.
        CheckConstraint(_in("status", Conformance), name="status"),
        CheckConstraint(_in("evaluation_method", EvaluationMethod), name="evaluation_method"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(
        String(20), default=Conformance.PARTIAL, server_default=Conformance.PARTIAL.value
    )
    # [{"what": ..., "why": ..., "alternative": ...}, ...]; None: the translated defaults.
    limitations: Mapped[list | None] = mapped_column(JSON)
    evaluation_method: Mapped[str] = mapped_column(
        String(20), default=EvaluationMethod.SELF, server_default=EvaluationMethod.SELF.value
    )
    evaluated_on: Mapped[date | None] = mapped_column(Date)
    prepared_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    # The Land's body comes from Municipality.state unless the admins name another one.
    enforcement_name: Mapped[str | None] = mapped_column(String(200))
    enforcement_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AccessibilityFeedback(db.Model):
    """A barrier someone reported through the statement's form (guests too)."""

    __tablename__ = "accessibility_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    message: Mapped[str] = mapped_column(Text)
    page: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # Given by the sender, not tied to an account: a guest may write.
    name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    locale: Mapped[str] = mapped_column(String(5), default="de", server_default="de")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    answer_note: Mapped[str | None] = mapped_column(String(500))
