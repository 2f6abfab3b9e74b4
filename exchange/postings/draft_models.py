"""An unfinished posting: what was typed in the steps so far, kept until it is published."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UTCDateTime, utcnow


class PostingDraft(db.Model):
    """A posting being written in steps; only its author (or whoever acts for her) sees it.

    A table of its own rather than a status of posting, so that no board, matching or
    notification query has to remember to leave drafts out.
    """

    __tablename__ = "posting_draft"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # The admin who started it while acting for a proxy (the draft is the proxy's).
    acting_admin_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # The furthest step reached (one of drafts.STEPS): where "continue" leads.
    step: Mapped[str] = mapped_column(String(20))
    # The fields as typed (strings by form field name); checked again when published.
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<PostingDraft {self.id} {self.step}>"
