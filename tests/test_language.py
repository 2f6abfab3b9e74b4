"""Choosing the language: each step of the order (DESIGN §7), for guests and signed-in people."""

import re

import pytest
from sqlalchemy import select

from exchange.accounts.models import User
from exchange.extensions import db
from tests.conftest import login_as, make_user, post


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)" dir="([^"]+)"', response.get_data(as_text=True))[1]


def cookies_set(response) -> dict[str, str]:
    """Name -> whole Set-Cookie header of this response."""
    return {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}


def saved_locale(email: str = "erna@example.org") -> str:
    db.session.expire_all()
    return db.session.scalar(select(User.locale).where(User.email == email))


@pytest.fixture
def erna(delbrueck):
    user = make_user(delbrueck, locale="fr")
    db.session.commit()
    return user


# --- Guests --------------------------------------------------------------------------------


def test_guest_without_any_choice_reads_german(client, delbrueck):
    assert html_lang(client.get("/k/delbrueck/")) == "de"


def test_guest_gets_the_browsers_language(client, delbrueck):
    response = client.get("/k/delbrueck/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert html_lang(response) == "en"


def test_guest_language_link_shows_the_page_and_is_kept_in_a_cookie_not_a_session(
    client, delbrueck
):
    response = client.get("/k/delbrueck/?lang=fr")
    assert html_lang(response) == "fr"
    cookies = cookies_set(response)
    assert set(cookies) == {"lang"}  # no session cookie: reading needs none
    assert "lang=fr" in cookies["lang"] and "Max-Age=31536000" in cookies["lang"]
    assert "HttpOnly" in cookies["lang"] and "SameSite=Lax" in cookies["lang"]
    # Later pages without ?lang= keep French, even against the browser's language.
    later = client.get("/k/delbrueck/postings/999", headers={"Accept-Language": "en"})
    assert html_lang(later) == "fr"
    home = client.get("/", headers={"Accept-Language": "en"}, follow_redirects=True)
    assert html_lang(home) == "fr"
    assert "Set-Cookie" not in client.get("/k/delbrueck/?lang=fr").headers  # nothing new


def test_guest_link_beats_the_cookie_and_replaces_it(client, delbrueck):
    client.get("/?lang=fr")
    response = client.get("/k/delbrueck/?lang=ar")
    assert '<html lang="ar" dir="rtl">' in response.get_data(as_text=True)
    assert "lang=ar" in cookies_set(response)["lang"]
    assert html_lang(client.get("/k/delbrueck/")) == "ar"


@pytest.mark.parametrize("value", ["xx", "", "DE", "de-DE", "../fr", "fr" * 500, "f\u0072\u200b"])
def test_an_unknown_language_is_ignored(client, delbrueck, value):
    response = client.get("/k/delbrueck/", query_string={"lang": value})
    assert response.status_code == 200
    assert html_lang(response) == "de"
    assert "Set-Cookie" not in response.headers


def test_an_unknown_cookie_value_is_ignored(client, delbrueck):
    client.set_cookie("lang", "xx")
    response = client.get("/k/delbrueck/", headers={"Accept-Language": "en"})
    assert response.status_code == 200 and html_lang(response) == "en"


def test_guest_language_links_are_real_links(client, delbrueck):
    body = client.get("/k/delbrueck/?kind=zeitspende&page=1").get_data(as_text=True)
    links = re.findall(r"<a [^>]*language-link[^>]*>[^<]*</a>", body)
    assert len(links) == 5
    french = next(link for link in links if 'hreflang="fr"' in link)
    assert 'lang="fr"' in french and ">Français</a>" in french
    href = re.search(r'href="([^"]+)"', french)[1].replace("&amp;", "&")
    assert href == "/k/delbrueck/?kind=zeitspende&page=1&lang=fr"  # the same page, in French
    current = [link for link in links if "aria-current" in link]
    assert len(current) == 1 and 'hreflang="de"' in current[0]
    assert 'aria-current="true"' in current[0]
    assert "language-select" not in body and 'action="/language"' not in body
    # The links sit in a labelled navigation landmark.
    assert re.search(r'<nav class="language-switch" aria-label="[^"]+">', body)


def test_right_to_left_page_keeps_its_direction_and_marks_its_language(client, delbrueck):
    body = client.get("/k/delbrueck/?lang=fa").get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in body
    current = re.search(r"<a [^>]*aria-current[^>]*>", body)[0]
    assert 'hreflang="fa"' in current


def test_guest_post_still_sets_only_the_cookie(client, delbrueck):
    # An old open page's form keeps working; it writes no session key for the language.
    response = post(client, "/language", {"lang": "en", "next": "/k/delbrueck/"})
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert "lang" not in session
    assert html_lang(client.get("/k/delbrueck/")) == "en"


# --- Signed in -----------------------------------------------------------------------------


def test_the_users_setting_beats_cookie_and_browser(client, erna):
    client.get("/?lang=ar")  # chosen as a guest before signing in
    login_as(client, erna)
    response = client.get("/k/delbrueck/", headers={"Accept-Language": "en"})
    assert html_lang(response) == "fr"


def test_signed_in_link_shows_that_page_only_and_writes_nothing(client, erna):
    login_as(client, erna)
    response = client.get("/k/delbrueck/?lang=en")
    assert html_lang(response) == "en"
    assert "lang" not in cookies_set(response)
    assert saved_locale() == "fr"
    assert html_lang(client.get("/k/delbrueck/")) == "fr"


def test_signed_in_switch_is_a_post_form_that_saves_the_setting(client, erna):
    login_as(client, erna)
    body = client.get("/k/delbrueck/").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/language".*?</form>', body, re.S)[0]
    assert 'name="csrf_token"' in form
    buttons = re.findall(r'<button type="submit" name="lang" value="(\w+)" lang="\1"[^>]*>', form)
    assert buttons == ["de", "en", "fr", "ar", "fa"]
    assert re.search(r'value="fr"[^>]*aria-current="true"', form)

    response = post(client, "/language", {"lang": "ar", "next": "/k/delbrueck/?kind=tausch"})
    assert response.headers["Location"] == "/k/delbrueck/?kind=tausch"
    assert saved_locale() == "ar"
    assert '<html lang="ar" dir="rtl">' in client.get("/me").get_data(as_text=True)


def test_saving_a_language_on_a_linked_page_is_not_undone_by_the_link(client, erna):
    login_as(client, erna)
    linked = "/k/delbrueck/?kind=tausch&lang=en"
    assert html_lang(client.get(linked)) == "en"
    response = post(client, "/language", {"lang": "de", "next": linked})
    assert response.headers["Location"] == "/k/delbrueck/?kind=tausch"
    assert html_lang(client.get(response.headers["Location"])) == "de"


def test_signed_in_switch_ignores_an_unknown_language(client, erna):
    login_as(client, erna)
    response = post(client, "/language", {"lang": "xx", "next": "/me"})
    assert response.status_code == 302
    assert saved_locale() == "fr"


def test_the_switch_is_kept_after_signing_out(client, erna):
    login_as(client, erna)
    post(client, "/language", {"lang": "en"})
    post(client, "/logout")
    assert html_lang(client.get("/k/delbrueck/")) == "en"
