"""The page shell: guests' header and footer are rendered once and reused, never for anyone else."""

import re

from exchange.extensions import db
from tests.conftest import login_as, make_posting, make_user, text_of


def _header(page: str) -> str:
    return re.search(r"<header .*?</header>", page, re.S).group(0)


def _footer(page: str) -> str:
    return re.search(r"<footer .*?</footer>", page, re.S).group(0)


def test_a_guests_shell_is_reused_per_language_and_address(app, delbrueck):
    make_posting(make_user(delbrueck), title="Rasen mähen")
    db.session.commit()
    app.config["BOARD_CACHE_SIZE"] = 0  # render every page, so that the shell is what is reused
    imprint = app.test_client().get("/k/delbrueck/imprint").get_data(as_text=True)
    fragments = app.extensions["guest_fragments"]
    stored = len(fragments._items)
    again = app.test_client().get("/k/delbrueck/imprint").get_data(as_text=True)
    assert again == imprint and len(fragments._items) == stored
    french = app.test_client()
    french.set_cookie("lang", "fr")
    page = french.get("/k/delbrueck/imprint").get_data(as_text=True)
    assert 'aria-current="true">Français' in _header(page) and "Mentions légales" in _footer(page)
    assert "Deutsch</a>" in _header(page)
    # The language links keep the page's own address and query.
    board = app.test_client().get("/k/delbrueck/?q=Rasen").get_data(as_text=True)
    assert 'href="/k/delbrueck/?q=Rasen&amp;lang=en"' in _header(board)
    assert 'href="/k/delbrueck/imprint?lang=en"' in _header(imprint)


def test_a_renamed_kommune_shows_in_the_guests_header_at_once(app, delbrueck):
    app.test_client().get("/k/delbrueck/imprint")
    delbrueck.name = "Delbrück an der Lippe"
    db.session.commit()
    page = app.test_client().get("/k/delbrueck/imprint").get_data(as_text=True)
    assert "Delbrück an der Lippe" in _header(page)


def test_signed_in_people_get_their_own_header_after_guests(app, delbrueck):
    author = make_user(delbrueck)
    db.session.commit()
    guest = app.test_client().get("/k/delbrueck/imprint").get_data(as_text=True)
    assert "Anmelden" in _header(guest) and "csrf_token" not in guest
    member = app.test_client()
    login_as(member, author)
    page = member.get("/k/delbrueck/imprint").get_data(as_text=True)
    assert "Abmelden" in _header(page) and "Anmelden</a>" not in _header(page)
    assert 'name="csrf_token"' in _header(page)
    assert "Anmelden" in text_of(app.test_client().get("/k/delbrueck/imprint"))


def test_the_shell_without_a_kommune(app, delbrueck):
    operator = app.test_client().get("/imprint").get_data(as_text=True)
    assert 'href="/imprint"' in _footer(operator) and 'href="/k/delbrueck/' not in operator
    imprint = app.test_client().get("/k/delbrueck/imprint").get_data(as_text=True)
    assert 'href="/k/delbrueck/imprint"' in _footer(imprint)
