"""A Taschengeld job no young person may do is marked "nur für Erwachsene", and the steps say why.

Issue 11, A.3: the mark comes from youth.rules.job_limits on every save; the steps explain it in
plain words while the posting is written (no JavaScript: on the pages after "when").
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from exchange.extensions import db
from exchange.postings.models import Posting
from exchange.youth import rules
from exchange.youth.queries import policy_for
from tests.conftest import login_as, make_user, post, text_of
from tests.postings.steps import fill_steps, publish_in_steps, start_draft
from tests.postings.test_posting_writes import NEW, valid_form


def working_day(weekday: int, policy=None) -> date:
    """The first such weekday (0 = Monday) from next week on that is no public holiday."""
    day = date.today() + timedelta(days=7)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    while rules.holiday_name(policy or rules.Policy(), day) is not None:
        day += timedelta(days=7)
    return day


def sunday() -> date:
    day = date.today() + timedelta(days=7)
    return day + timedelta(days=(6 - day.weekday()) % 7)


def job(**overrides) -> dict:
    return valid_form(
        **{
            "kind": "taschengeld",
            "category": "garden",
            "title": "Hilfe im Garten gesucht",
            "description": "Im Garten sind Beete zu jäten und Laub zu harken.",
            "timing": "date",
            "on_date": working_day(2).isoformat(),
            "start_time": "15:00",
            "duration_hours": "1",
            **overrides,
        }
    )


SUNDAY_REPAIRS = {
    "category": "repairs",
    "title": "Regal reparieren",
    "description": "Ein schweres Regal im Keller muss repariert werden.",
    "start_time": "19:00",
    "duration_hours": "4",
}


@pytest.fixture
def erna(delbrueck):
    delbrueck.state = "NW"
    user = make_user(delbrueck)
    db.session.commit()
    return user


def test_sunday_evening_repairs_are_for_adults_with_the_reasons_on_the_steps(client, erna):
    login_as(client, erna)
    data = job(on_date=sunday().isoformat(), **SUNDAY_REPAIRS)
    draft_url = start_draft(client, NEW)
    # Before "when" is answered, nothing is said.
    assert fill_steps(client, draft_url, data, until="when") is None
    assert 'id="youth-notice"' not in client.get(f"{draft_url}/when").get_data(as_text=True)
    for step in ("where", "text", "check"):
        assert fill_steps(client, draft_url, data, until=step) is None
        page = text_of(client.get(f"{draft_url}/{step}?lang=en"))
        assert 'id="youth-notice"' in page, step
        assert "This job is for adults only, because:" in page
        assert "Young people may not work on Sundays." in page
        assert "Young people may not do this kind of work here (only light work)." in page
        assert "Jobs for young people under 18 must end by 18:00." in page
        assert "/k/delbrueck/taschengeld/regeln/auftraggeber" in page
    response = publish_in_steps(client, NEW, data)
    assert response.status_code == 302
    posting = db.session.scalar(select(Posting))
    assert posting.is_adults_only
    detail = text_of(client.get(f"/k/delbrueck/postings/{posting.id}?lang=en"))
    assert "Adults only" in detail
    board = text_of(client.get("/k/delbrueck/?lang=en"))
    assert "Adults only" in board


def test_wednesday_afternoon_garden_is_for_young_people_too(client, erna):
    login_as(client, erna)
    draft_url = start_draft(client, NEW)
    assert fill_steps(client, draft_url, job(), until="where") is None
    assert 'id="youth-notice"' not in client.get(f"{draft_url}/where").get_data(as_text=True)
    assert publish_in_steps(client, NEW, job()).status_code == 302
    posting = db.session.scalar(select(Posting))
    assert not posting.is_adults_only
    assert "Adults only" not in text_of(client.get("/k/delbrueck/?lang=en"))


def test_a_school_morning_is_not_for_adults_only_but_not_for_children(client, erna, delbrueck):
    login_as(client, erna)
    day = working_day(2, policy_for(delbrueck))
    data = job(on_date=day.isoformat(), start_time="10:00")
    draft_url = start_draft(client, NEW)
    assert fill_steps(client, draft_url, data, until="where") is None
    page = text_of(client.get(f"{draft_url}/where?lang=en"))
    assert "Not possible for under-15s and pupils, because:" in page
    assert "On school days, under-15s and pupils may start work at 14:00 at the earliest." in page
    assert "adults only" not in page
    assert publish_in_steps(client, NEW, data).status_code == 302
    assert not db.session.scalar(select(Posting)).is_adults_only


def test_offers_are_never_marked(client, erna):
    login_as(client, erna)
    data = job(direction="offer", on_date=sunday().isoformat(), **SUNDAY_REPAIRS)
    assert publish_in_steps(client, NEW, data).status_code == 302
    assert not db.session.scalar(select(Posting)).is_adults_only


def test_the_mark_is_recomputed_on_edit(client, erna):
    login_as(client, erna)
    assert publish_in_steps(client, NEW, job()).status_code == 302
    posting = db.session.scalar(select(Posting))
    assert not posting.is_adults_only
    url = f"/k/delbrueck/postings/{posting.id}/edit"
    # Five hours: even a 17-year-old who has left school must end by 18:00 here.
    assert post(client, url, job(start_time="15:00", duration_hours="5")).status_code == 302
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).is_adults_only
    assert post(client, url, job()).status_code == 302
    db.session.expire_all()
    assert not db.session.get(Posting, posting.id).is_adults_only


def test_a_policy_change_marks_open_requests_again(client, erna, delbrueck):
    from exchange.postings.services import recompute_adults_only
    from exchange.youth.models import YouthPolicy

    login_as(client, erna)
    # Three hours on a Wednesday afternoon: over the default day of 2 hours, adults only.
    assert publish_in_steps(client, NEW, job(duration_hours="3")).status_code == 302
    posting = db.session.scalar(select(Posting))
    assert posting.is_adults_only
    # The Kommune allows 4 hours a day for those who have left school (the law allows 8).
    row = YouthPolicy(
        municipality_id=delbrueck.id,
        daily_minutes=240,
        categories_csv=",".join(sorted(rules.LIGHT_WORK)),
    )
    db.session.add(row)
    db.session.flush()
    assert recompute_adults_only(delbrueck) == 1
    db.session.commit()
    assert not db.session.get(Posting, posting.id).is_adults_only


def test_the_board_filters_jobs_young_people_may_do(app, client, erna):
    login_as(client, erna)
    assert publish_in_steps(client, NEW, job(title="Beete jäten am Mittwoch")).status_code == 302
    sunday_job = job(on_date=sunday().isoformat(), **SUNDAY_REPAIRS)
    assert publish_in_steps(client, NEW, sunday_job).status_code == 302
    offer = job(direction="offer", title="Ich jäte Ihre Beete", timing="flexible", on_date="")
    assert publish_in_steps(client, NEW, offer).status_code == 302
    guest = app.test_client()
    page = text_of(guest.get("/k/delbrueck/?for_young=y&lang=en"))
    assert "Beete jäten am Mittwoch" in page
    assert "Regal reparieren" not in page and "Ich jäte Ihre Beete" not in page
    assert 'name="for_young"' in guest.get("/k/delbrueck/").get_data(as_text=True)
    everything = text_of(guest.get("/k/delbrueck/"))
    assert "Regal reparieren" in everything and "Ich jäte Ihre Beete" in everything
