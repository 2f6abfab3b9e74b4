"""The board's shortcuts stay invisible: one statement per page, parts kept per key, Ortsteile."""

import re

import pytest
from sqlalchemy import event

from exchange.extensions import db
from exchange.municipalities.models import District
from tests.conftest import login_as, make_posting, make_user, text_of


@pytest.fixture
def author(delbrueck):
    westenholz = next(d for d in delbrueck.districts if d.name == "Westenholz")
    user = make_user(delbrueck, district_id=westenholz.id)
    db.session.commit()
    return user


@pytest.fixture
def statements(app):
    """The SQL statements the requests of a test run (lower case)."""
    seen = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement.lower())

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def input_value(page: str, name: str) -> str | None:
    """The value attribute of the input called name."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else None


def test_a_board_page_is_one_statement_with_its_ortsteil_and_total(client, author, statements):
    make_posting(author, title="Rasen mähen")
    db.session.commit()
    login_as(client, author)
    client.get("/k/delbrueck/")  # the Ortsteile are read once, then kept
    for query in ("?category=shopping", "?near=33129&radius=10&sort=distance"):
        statements.clear()
        page = text_of(client.get(f"/k/delbrueck/{query}"))
        assert "Rasen mähen" in page and "Westenholz" in page and "1 Eintrag" in page
        postings = [s for s in statements if "from posting" in s or "from (select" in s]
        assert len(postings) == 1 and "count(*) over ()" in postings[0]
        assert "join district" in postings[0]
        assert not [s for s in statements if "from district" in s]


def test_a_page_past_the_end_still_counts_the_postings(client, author):
    for i in range(3):
        make_posting(author, title=f"Gesuch {i}")
    db.session.commit()
    login_as(client, author)
    for query in ("?page=7", "?page=7&near=33129&radius=25"):
        page = text_of(client.get(f"/k/delbrueck/{query}"))
        assert "3 Einträge" in page and "Gesuch 1" not in page


def test_renamed_ortsteil_shows_at_once_in_cards_and_filter(client, author, delbrueck):
    make_posting(author, title="Rasen mähen")
    db.session.commit()
    login_as(client, author)
    assert "Westenholz" in text_of(client.get("/k/delbrueck/"))
    district = db.session.get(District, author.district_id)
    district.name = "Westenholz-Nord"
    db.session.commit()
    assert "Westenholz-Nord" in text_of(client.get("/k/delbrueck/"))
    guest = text_of(client.application.test_client().get("/k/delbrueck/?category=shopping"))
    assert "Westenholz-Nord" in guest
    db.session.add(
        District(
            municipality_id=delbrueck.id,
            name="Anreppen",
            postcode="33129",
            latitude=51.76,
            longitude=8.55,
        )
    )
    db.session.commit()
    assert ">Anreppen</option>" in client.get("/k/delbrueck/").get_data(as_text=True)


def test_kept_filter_form_shows_each_visitor_their_own_values_and_errors(client, author):
    make_posting(author)
    db.session.commit()
    first = client.get("/k/delbrueck/?q=Rasen&near=99999").get_data(as_text=True)
    assert input_value(first, "q") == "Rasen" and input_value(first, "near") == "99999"
    assert "Postleitzahl 99999 kennen wir nicht" in text_of(
        client.get("/k/delbrueck/?q=Rasen&near=99999")
    )
    other = client.get("/k/delbrueck/?q=Hecke").get_data(as_text=True)
    assert input_value(other, "q") == "Hecke" and input_value(other, "near") in (None, "")
    assert "99999" not in other
    plain = client.get("/k/delbrueck/?lang=fr").get_data(as_text=True)
    assert input_value(plain, "q") in (None, "") and "Rasen" not in plain
    escaped = client.get('/k/delbrueck/?q="><script>x</script>').get_data(as_text=True)
    assert "<script>x" not in escaped and "&#34;&gt;&lt;script&gt;" in escaped


def test_long_typed_values_are_rendered_but_not_kept(app, client, author):
    make_posting(author)
    db.session.commit()
    long_text = "x" * 300
    page = client.get(f"/k/delbrueck/?q={long_text}").get_data(as_text=True)
    assert long_text in page
    client.get("/k/delbrueck/?q=short")
    kept = [key for key in app.extensions["board_parts"]._parts if key[0] == "filters"]
    assert len(kept) == 1 and "short" in repr(kept[0]) and long_text not in repr(kept)


def test_page_links_keep_each_requests_filters(client, author, app):
    for i in range(app.config["PAGE_SIZE"] + 2):
        make_posting(author, title=f"Gesuch {i:02d}", category="garden" if i % 2 else "shopping")
    db.session.commit()
    login_as(client, author)
    plain = client.get("/k/delbrueck/").get_data(as_text=True)
    assert 'href="/k/delbrueck/?page=2"' in plain
    assert 'href="/k/delbrueck/?page=2&amp;kind=zeitspende"' in client.get(
        "/k/delbrueck/?kind=zeitspende"
    ).get_data(as_text=True)
    # Fewer results, one page: no page links, though the same page number was kept before.
    garden = client.get("/k/delbrueck/?category=garden").get_data(as_text=True)
    assert 'rel="next"' not in garden
