"""Text size and contrast: a link sets a cookie and comes back; the page shows the choice."""

import re

import pytest

from exchange.extensions import db
from tests.conftest import login_as, make_posting, make_user, post, text_of


@pytest.fixture
def posting(delbrueck):
    found = make_posting(make_user(delbrueck), title="Rasen mähen")
    db.session.commit()
    return found


def html_classes(response) -> set[str]:
    """The classes of the page's <html> element."""
    tag = re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)
    found = re.search(r'class="([^"]*)"', tag)
    return set(found.group(1).split()) if found else set()


def current_links(response) -> dict[str, str]:
    """The header's display links marked aria-current: {'textsize' or 'contrast': value}."""
    page = response.get_data(as_text=True)
    switch = page[page.index('class="display-switch"') :]
    switch = switch[: switch.index("</header>")]
    return {
        name: value
        for name, value in re.findall(
            r'<a [^>]*href="[^"]*[?&;](textsize|contrast)=(\w+)"[^>]*aria-current="true"', switch
        )
    }


def test_a_text_size_link_keeps_the_choice_and_returns_to_the_same_page(client, posting):
    response = client.get("/k/delbrueck/?kind=zeitspende&textsize=200&q=Rasen")
    assert response.status_code == 303
    assert response.headers["Location"] == "/k/delbrueck/?kind=zeitspende&q=Rasen"
    assert client.get_cookie("textsize").value == "200"
    assert "Max-Age=31536000" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    assert client.get_cookie("session") is None  # no session needed: guests can use it
    page = client.get(response.headers["Location"])
    assert html_classes(page) == {"text-200"}
    assert current_links(page) == {"textsize": "200", "contrast": "standard"}
    # Every page from now on, not only this one.
    detail = client.get(f"/k/delbrueck/postings/{posting.id}")
    assert html_classes(detail) == {"text-200"}
    assert html_classes(client.get("/login")) == {"text-200"}


def test_high_contrast_and_large_text_together(client, posting):
    client.get("/k/delbrueck/?textsize=150")
    assert client.get("/?contrast=high").headers["Location"] == "/"
    page = client.get("/k/delbrueck/")
    assert html_classes(page) == {"text-150", "contrast-high"}
    assert current_links(page) == {"textsize": "150", "contrast": "high"}
    # The links keep the page's own query and replace only their own parameter.
    assert 'href="/k/delbrueck/?q=x&amp;contrast=standard"' in client.get(
        "/k/delbrueck/?q=x"
    ).get_data(as_text=True)


def test_the_default_again_removes_the_cookie(client, posting):
    client.get("/k/delbrueck/?textsize=200&contrast=high")
    assert client.get_cookie("textsize") and client.get_cookie("contrast")
    response = client.get("/k/delbrueck/?textsize=100&contrast=standard")
    assert response.status_code == 303
    assert client.get_cookie("textsize") is None and client.get_cookie("contrast") is None
    page = client.get("/k/delbrueck/")
    assert html_classes(page) == set()
    assert current_links(page) == {"textsize": "100", "contrast": "standard"}


def test_the_default_page_has_no_classes_and_no_cookie(app, posting):
    page = app.test_client().get("/k/delbrueck/")
    assert "<html " in page.get_data(as_text=True) and html_classes(page) == set()
    assert current_links(page) == {"textsize": "100", "contrast": "standard"}
    assert "Set-Cookie" not in page.headers


@pytest.mark.parametrize("query", ["textsize=300", "textsize=", "contrast=%3Cb%3E", "contrast=x"])
def test_unknown_choices_change_nothing(client, posting, query):
    response = client.get(f"/k/delbrueck/?{query}")
    assert response.status_code == 303 and response.headers["Location"] == "/k/delbrueck/"
    assert "Set-Cookie" not in response.headers


def test_a_forged_cookie_shows_the_default_page(app, posting):
    guest = app.test_client()
    guest.set_cookie("textsize", "999")
    guest.set_cookie("contrast", '"><script>')
    page = guest.get("/k/delbrueck/")
    assert page.status_code == 200 and html_classes(page) == set()
    assert "<script>" not in page.get_data(as_text=True).split("</head>")[1]


def test_the_way_back_never_leaves_the_site(client, posting):
    # A raw request line "GET //evil.example/path?textsize=200" (a client would parse a host).
    response = client.get(
        "/", query_string="textsize=200", environ_overrides={"PATH_INFO": "//evil.example/path"}
    )
    assert response.headers["Location"] == "/evil.example/path"


def test_a_post_with_the_parameter_is_not_turned_into_a_redirect(client, posting):
    response = post(client, "/login?textsize=200", {"email": "x@example.org", "password": "x"})
    assert response.status_code != 303
    assert client.get_cookie("textsize") is None


def test_signed_in_people_use_the_same_links(client, delbrueck):
    author = make_user(delbrueck)
    db.session.commit()
    login_as(client, author)
    response = client.get("/me/postings?textsize=150")
    assert response.status_code == 303 and response.headers["Location"] == "/me/postings"
    page = client.get("/me/postings")
    assert html_classes(page) == {"text-150"}
    assert "Abmelden" in text_of(page)
    assert current_links(page)["textsize"] == "150"


def test_a_guest_with_a_display_cookie_may_still_be_shared(app, posting):
    guest = app.test_client()
    first = guest.get("/k/delbrueck/imprint?contrast=high")
    assert first.headers["Cache-Control"] == "no-store"  # the answer that sets the cookie
    again = guest.get("/k/delbrueck/imprint")
    assert html_classes(again) == {"contrast-high"}
    assert "Set-Cookie" not in again.headers
    # Nothing personal in the page; Vary: Cookie keeps the looks apart in a shared cache.
    assert again.headers["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in again.vary.as_set(preserve_casing=True)


def test_the_guest_header_is_kept_per_choice(app, posting):
    """The header fragment is rendered once per look: its current link must match the page."""
    for _round in range(2):
        for size in ("100", "200", "150"):
            guest = app.test_client()
            if size != "100":
                guest.set_cookie("textsize", size)
            page = guest.get("/k/delbrueck/imprint")
            assert current_links(page)["textsize"] == size
            assert ("text-" + size in html_classes(page)) == (size != "100")


@pytest.mark.parametrize("path", ["/privacy", "/k/delbrueck/privacy"])
def test_the_privacy_notices_name_the_cookies(client, delbrueck, path):
    page = client.get(path).get_data(as_text=True)
    assert 'id="cookies"' in page
