"""Every page has a favicon and a meta description; signing out leads to one's own board."""

import re
from html import unescape

import pytest

from exchange import PACKAGE, create_app
from exchange.extensions import db
from exchange.static_build import build
from tests.conftest import FreshContextClient, login_as, make_posting, make_user, post


def description(html: str) -> str:
    match = re.search(r'<meta name="description" content="([^"]*)">', html)
    assert match, "no meta description"
    return unescape(match.group(1))


def test_every_page_links_the_icon_and_describes_itself(client, delbrueck, paderborn):
    author = make_user(delbrueck, phone="05250 998877")
    posting = make_posting(
        author,
        title="Rasen mähen bei Müller, Tel. 05250 998877",
        description="Bitte rufen Sie mich an: 05250 998877, erna@example.org",
        kind="zeitspende",
        category="garden",
    )
    db.session.commit()
    pages = {
        "/": "Nachbarn helfen Nachbarn",
        "/k/delbrueck/": "Nachbarschaftshilfe in Delbrück",
        f"/k/delbrueck/postings/{posting.id}": "Zeitspende",
        "/login": "Nachbarn helfen Nachbarn",
        "/k/delbrueck/imprint": "Nachbarschaftshilfe in Delbrück",
        "/imprint": "Nachbarn helfen Nachbarn",
    }
    seen = set()
    for path, words in pages.items():
        html = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert re.search(
            r'<link rel="icon" href="/static/favicon\.[^"]+" type="image/svg\+xml">', html
        )
        text = description(html)
        assert words in text, (path, text)
        assert 10 < len(text) < 300
        seen.add(text)
    assert len(seen) >= 3  # the board, a posting and the home page say their own
    # A posting is described by what kind it is, never by its words (they may hold contacts).
    text = description(client.get(f"/k/delbrueck/postings/{posting.id}").get_data(as_text=True))
    assert "Garten" in text and "Gesuch" in text
    assert "998877" not in text and "Müller" not in text and "@" not in text


def test_signed_in_pages_describe_themselves_too(client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()  # the sign-in request runs in its own session
    login_as(client, user)
    html = client.get("/me/messages/").get_data(as_text=True)
    assert "Nachbarn helfen Nachbarn" in description(html)


@pytest.fixture(scope="module")
def static_build_dir(tmp_path_factory):
    target = tmp_path_factory.mktemp("static_build")
    build(PACKAGE / "static", target)
    return target


@pytest.fixture
def built_app(smtp_port, static_build_dir):
    app = create_app("testing", {"MAIL_PORT": smtp_port, "STATIC_BUILD_DIR": static_build_dir})
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app


def test_favicon_ico_leads_to_the_fingerprinted_icon(built_app):
    client = built_app.test_client()
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    target = response.headers["Location"]
    assert re.fullmatch(r"/static/favicon\.[0-9a-f]{12}\.ico", target)
    assert "max-age=86400" in response.headers["Cache-Control"]
    icon = client.get(target)
    assert icon.status_code == 200 and icon.data[:4] == b"\x00\x00\x01\x00"
    assert "immutable" in icon.headers["Cache-Control"]
    html = client.get("/").get_data(as_text=True)
    svg = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)
    assert re.fullmatch(r"/static/favicon\.[0-9a-f]{12}\.svg", svg)
    assert client.get(svg).status_code == 200


def test_favicon_ico_answers_without_a_build_and_for_signed_in_people(client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()  # the sign-in request runs in its own session
    login_as(client, user)
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert "max-age=86400" in response.headers["Cache-Control"]
    assert client.get(response.headers["Location"]).status_code == 200


def test_signing_out_leads_to_the_own_kommunes_board(client, delbrueck, paderborn):
    user = make_user(paderborn, email="pb@example.org", postcode="33098")
    db.session.commit()
    login_as(client, user)
    response = post(client, "/logout")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/k/paderborn/")
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and "Abmelden" not in page.get_data(as_text=True)


def test_an_operator_without_a_kommune_signs_out_to_the_chooser(client, delbrueck, paderborn):
    operator = make_user(delbrueck, email="op@example.org", name="Olga Betrieb", role="superadmin")
    operator.municipality_id = None
    db.session.commit()
    login_as(client, operator)
    response = post(client, "/logout")
    assert response.headers["Location"] in ("/", "http://localhost/")
