"""A minor is not matched with or told about a job she may not do (issue 11 A.4)."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from exchange.extensions import db
from exchange.matching.notify import notify_about
from exchange.matching.queries import matches_for, matches_of_page
from exchange.notifications.models import Notification, SavedSearch
from exchange.youth.models import ParentalConsent
from tests.conftest import make_posting, make_user

SUNDAY = date(2027, 3, 14)
WEDNESDAY = date(2027, 3, 10)


@pytest.fixture
def cast(app, delbrueck):
    delbrueck.state = "NW"
    lena = make_user(
        delbrueck,
        email="lena@example.org",
        name="Lena Vogel",
        birth_date=date(2013, 1, 1),  # 14 in 2027
        is_full_time_pupil=True,
        match_email_frequency="never",
    )
    db.session.add(
        ParentalConsent(
            municipality_id=delbrueck.id,
            user_id=lena.id,
            signed_on=date(2026, 11, 2),
            signed_by="Maria Vogel",
            taken_by="Heike Amt",
        )
    )
    # Her offer: Taschengeld help of any kind ("other" fits every category).
    offer = make_posting(
        lena, direction="offer", kind="taschengeld", category="other", title="Ich helfe gern"
    )
    author = make_user(delbrueck, email="gerda@example.org", name="Gerda Garten")
    db.session.commit()
    return lena, offer, author


def request(author, title, category="garden", **fields):
    fields = {"on_date": WEDNESDAY, "start_time": time(15), "duration_minutes": 60, **fields}
    posting = make_posting(
        author, kind="taschengeld", category=category, title=title, timing="date", **fields
    )
    db.session.commit()
    return posting


def test_a_14_year_old_is_matched_only_with_jobs_she_may_do(app, cast):
    lena, offer, author = cast
    garden = request(author, "Beete jäten am Mittwoch")
    request(author, "Rasen mähen am Sonntag", on_date=SUNDAY, start_time=time(11))
    request(author, "Zaun reparieren", category="repairs")
    assert [p.id for _m, p in matches_for(offer)] == [garden.id]
    assert [p.id for _m, p in matches_of_page([offer])[offer.id]] == [garden.id]


def test_the_job_authors_see_her_offer_only_for_jobs_she_may_do(app, cast):
    lena, offer, author = cast
    garden = request(author, "Beete jäten am Mittwoch")
    sunday = request(author, "Rasen mähen am Sonntag", on_date=SUNDAY, start_time=time(11))
    repairs = request(author, "Zaun reparieren", category="repairs")
    assert [p.id for _m, p in matches_for(garden)] == [offer.id]
    assert matches_for(sunday) == [] and matches_for(repairs) == []
    found = matches_of_page([garden, sunday, repairs])
    assert [p.id for _m, p in found[garden.id]] == [offer.id]
    assert found[sunday.id] == [] and found[repairs.id] == []


def test_she_is_told_only_of_new_jobs_she_may_do(app, cast):
    lena, offer, author = cast
    # Her saved search for Taschengeld requests, besides her offer.
    db.session.add(
        SavedSearch(
            user_id=lena.id,
            municipality_id=lena.municipality_id,
            direction="request",
            kind="taschengeld",
            place_name="Delbrück",
            latitude=lena.latitude,
            longitude=lena.longitude,
            radius_km=10,
        )
    )
    db.session.delete(offer)
    db.session.commit()
    postings = [
        request(author, "Beete jäten am Mittwoch"),
        request(author, "Rasen mähen am Sonntag", on_date=SUNDAY, start_time=time(11)),
        request(author, "Zaun reparieren", category="repairs"),
    ]
    with app.test_request_context():
        for posting in postings:
            notify_about(posting)
        db.session.commit()
    told = set(
        db.session.scalars(select(Notification.posting_id).where(Notification.user_id == lena.id))
    )
    assert told == {postings[0].id}


def test_she_is_told_through_her_offer_only_of_jobs_she_may_do(app, cast):
    lena, offer, author = cast
    postings = [
        request(author, "Beete jäten am Mittwoch"),
        request(author, "Rasen mähen am Sonntag", on_date=SUNDAY, start_time=time(11)),
    ]
    with app.test_request_context():
        for posting in postings:
            notify_about(posting)
        db.session.commit()
    told = set(
        db.session.scalars(select(Notification.posting_id).where(Notification.user_id == lena.id))
    )
    assert told == {postings[0].id}
