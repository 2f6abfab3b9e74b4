"""Matches from the database: candidate search, suggestions on a posting, /me/matches."""

from datetime import date, timedelta

import pytest

from exchange.extensions import db
from exchange.matching.queries import candidate_postings, matches_for
from exchange.timeutil import utcnow
from exchange.youth.models import ParentalConsent
from tests.conftest import login_as, make_posting, make_user, text_of


@pytest.fixture
def people(delbrueck):
    by_name = {d.name: d for d in delbrueck.districts}
    westenholz, hagen = by_name["Westenholz"], by_name["Hagen"]
    erna = make_user(delbrueck, district_id=westenholz.id)
    erna.latitude, erna.longitude = westenholz.latitude, westenholz.longitude
    jonas = make_user(
        delbrueck,
        email="jonas@example.org",
        name="Jonas Becker",
        district_id=hagen.id,
        birth_date=date.today() - timedelta(days=15 * 365 + 30),
    )
    jonas.latitude, jonas.longitude = hagen.latitude, hagen.longitude
    # A minor needs his parents' consent form recorded to be matched in any Börse (issue 11).
    db.session.add(
        ParentalConsent(
            municipality_id=delbrueck.id,
            user_id=jonas.id,
            signed_on=date.today(),
            signed_by="Maria Becker",
            taken_by="Heike Amt",
        )
    )
    nachbar = make_user(
        delbrueck, email="n@example.org", name="Nina Nachbar", district_id=westenholz.id
    )
    nachbar.latitude, nachbar.longitude = westenholz.latitude, westenholz.longitude
    db.session.commit()
    return erna, jonas, nachbar


def test_request_finds_near_offer_and_far_one_only_with_radius(people):
    erna, jonas, nachbar = people
    request = make_posting(erna, category="garden", radius_km=15)
    near = make_posting(nachbar, direction="offer", category="garden", title="Nachbarin hilft")
    far = make_posting(
        jonas, direction="offer", category="garden", radius_km=15, title="Jonas hilft"
    )
    too_far = make_posting(jonas, direction="offer", category="garden", radius_km=3, title="Nah")
    db.session.commit()
    found = [(m, p) for m, p in matches_for(request)]
    ids = [p.id for _m, p in found]
    assert ids == [near.id, far.id]
    assert too_far.id not in ids
    distance = dict((p.id, m.distance_km) for m, p in found)[far.id]
    assert 8 < distance < 12


def test_candidates_leave_out_other_kommunen_own_and_closed(people, paderborn):
    erna, jonas, nachbar = people
    request = make_posting(erna)
    make_posting(erna, direction="offer", title="eigenes Angebot")
    make_posting(nachbar, direction="offer", status="closed", title="geschlossen")
    make_posting(nachbar, direction="offer", expires_at=utcnow() - timedelta(days=1))
    pb = make_user(paderborn, email="p@example.org", postcode="33098")
    make_posting(pb, direction="offer", title="Paderborn")
    ok = make_posting(nachbar, direction="offer", title="passt")
    db.session.commit()
    assert [p.id for p in candidate_postings(request)] == [ok.id]


def test_author_sees_matches_with_reasons_and_can_respond(client, people):
    erna, jonas, nachbar = people
    request = make_posting(erna, title="Einkaufshilfe gesucht")
    offer = make_posting(nachbar, direction="offer", title="Ich kaufe gern mit ein")
    db.session.commit()
    login_as(client, erna)
    page = text_of(client.get(f"/k/delbrueck/postings/{request.id}"))
    assert "Ich kaufe gern mit ein" in page
    assert "gleiche Kategorie · unter 1 km · seit heute" in page
    assert f"/k/delbrueck/postings/{offer.id}/respond" in page
    mine = text_of(client.get("/me/matches"))
    assert "Einkaufshilfe gesucht" in mine and "Ich kaufe gern mit ein" in mine


def test_others_do_not_see_the_matches_of_a_posting(client, people):
    erna, jonas, nachbar = people
    request = make_posting(erna, title="Einkaufshilfe gesucht")
    make_posting(nachbar, direction="offer", title="Ich kaufe gern mit ein")
    db.session.commit()
    page = text_of(client.get(f"/k/delbrueck/postings/{request.id}"))
    assert "Ich kaufe gern mit ein" not in page


def test_minor_helper_gets_no_heavy_paid_work(people):
    erna, jonas, nachbar = people
    request = make_posting(erna, kind="taschengeld", category="repairs", radius_km=15)
    make_posting(jonas, direction="offer", kind="taschengeld", category="repairs", radius_km=15)
    db.session.commit()
    assert matches_for(request) == []
