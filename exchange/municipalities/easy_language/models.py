"""The Kommune's own Leichte-Sprache text, who checked it, and its sign-language video."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ...extensions import db
from ...timeutil import UTCDateTime, utcnow

BODY_MAX = 20_000
CHECKED_BY_MAX = 200
VIDEO_URL_MAX = 500


class EasyLanguagePage(db.Model):
    """One row per Kommune that replaced the default text, recorded a check or added a video.

    An empty body means the default text (templates/easy_language/default_text.txt).
    """

    __tablename__ = "easy_language_page"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), unique=True
    )
    # Plain text with a tiny markup (markup.py): blank line, "- " list item, "## " heading.
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Who checked the text with readers (DIN SPEC 33429), and when; "" / None while unchecked.
    checked_by: Mapped[str] = mapped_column(String(CHECKED_BY_MAX), default="", server_default="")
    checked_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The DGS video: a stored MP4 (its file name in the video folder) or an https link, or none.
    video_file: Mapped[str] = mapped_column(String(80), default="", server_default="")
    video_url: Mapped[str] = mapped_column(String(VIDEO_URL_MAX), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<EasyLanguagePage municipality={self.municipality_id}>"
