"""The board by distance: radius, origin (Ortsteil, profile, typed PLZ), sorting, rounding."""

import pytest

from exchange.extensions import db
from tests.conftest import login_as, make_posting, make_user, text_of


@pytest.fixture
def spread(delbrueck):
    by_name = {d.name: d for d in delbrueck.districts}
    postings = {}
    for name in ("Westenholz", "Hagen", "Delbrück-Mitte"):
        district = by_name[name]
        author = make_user(
            delbrueck, email=f"{name[:3].lower()}@example.org", district_id=district.id
        )
        author.latitude, author.longitude = district.latitude, district.longitude
        postings[name] = make_posting(author, title=f"Gesuch aus {name}")
    db.session.commit()
    return by_name, postings


def titles(response):
    page = text_of(response)
    return [t for t in ("Westenholz", "Hagen", "Delbrück-Mitte") if f"Gesuch aus {t}" in page]


def test_radius_from_a_district(client, spread):
    by_name, _ = spread
    westenholz = by_name["Westenholz"].id
    near = client.get(f"/k/delbrueck/?district={westenholz}&radius=2")
    assert titles(near) == ["Westenholz"]
    wider = client.get(f"/k/delbrueck/?district={westenholz}&radius=10&sort=distance")
    # Westenholz–Mitte is about 7.8 km, Westenholz–Hagen about 10.4 km.
    assert titles(wider) == ["Westenholz", "Delbrück-Mitte"]
    page = text_of(wider)
    assert "unter 1 km" in page and "ca. 8 km" in page and "Entfernungen ab Westenholz" in page


def test_sorted_by_distance_from_a_typed_postcode(client, spread):
    html = text_of(client.get("/k/delbrueck/?near=33129&sort=distance"))
    order = sorted(
        ("Westenholz", "Hagen", "Delbrück-Mitte"), key=lambda t: html.index(f"Gesuch aus {t}")
    )
    assert order[0] == "Delbrück-Mitte"  # the PLZ centroid lies in the town centre


def test_unknown_postcode_gives_a_message_not_an_empty_page(client, spread):
    response = client.get("/k/delbrueck/?near=00000&radius=5")
    page = text_of(response)
    assert response.status_code == 200
    assert "00000" in page and 'href="#near"' in page
    assert len(titles(response)) == 3


def test_signed_in_resident_searches_around_their_place(client, spread, delbrueck):
    by_name, _ = spread
    hagen = by_name["Hagen"]
    user = make_user(delbrueck, email="me@example.org", district_id=hagen.id)
    user.latitude, user.longitude = hagen.latitude, hagen.longitude
    db.session.commit()
    login_as(client, user)
    assert titles(client.get("/k/delbrueck/?radius=2")) == ["Hagen"]


def test_guest_without_origin_is_asked_for_one(client, spread):
    response = client.get("/k/delbrueck/?radius=5")
    assert "Ortsteil" in text_of(response)
    assert len(titles(response)) == 3
