"""Candidate search for matches: index-driven bounding box, then the pure rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from flask import g, has_app_context
from sqlalchemy import and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.models import User
from ..extensions import db
from ..geo import BoundingBox, bounding_box
from ..notifications.models import Notification, SavedSearch
from ..postings.models import Posting
from ..postings.queries import blocked_authors
from ..postings.vocab import OPEN_STATUSES, Direction
from ..timeutil import utcnow
from ..youth import rules
from ..youth.models import ParentalConsent
from ..youth.queries import policy_for
from . import engine

ADULT_AGE = rules.ADULT_AGE


def _is_minor(user: User | None, today: date) -> bool:
    if user is None:
        return False
    age = user.age_on(today)
    return age is not None and age < ADULT_AGE


def _today() -> date:
    return utcnow().date()


# A recorded, not withdrawn consent form of the posting's author (youth.queries.valid_consent).
_HAS_CONSENT = (
    exists()
    .where(ParentalConsent.user_id == Posting.author_id, ParentalConsent.withdrawn_on.is_(None))
    .correlate(Posting)
)


def consented_ids(user_ids) -> set[int]:
    """Those of user_ids with a recorded, not withdrawn consent form (one query, none if empty)."""
    ids = set(user_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(ParentalConsent.user_id).where(
                ParentalConsent.user_id.in_(ids), ParentalConsent.withdrawn_on.is_(None)
            )
        )
    )


def youth_policies(municipality_ids) -> dict[int, rules.Policy]:
    """The youth policies of these Kommunen, read once per request (kept in flask.g)."""
    cache = g.setdefault("_youth_policies", {}) if has_app_context() else {}
    missing = set(municipality_ids) - set(cache)
    if missing:
        from ..municipalities.models import Municipality

        for municipality in db.session.scalars(
            select(Municipality).where(Municipality.id.in_(missing))
        ):
            cache[municipality.id] = policy_for(municipality)
    return {m: cache[m] for m in municipality_ids if m in cache}


def _minor_facts(
    birth_date: date | None, is_pupil: bool | None, has_consent: bool, today: date
) -> rules.Helper | None:
    facts = rules.Helper(birth_date, is_pupil=is_pupil, has_consent=bool(has_consent))
    return facts if facts.is_minor_on(today) else None


def side_of(
    posting: Posting, today: date | None = None, consented: set[int] | None = None
) -> engine.Side:
    """The engine's view of a posting (consented: minor authors with a consent form)."""
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
        start_time=posting.start_time,
        duration_minutes=posting.duration_minutes,
        author_minor=_minor_facts(
            author.birth_date if (author := posting.author) else None,
            author.is_full_time_pupil if author else None,
            posting.author_id in (consented or ()),
            today or _today(),
        ),
    )


def _with_minors(postings, today: date) -> tuple[set[int], dict[int, rules.Policy]]:
    """The consent and the youth policies the engine needs, read only when a minor takes part."""
    minors = {p.author_id for p in postings if _is_minor(p.author, today)}
    if not minors:
        return set(), {}
    return consented_ids(minors), youth_policies({p.municipality_id for p in postings})


def default_radius_of(posting: Posting) -> int:
    """The radius of a posting of this Kommune that sets none (Municipality.default_radius_km)."""
    return posting.municipality.default_radius_km


def _compatible_kinds(kind: str) -> list[str]:
    return [k for k in engine.KIND_GROUPS if engine.kinds_compatible(kind, k)]


@dataclass(frozen=True, slots=True)
class Wanted:
    """What a candidate for one posting must be, as the SQL narrows it (the engine decides).

    Used for one posting's own query (candidate_postings) and, with bound parameters, for the
    one query of a whole page of postings (matches_of_page), whose rows are then sorted back
    to each posting by admits(), the same test in Python.
    """

    posting_id: int
    municipality_id: int
    author_id: int
    direction: str  # the opposite of the posting's
    kinds: tuple[str, ...]
    categories: tuple[str, ...] | None  # None: any category (an offer of "other")
    box: BoundingBox
    remote: bool  # remote-capable candidates come without a box

    @classmethod
    def of(cls, posting: Posting) -> Wanted:
        """The candidates posting looks for (within its radius or its Kommune's default)."""
        if posting.direction == Direction.REQUEST:
            categories = (posting.category, "other")
        elif posting.category != "other":
            categories = (posting.category,)
        else:
            categories = None
        radius = posting.radius_km or default_radius_of(posting)
        return cls(
            posting_id=posting.id,
            municipality_id=posting.municipality_id,
            author_id=posting.author_id,
            direction=str(Direction(posting.direction).opposite),
            kinds=tuple(_compatible_kinds(posting.kind)),
            categories=categories,
            box=bounding_box(posting.point, radius),
            remote=bool(posting.is_remote_ok),
        )

    def admits(self, row) -> bool:
        """True when the SQL of this posting selects row (open and unexpired are checked apart)."""
        if (
            row.direction != self.direction
            or row.municipality_id != self.municipality_id
            or row.author_id == self.author_id
            or row.kind not in self.kinds
            or (self.categories is not None and row.category not in self.categories)
        ):
            return False
        box = self.box
        near = (
            box.min_latitude <= row.latitude <= box.max_latitude
            and box.min_longitude <= row.longitude <= box.max_longitude
        )
        return near or (self.remote and row.is_remote_ok is True)


def _live(now):
    return [Posting.status.in_(OPEN_STATUSES), Posting.expires_at > now]


def candidate_postings(posting: Posting) -> list[Posting]:
    """Open postings that could match posting: the SQL narrows, the engine decides.

    The box uses the indexed latitude/longitude; its radius is posting's own limit (a pair can
    never be further apart than either side allows). Remote-capable candidates come without a
    box when posting itself allows remote help.
    """
    now = utcnow()
    wanted = Wanted.of(posting)
    conditions = [
        Posting.municipality_id == wanted.municipality_id,
        *_live(now),
        Posting.direction == wanted.direction,
        Posting.author_id != wanted.author_id,
        Posting.kind.in_(wanted.kinds),
        Posting.author_id.not_in(blocked_authors(wanted.municipality_id)),
    ]
    if wanted.categories is not None:
        if len(wanted.categories) > 1:
            conditions.append(Posting.category.in_(wanted.categories))
        else:
            conditions.append(Posting.category == wanted.categories[0])
    box = wanted.box
    near = and_(
        Posting.latitude.between(box.min_latitude, box.max_latitude),
        Posting.longitude.between(box.min_longitude, box.max_longitude),
    )
    where = or_(near, Posting.is_remote_ok.is_(True)) if wanted.remote else near
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
    now = utcnow()
    today = now.date()
    candidates = {p.id: p for p in candidate_postings(posting)}
    consented, policies = _with_minors([posting, *candidates.values()], today)
    ranked = engine.rank(
        side_of(posting, today, consented),
        [side_of(p, today, consented) for p in candidates.values()],
        now,
        limit,
        default_radius_of(posting),
        policies,
    )
    return [
        (m, candidates[m.offer.id if m.request.id == posting.id else m.request.id]) for m in ranked
    ]


# What the engine and a match list need of a candidate: no ORM objects, one row each.
_CANDIDATE_COLUMNS = (
    Posting.id,
    Posting.author_id,
    Posting.municipality_id,
    Posting.direction,
    Posting.kind,
    Posting.category,
    Posting.latitude,
    Posting.longitude,
    Posting.status,
    Posting.expires_at,
    Posting.created_at,
    Posting.radius_km,
    Posting.is_remote_ok,
    Posting.on_date,
    Posting.start_time,
    Posting.duration_minutes,
    Posting.title,
    User.birth_date.label("author_birth_date"),
    User.is_full_time_pupil.label("author_is_pupil"),
    _HAS_CONSENT.label("author_has_consent"),
)


@lru_cache(maxsize=256)
def _page_statement(shape: tuple[tuple[int, int | None, bool], ...], kommunen: int):
    """One statement for the candidates of several postings, with bound parameters.

    shape holds, per posting, how many kinds and categories (None: any) it takes and whether
    it takes remote help; kommunen is how many Kommunen the postings are in. The statement is
    built once per shape and reused, so SQLAlchemy's cache key and compiled SQL are reused
    too (plain IN lists of parameters, not expanding ones, which are rewritten per run).
    Each posting's conditions are one term of an OR. Unless a posting takes remote
    candidates from anywhere, the box around all the postings' boxes (one person's postings
    mostly share a place) is read once on the geo index, not once per posting.
    """
    terms = []
    for i, (kinds, categories, remote) in enumerate(shape):
        term = [
            Posting.municipality_id == bindparam(f"m{i}"),
            Posting.direction == bindparam(f"d{i}"),
            Posting.author_id != bindparam(f"a{i}"),
            Posting.kind.in_([bindparam(f"k{i}_{n}") for n in range(kinds)]),
        ]
        if categories is not None:
            term.append(Posting.category.in_([bindparam(f"c{i}_{n}") for n in range(categories)]))
        near = and_(
            Posting.latitude.between(bindparam(f"lat{i}"), bindparam(f"lat{i}_")),
            Posting.longitude.between(bindparam(f"lon{i}"), bindparam(f"lon{i}_")),
        )
        term.append(or_(near, Posting.is_remote_ok.is_(True)) if remote else near)
        terms.append(and_(*term))
    around = [Posting.municipality_id.in_([bindparam(f"kommune{j}") for j in range(kommunen)])]
    if not any(remote for *_counts, remote in shape):
        around += [
            Posting.latitude.between(bindparam("lat"), bindparam("lat_")),
            Posting.longitude.between(bindparam("lon"), bindparam("lon_")),
        ]
    return (
        select(*_CANDIDATE_COLUMNS)
        .outerjoin(User, User.id == Posting.author_id)
        # A blocked author's postings are off the board, and so out of every match.
        .where(*around, *_live(bindparam("now")), User.is_blocked.is_(False), or_(*terms))
    )


def _page_query(wanted: list[Wanted], now):
    """The statement and its parameters for the candidates of wanted."""
    kommunen = sorted({w.municipality_id for w in wanted})
    boxes = [w.box for w in wanted]
    values: dict = {
        "now": now,
        "lat": min(b.min_latitude for b in boxes),
        "lat_": max(b.max_latitude for b in boxes),
        "lon": min(b.min_longitude for b in boxes),
        "lon_": max(b.max_longitude for b in boxes),
    }
    for j, kommune in enumerate(kommunen):
        values[f"kommune{j}"] = kommune
    for i, w in enumerate(wanted):
        box = w.box
        values[f"m{i}"], values[f"d{i}"], values[f"a{i}"] = (
            w.municipality_id,
            w.direction,
            w.author_id,
        )
        values.update((f"k{i}_{n}", kind) for n, kind in enumerate(w.kinds))
        values[f"lat{i}"], values[f"lat{i}_"] = box.min_latitude, box.max_latitude
        values[f"lon{i}"], values[f"lon{i}_"] = box.min_longitude, box.max_longitude
        values.update((f"c{i}_{n}", category) for n, category in enumerate(w.categories or ()))
    shape = tuple(
        (len(w.kinds), None if w.categories is None else len(w.categories), w.remote)
        for w in wanted
    )
    return _page_statement(shape, len(kommunen)), values


def _row_side(row, today: date) -> engine.Side:
    return engine.Side(
        id=row.id,
        author_id=row.author_id,
        municipality_id=row.municipality_id,
        direction=row.direction,
        kind=row.kind,
        category=row.category,
        latitude=row.latitude,
        longitude=row.longitude,
        status=row.status,
        expires_at=row.expires_at,
        created_at=row.created_at,
        radius_km=row.radius_km,
        is_remote_ok=row.is_remote_ok,
        on_date=row.on_date,
        start_time=row.start_time,
        duration_minutes=row.duration_minutes,
        author_minor=_minor_facts(
            row.author_birth_date, row.author_is_pupil, row.author_has_consent, today
        ),
    )


def matches_of_page(postings, limit: int = 10) -> dict[int, list[tuple[engine.Match, object]]]:
    """The best matches of each of postings, by posting id: matches_for with one query.

    The candidates of all postings come in one statement (their conditions joined by OR), as
    rows with the fields the engine and a match list need; each posting then takes the rows its
    own query would have selected and ranks them with the engine. Same results and order as
    matches_for(posting, limit) for each posting.
    """
    now = utcnow()
    today = now.date()
    on_board = [p for p in postings if p.is_on_board(now)]
    result: dict[int, list] = {p.id: [] for p in postings}
    if not on_board:
        return result
    wanted = [Wanted.of(p) for p in on_board]
    rows = db.session.execute(*_page_query(wanted, now)).all()
    # Rows by direction and category, so each posting looks only at the rows it could take.
    buckets: dict[tuple[str, str], list] = {}
    for row in rows:
        buckets.setdefault((row.direction, row.category), []).append(row)
    sides: dict[int, engine.Side] = {}
    # The youth rules' facts only when a minor takes part (no queries otherwise).
    consented, _own = _with_minors(on_board, today)
    minor_rows = any(
        _minor_facts(r.author_birth_date, r.author_is_pupil, False, today) for r in rows
    )
    policies = (
        youth_policies({p.municipality_id for p in on_board})
        if consented or minor_rows or any(_is_minor(p.author, today) for p in on_board)
        else {}
    )
    for posting, w in zip(on_board, wanted, strict=True):
        if w.categories is None:
            pool = [r for (d, _c), group in buckets.items() if d == w.direction for r in group]
        else:
            pool = [r for c in w.categories for r in buckets.get((w.direction, c), ())]
        taken = {}
        for row in pool:
            if w.admits(row):
                taken[row.id] = row
                if row.id not in sides:
                    sides[row.id] = _row_side(row, today)
        own = side_of(posting, today, consented)
        ranked = engine.rank(
            own, [sides[i] for i in taken], now, limit, default_radius_of(posting), policies
        )
        result[posting.id] = [
            (m, taken[m.offer.id if m.request.id == posting.id else m.request.id]) for m in ranked
        ]
    return result


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
        # Their Kommune (for the addresses of their matches) in the same query.
        .options(joinedload(Posting.municipality))
    )
    return db.paginate(query, page=page, per_page=GROUPS_PAGE_SIZE, error_out=False)


def recent_notifications(user: User, limit: int = 30):
    """The user's latest notifications with their postings, newest first."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            # With the author: a blocked author's postings are not shown (matching.cards).
            .options(selectinload(Notification.posting).joinedload(Posting.author))
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
