"""The youth labour rules (JArbSchG, KindArbSchV) under a Kommune's own policy: pure, no Flask.

Whether a young helper may take a job is decided here and only here: answering, being chosen,
being matched and being told of a job all ask ``check``; a posting's "nur für Erwachsene" mark
comes from ``job_limits``. The law's ceilings are constants a Kommune's policy can only narrow
(``effective_limits``). Each refusal names its rule and the figures it needs; exchange.youth.explain
turns it into plain words in the reader's language.

The law (REFERENCE.md, "Young helpers"): children (13–14) and pupils still in full-time
compulsory schooling count as children: a parent's consent, light work only, at most 2 hours a
day, only 08:00–18:00, not before or during school lessons (JArbSchG §5(3), §2(3)). Young people
of 15–17 no longer in school: up to 8 hours a day and 40 a week, 06:00–20:00 (§§8, 14). No
minor works on Sundays or public holidays (§§17, 18). Under 13: no work at all (§5(1)).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays

ADULT_AGE = 18
# Nobody younger may register, and no Kommune's age band may start lower (JArbSchG §5(3)).
MIN_AGE = 13
# Full-time compulsory schooling is assumed until this age unless an admin records otherwise
# from the parents' form (most Länder: nine or ten school years, i.e. until about 15–16).
PUPIL_UNTIL_AGE = 16
CHILD_UNDER = 15

TASCHENGELD = "taschengeld"

# KindArbSchV §2: household and garden help, errands and shopping, looking after children and
# pets, tutoring, keeping someone company; help with a computer at home counts as household help.
LIGHT_WORK = frozenset(
    {"shopping", "household", "garden", "technology", "company", "learning", "childcare", "pets"}
)

# The law's ceilings: (earliest start, latest end, hours a day in minutes, hours a week).
CHILD_CEILING = (time(8), time(18), 120, 600)
YOUTH_CEILING = (time(6), time(20), 480, 2400)


class Rule(StrEnum):
    """Why a young person may not take a job (the code each refusal carries)."""

    TOO_YOUNG = "too_young"
    AGE_BAND = "age_band"
    CONSENT = "consent"
    CATEGORY = "category"
    NEEDS_TIME = "needs_time"
    SUNDAY = "sunday"
    HOLIDAY = "holiday"
    SCHOOL_TIME = "school_time"
    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"
    DURATION = "duration"
    DAY_TOTAL = "day_total"
    WEEK_TOTAL = "week_total"


@dataclass(frozen=True)
class Policy:
    """A Kommune's Taschengeldbörse rules (its admin edits them; the law caps them)."""

    min_age: int = 14
    max_age: int = 17
    daily_minutes: int = 120
    weekly_minutes: int = 600
    earliest: time = time(8)
    latest: time = time(18)
    # On school days, children and pupils may start no earlier than this.
    school_day_start: time = time(14)
    categories: frozenset[str] = LIGHT_WORK
    # Bundesland as ISO 3166-2 subdivision ("NW"); "" gives the nationwide holidays only.
    land: str = ""
    local_holidays: frozenset[date] = frozenset()
    # The Land's school holidays as inclusive (first, last) day ranges.
    school_holidays: tuple[tuple[date, date], ...] = ()


@dataclass(frozen=True)
class Helper:
    """What the rules need to know about the young person."""

    birth_date: date | None
    # None: decided by age (PUPIL_UNTIL_AGE); True/False as recorded by an admin.
    is_pupil: bool | None = None
    has_consent: bool = False

    def age_on(self, day: date) -> int | None:
        """Age in whole years on day (None when unknown: treated as an adult)."""
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    def is_minor_on(self, day: date) -> bool:
        """Under 18 on that day."""
        age = self.age_on(day)
        return age is not None and age < ADULT_AGE

    def counts_as_child_on(self, day: date) -> bool:
        """Under 15, or a pupil in full-time compulsory schooling (JArbSchG §2(3))."""
        age = self.age_on(day)
        if age is None or age >= ADULT_AGE:
            return False
        pupil = self.is_pupil if self.is_pupil is not None else age < PUPIL_UNTIL_AGE
        return age < CHILD_UNDER or pupil


@dataclass(frozen=True)
class Job:
    """The job as far as it is known: a flexible one has no date, start or duration."""

    kind: str
    category: str
    on_date: date | None = None
    start: time | None = None
    minutes: int | None = None

    @property
    def is_fixed(self) -> bool:
        """Date, start and duration are all known."""
        return self.on_date is not None and self.start is not None and bool(self.minutes)

    @property
    def end(self) -> time | None:
        """When the job ends (None when not fixed; 24:00 and later read as 23:59)."""
        if not self.is_fixed:
            return None
        end = datetime.combine(self.on_date, self.start) + timedelta(minutes=self.minutes)
        return end.time() if end.date() == self.on_date else time(23, 59)


@dataclass(frozen=True)
class Booked:
    """Minutes the young person already agreed to work, besides this job."""

    day_minutes: int = 0
    week_minutes: int = 0


@dataclass(frozen=True)
class Refusal:
    """One rule the job breaks, with the figures its explanation needs."""

    rule: Rule
    params: dict = field(default_factory=dict, hash=False, compare=False)
    # Whether the rule is one for children and pupils (for the words: "unter 15-Jährige").
    for_children: bool = False


@dataclass(frozen=True)
class Limits:
    """The limits that hold for one young person: the policy within the law's ceiling."""

    earliest: time
    latest: time
    daily_minutes: int
    weekly_minutes: int
    for_children: bool


def effective_limits(policy: Policy, as_child: bool) -> Limits:
    """The policy's limits, never beyond the law's for children/pupils or older youths."""
    earliest, latest, daily, weekly = CHILD_CEILING if as_child else YOUTH_CEILING
    return Limits(
        earliest=max(policy.earliest, earliest),
        latest=min(policy.latest, latest),
        daily_minutes=min(policy.daily_minutes, daily),
        weekly_minutes=min(policy.weekly_minutes, weekly),
        for_children=as_child,
    )


@lru_cache(maxsize=64)
def _public_holidays(land: str, year: int) -> dict[date, str]:
    subdiv = land or None
    try:
        table = holidays.country_holidays("DE", subdiv=subdiv, years=year, language="de")
    except NotImplementedError:
        table = holidays.country_holidays("DE", years=year, language="de")
    return dict(table)


def public_holidays(land: str, year: int) -> list[tuple[date, str]]:
    """The public holidays of the Land ("" = nationwide only) in year, by date, German names."""
    return sorted(_public_holidays(land, year).items())


def holiday_name(policy: Policy, day: date) -> str | None:
    """The public holiday's name on day in the Kommune's Land, a local one's "", or None."""
    name = _public_holidays(policy.land, day.year).get(day)
    if name is not None:
        return name
    return "" if day in policy.local_holidays else None


def is_school_holiday(policy: Policy, day: date) -> bool:
    """Day lies in one of the Land's school holidays the admin entered."""
    return any(first <= day <= last for first, last in policy.school_holidays)


def is_school_day(policy: Policy, day: date) -> bool:
    """Monday to Friday, neither a public holiday nor in the school holidays."""
    return (
        day.weekday() < 5
        and holiday_name(policy, day) is None
        and not is_school_holiday(policy, day)
    )


def _time_rules(policy: Policy, job: Job, limits: Limits, booked: Booked) -> list[Refusal]:
    """The rules of the calendar and the clock for a job with a date (and maybe a time)."""
    day = job.on_date
    kids = limits.for_children
    out: list[Refusal] = []
    if day.weekday() == 6:
        out.append(Refusal(Rule.SUNDAY))
    else:
        name = holiday_name(policy, day)
        if name is not None:
            out.append(Refusal(Rule.HOLIDAY, {"name": name}))
    if job.start is not None:
        if kids and is_school_day(policy, day) and job.start < policy.school_day_start:
            out.append(Refusal(Rule.SCHOOL_TIME, {"time": policy.school_day_start}, True))
        if job.start < limits.earliest:
            out.append(Refusal(Rule.TOO_EARLY, {"time": limits.earliest}, kids))
        if job.end is not None and job.end > limits.latest:
            out.append(Refusal(Rule.TOO_LATE, {"time": limits.latest}, kids))
    if job.minutes:
        if job.minutes > limits.daily_minutes:
            out.append(Refusal(Rule.DURATION, {"minutes": limits.daily_minutes}, kids))
        elif booked.day_minutes + job.minutes > limits.daily_minutes:
            out.append(
                Refusal(
                    Rule.DAY_TOTAL,
                    {"minutes": limits.daily_minutes, "booked": booked.day_minutes},
                    kids,
                )
            )
        if booked.week_minutes + job.minutes > limits.weekly_minutes:
            out.append(
                Refusal(
                    Rule.WEEK_TOTAL,
                    {"minutes": limits.weekly_minutes, "booked": booked.week_minutes},
                    kids,
                )
            )
    return out


def check(
    policy: Policy,
    helper: Helper,
    job: Job,
    booked: Booked = Booked(),  # noqa: B008 - frozen, never changed
    *,
    today: date,
    to_choose: bool = False,
) -> list[Refusal]:
    """Every rule the job breaks for this helper; empty when she may take it (or is an adult).

    Answering (to_choose False) checks what is known of the job; being chosen needs an agreed
    date, start and duration and checks all of it, with the hours she already agreed that day
    and week (booked). Age counts on the job's date, or today while it has none.
    """
    day = job.on_date or today
    age = helper.age_on(day)
    if age is None or age >= ADULT_AGE:
        return []
    if age < MIN_AGE:
        return [Refusal(Rule.TOO_YOUNG, {"age": MIN_AGE})]
    out: list[Refusal] = []
    if not helper.has_consent:
        out.append(Refusal(Rule.CONSENT))
    if job.kind != TASCHENGELD:
        # The other Börsen are not employment; a minor needs the parents' consent only.
        return out
    if not policy.min_age <= age <= policy.max_age:
        out.append(Refusal(Rule.AGE_BAND, {"min": policy.min_age, "max": policy.max_age}))
    if job.category not in policy.categories:
        out.append(Refusal(Rule.CATEGORY, {"category": job.category}))
    if to_choose and not job.is_fixed:
        out.append(Refusal(Rule.NEEDS_TIME))
    limits = effective_limits(policy, helper.counts_as_child_on(day))
    if job.on_date is not None:
        out.extend(_time_rules(policy, job, limits, booked))
    elif job.minutes and job.minutes > limits.daily_minutes:
        out.append(Refusal(Rule.DURATION, {"minutes": limits.daily_minutes}, limits.for_children))
    return out


# The most and the least restricted young person the rules know: a 17-year-old who has left
# school, and a 14-year-old pupil. Both with consent: a job's mark says nothing about a person.
_OLDEST = 17
_YOUNGEST_CHILD = 14


def job_limits(policy: Policy, job: Job, today: date) -> tuple[list[Refusal], list[Refusal]]:
    """Why no young person may do the job ("nur für Erwachsene"), and why children may not.

    The first list is what even a 17-year-old who has left school would break: when it is not
    empty, the posting is for adults only. The second is what a 14-year-old pupil would break
    besides (school time, 2 hours, 18:00): the form shows both while it is filled in.
    """
    if job.kind != TASCHENGELD:
        return [], []
    day = job.on_date or today
    oldest = Helper(date(day.year - _OLDEST, 1, 1), is_pupil=False, has_consent=True)
    youngest = Helper(date(day.year - _YOUNGEST_CHILD - 1, 12, 31), is_pupil=True, has_consent=True)
    relaxed = policy.__class__(**{**policy.__dict__, "min_age": MIN_AGE, "max_age": ADULT_AGE - 1})
    adults_only = check(relaxed, oldest, job, today=today)
    if adults_only:
        return adults_only, []
    seen = {r.rule for r in adults_only}
    children = [r for r in check(relaxed, youngest, job, today=today) if r.rule not in seen]
    return [], children


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of day's calendar week (the weekly cap counts Monday to Sunday)."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)
