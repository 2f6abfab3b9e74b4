"""No server error from odd input: huge numbers, unicode digits, blanks, control and bidi chars."""

import timeit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from exchange import create_app
from exchange.accounts.models import User
from exchange.core.inputs import MAX_PAGE, CleanMultiDict, page_arg, parse_int, strip_controls
from exchange.extensions import db
from exchange.messaging.models import Conversation, Message
from exchange.municipalities.models import Municipality
from exchange.notifications.models import SavedSearch
from exchange.postings.models import Posting
from tests.conftest import login_as, make_posting, make_proxy, make_user, post, text_of
from tests.postings.steps import publish_in_steps

HUGE = "9223372036854775808"  # 2**63: beyond SQLite's and PostgreSQL's bigint
INT4 = str(2**31)  # beyond PostgreSQL's 32-bit Integer columns
# The refusal, in English (pages switched by in_english) or German (a signed-in user's setting).
BIDI_MESSAGES = ("change the text direction", "die Schreibrichtung ändern")


def bidi_refused(response) -> bool:
    """The page explains that invisible direction characters must go."""
    page = text_of(response)
    return any(message in page for message in BIDI_MESSAGES)


@pytest.fixture
def app(app):
    """Crashes become 500 responses, as a visitor would see them."""
    app.config["PROPAGATE_TEST_ERRORS"] = False
    return app


@pytest.fixture
def erna(delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    return user


@pytest.fixture
def admin(delbrueck):
    user = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    return user


@pytest.fixture
def operator(delbrueck):
    user = make_user(delbrueck, email="op@example.org", name="Olga Betrieb", role="superadmin")
    db.session.commit()
    return user


def posting_form(**overrides):
    data = {
        "direction": "request",
        "kind": "zeitspende",
        "category": "shopping",
        "title": "Hilfe beim Wocheneinkauf",
        "description": "Ich suche jemanden, der mich dienstags zum Supermarkt begleitet.",
        "district": "",
        "postcode": "33129",
        "timing": "flexible",
    }
    return data | overrides


def register_form(**overrides):
    data = {
        "display_name": "Anna Schröder",
        "email": "anna@example.org",
        "password": "Kaffee und Kuchen am Sonntag",
        "password_repeat": "Kaffee und Kuchen am Sonntag",
        "birth_date": "1948-03-02",
        "municipality": "delbrueck",
        "district": "",
        "postcode": "",
        "accepts_privacy": "y",
        "accepts_terms": "y",
    }
    return data | overrides


PROXY_FORM = {
    "display_name": "Erna Schulte",
    "postal_address": "Lange Straße 3",
    "district": "",
    "postcode": "",
    "birth_year": "1944",
    "consent_on": "2026-11-02",
    "consent_method": "in_person",
    "consent_by": "Heike Amt",
}


def in_english(client):
    post(client, "/language", {"lang": "en"})


# --- B1: numbers ---------------------------------------------------------------------------


def test_parse_int_takes_only_ascii_digits_within_bounds():
    assert parse_int("17", 1, 25) == 17
    assert parse_int(" 5 ", 1, 25) == 5
    for bad in ("²", "٣", "1e3", "", None, "26", "0", "-1", HUGE, "9" * 5000, "５"):
        assert parse_int(bad, 1, 25) is None, bad


@pytest.mark.parametrize(
    ("raw", "page"),
    [("", 1), ("3", 3), ("-4", 1), ("0", 1), ("²", 1), ("abc", 1), (HUGE, MAX_PAGE)],
)
def test_page_numbers_are_clamped(app, raw, page):
    with app.test_request_context(f"/?page={raw}"):
        assert page_arg() == page


@pytest.mark.parametrize("page", [HUGE, "99999999999999999999999", "-1", "²"])
def test_board_survives_absurd_page_numbers(client, erna, page):
    make_posting(erna)
    db.session.commit()
    response = client.get(f"/k/delbrueck/?page={page}")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["proxies", "inbox", "audit"])
def test_admin_lists_survive_absurd_page_numbers(client, admin, path):
    make_proxy(admin.municipality)
    db.session.commit()
    login_as(client, admin)
    assert client.get(f"/k/delbrueck/admin/{path}?page={HUGE}").status_code == 200


@pytest.mark.parametrize("radius", ["²", "٣", "5²", HUGE])
def test_board_ignores_a_radius_that_is_no_plain_number(client, delbrueck, radius):
    district = delbrueck.districts[0].id
    response = client.get(f"/k/delbrueck/?district={district}&radius={radius}")
    assert response.status_code == 200


def test_saving_a_search_with_unicode_digits_falls_back_to_defaults(client, erna):
    login_as(client, erna)
    response = post(
        client, "/me/searches", {"direction": "request", "radius": "²", "district": "²"}
    )
    assert response.status_code == 302
    assert db.session.scalar(select(SavedSearch.radius_km)) == 5
    post(client, "/me/searches", {"direction": "offer", "radius": "5", "district": HUGE})
    assert len(db.session.scalars(select(SavedSearch)).all()) == 2


@pytest.mark.parametrize("district", [" ", "\r\n", "\t"])
def test_blank_district_in_registration_is_a_form_error(client, delbrueck, district):
    response = post(client, "/register", register_form(district=district))
    assert response.status_code == 200
    assert "Ortsteil" in text_of(response)  # "Wählen Sie Ihren Ortsteil oder geben Sie ..."
    assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize("district", [" ", "\r\n"])
def test_blank_district_in_profile_is_a_form_error(client, erna, district):
    login_as(client, erna)
    response = post(
        client,
        "/me",
        {"display_name": "Erna Müller", "district": district, "postcode": "", "locale": "de"},
    )
    assert response.status_code == 200
    db.session.refresh(erna)
    assert erna.postcode == "33129"


@pytest.mark.parametrize("district", [" ", "\r\n"])
def test_blank_district_in_proxy_form_is_a_form_error(client, admin, district):
    login_as(client, admin)
    response = post(client, "/k/delbrueck/admin/proxies/new", PROXY_FORM | {"district": district})
    assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.is_proxy)) is None


def test_audit_filter_with_blank_admin_is_ignored(client, admin):
    login_as(client, admin)
    response = client.get("/k/delbrueck/admin/audit?admin=%20&proxy=%0D%0A")
    assert response.status_code == 200


@pytest.mark.parametrize("year", [HUGE, "-5", "٣٣"])
def test_proxy_birth_year_out_of_range_is_a_form_error(client, admin, year):
    login_as(client, admin)
    response = post(
        client,
        "/k/delbrueck/admin/proxies/new",
        PROXY_FORM | {"birth_year": year, "postcode": "33129"},
    )
    assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.is_proxy)) is None


@pytest.mark.parametrize("number", ["99999999999999999999999", INT4, HUGE, "٣"])
def test_ids_beyond_the_database_range_are_not_found(client, erna, number):
    make_posting(erna)
    db.session.commit()
    assert client.get(f"/k/delbrueck/postings/{number}").status_code == 404
    login_as(client, erna)
    assert client.get(f"/me/messages/{number}").status_code == 404


def test_largest_int4_id_is_still_a_normal_lookup(client, erna):
    assert client.get(f"/k/delbrueck/postings/{2**31 - 1}").status_code == 404
    posting = make_posting(erna)
    db.session.commit()
    assert client.get(f"/k/delbrueck/postings/{posting.id}").status_code == 200


def test_choosing_a_helper_with_an_absurd_conversation_id_is_not_found(client, erna):
    posting = make_posting(erna)
    db.session.commit()
    login_as(client, erna)
    response = post(client, f"/k/delbrueck/postings/{posting.id}/assign", {"conversation_id": HUGE})
    assert response.status_code == 404


# --- B2: control and bidi characters -------------------------------------------------------


@given(st.text())
def test_parse_int_never_raises_and_stays_in_bounds(text):
    number = parse_int(text, 1, 25)
    assert number is None or 1 <= number <= 25


@given(st.text())
def test_stripped_text_has_no_controls_but_keeps_everything_else(text):
    clean = strip_controls(text)
    assert not any(ord(c) < 32 and c not in "\t\r\n" for c in clean)
    assert clean == "".join(c for c in text if ord(c) >= 32 or c in "\t\r\n")


def test_strip_controls_keeps_tab_newlines_and_text():
    assert strip_controls("a\x00b\x07c\x1f\td\r\ne\u200f") == "abc\td\r\ne\u200f"
    assert strip_controls("Grüße") == "Grüße"


def test_nul_in_the_board_search_is_ignored(client, erna):
    make_posting(erna, title="Hilfe beim Einkaufen")
    db.session.commit()
    response = client.get("/k/delbrueck/?q=Einkauf%00")
    assert response.status_code == 200
    assert "Hilfe beim Einkaufen" in text_of(response)


def test_nul_in_a_query_key_or_path_segment_changes_nothing(client, delbrueck):
    assert client.get("/k/delbrueck/?q%00=x&%00=%01").status_code == 200
    assert client.get("/k/delbr%00ueck/").status_code == 404
    assert client.get("/password/reset/abc%00def").status_code == 404


def test_nul_in_login_email_is_an_ordinary_failed_sign_in(client, erna):
    response = post(client, "/login", {"email": "erna@example.org\x00", "password": "falsch"})
    assert response.status_code == 200


def test_controls_are_stripped_from_a_posting_but_line_breaks_kept(client, erna):
    login_as(client, erna)
    response = publish_in_steps(
        client,
        "/k/delbrueck/postings/new",
        posting_form(
            title="Hilfe\x00 beim\x07 Einkauf",
            description="Erste Zeile\r\nZweite\tZeile\x1b[31m mit Farbe\x00",
        ),
    )
    assert response.status_code == 302
    posting = db.session.scalar(select(Posting))
    assert posting.title == "Hilfe beim Einkauf"
    assert posting.description == "Erste Zeile\r\nZweite\tZeile[31m mit Farbe"


def test_nul_in_an_answer_and_a_profile_is_stripped(client, erna, delbrueck):
    petra = make_user(delbrueck, email="petra@example.org", name="Petra Helfer")
    posting = make_posting(erna)
    db.session.commit()
    login_as(client, petra)
    response = post(
        client, f"/k/delbrueck/postings/{posting.id}/respond", {"body": "Ich\x00 helfe gern."}
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Message.body)) == "Ich helfe gern."
    assert db.session.scalar(select(Conversation)) is not None
    response = post(
        client,
        "/me",
        {"display_name": "Petra\x00 Helfer", "district": "", "postcode": "33129", "locale": "de"},
    )
    assert response.status_code == 302
    db.session.refresh(petra)
    assert petra.display_name == "Petra Helfer"


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u2069"])
def test_bidi_controls_in_a_posting_title_are_refused(client, erna, char):
    in_english(client)
    login_as(client, erna)
    response = publish_in_steps(
        client, "/k/delbrueck/postings/new", posting_form(title=f"Hilfe {char}gnaktiE")
    )
    assert response.status_code == 200
    assert bidi_refused(response)
    assert db.session.scalar(select(Posting)) is None


def test_arabic_title_with_right_to_left_mark_is_accepted(client, erna):
    title = "مساعدة في التسوق\u200f 2026"
    login_as(client, erna)
    response = publish_in_steps(client, "/k/delbrueck/postings/new", posting_form(title=title))
    assert response.status_code == 302
    assert db.session.scalar(select(Posting.title)) == title


def test_bidi_controls_in_names_are_refused(client, delbrueck, admin, operator):
    in_english(client)
    response = post(client, "/register", register_form(display_name="Anna \u202eredörhcS"))
    assert bidi_refused(response)
    assert db.session.scalar(select(User).where(User.email == "anna@example.org")) is None

    login_as(client, admin)
    response = post(
        client,
        "/k/delbrueck/admin/proxies/new",
        PROXY_FORM | {"display_name": "Erna \u2067Schulte", "postcode": "33129"},
    )
    assert bidi_refused(response)
    assert db.session.scalar(select(User).where(User.is_proxy)) is None
    post(client, "/logout")

    login_as(client, operator)
    kommune = {
        "name": "Bad \u202dLippspringe",
        "slug": "bad-lippspringe",
        "postcodes": "33175",
        "enabled_kinds": ["zeitspende"],
        "theme_color": "#2e7d32",
    }
    response = post(client, "/admin/municipalities/new", kommune)
    assert bidi_refused(response)
    response = post(
        client,
        "/admin/municipalities/new",
        kommune | {"name": "Bad Lippspringe", "districts": "Mi\u202btte; 33175"},
    )
    assert bidi_refused(response)
    assert db.session.scalar(select(Municipality).where(Municipality.slug != "delbrueck")) is None


def test_cleaning_keeps_the_board_cheap():
    """The cleaning runs on every request: a typical board query must stay far below 0.1 ms."""
    pairs = [("q", "Einkauf"), ("kind", "zeitspende"), ("district", "3"), ("page", "2")]
    seconds = min(timeit.repeat(lambda: CleanMultiDict(pairs), number=2000, repeat=3)) / 2000
    assert seconds < 1e-4, seconds


def test_the_app_uses_the_cleaning_request_and_bounded_converters():
    app = create_app("testing")
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "postings.detail")
    assert rule._converters["posting_id"].max == 2**31 - 1
    assert app.request_class.parameter_storage_class is CleanMultiDict


@pytest.mark.parametrize("blank", [" ", "\r\n"])
def test_blank_birth_date_is_a_form_error(client, delbrueck, blank):
    response = post(client, "/register", register_form(birth_date=blank, postcode="33129"))
    assert response.status_code == 200
    assert db.session.scalar(select(User)) is None
