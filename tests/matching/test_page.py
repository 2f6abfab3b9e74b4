"""/me/matches: one candidate query per page, the same matches as one query per posting."""

import random
from datetime import date, timedelta

import pytest
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import event

from exchange.extensions import db
from exchange.matching.describe import describe
from exchange.matching.queries import matches_for, matches_of_page
from exchange.postings.models import Posting
from exchange.timeutil import clock_at, utcnow
from exchange.youth.models import ParentalConsent
from tests.conftest import login_as, make_posting, make_user

CATEGORIES = ["shopping", "garden", "transport", "other"]
KINDS = ["taschengeld", "zeitspende", "tausch", "ehrenamt"]


@pytest.fixture
def places(delbrueck):
    return {d.name: d for d in delbrueck.districts}


def _resident(kommune, district, email, **fields):
    user = make_user(kommune, email=email, name=email.split("@")[0], district_id=district.id)
    user.latitude, user.longitude = district.latitude, district.longitude
    for key, value in fields.items():
        setattr(user, key, value)
    return user


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *_args):
        self.count += 1


def _queries_of_matches_page(client, user) -> tuple[int, str]:
    login_as(client, user)
    client.get("/me/matches")  # the first visit marks the notifications read
    with QueryCounter(db.engine) as counter:
        html = client.get("/me/matches").get_data(as_text=True)
    return counter.count, html


def test_query_count_does_not_grow_with_the_number_of_postings(app, client, delbrueck, places):
    westenholz = places["Westenholz"]
    one = _resident(delbrueck, westenholz, "one@example.org")
    ten = _resident(delbrueck, westenholz, "ten@example.org")
    helper = _resident(delbrueck, westenholz, "helper@example.org")
    make_posting(one, title="Einzige Bitte", category="garden")
    for n in range(10):
        make_posting(
            ten,
            title=f"Bitte {n}",
            category=CATEGORIES[n % 4],
            kind=KINDS[n % 4],
            is_remote_ok=n % 3 == 0,
            radius_km=[None, 2, 10][n % 3],
        )
    for kind in KINDS:
        for category in CATEGORIES:
            make_posting(
                helper, direction="offer", kind=kind, category=category, title=f"{kind} {category}"
            )
    db.session.commit()
    single, single_html = _queries_of_matches_page(client, one)
    client.post("/logout")
    many, many_html = _queries_of_matches_page(app.test_client(), ten)
    assert single_html.count('class="kern-body match-reason"') >= 1
    assert many_html.count('class="kern-body match-reason"') >= 10
    assert many == single, (single, many)


def _random_world(kommune, places, rng):
    districts = list(places.values())
    people = [
        _resident(
            kommune,
            rng.choice(districts),
            f"p{i}@example.org",
            birth_date=date.today() - timedelta(days=365 * rng.choice([15, 16, 40, 70])),
        )
        for i in range(6)
    ]
    # Most young residents have their parents' consent form recorded (issue 11); one has not.
    minors = [p for p in people if p.age_on(date.today()) < 18]
    for person in minors[1:]:
        db.session.add(
            ParentalConsent(
                municipality_id=kommune.id,
                user_id=person.id,
                signed_on=date.today(),
                signed_by="Eltern",
                taken_by="Heike Amt",
            )
        )
    now = utcnow()
    for i in range(80):
        author = rng.choice(people)
        make_posting(
            author,
            title=f"Posting {i}",
            direction=rng.choice(["request", "offer"]),
            kind=rng.choice(KINDS),
            category=rng.choice(CATEGORIES),
            radius_km=rng.choice([None, 2, 5, 10, 15]),
            is_remote_ok=rng.random() < 0.3,
            on_date=rng.choice([None, None, date.today() + timedelta(days=3)]),
            status=rng.choice(["open", "open", "open", "in_contact", "closed"]),
            expires_at=now + timedelta(days=rng.choice([-1, 10, 50])),
            created_at=now - timedelta(days=rng.randint(0, 40), minutes=rng.randint(0, 600)),
        )
    db.session.commit()
    return people


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_page_has_the_same_matches_as_one_query_per_posting(delbrueck, places, seed):
    people = _random_world(delbrueck, places, random.Random(seed))
    # One moment for both: scores and "since" change with the clock.
    with clock_at(utcnow()):
        compared = _compare(people)
    assert compared > 20  # the world has matches to compare


def _compare(people) -> int:
    compared = 0
    for person in people:
        own = list(db.session.scalars(db.select(Posting).where(Posting.author_id == person.id)))
        for limit in (10, 3):
            batched = matches_of_page(own, limit)
            assert set(batched) == {p.id for p in own}
            for posting in own:
                expected = [(m, other.id) for m, other in matches_for(posting, limit)]
                got = [(m, other.id) for m, other in batched[posting.id]]
                assert got == expected, posting
                compared += len(expected)
    return compared


def test_page_of_postings_in_two_kommunen(delbrueck, paderborn, places):
    here = _resident(delbrueck, places["Westenholz"], "here@example.org")
    helper = _resident(delbrueck, places["Westenholz"], "helper@example.org")
    there = make_user(paderborn, email="there@example.org", postcode="33098")
    request = make_posting(here, title="hier")
    moved = make_posting(here, title="dort")  # as if she had moved: a posting left behind
    moved.municipality_id, moved.latitude, moved.longitude = (
        paderborn.id,
        there.latitude,
        there.longitude,
    )
    make_posting(helper, direction="offer", title="Hilfe hier")
    make_posting(there, direction="offer", title="Hilfe dort")
    db.session.commit()
    with clock_at(utcnow()):
        batched = matches_of_page([request, moved])
        single = {p.id: matches_for(p) for p in (request, moved)}
    assert [o.title for _m, o in batched[request.id]] == ["Hilfe hier"]
    assert [o.title for _m, o in batched[moved.id]] == ["Hilfe dort"]
    for posting in (request, moved):
        assert [(m, o.id) for m, o in batched[posting.id]] == [
            (m, o.id) for m, o in single[posting.id]
        ]


def _describe_through_flask_babel(reasons) -> str:
    # describe() as it was: every word looked up through Flask-Babel.
    parts = []
    for key, params in reasons:
        if key == "same_category":
            parts.append(gettext("same category"))
        elif key == "any_category":
            parts.append(gettext("offers help of any kind"))
        elif key == "saved_search":
            parts.append(gettext("fits your saved search"))
        elif key == "remote":
            parts.append(gettext("by phone or online"))
        elif key == "distance":
            km = params["km"]
            parts.append(gettext("under 1 km") if km == 0 else gettext("approx. %(km)s km", km=km))
        elif key == "age":
            days = params["days"]
            parts.append(
                gettext("since today")
                if days == 0
                else ngettext("since %(num)d day", "since %(num)d days", days)
            )
    return " · ".join(parts)


def test_reasons_read_as_before_in_every_language(app):
    cases = [
        (("same_category", {}), ("distance", {"km": 0}), ("age", {"days": 0})),
        (("any_category", {}), ("remote", {}), ("age", {"days": 1})),
        (("saved_search", {}), ("distance", {"km": 7})),
    ] + [(("same_category", {}), ("distance", {"km": 2}), ("age", {"days": d})) for d in range(40)]
    with app.test_request_context("/"):
        for language in app.config["LANGUAGES"]:
            with force_locale(language):
                for reasons in cases:
                    assert describe(reasons) == _describe_through_flask_babel(reasons), language
