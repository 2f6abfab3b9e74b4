"""Guests and other residents never see a minor's name, age or Ortsteil (issue 11, A.7).

A 15-year-old's offer shows "Jugendliche/r" and the Kommune; she herself and the Kommune's
admins see her name and place. The board's place filters never find her posting.
"""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from exchange.extensions import db
from exchange.postings.models import Posting, adult_on, is_minor_until
from exchange.youth.models import ParentalConsent
from tests.conftest import login_as, make_posting, make_user
from tests.postings.steps import publish_in_steps
from tests.postings.test_posting_writes import NEW, valid_form


def born_years_ago(years: int, days: int = 10) -> date:
    today = date.today()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = date(today.year - years, 3, 1)
    return day - timedelta(days=days)


def card_html(html: str) -> str:
    """The board's posting cards only (the filter form lists every Ortsteil)."""
    return " ".join(
        re.findall(
            r'<li class="posting-card">.*?</li>\s*(?=<li class="posting-card">|</ul>)', html, re.S
        )
    )


def facts(html: str) -> str:
    """The posting page's facts (place, when, by)."""
    return re.search(r'<dl class="kern-description-list posting-facts">.*?</dl>', html, re.S).group(
        0
    )


@pytest.fixture
def lena(delbrueck):
    hagen = next(d for d in delbrueck.districts if d.name == "Hagen")
    user = make_user(
        delbrueck,
        email="lena@example.org",
        name="Lena Sommer",
        birth_date=born_years_ago(15),
        district_id=hagen.id,
    )
    # Her parents' form is on record, so she may be matched (issue 11 A.5).
    db.session.add(
        ParentalConsent(
            municipality_id=delbrueck.id,
            user_id=user.id,
            signed_on=date.today() - timedelta(days=3),
            signed_by="Eltern Sommer",
            taken_by="Rathaus",
        )
    )
    db.session.commit()
    return user


@pytest.fixture
def offer(client, lena, delbrueck):
    hagen = next(d for d in delbrueck.districts if d.name == "Hagen")
    login_as(client, lena)
    data = valid_form(
        direction="offer",
        kind="taschengeld",
        category="garden",
        title="Rasenmähen nach der Schule",
        description="Ich mähe euren Rasen, gern am Nachmittag nach der Schule.",
        district=str(hagen.id),
        postcode="",
    )
    assert publish_in_steps(client, NEW, data).status_code == 302
    posting = db.session.scalar(select(Posting))
    assert posting.author_adult_on == adult_on(lena.birth_date)
    assert posting.is_author_minor
    return posting


def assert_hidden(text: str) -> None:
    for secret in ("Lena", "Sommer", "Hagen", "33129", "15 years", "15 Jahre"):
        assert secret not in text, secret


def test_an_adults_birth_date_is_not_copied(app, delbrueck, lena, offer):
    adult = make_user(delbrueck, email="petra@example.org", name="Petra Hahn")
    db.session.commit()
    client = app.test_client()
    login_as(client, adult)
    assert publish_in_steps(client, NEW, valid_form()).status_code == 302
    posting = db.session.scalar(select(Posting).where(Posting.author_id == adult.id))
    assert posting.author_adult_on is None and not posting.is_author_minor


def test_adult_on_and_turning_18():
    assert adult_on(date(2010, 2, 28)) == date(2028, 2, 28)
    assert adult_on(date(2008, 2, 29)) == date(2026, 3, 1)
    assert adult_on(None) is None
    assert is_minor_until(date(2030, 1, 1), today=date(2029, 12, 31))
    assert not is_minor_until(date(2030, 1, 1), today=date(2030, 1, 1))
    assert not is_minor_until(None)


def test_guests_see_young_person_and_the_kommune(app, delbrueck, lena, offer):
    guest = app.test_client()
    board = guest.get("/k/delbrueck/?lang=en").get_data(as_text=True)
    cards = card_html(board)
    assert "Rasenmähen nach der Schule" in cards
    assert "Delbrück" in cards
    assert_hidden(cards)
    page = guest.get(f"/k/delbrueck/postings/{offer.id}?lang=en").get_data(as_text=True)
    assert "Delbrück" in facts(page)
    assert_hidden(text_of_html(page))


def text_of_html(html: str) -> str:
    """The page's visible text and attributes, without the header's and footer's links."""
    main = re.search(r"<main.*?</main>", html, re.S)
    return re.sub(r"\s+", " ", main.group(0) if main else html)


def test_another_resident_sees_young_person_not_her_name(app, delbrueck, lena, offer):
    other = make_user(delbrueck, email="otto@example.org", name="Otto Klein")
    db.session.commit()
    client = app.test_client()
    login_as(client, other)
    page = client.get(f"/k/delbrueck/postings/{offer.id}?lang=en").get_data(as_text=True)
    assert "Young person" in facts(page)
    assert "Delbrück" in facts(page)
    assert_hidden(text_of_html(page))
    cards = card_html(client.get("/k/delbrueck/?lang=en").get_data(as_text=True))
    assert "Rasenmähen nach der Schule" in cards
    assert_hidden(cards)
    # The answer page names her the same way.
    respond = client.get(f"/k/delbrueck/postings/{offer.id}/respond?lang=en")
    if respond.status_code == 200:
        assert_hidden(text_of_html(respond.get_data(as_text=True)))


def test_search_and_place_filters_do_not_reveal_her(app, delbrueck, lena, offer):
    guest = app.test_client()
    for q in ("Lena", "Sommer", "Hagen"):
        html = guest.get(f"/k/delbrueck/?q={q}").get_data(as_text=True)
        assert 'class="posting-card"' not in html, q
    # Her posting is found by its words, and shows no place.
    cards = card_html(guest.get("/k/delbrueck/?q=Rasen&lang=en").get_data(as_text=True))
    assert "Rasenmähen" in cards
    assert_hidden(cards)
    # No Ortsteil filter finds it, not even her own: which one would tell where she lives.
    for district in delbrueck.districts:
        html = guest.get(f"/k/delbrueck/?district={district.id}").get_data(as_text=True)
        assert "Rasenmähen" not in card_html(html), district.name
    html = guest.get("/k/delbrueck/?near=33129&radius=25").get_data(as_text=True)
    assert "Rasenmähen" not in card_html(html)


def test_an_adults_posting_keeps_its_place(app, delbrueck, lena, offer):
    adult = make_user(delbrueck, email="petra@example.org", name="Petra Hahn")
    make_posting(adult, title="Fahrrad reparieren lassen")
    db.session.commit()
    guest = app.test_client()
    hagen = next(d for d in delbrueck.districts if d.name == "Hagen")
    cards = card_html(guest.get("/k/delbrueck/?lang=en").get_data(as_text=True))
    assert "Fahrrad reparieren lassen" in cards and "33129" in cards
    cards = card_html(guest.get(f"/k/delbrueck/?district={hagen.id}").get_data(as_text=True))
    assert "Rasenmähen" not in cards


def test_she_and_an_admin_see_her_data(app, delbrueck, lena, offer):
    own = app.test_client()
    login_as(own, lena)
    page = own.get(f"/k/delbrueck/postings/{offer.id}?lang=en").get_data(as_text=True)
    assert "Lena S." in facts(page) and "Hagen" in facts(page)
    mine = own.get("/me/postings?lang=en").get_data(as_text=True)
    assert "Hagen" in mine
    admin = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    staff = app.test_client()
    login_as(staff, admin)
    page = staff.get(f"/k/delbrueck/postings/{offer.id}?lang=en").get_data(as_text=True)
    assert "Lena S." in facts(page) and "Hagen" in facts(page)


def test_at_18_her_postings_show_her_place_again(app, delbrueck, lena, offer):
    offer.author_adult_on = date.today()
    db.session.commit()
    guest = app.test_client()
    cards = card_html(guest.get("/k/delbrueck/?lang=en").get_data(as_text=True))
    assert "Hagen" in cards


def test_matches_show_no_distance_to_a_minors_posting(app, delbrueck, lena, offer):
    other = make_user(delbrueck, email="otto@example.org", name="Otto Klein")
    db.session.commit()
    client = app.test_client()
    login_as(client, other)
    data = valid_form(
        kind="taschengeld",
        category="garden",
        title="Wer mäht meinen Rasen?",
        description="Mein Rasen ist zu hoch, wer hilft mir beim Mähen?",
        district=str(next(d.id for d in delbrueck.districts if d.name == "Hagen")),
        postcode="",
    )
    assert publish_in_steps(client, NEW, data).status_code == 302
    own = db.session.scalar(select(Posting).where(Posting.author_id == other.id))
    html = client.get(f"/k/delbrueck/postings/{own.id}?lang=en").get_data(as_text=True)
    matches = re.search(r"<ul class=\"posting-list match-list\">.*?</ul>", html, re.S)
    assert matches is not None and "Rasenmähen nach der Schule" in matches.group(0)
    assert "same category" in matches.group(0)
    assert "km" not in matches.group(0)
