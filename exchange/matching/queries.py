"""Candidate search for matches: index-driven bounding box, then the pure rules."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..extensions import db
from ..geo import bounding_box
from ..notifications.models import Notification, SavedSearch
from ..postings.models import Posting
from ..postings.vocab import OPEN_STATUSES, Direction
from ..timeutil import utcnow
from . import engine

ADULT_AGE = 18


def _is_minor(user: User | None, today: date) -> bool:
    if user is None:
        return False
    age = user.age_on(today)
    return age is not None and age < ADULT_AGE


def side_of(posting: Posting, today: date | None = None) -> engine.Side:
    """The engine's view of a posting."""
    return engine.Side(
        id=posting.id,
        author_id=posting.author_id,
        municipality_id=posting.municipality_id,
        direction=posting.direction,
        kind=posting.kind,
        category=posting.category,
        latitude=posting.latitude,
        longitude=posting.longitude,
        status=posting.status,
        expires_at=posting.expires_at,
        created_at=posting.created_at,
        radius_km=posting.radius_km,
        is_remote_ok=posting.is_remote_ok,
        on_date=posting.on_date,
        author_is_minor=_is_minor(posting.author, today or date.today()),
    )


def _compatible_kinds(kind: str) -> list[str]:
    return [k for k in engine.KIND_GROUPS if engine.kinds_compatible(kind, k)]


def candidate_postings(posting: Posting) -> list[Posting]:
    """Open postings that could match posting: the SQL narrows, the engine decides.

    The box uses the indexed latitude/longitude; its radius is posting's own limit (a pair can
    never be further apart than either side allows). Remote-capable candidates come without a
    box when posting itself allows remote help.
    """
    now = utcnow()
    opposite = Direction(posting.direction).opposite
    conditions = [
        Posting.municipality_id == posting.municipality_id,
        Posting.status.in_(OPEN_STATUSES),
        Posting.expires_at > now,
        Posting.direction == opposite,
        Posting.author_id != posting.author_id,
        Posting.kind.in_(_compatible_kinds(posting.kind)),
    ]
    if posting.direction == Direction.REQUEST:
        conditions.append(Posting.category.in_((posting.category, "other")))
    elif posting.category != "other":
        conditions.append(Posting.category == posting.category)
    radius = posting.radius_km or engine.DEFAULT_RADIUS_KM
    box = bounding_box(posting.point, radius)
    near = and_(
        Posting.latitude.between(box.min_latitude, box.max_latitude),
        Posting.longitude.between(box.min_longitude, box.max_longitude),
    )
    where = or_(near, Posting.is_remote_ok.is_(True)) if posting.is_remote_ok else near
    return list(
        db.session.scalars(
            select(Posting)
            .where(*conditions, where)
            .options(selectinload(Posting.author), selectinload(Posting.district))
        )
    )


def matches_for(posting: Posting, limit: int = 10) -> list[tuple[engine.Match, Posting]]:
    """The best matches of posting, each with the other posting, best first."""
    if not posting.is_on_board():
        return []
    today = date.today()
    candidates = {p.id: p for p in candidate_postings(posting)}
    ranked = engine.rank(
        side_of(posting, today), [side_of(p, today) for p in candidates.values()], utcnow(), limit
    )
    return [
        (m, candidates[m.offer.id if m.request.id == posting.id else m.request.id]) for m in ranked
    ]


def open_postings_of(user: User) -> list[Posting]:
    """User's postings that are on the board."""
    return [
        p
        for p in db.session.scalars(
            select(Posting)
            .where(Posting.author_id == user.id, Posting.status.in_(OPEN_STATUSES))
            .where(Posting.expires_at > utcnow())
            .order_by(Posting.created_at.desc())
        )
    ]


GROUPS_PAGE_SIZE = 10


def open_postings_page(user: User, page: int = 1):
    """One page of user's postings on the board, newest first."""
    query = (
        select(Posting)
        .where(Posting.author_id == user.id, Posting.status.in_(OPEN_STATUSES))
        .where(Posting.expires_at > utcnow())
        .order_by(Posting.created_at.desc(), Posting.id.desc())
    )
    return db.paginate(query, page=page, per_page=GROUPS_PAGE_SIZE, error_out=False)


def recent_notifications(user: User, limit: int = 30):
    """The user's latest notifications with their postings, newest first."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .options(selectinload(Notification.posting))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def unread_notification_count(user: User) -> int:
    """How many notifications the user has not seen yet."""
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def saved_searches_of(user: User):
    """The user's saved searches, oldest first."""
    return list(
        db.session.scalars(
            select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.id)
        )
    )
