"""Imprint, privacy, terms of use, code of conduct, accessibility: in every footer, none a 404."""

import re
from html.parser import HTMLParser

import pytest

from exchange.extensions import db
from tests.conftest import login_as, make_user, text_of


class _FooterLinks(HTMLParser):
    """The href of every link inside the page's <footer>."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "footer":
            self.depth += 1
        elif tag == "a" and self.depth:
            self.links.append(dict(attrs).get("href", ""))

    def handle_endtag(self, tag):
        if tag == "footer":
            self.depth -= 1


def footer_links(response) -> list[str]:
    parser = _FooterLinks()
    parser.feed(response.get_data(as_text=True))
    return parser.links


def _local(links):
    return [link for link in links if link.startswith("/")]


def _all_answer(client, links):
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_footer_link_of_a_kommune_page_answers(client, delbrueck, paderborn, signed_in):
    if signed_in:
        erna = make_user(delbrueck)
        db.session.commit()
        login_as(client, erna)
    links = footer_links(client.get("/k/delbrueck/"))
    local = _local(links)
    for page in ("imprint", "privacy", "terms", "conduct", "accessibility"):
        assert f"/k/delbrueck/{page}" in local, page
    _all_answer(client, local)


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_footer_link_of_the_platform_page_answers(client, delbrueck, paderborn, signed_in):
    if signed_in:
        erna = make_user(delbrueck)
        db.session.commit()
        login_as(client, erna)
    response = client.get("/me" if signed_in else "/login")  # a page without a Kommune
    assert response.status_code == 200
    local = _local(footer_links(response))
    for page in ("/imprint", "/privacy", "/terms", "/conduct", "/accessibility"):
        assert page in local, page
    _all_answer(client, local)
    # The platform's terms list each Kommune's own.
    terms = client.get("/terms").get_data(as_text=True)
    assert 'href="/k/delbrueck/terms"' in terms and 'href="/k/paderborn/terms"' in terms
    conduct = client.get("/conduct").get_data(as_text=True)
    assert 'href="/k/delbrueck/conduct"' in conduct


def test_every_footer_link_of_the_legal_pages_answers(client, delbrueck):
    for path in ("/k/delbrueck/terms", "/k/delbrueck/conduct", "/terms", "/conduct"):
        response = client.get(path)
        assert response.status_code == 200, path
        _all_answer(client, _local(footer_links(response)))


def test_an_empty_imprint_shows_the_kommunes_own_contact_details(client, delbrueck):
    delbrueck.postal_address = "Stadt Delbrück\nMarktstraße 6\n33129 Delbrück"
    delbrueck.phone = "05250 996-0"
    delbrueck.contact_email = "buergerbuero@delbrueck.example"
    delbrueck.signatory_name = "Heike Amt"
    delbrueck.signatory_role = "Seniorenbeauftragte"
    db.session.commit()
    for path in ("/k/delbrueck/imprint", "/k/delbrueck/privacy"):
        page = text_of(client.get(path))
        assert "Marktstraße 6" in page, path
        assert 'href="tel:+4952509960"' in page, path
        assert "buergerbuero@delbrueck.example" in page, path
        assert "veröffentlicht" not in page and "has not published" not in page, path
    imprint = text_of(client.get("/k/delbrueck/imprint"))
    assert "Heike Amt, Seniorenbeauftragte" in imprint
    assert re.search(r"Delbrück</p>", imprint)


def test_a_kommunes_own_imprint_text_comes_first(client, delbrueck):
    delbrueck.imprint_text = "Impressum der Stadt Delbrück, Amtsgericht Paderborn."
    db.session.commit()
    assert "Amtsgericht Paderborn" in text_of(client.get("/k/delbrueck/imprint"))


def test_the_default_terms_say_what_the_issue_asks(client, delbrueck):
    terms = text_of(client.get("/k/delbrueck/terms?lang=en"))
    conduct = text_of(client.get("/k/delbrueck/conduct?lang=en"))
    assert "Version 1." in terms
    for words in (
        "only brings people together",
        "not an employer",
        "real first and last name",
        "Advertising and commercial offers are not allowed",
        "Jugendarbeitsschutzgesetz",
        "No liability",
        "only when you choose",
        "block accounts",
    ):
        assert words in terms, words
    for words in ("real name", "No advertising", "respectful", "young helpers"):
        assert words in conduct, words
