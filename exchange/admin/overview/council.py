"""Figures for the council: postings, responses, help and hours per month, quarter or year.

A few grouped statements per page, whatever the amount of data: postings, conversations and
confirmed help records are each counted in one GROUP BY, per Kommune and month; Python sums the
months into quarters or the year. Postings and conversations count by their day in
Europe/Berlin (the month is a CASE over the month boundaries in UTC, which works the same on
SQLite and PostgreSQL); help records by the day the help took place (a plain date). Postings
hidden by a moderator do not count. Hours are the confirmed minutes of the help records (a
correction in the ledger changes them too, see ledger.services.book_correction).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, case, extract, func, select, true

from ...extensions import db
from ...ledger.models import HelpRecord
from ...ledger.vocab import Outcome, RecordStatus
from ...messaging.models import Conversation
from ...municipalities.models import District, Municipality
from ...postings.categories import CATEGORIES
from ...postings.models import Posting
from ...postings.vocab import Kind, Status
from ...timeutil import utcnow

PERIODS = ("month", "quarter", "year")
DEFAULT_PERIOD = "year"
BUCKET_COUNT = {"month": 12, "quarter": 4, "year": 1}
# The earliest year the selector offers when there is no data at all before it.
FIRST_YEAR = 2000


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Berlin"))


def current_year() -> int:
    """This year in Europe/Berlin."""
    return utcnow().astimezone(_zone()).year


def bucket_of(period: str, month: int) -> int:
    """The index of month (1–12) among the period's buckets."""
    if period == "month":
        return month - 1
    if period == "quarter":
        return (month - 1) // 3
    return 0


@dataclass
class Totals:
    """One Kommune's figures for the whole year (the operator's table)."""

    postings: int = 0
    responses: int = 0
    matched: int = 0
    helped: int = 0
    minutes: int = 0
    helpers: int = 0
    minors: int = 0

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


@dataclass
class CouncilFigures:
    """Every series of the figures page, one value per bucket (month, quarter or the year)."""

    year: int
    period: str
    by_kind: dict[str, list[int]]
    by_category: dict[str, list[int]]
    # (Ortsteil name or None for "without Ortsteil", values), by name.
    by_district: list[tuple[str | None, list[int]]]
    postings: list[int]
    responses: list[int]
    matched: list[int]
    helped: list[int]
    minutes: list[int]
    helpers: list[int]
    minors: list[int]
    per_municipality: dict[int, Totals] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return BUCKET_COUNT[self.period]

    @property
    def hours(self) -> list[float]:
        """Hours given per bucket, to one decimal."""
        return [round(m / 60, 1) for m in self.minutes]

    @property
    def adults(self) -> list[int]:
        """Active helpers who were adults (all their helps in the bucket)."""
        return [h - m for h, m in zip(self.helpers, self.minors, strict=True)]

    def totals(self) -> Totals:
        """The whole year's figures (the distinct helpers of the year, not a sum of months)."""
        whole = Totals()
        for t in self.per_municipality.values():
            whole.postings += t.postings
            whole.responses += t.responses
            whole.matched += t.matched
            whole.helped += t.helped
            whole.minutes += t.minutes
            whole.helpers += t.helpers
            whole.minors += t.minors
        return whole


def _month_boundaries(year: int) -> list[datetime]:
    """The 13 instants (UTC) at which the year's months begin in local time, and the next year."""
    zone = _zone()
    starts = [datetime(year, month, 1, tzinfo=zone) for month in range(1, 13)]
    starts.append(datetime(year + 1, 1, 1, tzinfo=zone))
    return [s.astimezone(UTC) for s in starts]


def _local_month(column, bounds: list[datetime]):
    """SQL: the local month (1–12) of a UTC timestamp column inside the year."""
    return case(*[(column < bounds[m], m) for m in range(1, 12)], else_=12)


def _in_year(column, bounds: list[datetime]):
    return and_(column >= bounds[0], column < bounds[12])


def _scope(column, municipality_ids: list[int] | None):
    return true() if municipality_ids is None else column.in_(municipality_ids)


def years_with_data(municipality_ids: list[int] | None) -> list[int]:
    """The years the selector offers: from the first posting or help to this year, newest first."""
    first_posting, first_help = db.session.execute(
        select(
            select(func.min(Posting.created_at))
            .where(_scope(Posting.municipality_id, municipality_ids))
            .scalar_subquery(),
            select(func.min(HelpRecord.on_date))
            .where(_scope(HelpRecord.municipality_id, municipality_ids))
            .scalar_subquery(),
        )
    ).one()
    now = current_year()
    firsts = [now]
    if first_posting is not None:
        # A scalar subquery loses the column's type: SQLite gives a string, PostgreSQL a datetime.
        if isinstance(first_posting, str):
            first_posting = datetime.fromisoformat(first_posting)
        if first_posting.tzinfo is None:
            first_posting = first_posting.replace(tzinfo=UTC)
        firsts.append(first_posting.astimezone(_zone()).year)
    if first_help is not None:
        firsts.append(first_help.year if isinstance(first_help, date) else int(str(first_help)[:4]))
    first = max(FIRST_YEAR, min(firsts))
    return list(range(max(now, *firsts), first - 1, -1))


def council_figures(
    municipality_ids: list[int] | None, year: int, period: str, kinds: list[str] | None = None
) -> CouncilFigures:
    """The figures of the given Kommunen (None: all) for year, bucketed by period.

    Three grouped statements (postings, conversations, confirmed help records).
    """
    size = BUCKET_COUNT[period]
    bounds = _month_boundaries(year)
    per: dict[int, Totals] = defaultdict(Totals)

    by_kind: dict[str, list[int]] = {k: [0] * size for k in (kinds or [k.value for k in Kind])}
    by_category: dict[str, list[int]] = {}
    by_district: dict[str | None, list[int]] = {}
    postings = [0] * size
    month = _local_month(Posting.created_at, bounds).label("month")
    inner = (
        select(
            Posting.municipality_id,
            Posting.kind,
            Posting.category,
            District.name.label("district"),
            month,
        )
        .outerjoin(District, District.id == Posting.district_id)
        .where(
            _scope(Posting.municipality_id, municipality_ids),
            _in_year(Posting.created_at, bounds),
            # Hidden by a moderator (spam, abuse): not part of what happened.
            Posting.status != Status.HIDDEN,
        )
        .subquery()
    )
    # Grouped outside the subquery: PostgreSQL would not match the CASE's bound parameters.
    for mid, kind, category, district, m, n in db.session.execute(
        select(
            inner.c.municipality_id,
            inner.c.kind,
            inner.c.category,
            inner.c.district,
            inner.c.month,
            func.count(),
        ).group_by(
            inner.c.municipality_id,
            inner.c.kind,
            inner.c.category,
            inner.c.district,
            inner.c.month,
        )
    ):
        b = bucket_of(period, int(m))
        by_kind.setdefault(kind, [0] * size)[b] += n
        by_category.setdefault(category, [0] * size)[b] += n
        by_district.setdefault(district, [0] * size)[b] += n
        postings[b] += n
        per[mid].postings += n

    responses = [0] * size
    matched = [0] * size
    conv = select(
        Conversation.municipality_id,
        Conversation.is_assigned,
        _local_month(Conversation.created_at, bounds).label("month"),
    ).where(
        _scope(Conversation.municipality_id, municipality_ids),
        _in_year(Conversation.created_at, bounds),
    )
    conv = conv.subquery()
    for mid, m, n, chosen in db.session.execute(
        select(
            conv.c.municipality_id,
            conv.c.month,
            func.count(),
            func.coalesce(func.sum(case((conv.c.is_assigned, 1), else_=0)), 0),
        ).group_by(conv.c.municipality_id, conv.c.month)
    ):
        b = bucket_of(period, int(m))
        responses[b] += n
        matched[b] += int(chosen)
        per[mid].responses += n
        per[mid].matched += int(chosen)

    helped = [0] * size
    minutes = [0] * size
    helper_sets: list[set] = [set() for _ in range(size)]
    minor_sets: list[set] = [set() for _ in range(size)]
    year_helpers: dict[int, set] = defaultdict(set)
    year_minors: dict[int, set] = defaultdict(set)
    help_month = extract("month", HelpRecord.on_date)
    for mid, m, helper_id, minor, n, total in db.session.execute(
        select(
            HelpRecord.municipality_id,
            help_month,
            HelpRecord.helper_id,
            HelpRecord.was_helper_minor,
            func.count(),
            func.coalesce(func.sum(HelpRecord.minutes_confirmed), 0),
        )
        .where(
            _scope(HelpRecord.municipality_id, municipality_ids),
            HelpRecord.outcome == Outcome.HELPED,
            HelpRecord.status == RecordStatus.CONFIRMED,
            HelpRecord.on_date >= date(year, 1, 1),
            HelpRecord.on_date <= date(year, 12, 31),
        )
        .group_by(
            HelpRecord.municipality_id,
            help_month,
            HelpRecord.helper_id,
            HelpRecord.was_helper_minor,
        )
    ):
        b = bucket_of(period, int(m))
        helped[b] += n
        minutes[b] += int(total)
        per[mid].helped += n
        per[mid].minutes += int(total)
        # A deleted helper's records still count as help and hours, not as a helper.
        if helper_id is not None:
            helper_sets[b].add(helper_id)
            year_helpers[mid].add(helper_id)
            if minor:
                minor_sets[b].add(helper_id)
                year_minors[mid].add(helper_id)
    for mid, ids in year_helpers.items():
        per[mid].helpers = len(ids)
        per[mid].minors = len(year_minors[mid])

    order = {c.key: i for i, c in enumerate(CATEGORIES)}
    return CouncilFigures(
        year=year,
        period=period,
        by_kind=by_kind,
        by_category=dict(sorted(by_category.items(), key=lambda kv: order.get(kv[0], 99))),
        by_district=sorted(by_district.items(), key=lambda kv: (kv[0] is None, kv[0] or "")),
        postings=postings,
        responses=responses,
        matched=matched,
        helped=helped,
        minutes=minutes,
        helpers=[len(s) for s in helper_sets],
        minors=[len(s) for s in minor_sets],
        per_municipality=dict(per),
    )


def municipalities_by_name() -> list[Municipality]:
    """Every Kommune, by name (the operator's table)."""
    return list(db.session.scalars(select(Municipality).order_by(Municipality.name)))
