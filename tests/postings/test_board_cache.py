"""Guests get cached board pages that are never stale after a write and carry their own token."""

import re

from sqlalchemy import select

from exchange.extensions import db
from exchange.municipalities.models import Municipality
from exchange.postings.models import Posting
from tests.conftest import PASSWORD, login_as, make_posting, make_user, post, text_of


def test_guests_share_a_rendered_page_that_holds_nothing_of_theirs(app, delbrueck):
    author = make_user(delbrueck)
    make_posting(author, title="Rasen mähen")
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    page_one = first.get("/k/delbrueck/").get_data(as_text=True)
    page_two = second.get("/k/delbrueck/").get_data(as_text=True)
    assert "Rasen mähen" in page_one and "Rasen mähen" in page_two
    assert len(app.extensions["board_cache"]._pages) == 1  # the second guest got the cached page
    assert page_one == page_two and "csrf_token" not in page_one
    # A guest switches language with the page's own link; the other guest keeps German.
    link = re.search(r'<a [^>]*href="([^"]+)" hreflang="en"', page_two).group(1)
    assert "Neighbourhood exchange" in text_of(second.get(link.replace("&amp;", "&")))
    assert "Neighbourhood exchange" in text_of(second.get("/k/delbrueck/"))
    assert "Nachbarschaftsbörse" in text_of(first.get("/k/delbrueck/"))


def test_a_new_posting_and_a_hidden_one_show_at_once(client, delbrueck):
    author = make_user(delbrueck)
    first = make_posting(author, title="Rasen mähen")
    db.session.commit()
    assert "Rasen mähen" in text_of(client.get("/k/delbrueck/"))
    make_posting(author, title="Hecke schneiden")
    db.session.commit()
    assert "Hecke schneiden" in text_of(client.get("/k/delbrueck/"))
    first.status = "hidden"
    db.session.commit()
    assert "Rasen mähen" not in text_of(client.get("/k/delbrueck/"))


def test_deleting_an_account_empties_the_cached_board(app, client, delbrueck):
    author = make_user(delbrueck)
    make_posting(author, title="Rasen mähen")
    db.session.commit()
    assert "Rasen mähen" in text_of(client.get("/k/delbrueck/"))
    member = app.test_client()
    login_as(member, author)
    assert post(member, "/me/delete", {"password": PASSWORD, "confirm": "y"}).status_code == 302
    assert db.session.scalar(select(Posting)) is None
    assert "Rasen mähen" not in text_of(client.get("/k/delbrueck/"))


def test_writes_raise_the_version_of_their_own_kommune_only(delbrueck, paderborn):
    author = make_user(delbrueck)
    db.session.commit()
    before = {m.slug: m.board_version for m in db.session.scalars(select(Municipality))}
    make_posting(author)
    db.session.commit()
    db.session.expire_all()
    after = {m.slug: m.board_version for m in db.session.scalars(select(Municipality))}
    assert after["delbrueck"] > before["delbrueck"]
    assert after["paderborn"] == before["paderborn"]


def test_signed_in_residents_are_never_served_a_guest_page(client, delbrueck):
    author = make_user(delbrueck)
    make_posting(author, title="Rasen mähen")
    db.session.commit()
    client.application.test_client().get("/k/delbrueck/")  # a guest fills the cache
    login_as(client, author)
    page = text_of(client.get("/k/delbrueck/"))
    assert "Abmelden" in page and "Diese Suche speichern" in page
