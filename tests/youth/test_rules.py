"""Issue 11 A.9, row by row, against the pure rules (no database): rules.check."""

from __future__ import annotations

from datetime import date, time

import pytest

from exchange.youth import rules
from exchange.youth.rules import Booked, Helper, Job, Policy, Rule

# The Kommune: NRW, age band 13–17, everything else the default.
NRW = Policy(min_age=13, land="NW", school_holidays=((date(2027, 3, 22), date(2027, 4, 2)),))
BAVARIA = Policy(min_age=13, land="BY")
DEFAULT_BAND = Policy(land="NW")

SCHOOL_DAY = date(2027, 3, 10)  # a Wednesday in term time
SCHOOL_HOLIDAY = date(2027, 3, 24)  # a Wednesday in the Easter holidays entered above
SUNDAY = date(2027, 3, 14)
MAY_DAY = date(2027, 5, 1)
EPIPHANY = date(2027, 1, 6)  # a Wednesday; a holiday in Bavaria, not in NRW
TODAY = date(2026, 11, 27)
NOTHING = Booked()


def person(age: int, *, on: date = SCHOOL_DAY, pupil: bool | None = True, consent=True):
    """Someone who is age years old on the job's date."""
    return Helper(date(on.year - age, 1, 1), is_pupil=pupil, has_consent=consent)


def job(day=SCHOOL_DAY, start=time(15), minutes=60, category="garden", kind="taschengeld"):
    return Job(kind, category, day, start, minutes)


def rules_broken(policy, helper, the_job, booked=NOTHING, to_choose=True):
    return {
        r.rule
        for r in rules.check(policy, helper, the_job, booked, today=TODAY, to_choose=to_choose)
    }


@pytest.mark.parametrize(
    ("policy", "helper", "the_job", "expected", "row"),
    [
        (NRW, person(12), job(), {Rule.TOO_YOUNG}, "12: cannot take any job"),
        (DEFAULT_BAND, person(13), job(), {Rule.AGE_BAND}, "13 in the default band 14–17"),
        (NRW, person(13), job(), set(), "13, pupil: school day 15:00, 1 h, garden"),
        (NRW, person(13), job(start=time(10)), {Rule.SCHOOL_TIME}, "13: school day 10:00"),
        (
            NRW,
            person(14, on=SCHOOL_HOLIDAY),
            job(SCHOOL_HOLIDAY, time(10)),
            set(),
            "14: holidays 10:00",
        ),
        (NRW, person(14), job(start=time(17, 30)), {Rule.TOO_LATE}, "14: 17:30, ends after 18:00"),
        (NRW, person(14, on=SUNDAY), job(SUNDAY, time(11)), {Rule.SUNDAY}, "14: Sunday 11:00"),
        (NRW, person(14, on=MAY_DAY), job(MAY_DAY, time(10)), {Rule.HOLIDAY}, "14: 1 May"),
        (NRW, person(14, on=EPIPHANY), job(EPIPHANY), set(), "14: 6 January in NRW"),
        (
            BAVARIA,
            person(14, on=EPIPHANY),
            job(EPIPHANY),
            {Rule.HOLIDAY},
            "14: 6 January in Bavaria",
        ),
        (NRW, person(14), job(minutes=180), {Rule.DURATION}, "14: 3 h"),
        (NRW, person(14), job(category="repairs"), {Rule.CATEGORY}, "14: repairs"),
        (NRW, person(15, consent=False), job(), {Rule.CONSENT}, "15, no consent"),
        (NRW, person(16, pupil=False), job(start=time(10), minutes=120), set(), "16, left school"),
        (
            NRW,
            person(18, on=SUNDAY),
            job(SUNDAY, time(19), 240, "repairs"),
            set(),
            "18: Sunday 19:00, 4 h, repairs",
        ),
    ],
)
def test_table_row(policy, helper, the_job, expected, row):
    assert rules_broken(policy, helper, the_job) == expected, row
    # Answering checks the same rules (nothing is booked yet, the job is fixed).
    assert rules_broken(policy, helper, the_job, to_choose=False) == expected, row


def test_two_jobs_of_one_and_a_half_hours_on_one_day():
    helper = person(14)
    assert rules_broken(NRW, helper, job(start=time(14), minutes=90)) == set()
    second = job(start=time(16), minutes=90)
    assert rules_broken(NRW, helper, second, Booked(90, 90)) == {Rule.DAY_TOTAL}


def test_sixth_job_of_a_week_for_a_17_year_old():
    helper = person(17, pupil=False)
    week = [date(2027, 3, 8 + i) for i in range(5)]  # Monday to Friday
    booked = 0
    for day in week:
        assert rules_broken(NRW, helper, job(day, time(10), 120), Booked(0, booked)) == set()
        booked += 120
    saturday = job(date(2027, 3, 13), time(10), 60)
    assert rules_broken(NRW, helper, saturday, Booked(0, booked)) == {Rule.WEEK_TOTAL}


def test_consent_counts_in_every_boerse_but_the_time_rules_only_in_taschengeld():
    sunday_visit = job(SUNDAY, time(19), 240, "repairs", kind="zeitspende")
    assert rules_broken(NRW, person(14, on=SUNDAY), sunday_visit) == set()
    assert rules_broken(NRW, person(14, on=SUNDAY, consent=False), sunday_visit) == {Rule.CONSENT}


def test_a_flexible_job_can_be_answered_but_not_chosen_without_an_agreed_time():
    flexible = Job("taschengeld", "garden")
    assert rules_broken(NRW, person(14), flexible, to_choose=False) == set()
    assert rules_broken(NRW, person(14), flexible) == {Rule.NEEDS_TIME}
