"""Guests get cached board pages that are never stale after a write and carry their own token."""

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select, text

from exchange.extensions import db
from exchange.municipalities.models import Municipality
from exchange.postings import board_cache
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


# --- A hit costs nothing: no session, no query -----------------------------------------------


@contextmanager
def sql_statements():
    """Every SQL statement sent to the database inside the block."""
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def clock(monkeypatch):
    """The board cache's clock, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(board_cache, "clock", lambda: now[0])
    return now


BOARD = "/k/delbrueck/?kind=zeitspende&direction=request"


def test_a_second_guest_is_served_from_memory_without_a_query(app, clock, delbrueck):
    make_posting(make_user(delbrueck), title="Rasen mähen")
    db.session.commit()
    with sql_statements() as first_render:
        first = app.test_client().get(BOARD)
    assert first_render  # the first guest's page was built from the database
    with sql_statements() as statements:
        second = app.test_client().get(BOARD)
        third = app.test_client().get(BOARD)
    assert statements == []
    assert second.get_data() == third.get_data() == first.get_data()
    assert "Set-Cookie" not in second.headers


def test_this_workers_own_write_shows_at_once(app, clock, client, delbrueck):
    author = make_user(delbrueck)
    make_posting(author, title="Rasen mähen")
    db.session.commit()
    assert "Rasen mähen" in text_of(client.get(BOARD))
    make_posting(author, title="Hecke schneiden")
    db.session.commit()  # the clock stands still: only the commit makes the worker ask again
    assert "Hecke schneiden" in text_of(client.get(BOARD))


def test_another_workers_write_shows_after_one_version_check(app, clock, client, delbrueck):
    make_posting(make_user(delbrueck), title="Rasen mähen")
    db.session.commit()
    assert "Rasen mähen" in text_of(client.get(BOARD))
    clock[0] += app.config["BOARD_VERSION_RECHECK_SECONDS"]
    with sql_statements() as statements:
        unchanged = client.get(BOARD)
    assert "Rasen mähen" in text_of(unchanged)
    assert len(statements) == 1 and "board_version" in statements[0]  # the version check only

    # Another worker renames the posting: plain SQL, so no hook of this process notices.
    db.session.execute(text("UPDATE posting SET title = 'Hecke schneiden'"))
    db.session.execute(text("UPDATE municipality SET board_version = board_version + 1"))
    db.session.commit()
    assert "Rasen mähen" in text_of(client.get(BOARD))  # kept version, still fresh enough
    clock[0] += app.config["BOARD_VERSION_RECHECK_SECONDS"]
    assert "Hecke schneiden" in text_of(client.get(BOARD))


def test_an_unknown_kommune_stays_a_404_on_every_visit(client, clock, delbrueck):
    client.get("/k/delbrueck/")
    assert client.get("/k/nowhere/").status_code == 404
    assert client.get("/k/nowhere/").status_code == 404


def test_each_language_has_its_own_cached_page(app, client, delbrueck):
    assert '<html lang="de"' in client.get("/k/delbrueck/").get_data(as_text=True)
    french = app.test_client()
    french.set_cookie("lang", "fr")
    assert '<html lang="fr"' in french.get("/k/delbrueck/").get_data(as_text=True)
    english = app.test_client()
    page = english.get("/k/delbrueck/", headers={"Accept-Language": "en"})
    assert '<html lang="en"' in page.get_data(as_text=True)
    assert '<html lang="de"' in client.get("/k/delbrueck/").get_data(as_text=True)
    assert len(app.extensions["board_cache"]._pages) == 3


def _html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


def test_each_text_size_and_contrast_has_its_own_cached_page(app, delbrueck):
    """A guest with large text never gets a cached normal page, nor the other way round."""
    looks = [
        ({}, None),
        ({"textsize": "200"}, 'class="text-200"'),
        ({"textsize": "150", "contrast": "high"}, 'class="text-150 contrast-high"'),
        ({"contrast": "high"}, 'class="contrast-high"'),
    ]
    for _round in range(2):  # the second round is served from the cache
        for cookies, expected in looks:
            guest = app.test_client()
            for name, value in cookies.items():
                guest.set_cookie(name, value)
            tag = _html_tag(guest.get("/k/delbrueck/"))
            assert ("class=" not in tag) if expected is None else (expected in tag), cookies
    assert len(app.extensions["board_cache"]._pages) == 4


# --- The WSGI fast path: a repeated guest request never enters Flask -------------------------


@pytest.fixture
def flask_requests(app):
    """How many requests reached Flask (the fast path answers without it)."""
    seen = []
    app.before_request(lambda: seen.append(1))
    return seen


COOKIES = ("lang", "textsize", "contrast")


def _without_request_id(response):
    return [(k, v) for k, v in response.headers.items() if k != "X-Request-ID"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"lang": "fr"},
        {"Accept-Language": "ar,en;q=0.5"},
        {"textsize": "200"},
        {"lang": "fr", "textsize": "150", "contrast": "high"},
    ],
)
def test_a_fast_answer_equals_what_the_app_sends(app, clock, flask_requests, delbrueck, headers):
    make_posting(make_user(delbrueck), title="Rasen mähen")
    db.session.commit()

    def guest():
        client = app.test_client()
        for name in COOKIES:
            if headers.get(name):
                client.set_cookie(name, headers[name])
        return client.get(BOARD, headers={k: v for k, v in headers.items() if k not in COOKIES})

    app.config["BOARD_CACHE_SIZE"] = 0
    fresh = guest()
    app.config["BOARD_CACHE_SIZE"] = 512
    first = guest()
    before = len(flask_requests)
    hits = [guest() for _ in range(3)]
    assert len(flask_requests) == before  # answered in front of Flask
    for response in [first, *hits]:
        assert response.status_code == 200
        assert response.get_data() == fresh.get_data()
        assert _without_request_id(response) == _without_request_id(fresh)
        assert "Set-Cookie" not in response.headers
    for name in ("Content-Security-Policy", "Vary", "Cache-Control", "Content-Length"):
        assert hits[0].headers[name] == fresh.headers[name]
    assert len({r.headers["X-Request-ID"] for r in [fresh, first, *hits]}) == 5


def test_the_fast_path_keeps_a_callers_request_id(app, clock, delbrueck):
    app.test_client().get(BOARD)
    response = app.test_client().get(BOARD, headers={"X-Request-ID": "abcdef12-3456"})
    assert response.headers["X-Request-ID"] == "abcdef12-3456"
    response = app.test_client().get(BOARD, headers={"X-Request-ID": "bad id <x>"})
    assert response.headers["X-Request-ID"] != "bad id <x>"


def test_https_requests_get_their_own_answer(app, clock, delbrueck):
    plain = [app.test_client().get(BOARD) for _ in range(2)]
    secure = [app.test_client().get(BOARD, base_url="https://localhost") for _ in range(2)]
    assert all("Strict-Transport-Security" not in r.headers for r in plain)
    assert all(r.headers["Strict-Transport-Security"] for r in secure)


def test_any_cookie_but_the_language_goes_through_the_app(app, clock, flask_requests, delbrueck):
    app.test_client().get(BOARD)
    before = len(flask_requests)
    other = app.test_client()
    other.set_cookie("lang", "de")
    other.set_cookie("session", "x")
    response = other.get(BOARD)
    assert len(flask_requests) == before + 1
    assert response.headers["Cache-Control"] == "private"
    app.test_client().get(f"{BOARD}&lang=fr")  # sets the language cookie: never kept
    app.test_client().get(f"{BOARD}&lang=fr")
    assert len(flask_requests) == before + 3
    for _ in range(2):  # a text size link sets its cookie and redirects: never kept
        response = app.test_client().get(f"{BOARD}&textsize=200")
        assert response.status_code == 303 and "textsize=200" in response.headers["Set-Cookie"]


def test_the_fast_path_keeps_each_look_apart(app, clock, flask_requests, delbrueck):
    """Text size and contrast cookies take the fast path, each to its own page."""

    def guest(**cookies):
        client = app.test_client()
        for name, value in cookies.items():
            client.set_cookie(name, value)
        return _html_tag(client.get(BOARD))

    assert "class=" not in guest()
    assert 'class="text-200"' in guest(textsize="200")
    assert 'class="contrast-high"' in guest(lang="de", contrast="high")
    before = len(flask_requests)
    for _ in range(2):
        assert 'class="text-200"' in guest(textsize="200")
        assert "class=" not in guest()
        assert 'class="contrast-high"' in guest(lang="de", contrast="high")
    assert len(flask_requests) == before  # all answered in front of Flask


def test_the_fast_path_asks_the_app_after_a_write_a_recheck_or_a_minute(
    app, clock, client, flask_requests, monkeypatch, delbrueck
):
    author = make_user(delbrueck)
    make_posting(author, title="Rasen mähen")
    db.session.commit()
    client.get(BOARD)
    before = len(flask_requests)
    assert "Rasen mähen" in text_of(client.get(BOARD))
    assert len(flask_requests) == before
    make_posting(author, title="Hecke schneiden")
    db.session.commit()  # this worker's write: the next request goes to the app
    assert "Hecke schneiden" in text_of(client.get(BOARD))
    assert len(flask_requests) == before + 1
    client.get(BOARD)
    assert len(flask_requests) == before + 1
    clock[0] += app.config["BOARD_VERSION_RECHECK_SECONDS"]  # time to ask the database again
    client.get(BOARD)
    assert len(flask_requests) == before + 2
    minute = board_cache.minute()
    monkeypatch.setattr(board_cache, "minute", lambda: minute + 1)  # postings may have expired
    client.get(BOARD)
    assert len(flask_requests) == before + 3
    client.get(BOARD)
    assert len(flask_requests) == before + 3


def test_signed_in_and_unknown_kommunen_never_take_the_fast_path(app, clock, delbrueck):
    author = make_user(delbrueck)
    db.session.commit()
    assert app.test_client().get("/k/nowhere/").status_code == 404
    assert app.test_client().get("/k/nowhere/").status_code == 404
    member = app.test_client()
    login_as(member, author)
    for _ in range(2):
        response = member.get(BOARD)
        assert "Abmelden" in text_of(response)
        assert response.headers["Cache-Control"] == "no-store"
    assert "Abmelden" not in text_of(app.test_client().get(BOARD))
