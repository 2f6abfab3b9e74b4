"""Pure matching rules and scoring (DESIGN.md §4). No Flask, no database.

A request R and an offer O match when both are open and unexpired, written by different people
in the same Kommune, in compatible Börsen, in the same category (an offer in "other" fits any
category, ranked lower), close enough (distance <= the smaller of O's radius and R's radius;
a posting without one takes its Kommune's default radius, which the caller passes in as
default_km; unless both allow help by phone or online), on compatible dates, and a minor
helper only gets light work in the Taschengeldbörse.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from ..geo import Point, haversine_km, rounded_km
from ..youth import rules

# Only where no Kommune's default is passed in (Municipality.default_radius_km is).
DEFAULT_RADIUS_KM = 5.0
# The values of postings.vocab (Status, Direction), spelled out so that this module stays pure
# (the enums carry translated labels); tests/matching check that both agree.
OPEN_STATUSES = frozenset({"open", "in_contact"})
REQUEST, OFFER = "request", "offer"
TASCHENGELD = "taschengeld"
KIND_GROUPS = {
    "taschengeld": "taschengeld",
    "tausch": "tausch",
    "zeitspende": "time",
    "ehrenamt": "time",
}
FRESHNESS_HALF_LIFE_DAYS = 14.0


@dataclass(frozen=True)
class Side:
    """What the rules need to know about one posting."""

    id: int
    author_id: int
    municipality_id: int
    direction: str
    kind: str
    category: str
    latitude: float
    longitude: float
    status: str
    expires_at: datetime
    created_at: datetime
    radius_km: float | None = None
    is_remote_ok: bool = False
    on_date: date | None = None
    start_time: time | None = None
    duration_minutes: int | None = None
    # The author's facts for the youth rules when she is a minor (None: an adult).
    author_minor: rules.Helper | None = None

    @property
    def point(self) -> Point:
        """The posting's centroid."""
        return Point(self.latitude, self.longitude)


@dataclass(frozen=True)
class Match:
    """A fitting pair, its score (0..1, higher is better) and the reasons to show."""

    request: Side
    offer: Side
    distance_km: float
    score: float
    reasons: tuple[tuple[str, dict], ...] = field(default_factory=tuple)


def max_distance_km(request: Side, offer: Side, default_km: float = DEFAULT_RADIUS_KM) -> float:
    """How far apart a request and an offer may be; default_km stands in for a missing radius."""
    offer_radius = offer.radius_km if offer.radius_km else default_km
    request_radius = request.radius_km if request.radius_km else default_km
    return min(offer_radius, request_radius)


def kinds_compatible(a: str, b: str) -> bool:
    """taschengeld↔taschengeld, tausch↔tausch, zeitspende/ehrenamt↔zeitspende/ehrenamt."""
    return a in KIND_GROUPS and KIND_GROUPS.get(a) == KIND_GROUPS.get(b)


def _is_live(side: Side, now: datetime) -> bool:
    return side.status in OPEN_STATUSES and side.expires_at > now


def job_of(request: Side) -> rules.Job:
    """The job a request asks for, as the youth rules see it."""
    return rules.Job(
        kind=request.kind,
        category=request.category,
        on_date=request.on_date,
        start=request.start_time,
        minutes=request.duration_minutes,
    )


def minor_may_help(
    request: Side, offer: Side, today: date, policies: Mapping[int, rules.Policy] | None = None
) -> bool:
    """Whether the offer's author may answer the request (always, when she is an adult).

    policies holds the youth policy by Kommune id; a Kommune not in it keeps the defaults.
    """
    helper = offer.author_minor
    if helper is None:
        return True
    policy = (policies or {}).get(request.municipality_id) or rules.Policy()
    return not rules.check(policy, helper, job_of(request), today=today, to_choose=False)


def evaluate(
    a: Side,
    b: Side,
    now: datetime,
    default_km: float = DEFAULT_RADIUS_KM,
    policies: Mapping[int, rules.Policy] | None = None,
) -> Match | None:
    """The match between two postings, or None when any rule fails.

    default_km is the Kommune's default radius, for a posting without its own; policies the
    youth policies by Kommune id (for a minor's offer).
    """
    if {a.direction, b.direction} != {REQUEST, OFFER}:
        return None
    request, offer = (a, b) if a.direction == REQUEST else (b, a)
    if request.author_id == offer.author_id or request.municipality_id != offer.municipality_id:
        return None
    if not (_is_live(request, now) and _is_live(offer, now)):
        return None
    if not kinds_compatible(request.kind, offer.kind):
        return None
    same_category = request.category == offer.category
    if not same_category and offer.category != "other":
        return None
    if request.on_date and offer.on_date and request.on_date != offer.on_date:
        return None
    if not minor_may_help(request, offer, now.date(), policies):
        return None
    distance = haversine_km(request.point, offer.point)
    limit = max_distance_km(request, offer, default_km)
    remote = offer.is_remote_ok and request.is_remote_ok
    if distance > limit and not remote:
        return None
    return Match(
        request=request,
        offer=offer,
        distance_km=distance,
        score=score(same_category, distance, limit, remote, request, offer, now),
        reasons=reasons(same_category, distance, remote and distance > limit, a, b, now),
    )


def score(same_category, distance, limit, remote_only, request, offer, now) -> float:
    """Category fit (0.5), distance decay (0.3) and freshness of the older posting (0.2)."""
    category = 1.0 if same_category else 0.4
    nearness = max(0.0, 1.0 - distance / limit) if distance <= limit else 0.0
    if remote_only:
        # Help by phone or online is worth 0.3 at any distance, so a pair that could also meet
        # is never ranked below the same pair placed farther apart.
        nearness = max(nearness, 0.3)
    # The older of the two decides: a stale posting is less likely to be still wanted.
    oldest = min(request.created_at, offer.created_at)
    age_days = max(0.0, (now - oldest).total_seconds() / 86400)
    freshness = math.pow(0.5, age_days / FRESHNESS_HALF_LIFE_DAYS)
    return round(0.5 * category + 0.3 * nearness + 0.2 * freshness, 6)


def reasons(same_category, distance, only_remote, a, b, now):
    """Machine-readable reasons; the views turn them into "gleiche Kategorie · ca. 2 km"."""
    out: list[tuple[str, dict]] = [("same_category" if same_category else "any_category", {})]
    if only_remote:
        out.append(("remote", {}))
    else:
        out.append(("distance", {"km": rounded_km(distance)}))
    other = b
    days = max(0, (now - other.created_at).days)
    out.append(("age", {"days": days}))
    return tuple(out)


def rank(
    target: Side,
    candidates,
    now: datetime,
    limit: int = 10,
    default_km: float = DEFAULT_RADIUS_KM,
    policies: Mapping[int, rules.Policy] | None = None,
) -> list[Match]:
    """The best matches of target among candidates, best first (ties: nearer, then newer).

    default_km is the radius of a posting without its own: target's Kommune's default;
    policies the youth policies by Kommune id.
    """
    found = [
        m for c in candidates if (m := evaluate(target, c, now, default_km, policies)) is not None
    ]
    found.sort(key=lambda m: (-m.score, m.distance_km, -_other(m, target).id))
    return found[:limit]


def _other(match: Match, target: Side) -> Side:
    return match.offer if match.request.id == target.id else match.request
