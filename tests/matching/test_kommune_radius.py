"""The Kommune's own default radius: derived from its places, edited by its admins, used alike by
matching, the board and the posting form; the demo's personas see matches on their first visit."""

import re

import pytest
from sqlalchemy import select

from exchange.demo import ACCOUNTS, load_data, seed_demo
from exchange.extensions import db
from exchange.matching.queries import matches_for, matches_of_page
from exchange.municipalities.models import Municipality
from exchange.municipalities.services import derived_radius_km
from exchange.notifications.models import SavedSearch
from exchange.postings.models import Posting
from tests.conftest import login_as, make_municipality, make_posting, make_user, post, text_of
from tests.postings.steps import fill_steps, start_draft

SETTINGS = "/k/delbrueck/admin/settings"
NOTHING_FITS = "Noch passt nichts"


def _section_of_each_posting(html: str) -> dict[int, str]:
    return {
        int(posting_id): body
        for posting_id, body in re.findall(
            r'<section aria-labelledby="posting-(\d+)">(.*?)</section>', html, re.S
        )
    }


@pytest.mark.parametrize("key", ["erna", "jonas"])
def test_demo_personas_see_a_match_for_every_posting_on_their_first_visit(app, client, key):
    seed_demo()
    db.session.commit()
    delbrueck = db.session.scalar(select(Municipality).where(Municipality.slug == "delbrueck"))
    # Westenholz–Ostenland, the two places of Delbrück farthest apart, are 13.8 km apart.
    assert delbrueck.default_radius_km == 14
    _key, _name, email, password, *_rest = next(row for row in ACCOUNTS if row[0] == key)
    titles = {p["title"] for p in load_data()["posting"] if p["author"] == key}
    login = post(client, "/login", {"email": email, "password": password})
    assert login.status_code == 302
    html = client.get("/me/matches").get_data(as_text=True)
    sections = _section_of_each_posting(html)
    postings = {
        p.id: p for p in db.session.scalars(select(Posting).where(Posting.id.in_(sections)))
    }
    assert {p.title for p in postings.values()} == titles
    for posting_id, body in sections.items():
        title = postings[posting_id].title
        assert NOTHING_FITS not in body, f"{key}: nothing fits {title!r}"
        assert re.search(r'href="/k/delbrueck/postings/\d+"', body), title


def test_the_radius_follows_how_far_the_places_lie_apart(app, delbrueck, paderborn):
    # The fixture's Westenholz and Hagen lie 10.4 km apart.
    assert derived_radius_km(delbrueck) == 11
    # Paderborn's three PLZ centroids lie up to 5.8 km apart.
    assert derived_radius_km(paderborn) == 6
    one_plz = make_municipality("hoevelhof", "Hövelhof", "33161")
    assert derived_radius_km(one_plz) == 5  # no extent: never below the old 5 km
    wide = make_municipality(
        "weit", "Weit", "33129", districts=[("Nord", 52.2, 8.5), ("Süd", 51.7, 8.5)]
    )
    assert derived_radius_km(wide) == 25  # 55 km apart: at most 25 km


@pytest.fixture
def far_apart(delbrueck):
    by_name = {d.name: d for d in delbrueck.districts}
    people = []
    for name, email in (("Westenholz", "erna@example.org"), ("Hagen", "jonas@example.org")):
        district = by_name[name]
        user = make_user(delbrueck, email=email, name=email.split("@")[0], district_id=district.id)
        user.latitude, user.longitude = district.latitude, district.longitude
        people.append(user)
    erna, jonas = people
    request = make_posting(erna, category="garden", title="Rasen mähen")
    offer = make_posting(jonas, direction="offer", category="garden", title="Ich mähe Rasen")
    db.session.commit()
    return request, offer


def test_matching_takes_the_kommunes_radius_for_postings_without_one(delbrueck, far_apart):
    request, offer = far_apart
    assert delbrueck.default_radius_km == 5  # as created by hand, before anything derived it
    assert matches_for(request) == [] and matches_of_page([request])[request.id] == []
    delbrueck.default_radius_km = 11
    db.session.commit()
    assert [other.id for _m, other in matches_for(request)] == [offer.id]
    assert [other.id for _m, other in matches_of_page([request])[request.id]] == [offer.id]
    assert [other.id for _m, other in matches_for(offer)] == [request.id]
    # A posting's own smaller radius still limits.
    offer.radius_km = 10
    db.session.commit()
    assert matches_for(request) == []


@pytest.fixture
def admin(delbrueck):
    user = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    return user


def test_admin_sets_the_radius_and_guests_see_it_at_once(app, client, delbrueck, admin):
    guest = app.test_client()
    assert "im Umkreis von 12 km" not in text_of(guest.get("/k/delbrueck/"))
    version = delbrueck.board_version
    login_as(client, admin)
    form = client.get(SETTINGS).get_data(as_text=True)
    assert 'name="default_radius_km"' in form and 'value="5"' in form
    response = post(client, SETTINGS, {"state": "", "default_radius_km": "12"})
    assert response.status_code == 302
    db.session.refresh(delbrueck)
    assert delbrueck.default_radius_km == 12
    assert delbrueck.board_version > version  # the guests' cached board pages are stale
    board = guest.get("/k/delbrueck/").get_data(as_text=True)
    assert '<option value="12">im Umkreis von 12 km</option>' in board
    # Left empty: back to what the places give.
    assert post(client, SETTINGS, {"state": "", "default_radius_km": ""}).status_code == 302
    db.session.refresh(delbrueck)
    assert delbrueck.default_radius_km == 11


@pytest.mark.parametrize("value", ["0", "51", "zehn", "2.5"])
def test_a_radius_out_of_bounds_is_an_error_in_the_summary(client, delbrueck, admin, value):
    login_as(client, admin)
    response = post(client, SETTINGS, {"state": "", "default_radius_km": value})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Fehler: " in html
    assert '<a class="kern-link" href="#default_radius_km">' in html
    assert "Geben Sie eine Entfernung von 1 bis 50 km ein." in html
    assert 'aria-describedby="default_radius_km-hint default_radius_km-error"' in html
    db.session.refresh(delbrueck)
    assert delbrueck.default_radius_km == 5


def test_posting_form_and_offer_use_the_kommunes_radius(client, delbrueck):
    delbrueck.default_radius_km = 11
    user = make_user(delbrueck)
    db.session.commit()
    login_as(client, user)
    # The "where" step of a new posting names the Kommune's radius.
    draft_url = start_draft(client, "/k/delbrueck/postings/new")
    answers = {"kind": "zeitspende", "direction": "offer", "category": "garden"}
    assert fill_steps(client, draft_url, answers | {"timing": "flexible"}, until="where") is None
    form = client.get(f"{draft_url}/where").get_data(as_text=True)
    hint = re.search(r'<div class="kern-hint" id="radius_km-hint">([^<]*)</div>', form).group(1)
    assert "11 km" in hint and "5 km" not in hint
    offer = make_posting(user, direction="offer", title="Ich helfe gern")
    db.session.commit()
    assert offer.radius_km is None
    detail = text_of(client.get(f"/k/delbrueck/postings/{offer.id}"))
    assert "11 km" in detail


def test_a_search_without_a_radius_is_saved_with_the_kommunes(client, delbrueck):
    delbrueck.default_radius_km = 11
    user = make_user(delbrueck)
    db.session.commit()
    login_as(client, user)
    response = post(
        client, "/me/searches", {"direction": "offer", "category": "garden", "next": "/me/matches"}
    )
    assert response.status_code == 302
    assert db.session.scalar(select(SavedSearch.radius_km)) == 11


def test_the_board_offers_the_kommunes_radius(client, delbrueck, far_apart):
    delbrueck.default_radius_km = 11
    db.session.commit()
    westenholz = next(d for d in delbrueck.districts if d.name == "Westenholz")
    page = text_of(client.get(f"/k/delbrueck/?district={westenholz.id}&radius=11"))
    assert "Rasen mähen" in page and "Ich mähe Rasen" in page
    assert '<option selected value="11">im Umkreis von 11 km</option>' in page


def test_an_empty_search_links_to_the_whole_kommune(client, delbrueck, far_apart):
    westenholz = next(d for d in delbrueck.districts if d.name == "Westenholz")
    query = f"?category=garden&direction=offer&district={westenholz.id}&radius=5"
    html = client.get("/k/delbrueck/" + query).get_data(as_text=True)
    assert "Ich mähe Rasen" not in html
    link = re.search(r'<a class="kern-link" href="([^"]+)">Im ganzen Gemeindegebiet suchen', html)
    assert link is not None
    wider = link.group(1).replace("&amp;", "&")
    assert "radius" not in wider and "district" not in wider and "near" not in wider
    assert "category=garden" in wider and "direction=offer" in wider
    assert "Ich mähe Rasen" in text_of(client.get(wider))
    # A search that finds something, or one without a place, has no such link.
    assert "Im ganzen Gemeindegebiet suchen" not in client.get("/k/delbrueck/?category=pets").text


def test_the_operator_derives_the_radius_and_keeps_an_admins_choice(app, delbrueck):
    from exchange.operator.services import build_municipality, update_municipality

    values = {
        "slug": "bad-lippspringe",
        "name": "Bad Lippspringe",
        "postcodes": "33175",
        "districts": "Mitte; 33175; 51.78; 8.82\nArminiuspark; 33175; 51.80; 8.80",
        "theme_color": "#0b5ea8",
        "enabled_kinds": ["zeitspende"],
        "requires_approval": False,
    }
    kommune = build_municipality(values)
    assert kommune.default_radius_km == derived_radius_km(kommune) == 5
    operator = make_user(delbrueck, email="op@example.org", role="superadmin")
    wider = {**values, "districts": values["districts"] + "\nFern; 33175; 51.70; 8.82"}
    update_municipality(operator, kommune, wider)
    assert kommune.default_radius_km == derived_radius_km(kommune) == 12
    kommune.default_radius_km = 20  # the admins chose their own
    update_municipality(operator, kommune, values)
    assert kommune.default_radius_km == 20


def test_my_matches_page_offers_the_whole_kommune_when_nothing_fits(client, delbrueck, far_apart):
    request, _offer = far_apart
    login_as(client, request.author)
    html = client.get("/me/matches").get_data(as_text=True)
    body = _section_of_each_posting(html)[request.id]
    assert NOTHING_FITS in body
    link = re.search(r'href="([^"]+)">Im ganzen Gemeindegebiet ansehen', body)
    assert link is not None
    wider = link.group(1).replace("&amp;", "&")
    assert "category=garden" in wider and "direction=offer" in wider and "radius" not in wider
    assert "Ich mähe Rasen" in text_of(client.get(wider))


def test_my_posting_page_offers_the_whole_kommune_when_nothing_fits(client, delbrueck, far_apart):
    request, _offer = far_apart
    login_as(client, request.author)
    html = client.get(f"/k/delbrueck/postings/{request.id}").get_data(as_text=True)
    assert NOTHING_FITS in html
    link = re.search(r'href="([^"]+)">Im ganzen Gemeindegebiet ansehen', html)
    assert link is not None
    assert "Ich mähe Rasen" in text_of(client.get(link.group(1).replace("&amp;", "&")))
