"""Kommunen (tenants) and their Ortsteile."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..geo import Point
from ..timeutil import UTCDateTime, utcnow
from .states import STATES
from .vocab import Kind

ALL_KINDS = tuple(Kind)


class Municipality(db.Model):
    """A Kommune: the tenant every resident, posting and conversation belongs to."""

    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # Comma-separated five-digit PLZ, e.g. "33098,33100".
    postcodes_csv: Mapped[str] = mapped_column(String(500), default="")
    enabled_kinds_csv: Mapped[str] = mapped_column(String(100), default=",".join(ALL_KINDS))
    theme_color: Mapped[str] = mapped_column(String(7), default="#0b5ea8")
    contact_text: Mapped[str] = mapped_column(Text, default="")
    # Structured facts for letters, footers and rules, edited by the Kommune's admins.
    # Bundesland as the ISO 3166-2 subdivision code ("NW"), "" while unknown.
    state: Mapped[str] = mapped_column(String(2), default="", server_default="")
    postal_address: Mapped[str] = mapped_column(String(300), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    office_hours: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    signatory_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    signatory_role: Mapped[str] = mapped_column(String(120), default="", server_default="")
    imprint_text: Mapped[str] = mapped_column(Text, default="")
    privacy_text: Mapped[str] = mapped_column(Text, default="")
    accessibility_text: Mapped[str] = mapped_column(Text, default="")
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    # How far apart a request and an offer may be when their authors set no distance, also the
    # board's and the posting form's default: derived from how far the Kommune's places lie
    # apart (municipalities.services.derived_radius_km), editable by its admins.
    default_radius_km: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    # Raised with every change to the Kommune's board; guests' cached board pages key on it.
    board_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    districts: Mapped[list[District]] = relationship(
        back_populates="municipality", order_by="District.name", cascade="all, delete-orphan"
    )

    @property
    def safe_theme_color(self) -> str:
        """The theme colour if it is a plain #rrggbb, else the default (it goes into CSS)."""
        color = self.theme_color or ""
        return color.lower() if re.fullmatch(r"#[0-9a-fA-F]{6}", color) else "#0b5ea8"

    @property
    def theme_version(self) -> str:
        """Fingerprint of theme.css: its only content is the colour, so the colour itself."""
        return self.safe_theme_color[1:]

    @property
    def postcodes(self) -> list[str]:
        """The Kommune's PLZ list."""
        return [p for p in self.postcodes_csv.split(",") if p]

    @property
    def enabled_kinds(self) -> list[str]:
        """The Börsen this Kommune offers, in canonical order."""
        enabled = set(self.enabled_kinds_csv.split(","))
        return [k for k in ALL_KINDS if k in enabled]

    @property
    def state_name(self) -> str:
        """The Bundesland's name in the current language, or ""."""
        return str(STATES[self.state]) if self.state in STATES else ""

    @property
    def phone_uri(self) -> str:
        """The phone number as a tel: link (+49 for a national number), or ""."""
        return tel_uri(self.phone or "")

    def __repr__(self) -> str:
        return f"<Municipality {self.slug}>"


def tel_uri(phone: str) -> str:
    """'05250 996-0' → 'tel:+4952509960'; "" when there are no digits."""
    # "+49 (0)5250 …": the bracketed trunk zero is not dialled from abroad.
    digits = re.sub(r"[^\d+]", "", phone.replace("(0)", ""))
    if not re.search(r"\d", digits):
        return ""
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+49" + digits[1:]
    return "tel:" + digits


class District(db.Model):
    """An Ortsteil with an approximate centroid."""

    __tablename__ = "district"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    postcode: Mapped[str] = mapped_column(String(5))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)

    municipality: Mapped[Municipality] = relationship(back_populates="districts")

    @property
    def point(self) -> Point:
        """The district centroid."""
        return Point(self.latitude, self.longitude)

    def __repr__(self) -> str:
        return f"<District {self.name}>"
