"""A guest who only reads gets no session and no cookie; forms still get theirs."""

import re

import pytest

from exchange.extensions import db
from tests.conftest import PASSWORD, login_as, make_posting, make_user


@pytest.fixture
def posting(delbrueck, paderborn):
    found = make_posting(make_user(delbrueck), title="Rasen mähen")
    db.session.commit()
    return found


def reading_pages(posting) -> list[str]:
    return ["/", "/k/delbrueck/", f"/k/delbrueck/postings/{posting.id}", "/k/delbrueck/imprint"]


def assert_varies_by_cookie_and_language(response):
    assert {"Cookie", "Accept-Language"} <= set(response.vary.as_set(preserve_casing=True))


def test_reading_sets_no_cookie_and_may_be_shared(app, posting):
    for path in reading_pages(posting):
        for visit in (1, 2):  # the board's second visit is a cache hit
            response = app.test_client().get(path)
            assert response.status_code == 200, path
            assert "Set-Cookie" not in response.headers, (path, visit)
            assert "csrf_token" not in response.get_data(as_text=True), path
            assert_varies_by_cookie_and_language(response)
            assert response.headers["Cache-Control"] == "public, max-age=60", path


def test_a_guest_who_keeps_reading_never_gets_a_session(client, posting):
    for path in [*reading_pages(posting), "/k/delbrueck/?lang=en", "/k/delbrueck/?q=Rasen"]:
        client.get(path)
    assert client.get_cookie("session") is None
    assert client.get_cookie("lang").value == "en"


def test_a_language_link_sets_only_its_cookie_and_is_then_shareable(client, posting):
    first = client.get("/k/delbrueck/?lang=fr")
    assert [h.split("=", 1)[0] for h in first.headers.getlist("Set-Cookie")] == ["lang"]
    assert first.headers["Cache-Control"] == "private"  # it sets a cookie: for this browser only
    again = client.get("/k/delbrueck/")
    assert "Set-Cookie" not in again.headers
    # The lang cookie holds nothing personal; Vary: Cookie keeps French and German apart.
    assert again.headers["Cache-Control"] == "public, max-age=60"


def test_the_login_form_still_gets_its_session_and_token(client, posting):
    page = client.get("/login")
    assert client.get_cookie("session") is not None
    assert page.headers["Cache-Control"] == "private"
    token = re.search(
        r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)
    )[1]
    response = client.post(
        "/login", data={"csrf_token": token, "email": "erna@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "Abmelden" in client.get("/k/delbrueck/").get_data(as_text=True)


def test_a_guest_with_a_session_is_not_shared(client, posting):
    client.get("/login")  # now the browser holds a session cookie with a CSRF token
    client.get("/k/delbrueck/")  # (Flask-Login marks such a session "not fresh" once)
    response = client.get("/k/delbrueck/")
    assert response.headers["Cache-Control"] == "private"
    assert "Set-Cookie" not in response.headers


def test_signed_in_pages_are_never_stored(client, posting):
    login_as(client, posting.author)
    response = client.get("/k/delbrueck/")
    assert response.headers["Cache-Control"] == "no-store"
    assert_varies_by_cookie_and_language(response)


def test_not_found_is_not_shared(client, posting):
    response = client.get("/k/delbrueck/postings/99999")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "private"
    assert "Set-Cookie" not in response.headers


def test_sharing_can_be_switched_off(posting, app):
    app.config["GUEST_PAGE_MAX_AGE"] = 0
    assert app.test_client().get("/k/delbrueck/").headers["Cache-Control"] == "private"
