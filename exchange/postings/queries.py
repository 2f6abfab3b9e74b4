"""Reads for the board, a posting and the own postings; always scoped to a Kommune or user."""

from __future__ import annotations

import math

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Float, bindparam, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.models import User
from ..core.signals import posting_access, results
from ..extensions import db
from ..geo import EARTH_RADIUS_KM, Point, bounding_box
from ..municipalities.models import Municipality
from ..timeutil import utcnow
from .models import Posting
from .vocab import OPEN_STATUSES, Status

BOARD_STATUSES = OPEN_STATUSES


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _board_conditions(municipality: Municipality, filters: dict) -> list:
    conditions = [
        Posting.municipality_id == municipality.id,
        Posting.status.in_(BOARD_STATUSES),
        Posting.expires_at > utcnow(),
    ]
    for name in ("kind", "direction", "category"):
        if filters.get(name):
            conditions.append(getattr(Posting, name) == filters[name])
    if filters.get("district"):
        conditions.append(Posting.district_id == int(filters["district"]))
    if filters.get("q"):
        pattern = f"%{_escape_like(filters['q'].lower())}%"
        conditions.append(
            or_(
                Posting.title.ilike(pattern, escape="\\"),
                Posting.description.ilike(pattern, escape="\\"),
            )
        )
    return conditions


NEWEST_FIRST = (Posting.created_at.desc(), Posting.id.desc())


def board_select(municipality: Municipality, filters: dict):
    """SELECT of the postings on a Kommune's board, newest first, with the given filters."""
    return (
        select(Posting)
        .where(*_board_conditions(municipality, filters))
        .options(joinedload(Posting.district))
        .order_by(*NEWEST_FIRST)
    )


def _distance_expression():
    """Haversine distance (km) from the bound origin, as SQL: the formula of exchange.geo."""
    dlat = func.radians(Posting.latitude - bindparam("origin_lat", type_=Float)) / 2
    dlon = func.radians(Posting.longitude - bindparam("origin_lon", type_=Float)) / 2
    h = func.power(func.sin(dlat), 2) + bindparam("origin_cos_lat", type_=Float) * func.cos(
        func.radians(Posting.latitude)
    ) * func.power(func.sin(dlon), 2)
    return (2 * EARTH_RADIUS_KM * func.asin(func.sqrt(h))).label("distance")


# Built once: constructing this expression costs more than running it on a Kommune's rows.
DISTANCE = _distance_expression()


def _origin_params(origin: Point) -> dict:
    return {
        "origin_lat": origin.latitude,
        "origin_lon": origin.longitude,
        "origin_cos_lat": math.cos(math.radians(origin.latitude)),
    }


class IdPagination(Pagination):
    """Flask-SQLAlchemy's pagination over one page of ids and a known total."""

    def _query_items(self) -> list:
        ids = self._query_args["ids"]
        found = {
            p.id: p
            for p in db.session.scalars(
                select(Posting).where(Posting.id.in_(ids)).options(joinedload(Posting.district))
            )
        }
        return [found[i] for i in ids if i in found]

    def _query_count(self) -> int:
        return self._query_args["total"]


def board_page(
    municipality: Municipality,
    filters: dict,
    page: int,
    per_page: int,
    origin: Point | None = None,
    radius_km: float | None = None,
    sort: str = "newest",
):
    """One page of the board, and the distance of each posting on it from origin (km).

    Without an origin this is one paginated query. With one, a bounding box on the indexed
    latitude/longitude narrows the rows, the exact haversine distance (computed in SQL, the
    same on SQLite and PostgreSQL) filters and orders them, a window count gives the total, and
    only the page's postings are loaded.
    """
    if origin is None:
        result = db.paginate(
            board_select(municipality, filters), page=page, per_page=per_page, error_out=False
        )
        return result, {}
    distance = DISTANCE
    conditions = _board_conditions(municipality, filters)
    if radius_km:
        box = bounding_box(origin, radius_km)
        conditions += [
            Posting.latitude.between(box.min_latitude, box.max_latitude),
            Posting.longitude.between(box.min_longitude, box.max_longitude),
        ]
    inner = select(Posting.id, Posting.created_at, distance).where(*conditions).subquery()
    query = select(inner.c.id, inner.c.distance, func.count().over().label("total"))
    if radius_km:
        query = query.where(inner.c.distance <= radius_km)
    newest = (inner.c.created_at.desc(), inner.c.id.desc())
    order = (inner.c.distance, *newest) if sort == "distance" else newest
    page = max(page, 1)
    params = _origin_params(origin)
    rows = db.session.execute(
        query.order_by(*order).limit(per_page).offset((page - 1) * per_page), params
    ).all()
    total = rows[0].total if rows else _count_within(query, params)
    result = IdPagination(
        page=page, per_page=per_page, error_out=False, ids=[r.id for r in rows], total=total
    )
    return result, {r.id: r.distance for r in rows}


def _count_within(query, params: dict) -> int:
    """Total when the requested page is past the end (the window count came back empty)."""
    return db.session.scalar(select(func.count()).select_from(query.subquery()), params) or 0


def can_view(posting: Posting, user) -> bool:
    """Board postings are public; others only for their author and the people who responded."""
    if posting.is_on_board():
        return True
    if user is None or not user.is_authenticated:
        return False
    if posting.author_id == user.id:
        return True
    # Off the board she may still see what she responded to: messaging answers that.
    return posting.status != Status.HIDDEN and any(results(posting_access, posting, user=user))


OWN_PAGE_SIZE = 20


def postings_of(user: User, page: int = 1):
    """One page of user's postings, newest first."""
    query = (
        select(Posting)
        .where(Posting.author_id == user.id)
        .options(selectinload(Posting.district), selectinload(Posting.municipality))
        .order_by(Posting.created_at.desc(), Posting.id.desc())
    )
    return db.paginate(query, page=page, per_page=OWN_PAGE_SIZE, error_out=False)
