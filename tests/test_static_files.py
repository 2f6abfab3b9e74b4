"""Static files: fingerprinted and cached for a year, precompressed, and a light first visit."""

import gzip
import re

import brotli
import pytest

from benchmarks.page_weight import GOAL_FIRST_VISIT, Response, measure
from exchange import PACKAGE, create_app
from exchange.extensions import db
from exchange.static_build import build
from tests.conftest import FreshContextClient, login_as, make_posting, make_user


@pytest.fixture(scope="module")
def static_build_dir(tmp_path_factory):
    """exchange/static/ built as `make static` builds it, into a folder of this module's own."""
    target = tmp_path_factory.mktemp("static_build")
    build(PACKAGE / "static", target)
    return target


@pytest.fixture
def app(smtp_port, static_build_dir):
    """The app serving the static build (the shared fixture's app, with STATIC_BUILD_DIR)."""
    app = create_app("testing", {"MAIL_PORT": smtp_port, "STATIC_BUILD_DIR": static_build_dir})
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app


def linked(html: str, pattern: str) -> str:
    """The first href/src of the page that matches pattern."""
    return next(u for u in re.findall(r'(?:href|src)="([^"]+)"', html) if re.search(pattern, u))


def test_pages_link_fingerprinted_files_cached_for_a_year(client, delbrueck):
    html = client.get("/k/delbrueck/").get_data(as_text=True)
    url = linked(html, r"/static/css/app\.")
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", url)
    response = client.get(url)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # The plain name still answers, but may change any time: no year-long promise for it.
    plain = client.get("/static/css/app.css")
    assert plain.status_code == 200 and "immutable" not in plain.headers["Cache-Control"]


def test_fonts_named_by_the_stylesheet_are_fingerprinted_too(client, delbrueck):
    html = client.get("/k/delbrueck/").get_data(as_text=True)
    css = client.get(linked(html, r"fira-sans")).get_data(as_text=True)
    fonts = re.findall(r'url\("([^"]+)"\)', css)
    assert len(fonts) == 3
    for font in fonts:
        assert re.fullmatch(r"FiraSans-\w+-latin\.[0-9a-f]{12}\.woff2", font)
        response = client.get(f"/static/vendor/kern/fonts/{font}")
        assert response.status_code == 200
        assert "immutable" in response.headers["Cache-Control"]


def test_a_compressed_variant_is_served_to_who_accepts_it(client, delbrueck):
    html = client.get("/k/delbrueck/").get_data(as_text=True)
    url = linked(html, r"kern\.min\.")
    plain = client.get(url).data
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain
    assert len(zipped.data) < len(plain) / 4
    squeezed = client.get(url, headers={"Accept-Encoding": "br, gzip"})
    assert squeezed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(squeezed.data) == plain


def test_without_a_build_the_sources_are_served_with_a_content_version(smtp_port, tmp_path):
    app = create_app("testing", {"MAIL_PORT": smtp_port, "STATIC_BUILD_DIR": tmp_path})
    with app.test_request_context():
        url = app.jinja_env.globals["static_url"]("css/app.css")
    assert re.fullmatch(r"/static/css/app\.css\?v=[0-9a-f]{12}", url)
    assert app.test_client().get(url).status_code == 200


def test_theme_css_is_cached_until_the_colour_changes(client, delbrueck):
    html = client.get("/k/delbrueck/").get_data(as_text=True)
    url = linked(html, r"theme\.css").replace("&amp;", "&")
    assert url == "/k/delbrueck/theme.css?v=0b5ea8"
    response = client.get(url)
    assert "--theme-color: #0b5ea8" in response.get_data(as_text=True)
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    delbrueck.theme_color = "#8A1538"
    db.session.commit()
    html = client.get("/k/delbrueck/").get_data(as_text=True)
    assert linked(html, r"theme\.css") == "/k/delbrueck/theme.css?v=8a1538"
    # An old page's link still answers, with the new colour and without the year-long promise.
    stale = client.get(url)
    assert "#8a1538" in stale.get_data(as_text=True)
    assert "immutable" not in stale.headers["Cache-Control"]


def test_theme_css_stays_cacheable_for_signed_in_residents(client, delbrueck):
    resident = make_user(delbrueck)
    db.session.commit()  # the sign-in request runs in its own session
    login_as(client, resident)
    page = client.get("/k/delbrueck/")
    assert page.headers["Cache-Control"] == "no-store"  # the page itself stays private
    theme = client.get(linked(page.get_data(as_text=True), r"theme\.css"))
    assert "immutable" in theme.headers["Cache-Control"]


def client_fetcher(client):
    """A benchmarks.page_weight Fetch through the Flask test client."""

    def fetch(url: str, headers: dict[str, str]) -> Response:
        response = client.get(url, headers=headers)
        return Response(
            response.status_code, {k.lower(): v for k, v in response.headers}, response.data
        )

    return fetch


def full_board(municipality, app):
    """A board with a full first page of postings of realistic length."""
    author = make_user(municipality)
    for number in range(app.config["PAGE_SIZE"] + 5):
        make_posting(
            author,
            title=f"Hilfe beim Einkaufen und Tragen der Wasserkästen, Woche {number}",
            description="Ich brauche jeden Dienstag Hilfe beim Wocheneinkauf. " * 4,
        )
    db.session.commit()


def test_first_visit_of_the_board_is_light_and_a_repeat_visit_asks_only_for_the_page(
    app, delbrueck
):
    full_board(delbrueck, app)
    first, repeat = measure(client_fetcher(app.test_client()), "de")
    assert first.bytes <= GOAL_FIRST_VISIT
    assert first.requests >= 7  # the page, four stylesheets, the script, fonts
    assert not any("vazirmatn" in url for url in first.by_url)  # Arabic script only for rtl
    assert repeat.requests == 1
    assert list(repeat.by_url) == ["/k/delbrueck/"]


def test_right_to_left_pages_load_the_arabic_font(app, delbrueck):
    first, repeat = measure(client_fetcher(app.test_client()), "ar")
    assert any("vazirmatn-arabic-400" in url for url in first.by_url)
    assert repeat.requests == 1


def test_every_kern_rule_the_templates_can_match_is_in_the_purged_stylesheet():
    """A template that starts using a KERN class needs `make css` again; this says so."""
    root = PACKAGE.parent
    shipped = (PACKAGE / "static/vendor/kern/kern.min.css").read_text()
    sources = [*root.glob("templates/**/*.html"), *PACKAGE.glob("**/*.py")]
    used = {c for path in sources for c in re.findall(r"kern-[\w-]*\w", path.read_text())}
    missing = set()
    for selectors in re.findall(r"([^{}]+)\{", (root / "assets/kern/kern.min.css").read_text()):
        for selector in selectors.split(","):
            classes = set(re.findall(r"\.(kern-[\w-]+)", selector))
            if classes and classes <= used and selector.strip() not in shipped:
                missing.add(selector.strip())
    assert not missing, f"run `make css`: {sorted(missing)}"
