"""A Taschengeld job on a date says when it starts and how long it takes (issue 11, A.3)."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from exchange.extensions import db
from exchange.postings.forms import hours_input, parse_clock, parse_hours
from exchange.postings.models import Posting
from tests.conftest import login_as, make_user, post, text_of
from tests.postings.steps import fill_steps, publish_in_steps, start_draft
from tests.postings.test_posting_writes import NEW, count_postings, valid_form


def next_weekday(weekday: int, weeks: int = 1) -> date:
    """A day of the given weekday (0 = Monday) at least a week ahead."""
    day = date.today() + timedelta(days=7 * weeks)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


SATURDAY = next_weekday(5)


def job(**overrides) -> dict:
    return valid_form(
        **{
            "kind": "taschengeld",
            "category": "garden",
            "title": "Rasen mähen im Garten",
            "description": "Mein Rasen muss gemäht werden, der Mäher steht bereit.",
            "timing": "date",
            "on_date": SATURDAY.isoformat(),
            "start_time": "15:00",
            "duration_hours": "2",
            "pay_per_hour": "8",
            **overrides,
        }
    )


@pytest.fixture
def erna(delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    return user


def test_parsing_clock_and_hours():
    assert parse_clock("15:00") == time(15) and parse_clock("9.30") == time(9, 30)
    assert parse_clock("") is None
    for bad in ("25:00", "15:60", "15", "viertel nach drei", "15:0"):
        with pytest.raises(ValueError):
            parse_clock(bad)
    assert parse_hours("2") == 120 and parse_hours("1,5") == 90 and parse_hours("0.5") == 30
    assert parse_hours(" ") is None
    assert parse_hours("1,25") == 75  # parsed; the form refuses what is not a half hour
    for bad in ("zwei", "-1", "1,333", "1,01"):
        with pytest.raises(ValueError):
            parse_hours(bad)
    assert hours_input(90) == "1,5" and hours_input(120) == "2" and hours_input(None) == ""


def test_the_steps_store_start_and_duration(client, erna):
    login_as(client, erna)
    response = publish_in_steps(client, NEW, job(duration_hours="1,5"))
    assert response.status_code == 302
    posting = db.session.scalar(select(Posting))
    assert posting.on_date == SATURDAY
    assert posting.start_time == time(15) and posting.duration_minutes == 90
    assert not posting.is_adults_only


def test_other_exchanges_do_not_ask_for_start_and_duration(client, erna):
    login_as(client, erna)
    draft_url = start_draft(client, NEW)
    assert fill_steps(client, draft_url, job(kind="zeitspende"), until="when") is None
    html = client.get(f"{draft_url}/when").get_data(as_text=True)
    assert 'name="start_time"' not in html and 'name="duration_hours"' not in html
    response = publish_in_steps(client, NEW, job(kind="zeitspende", pay_per_hour=""))
    assert response.status_code == 302
    posting = db.session.scalar(select(Posting))
    assert posting.start_time is None and posting.duration_minutes is None


def test_a_flexible_job_may_leave_start_and_duration_empty(client, erna):
    login_as(client, erna)
    response = publish_in_steps(
        client, NEW, job(timing="flexible", on_date="", start_time="", duration_hours="")
    )
    assert response.status_code == 302
    posting = db.session.scalar(select(Posting))
    assert (posting.on_date, posting.start_time, posting.duration_minutes) == (None, None, None)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start_time": ""}, "start_time"),
        ({"start_time": "25:00"}, "start_time"),
        ({"start_time": "drei Uhr"}, "start_time"),
        ({"duration_hours": ""}, "duration_hours"),
        ({"duration_hours": "0"}, "duration_hours"),
        ({"duration_hours": "12,5"}, "duration_hours"),
        ({"duration_hours": "1,25"}, "duration_hours"),
        ({"duration_hours": "lange"}, "duration_hours"),
        ({"timing": "flexible", "duration_hours": "13"}, "duration_hours"),
    ],
)
def test_bad_times_are_refused_and_nothing_is_stored(client, erna, overrides, field):
    login_as(client, erna)
    response = publish_in_steps(client, NEW, job(**overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="error-summary"' in html
    assert f'href="#{field}"' in html
    assert 'aria-invalid="true"' in html
    assert count_postings() == 0


def test_the_edit_form_changes_start_and_duration(client, erna):
    login_as(client, erna)
    publish_in_steps(client, NEW, job())
    posting = db.session.scalar(select(Posting))
    url = f"/k/delbrueck/postings/{posting.id}/edit"
    html = client.get(url).get_data(as_text=True)
    assert 'value="15:00"' in html and 'name="duration_hours"' in html
    form = job(start_time="10:30", duration_hours="1,5")
    assert post(client, url, form).status_code == 302
    db.session.expire_all()
    posting = db.session.get(Posting, posting.id)
    assert posting.start_time == time(10, 30) and posting.duration_minutes == 90
    # Bad input changes nothing.
    response = post(client, url, job(start_time="10:30", duration_hours="20"))
    assert response.status_code == 200
    assert 'id="error-summary"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).duration_minutes == 90


def test_the_page_and_the_card_show_start_and_duration(client, erna):
    login_as(client, erna)
    publish_in_steps(client, NEW, job())
    posting = db.session.scalar(select(Posting))
    detail = text_of(client.get(f"/k/delbrueck/postings/{posting.id}?lang=en"))
    assert "3:00\u202fPM, 2 hours" in detail or "3:00 PM, 2 hours" in detail
    board = text_of(client.get("/k/delbrueck/?lang=en"))
    # "Sat, 6/12, 3:00 PM, 2 hours" (German: "Sa., 12.6., 15:00, 2 Stunden").
    assert f"{SATURDAY:%a}, {SATURDAY.month}/{SATURDAY.day}, 3:00" in board
    assert "PM, 2 hours" in board
