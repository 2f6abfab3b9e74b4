"""Kommunen (tenants) and their Ortsteile."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..geo import Point
from ..timeutil import UTCDateTime, utcnow

ALL_KINDS = ("taschengeld", "zeitspende", "tausch", "ehrenamt")


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
    imprint_text: Mapped[str] = mapped_column(Text, default="")
    privacy_text: Mapped[str] = mapped_column(Text, default="")
    accessibility_text: Mapped[str] = mapped_column(Text, default="")
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    # Raised with every change to the Kommune's board; guests' cached board pages key on it.
    board_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    districts: Mapped[list[District]] = relationship(
        back_populates="municipality", order_by="District.name", cascade="all, delete-orphan"
    )

    @property
    def postcodes(self) -> list[str]:
        """The Kommune's PLZ list."""
        return [p for p in self.postcodes_csv.split(",") if p]

    @property
    def enabled_kinds(self) -> list[str]:
        """The Börsen this Kommune offers, in canonical order."""
        enabled = set(self.enabled_kinds_csv.split(","))
        return [k for k in ALL_KINDS if k in enabled]

    def __repr__(self) -> str:
        return f"<Municipality {self.slug}>"


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
