"""The board's faster rendering shows the same things: cards, filter selects, header counts."""

import re

import pytest
from sqlalchemy import event

from exchange.extensions import db
from exchange.notifications.models import Notification
from tests.conftest import login_as, make_posting, make_user, text_of


@pytest.fixture
def author(delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    return user


def selected_options(page: str, name: str) -> list[str]:
    """The values of the selected options of the select called name."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option selected value="([^"]*)"', select)


def test_card_shows_labels_place_distance_and_date_in_the_visitors_language(client, author):
    posting = make_posting(
        author, title="Rasen mähen", category="garden", kind="taschengeld", direction="offer"
    )
    db.session.commit()
    german = text_of(client.get("/k/delbrueck/?near=33129&sort=distance"))
    assert f'href="/k/delbrueck/postings/{posting.id}">Rasen mähen</a>' in german
    assert "Angebot" in german and "Garten" in german and "Taschengeldbörse" in german
    assert "unter 1 km" in german and "seit" in german
    french = text_of(client.get("/k/delbrueck/?near=33129&sort=distance&lang=fr"))
    assert "Offre" in french and "Jardin" in french and "depuis" in french
    assert "Angebot" not in french


def test_filter_selects_keep_each_visitors_choice_and_language(client, author):
    make_posting(author)
    db.session.commit()
    first = client.get("/k/delbrueck/?category=garden&radius=5").get_data(as_text=True)
    assert selected_options(first, "category") == ["garden"]
    assert selected_options(first, "radius") == ["5"]
    # The same choice list with another selection: the cached options must not carry over.
    second = client.get("/k/delbrueck/?category=pets").get_data(as_text=True)
    assert selected_options(second, "category") == ["pets"]
    assert selected_options(second, "radius") == []
    assert ">Alle Kategorien</option>" in second
    french = client.get("/k/delbrueck/?category=pets&lang=fr").get_data(as_text=True)
    assert selected_options(french, "category") == ["pets"]
    assert "Alle Kategorien" not in french


def test_header_counts_cost_one_query_and_none_for_guests(app, client, author, delbrueck):
    own = make_posting(author)
    other = make_posting(make_user(delbrueck, email="jonas@example.org", name="Jonas Becker"))
    db.session.flush()
    db.session.add(
        Notification(
            user_id=author.id,
            municipality_id=delbrueck.id,
            posting_id=other.id,
            own_posting_id=own.id,
        )
    )
    db.session.commit()
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement.lower())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        client.get("/k/delbrueck/")
        assert not [s for s in statements if "from notification" in s]
        login_as(client, author)
        statements.clear()
        page = text_of(client.get("/k/delbrueck/"))
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    counting = [s for s in statements if "from notification" in s or "from message" in s]
    assert len(counting) == 1
    assert "1 neu" in page  # the new-match badge still shows
