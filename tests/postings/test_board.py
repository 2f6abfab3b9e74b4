"""The board: what guests and residents see, filters, paging, tenancy."""

from datetime import timedelta

import pytest

from exchange.extensions import db
from exchange.postings.models import Posting
from exchange.timeutil import utcnow
from tests.conftest import login_as, make_posting, make_user, text_of


@pytest.fixture
def author(delbrueck):
    user = make_user(delbrueck, phone="05250 123456", district_id=delbrueck.districts[1].id)
    db.session.commit()
    return user


def test_guest_sees_board_postings_without_author_or_contact(client, author):
    posting = make_posting(author, title="Einkaufshilfe gesucht")
    db.session.commit()
    board = text_of(client.get("/k/delbrueck/"))
    detail = text_of(client.get(f"/k/delbrueck/postings/{posting.id}"))
    for page in (board, detail):
        assert "Einkaufshilfe gesucht" in page
        assert "Erna" not in page and "Müller" not in page
        assert "erna@example.org" not in page and "05250" not in page


def test_signed_in_resident_sees_first_name_and_initial_only(client, author, delbrueck):
    posting = make_posting(author)
    reader = make_user(delbrueck, email="jonas@example.org", name="Jonas Becker")
    db.session.commit()
    login_as(client, reader)
    page = text_of(client.get(f"/k/delbrueck/postings/{posting.id}"))
    assert "Erna M." in page
    assert "Müller" not in page and "erna@example.org" not in page and "05250" not in page


def test_filters_by_kind_direction_category_district_and_text(client, author, delbrueck):
    westenholz = delbrueck.districts[1]
    make_posting(author, title="Rasen mähen", kind="taschengeld", category="garden")
    make_posting(author, title="Bohrmaschine tauschen", kind="tausch", category="repairs")
    make_posting(author, title="Vorlesen im Heim", kind="ehrenamt", direction="offer")
    other_place = make_user(delbrueck, email="h@example.org", district_id=delbrueck.districts[0].id)
    make_posting(other_place, title="Rasen in Hagen", kind="taschengeld", category="garden")
    db.session.commit()
    only_tausch = text_of(client.get("/k/delbrueck/?kind=tausch"))
    assert "Bohrmaschine" in only_tausch and "Rasen mähen" not in only_tausch
    offers = text_of(client.get("/k/delbrueck/?direction=offer"))
    assert "Vorlesen" in offers and "Bohrmaschine" not in offers
    garden = text_of(client.get("/k/delbrueck/?category=garden"))
    assert "Rasen mähen" in garden and "Vorlesen" not in garden
    westen = text_of(client.get(f"/k/delbrueck/?district={westenholz.id}&category=garden"))
    assert "Rasen mähen" in westen and "Rasen in Hagen" not in westen
    text = text_of(client.get("/k/delbrueck/?q=bohrMASCHINE"))
    assert "Bohrmaschine" in text and "Rasen" not in text


def test_free_text_wildcards_are_literal(client, author):
    make_posting(author, title="Hilfe gesucht 100")
    db.session.commit()
    page = text_of(client.get("/k/delbrueck/?q=%25"))
    assert "Hilfe gesucht 100" not in page


def test_unknown_filter_values_are_ignored_not_errors(client, author):
    make_posting(author, title="Hilfe beim Einkaufen")
    db.session.commit()
    response = client.get("/k/delbrueck/?kind=nonsense&category=<x>&district=abc&page=-3")
    assert response.status_code == 200
    assert "Hilfe beim Einkaufen" in text_of(response)


def test_board_pages_through_results(client, author, app):
    base = utcnow()
    for i in range(app.config["PAGE_SIZE"] + 5):
        make_posting(author, title=f"Gesuch Nummer {i:02d}", created_at=base - timedelta(minutes=i))
    db.session.commit()
    first = text_of(client.get("/k/delbrueck/"))
    second = text_of(client.get("/k/delbrueck/?page=2"))
    assert "Gesuch Nummer 00" in first and "Gesuch Nummer 24" not in first
    assert "Gesuch Nummer 24" in second and "Gesuch Nummer 00" not in second
    assert 'rel="next"' in first


def test_expired_closed_and_hidden_postings_leave_the_board(client, author):
    make_posting(author, title="Abgelaufen", expires_at=utcnow() - timedelta(minutes=1))
    make_posting(author, title="Geschlossen", status="closed")
    make_posting(author, title="Versteckt", status="hidden")
    make_posting(author, title="Vergeben", status="assigned")
    make_posting(author, title="Noch offen")
    db.session.commit()
    page = text_of(client.get("/k/delbrueck/"))
    assert "Noch offen" in page
    for title in ("Abgelaufen", "Geschlossen", "Versteckt", "Vergeben"):
        assert title not in page


def test_posting_of_another_kommune_is_404(client, author, paderborn):
    posting = make_posting(author)
    db.session.commit()
    assert client.get(f"/k/paderborn/postings/{posting.id}").status_code == 404
    assert client.get(f"/k/delbrueck/postings/{posting.id}").status_code == 200


def test_board_lists_only_its_own_kommune(client, author, paderborn):
    pb_user = make_user(paderborn, email="p@example.org", postcode="33098")
    make_posting(pb_user, title="Paderborner Gesuch")
    make_posting(author, title="Delbrücker Gesuch")
    db.session.commit()
    page = text_of(client.get("/k/delbrueck/"))
    assert "Delbrücker Gesuch" in page and "Paderborner Gesuch" not in page


def test_closed_posting_is_404_for_guests_but_visible_to_author(client, author):
    posting = make_posting(author, status="closed")
    db.session.commit()
    assert client.get(f"/k/delbrueck/postings/{posting.id}").status_code == 404
    login_as(client, author)
    assert client.get(f"/k/delbrueck/postings/{posting.id}").status_code == 200


def test_description_is_escaped_and_keeps_line_breaks(client, author):
    posting = make_posting(author, description="Erste Zeile\nZweite <script>alert(1)</script>")
    db.session.commit()
    html = client.get(f"/k/delbrueck/postings/{posting.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html
    assert 'class="plain-text' in html and "Erste Zeile\nZweite" in html


def test_empty_board_says_so(client, delbrueck):
    response = client.get("/k/delbrueck/")
    assert response.status_code == 200
    assert Posting.query.count() == 0
    assert "postings yet" in text_of(response) or "noch keine" in text_of(response).lower()
