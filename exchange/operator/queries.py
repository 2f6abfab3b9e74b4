"""Operator reads: Kommunen with their figures, and their admins."""

from __future__ import annotations

from sqlalchemy import func, select

from ..accounts.models import ROLE_ADMIN, User
from ..extensions import db
from ..municipalities.models import Municipality


def admins_of(municipality: Municipality) -> list[User]:
    """The Kommune's admins by name."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.municipality_id == municipality.id, User.role == ROLE_ADMIN)
            .order_by(User.display_name)
        )
    )


def overview() -> list[tuple[Municipality, int, int]]:
    """Every Kommune with its number of accounts and admins."""
    rows = db.session.execute(
        select(
            Municipality,
            func.count(User.id),
            func.count(User.id).filter(User.role == ROLE_ADMIN),
        )
        .outerjoin(User, User.municipality_id == Municipality.id)
        .group_by(Municipality.id)
        .order_by(Municipality.name)
    ).all()
    return [(m, users, admins) for m, users, admins in rows]
