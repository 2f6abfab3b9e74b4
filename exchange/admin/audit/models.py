"""The audit log's table: what an admin did while acting for a resident."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ...extensions import db
from ...timeutil import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """One thing an admin did while acting for a resident; names are kept as they were."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    admin_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    admin_name: Mapped[str] = mapped_column(String(80))
    proxy_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    proxy_name: Mapped[str] = mapped_column(String(80))
    # The endpoint that was used, e.g. "postings.create", or "acting.start" / "acting.stop".
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(String(30))
    object_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
