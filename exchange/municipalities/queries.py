"""Reads of Kommunen and Ortsteile."""

from sqlalchemy import select

from ..extensions import db
from .models import District, Municipality


def all_municipalities() -> list[Municipality]:
    """Every Kommune, by name."""
    return list(db.session.scalars(select(Municipality).order_by(Municipality.name)))


def districts_of(municipality: Municipality) -> list[District]:
    """The Kommune's Ortsteile, by name."""
    return list(
        db.session.scalars(
            select(District)
            .where(District.municipality_id == municipality.id)
            .order_by(District.name)
        )
    )
