"""Reads for the board, a posting and the own postings; always scoped to a Kommune or user."""

from __future__ import annotations

import math
import time
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import (
    Date,
    Float,
    Integer,
    String,
    bindparam,
    false,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.models import User
from ..core.signals import posting_access, results
from ..extensions import db
from ..geo import EARTH_RADIUS_KM, Point, bounding_box
from ..municipalities.models import District, Municipality
from ..timeutil import utcnow
from .models import Posting
from .search import search_words
from .vocab import OPEN_STATUSES, Status

BOARD_STATUSES = OPEN_STATUSES


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def blocked_authors(municipality_id):
    """SELECT of the blocked accounts of a Kommune (a value or a bound parameter).

    Their postings are out of the matches and their pages. Postings are written in
    their author's own Kommune only, so the Kommune's accounts are all that need looking at
    (on its index), however many accounts the installation has.
    """
    user = User.__table__.c
    return select(user.id).where(user.municipality_id == municipality_id, user.is_blocked)


def _board_conditions(municipality: Municipality, filters: dict) -> list:
    conditions = [
        Posting.municipality_id == municipality.id,
        Posting.status.in_(BOARD_STATUSES),
        Posting.expires_at > utcnow(),
        Posting.is_author_blocked == false(),
    ]
    for name in ("kind", "direction", "category"):
        if filters.get(name):
            conditions.append(getattr(Posting, name) == filters[name])
    if filters.get("for_young"):
        conditions += _for_young(Posting.__table__.c)
    if filters.get("district"):
        conditions.append(Posting.district_id == int(filters["district"]))
        conditions.append(_not_by_a_minor(Posting.author_adult_on, date.today()))
    for pattern in _word_patterns(filters.get("q")):
        conditions.append(_contains_word(Posting.search_text, bindparam(None, pattern, String)))
    return conditions


def _for_young(c) -> list:
    """A Taschengeld job someone asks for that young people may do (not "nur für Erwachsene")."""
    return [
        c.kind == bindparam("young_kind", "taschengeld"),
        c.direction == bindparam("young_direction", "request"),
        c.is_adults_only == false(),
    ]


def _not_by_a_minor(adult_on, today):
    """The author is an adult (or her age unknown): a minor's posting has no public place.

    A place filter (Ortsteil, PLZ, radius, distance order) would tell where she lives, so it
    never finds a minor's posting; the unfiltered board shows it with the Kommune's name.
    """
    return or_(adult_on.is_(None), adult_on <= today)


def _contains_word(column, pattern):
    """column LIKE pattern, written so SQLite does not prepare the statement again each time.

    With a bare bound parameter on the right, SQLite's LIKE optimisation makes the statement
    depend on the parameter's value and re-prepares it whenever the value changes – on the
    board, every request (it doubled the SQL time of a radius search). '' || ? is the same
    text to both databases and an expression to SQLite's planner.
    """
    return column.like(literal_column("''", String).concat(pattern), escape="\\")


def _word_patterns(q: str | None) -> list[str]:
    """LIKE patterns of a search's words: each must occur (exchange/postings/search.py)."""
    return [f"%{_escape_like(word)}%" for word in search_words(q)]


NEWEST_FIRST = (Posting.created_at.desc(), Posting.id.desc())


def board_select(municipality: Municipality, filters: dict):
    """SELECT of the postings on a Kommune's board, newest first, with the given filters."""
    return (
        select(Posting)
        .where(*_board_conditions(municipality, filters))
        .options(joinedload(Posting.district))
        .order_by(*NEWEST_FIRST)
    )


def _distance_expression(latitude, longitude):
    """Haversine distance (km) from the bound origin, as SQL: the formula of exchange.geo."""
    dlat = func.radians(latitude - bindparam("origin_lat", type_=Float)) / 2
    dlon = func.radians(longitude - bindparam("origin_lon", type_=Float)) / 2
    h = func.power(func.sin(dlat), 2) + bindparam("origin_cos_lat", type_=Float) * func.cos(
        func.radians(latitude)
    ) * func.power(func.sin(dlon), 2)
    return (2 * EARTH_RADIUS_KM * func.asin(func.sqrt(h))).label("distance")


# Built once: constructing this expression costs more than running it on a Kommune's rows.
DISTANCE = _distance_expression(Posting.latitude, Posting.longitude)


def _origin_params(origin: Point) -> dict:
    return {
        "origin_lat": origin.latitude,
        "origin_lon": origin.longitude,
        "origin_cos_lat": math.cos(math.radians(origin.latitude)),
    }


# --- The board's page: one statement per combination of filters, built once ----------------
#
# The board runs one statement per request: the page's postings with what their cards show
# (the Ortsteil's name joined in), their distance when there is an origin, and the total as a
# window count. It is built from Core tables (no ORM entities to load, no ORM compile step)
# with every value a bound parameter, once per combination of filters ("shape"), so a request
# only binds its values. The conditions are those of _board_conditions: the Kommune, the
# board's statuses, not expired, and the filters.

_POSTING = Posting.__table__
_DISTRICT = District.__table__
# What a card needs (exchange/postings/cards.py); the place comes from the outer join.
_CARD_COLUMNS = (
    "id",
    "title",
    "direction",
    "kind",
    "category",
    "postcode",
    "district_id",
    "pay_per_hour_cents",
    "created_at",
    "timing",
    "on_date",
    "start_time",
    "duration_minutes",
    "is_adults_only",
    "author_adult_on",
)
# The start of the text, for the card's one-line excerpt (cards.py masks and shortens it).
EXCERPT_SOURCE_CHARS = 300
_EQUAL_FILTERS = ("kind", "direction", "category", "district")


def _shape(filters: dict, with_origin: bool, radius_km, sort: str) -> tuple:
    names = tuple(name for name in _EQUAL_FILTERS if filters.get(name))
    if filters.get("for_young"):
        names += ("for_young",)
    words = len(search_words(filters.get("q")))
    by_distance = with_origin and sort == "distance"
    return names, words, with_origin, bool(with_origin and radius_km), by_distance


@lru_cache(maxsize=256)
def _page_statements(shape: tuple):
    """(page statement, count statement) of one shape; see the comment above."""
    names, words, with_origin, with_radius, by_distance = shape
    p = _POSTING.c
    conditions = [
        p.municipality_id == bindparam("municipality_id"),
        p.status.in_([bindparam(f"board_status_{i}", s) for i, s in enumerate(BOARD_STATUSES)]),
        p.expires_at > bindparam("now"),
        # A blocked account's postings leave the board (the flag is hers, copied).
        p.is_author_blocked == false(),
    ]
    for name in names:
        if name == "district":
            conditions.append(p.district_id == bindparam("district"))
        elif name == "for_young":
            conditions += _for_young(p)
        else:
            conditions.append(p[name] == bindparam(name))
    if "district" in names or with_origin:
        conditions.append(_not_by_a_minor(p.author_adult_on, bindparam("today", type_=Date)))
    # Every word of the search, in the title or the text (search_text holds both).
    conditions += [
        _contains_word(p.search_text, bindparam(f"word_{i}", type_=String)) for i in range(words)
    ]
    columns = [p[name] for name in _CARD_COLUMNS]
    if with_origin:
        if with_radius:
            conditions += [
                p.latitude.between(bindparam("min_lat"), bindparam("max_lat")),
                p.longitude.between(bindparam("min_lon"), bindparam("max_lon")),
            ]
        box = (
            select(*columns, _distance_expression(p.latitude, p.longitude))
            .where(*conditions)
            .subquery("box")
        )
        source, rows, matching = box, select(box), select(box.c.id)
        if with_radius:
            within = box.c.distance <= bindparam("radius_km")
            rows, matching = rows.where(within), matching.where(within)
    else:
        source, rows, matching = _POSTING, select(*columns), select(p.id)
        rows, matching = rows.where(*conditions), matching.where(*conditions)

    def order(source):
        newest = (source.c.created_at.desc(), source.c.id.desc())
        return (source.c.distance, *newest) if by_distance else newest

    ranked = (
        rows.add_columns(func.count().over().label("total"))
        .order_by(*order(source))
        .limit(bindparam("page_limit", type_=Integer))
        .offset(bindparam("page_offset", type_=Integer))
        .subquery("page")
    )
    # The Ortsteil and the start of the text are joined to the page's rows only (the window
    # count reads every matching row); the outer order keeps the page's.
    place = func.coalesce(_DISTRICT.c.name, ranked.c.postcode).label("place_name")
    text = _POSTING.alias("text_of")
    excerpt = func.substr(text.c.description, 1, EXCERPT_SOURCE_CHARS).label("excerpt")
    page = (
        select(ranked, place, excerpt)
        .select_from(
            ranked.outerjoin(_DISTRICT, _DISTRICT.c.id == ranked.c.district_id).join(
                text, text.c.id == ranked.c.id
            )
        )
        .order_by(*order(ranked))
    )
    count = select(func.count()).select_from(matching.subquery())
    return page, count


class RowPagination(Pagination):
    """Flask-SQLAlchemy's pagination over a page of rows already fetched and a known total."""

    def _query_items(self) -> list:
        return self._query_args["rows"]

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

    One statement returns the page's rows – what a card shows: id, title, direction, kind,
    category, postcode, district_id, pay_per_hour_cents, created_at, the start of the text
    (excerpt) and place_name – with the total as a window count. Postings of blocked accounts
    are left out by their own flag (no read of user_account), and a search finds the postings
    that hold each of its words (exchange/postings/search.py). With an origin, a bounding box
    on the indexed latitude/longitude narrows the rows, and the exact haversine distance
    (computed in SQL, the same on SQLite and PostgreSQL) filters and orders them. Only when the
    page lies past the end does a second statement count.
    """
    page = max(page, 1)
    per_page = min(per_page, 100)  # Pagination's max_per_page
    page_statement, count_statement = _page_statements(
        _shape(filters, origin is not None, radius_km, sort)
    )
    params = {"municipality_id": municipality.id, "now": utcnow(), "today": date.today()}
    for name in ("kind", "direction", "category"):
        if filters.get(name):
            params[name] = filters[name]
    if filters.get("district"):
        params["district"] = int(filters["district"])
    for i, pattern in enumerate(_word_patterns(filters.get("q"))):
        params[f"word_{i}"] = pattern
    if origin is not None:
        params.update(_origin_params(origin))
        if radius_km:
            box = bounding_box(origin, radius_km)
            params.update(
                min_lat=box.min_latitude,
                max_lat=box.max_latitude,
                min_lon=box.min_longitude,
                max_lon=box.max_longitude,
                radius_km=radius_km,
            )
    rows = db.session.execute(
        page_statement, {**params, "page_limit": per_page, "page_offset": (page - 1) * per_page}
    ).all()
    total = rows[0].total if rows else db.session.scalar(count_statement, params) or 0
    result = RowPagination(page=page, per_page=per_page, error_out=False, rows=rows, total=total)
    distances = {r.id: r.distance for r in rows} if origin is not None else {}
    return result, distances


class BoardDistrict(NamedTuple):
    """An Ortsteil as the board uses it: filter choice and place distances are measured from."""

    id: int
    name: str
    latitude: float
    longitude: float

    @property
    def point(self) -> Point:
        """The district centroid."""
        return Point(self.latitude, self.longitude)


def board_districts(municipality: Municipality) -> tuple[BoardDistrict, ...]:
    """The Kommune's Ortsteile by name, read once per board version and minute per process.

    Every flush that adds, changes or deletes an Ortsteil raises the Kommune's board version
    (exchange/postings/board_cache.py), and municipality was read in this request, so a
    change shows at once; anything written around the ORM shows within a minute, as on the
    cached guest board.
    """
    key = (municipality.board_version, int(time.time() // 60))
    known = current_app.extensions.setdefault("board_districts", {})
    cached = known.get(municipality.id)
    if cached is not None and cached[0] == key:
        return cached[1]
    district = District.__table__.c
    districts = tuple(
        BoardDistrict(*row)
        for row in db.session.execute(
            select(district.id, district.name, district.latitude, district.longitude)
            .where(district.municipality_id == municipality.id)
            .order_by(district.name)
        )
    )
    known[municipality.id] = (key, districts)
    return districts


def can_view(posting: Posting, user) -> bool:
    """Board postings are public; others only for their author and the people who responded.

    A blocked author's postings are off the board, for everyone else (as hidden ones are).
    """
    blocked = posting.author.is_blocked
    if posting.is_on_board() and not blocked:
        return True
    if user is None or not user.is_authenticated:
        return False
    if posting.author_id == user.id:
        return True
    # Off the board she may still see what she responded to: messaging answers that.
    return (
        posting.status != Status.HIDDEN
        and not blocked
        and any(results(posting_access, posting, user=user))
    )


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
