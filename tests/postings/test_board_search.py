"""The board on a phone and its search (issue 10, A4) and blocked authors leaving it (A8).

Every word of a search must occur in a posting's title or text, case-folded also for umlauts
(on SQLite too), and never in a contact the reader would see masked; a blocked account's
postings leave the board, its search and its count, also the cached guest page, and come back
when she is unblocked. Cards show a one-line excerpt, "ca. X km" and the date.
"""

import re

import pytest
from babel.dates import format_date
from sqlalchemy import event, func, select

from exchange.admin.moderation import services as moderation
from exchange.extensions import db
from exchange.geo import Point, haversine_km, postcode_point
from exchange.municipalities.models import Municipality
from exchange.postings import board_cache, services
from exchange.postings.cards import EXCERPT_CHARS, excerpt
from exchange.postings.models import Posting
from exchange.postings.queries import board_select
from exchange.postings.search import MAX_WORDS, search_text, search_words
from tests.conftest import login_as, make_posting, make_user, post

PHONE = "0176 1234567"


@pytest.fixture
def author(delbrueck):
    hagen = next(d for d in delbrueck.districts if d.name == "Hagen")
    user = make_user(delbrueck, district_id=hagen.id)
    db.session.commit()
    return user


@pytest.fixture
def admin(delbrueck):
    user = make_user(delbrueck, email="admin@example.org", name="Anna Admin", role="admin")
    db.session.commit()
    return user


def titles(response) -> list[str]:
    """The titles of the cards on a board page, in order."""
    html = response.get_data(as_text=True)
    return re.findall(r'<h3 class="kern-heading-small"><a [^>]*>([^<]*)</a>', html)


def total(response) -> int:
    """The number of postings the board's results heading gives."""
    html = response.get_data(as_text=True)
    heading = re.search(r'id="results-heading">([^<]*)<', html).group(1)
    return int(re.search(r"\d+", heading).group(0))


# --- Search: every word, in the title or the text, case-folded -----------------------------


def test_a_search_finds_postings_with_every_word_in_title_or_text(client, author):
    make_posting(author, title="Äpfel pflücken", description="Im Garten steht eine Leiter bereit.")
    make_posting(author, title="Garten umgraben", description="Beete für den Frühling.")
    make_posting(author, title="Äpfel abholen", description="Eine Kiste im Keller.")
    db.session.commit()
    # Not side by side, and one word in the title, the other in the text.
    assert titles(client.get("/k/delbrueck/?q=leiter+äpfel")) == ["Äpfel pflücken"]
    assert sorted(titles(client.get("/k/delbrueck/?q=garten"))) == [
        "Garten umgraben",
        "Äpfel pflücken",
    ]
    assert titles(client.get("/k/delbrueck/?q=äpfel+garten+frühling")) == []
    # The exact phrase is found as before.
    assert titles(client.get("/k/delbrueck/?q=Kiste+im+Keller")) == ["Äpfel abholen"]


def test_a_search_ignores_case_also_for_umlauts_and_sharp_s(client, author):
    make_posting(author, title="Äpfel und Birnen", description="An der Großen Straße.")
    make_posting(author, title="Öfen reinigen", description="ÜBER ZWEI ETAGEN")
    db.session.commit()
    for q in ("äpfel", "ÄPFEL", "Äpfel", "birnen"):
        assert titles(client.get(f"/k/delbrueck/?q={q}")) == ["Äpfel und Birnen"], q
    for q in ("öfen", "über etagen", "Über"):
        assert titles(client.get(f"/k/delbrueck/?q={q}")) == ["Öfen reinigen"], q
    # ß and ss are the same letters to the search (Python's case folding).
    for q in ("strasse", "Straße", "GROSSEN"):
        assert titles(client.get(f"/k/delbrueck/?q={q}")) == ["Äpfel und Birnen"], q


def test_wildcards_in_a_search_are_letters(client, author):
    make_posting(author, title="Hilfe 100% sicher", description="a_b")
    make_posting(author, title="Hilfe beim Einkaufen", description="ab")
    db.session.commit()
    assert titles(client.get("/k/delbrueck/?q=100%25")) == ["Hilfe 100% sicher"]
    assert titles(client.get("/k/delbrueck/?q=a_b")) == ["Hilfe 100% sicher"]
    assert titles(client.get("/k/delbrueck/?q=%25+hilfe")) == ["Hilfe 100% sicher"]


def test_a_masked_phone_number_or_address_finds_nothing(app, client, author, delbrueck):
    make_posting(
        author,
        title=f"Einkauf, Tel. {PHONE}",
        description="Bitte melden unter 0176/1234567 oder erna.privat@example.net, danke.",
    )
    db.session.commit()
    reader = make_user(delbrueck, email="jonas@example.org", name="Jonas Becker")
    db.session.commit()
    member = app.test_client()
    login_as(member, reader)
    for q in (PHONE, "1234567", "0176", "erna.privat@example.net", "example.net", "privat"):
        assert titles(client.get("/k/delbrueck/", query_string={"q": q})) == [], q
        assert titles(member.get("/k/delbrueck/", query_string={"q": q})) == [], q
    # The rest of the text is found, and the card shows the number masked.
    found = client.get("/k/delbrueck/", query_string={"q": "einkauf melden danke"})
    assert len(titles(found)) == 1
    assert "1234567" not in found.get_data(as_text=True)
    assert "example.net" not in found.get_data(as_text=True)


def test_search_text_follows_edits_and_holds_no_contact(author):
    posting = make_posting(author, title="Rasen mähen", description=f"Anrufen: {PHONE}")
    db.session.commit()
    assert posting.search_text.split("\n") == ["rasen mähen", "anrufen:  "]
    posting.description = "Ich bringe den Mäher mit. Mail: x.y@example.org"
    db.session.commit()
    assert posting.search_text.split() == "rasen mähen ich bringe den mäher mit. mail:".split()
    assert search_text("STRASSE", None) == "strasse\n" == search_text("Straße", "")


def test_the_words_of_a_search_are_distinct_and_bounded():
    assert search_words("  Äpfel  äpfel Birnen ") == ("äpfel", "birnen")
    assert len(search_words(" ".join(f"w{i}" for i in range(20)))) == MAX_WORDS
    assert search_words("") == () == search_words(None)


@pytest.fixture
def statements(app):
    seen = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement.lower())

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def test_a_search_of_several_words_is_still_one_statement_without_accounts(
    app, client, author, statements
):
    app.config["BOARD_CACHE_SIZE"] = 0  # every request renders
    make_posting(author, title="Äpfel pflücken", description="Leiter im Garten")
    db.session.commit()
    client.get("/k/delbrueck/")  # the Ortsteile are read once, then kept
    for query in ("?q=äpfel+leiter+garten", "?q=äpfel+leiter&near=33129&radius=25&sort=distance"):
        statements.clear()
        assert titles(client.get(f"/k/delbrueck/{query}")) == ["Äpfel pflücken"]
        postings = [s for s in statements if "posting" in s]
        assert len(postings) == 1 and postings[0].count("search_text like") == 2 + (
            "garten" in query
        )
        assert "is_author_blocked" in postings[0]
        assert not [s for s in statements if "user_account" in s]


# --- Blocked authors leave the board ------------------------------------------------------


def test_a_blocked_authors_postings_leave_board_search_and_count_until_unblocked(
    app, client, author, admin, delbrueck
):
    app.config["BOARD_CACHE_SIZE"] = 0
    other = make_user(delbrueck, email="jonas@example.org", name="Jonas Becker")
    make_posting(author, title="Äpfel pflücken")
    make_posting(author, title="Äpfel sammeln", status="in_contact")
    make_posting(other, title="Äpfel verschenken")
    db.session.commit()
    admin_client = app.test_client()
    login_as(admin_client, admin)
    assert total(client.get("/k/delbrueck/")) == 3

    assert post(admin_client, f"/k/delbrueck/admin/users/{author.id}/block").status_code == 302
    for url in ("/k/delbrueck/", "/k/delbrueck/?q=äpfel", "/k/delbrueck/?q=äpfel&page=5"):
        response = client.get(url)
        assert titles(response) in (["Äpfel verschenken"], [])
        assert total(response) == 1
    member = app.test_client()
    login_as(member, other)
    assert titles(member.get("/k/delbrueck/?near=33129&radius=25")) == ["Äpfel verschenken"]
    count = select(func.count()).select_from(board_select(delbrueck, {"q": "äpfel"}).subquery())
    assert db.session.scalar(count) == 1

    assert post(admin_client, f"/k/delbrueck/admin/users/{author.id}/unblock").status_code == 302
    assert total(client.get("/k/delbrueck/?q=äpfel")) == 3
    assert db.session.scalar(count) == 3


def test_blocking_flags_her_postings_in_the_same_transaction(app, author, admin, delbrueck):
    first = make_posting(author, title="Rasen mähen")
    closed = make_posting(author, title="Hecke schneiden", status="closed")
    db.session.commit()
    version = delbrueck.board_version
    with app.test_request_context():
        moderation.block_user(admin, author)
        # Not committed yet: the loaded postings already show the flag.
        assert first.is_author_blocked and closed.is_author_blocked
        db.session.rollback()
    db.session.expire_all()
    assert not db.session.get(Posting, first.id).is_author_blocked
    with app.test_request_context():
        moderation.block_user(admin, author)
        db.session.commit()
    db.session.expire_all()
    assert db.session.get(Municipality, delbrueck.id).board_version > version
    assert db.session.get(Posting, closed.id).is_author_blocked
    # A posting written for her while blocked (e.g. by the town hall) stays off the board too.
    with app.test_request_context():
        values = {
            "direction": "request",
            "kind": "zeitspende",
            "category": "shopping",
            "title": "Noch ein Gesuch",
            "description": "Text",
            "timing": "flexible",
            "on_date": None,
            "recurrence": None,
            "pay_per_hour_cents": None,
            "radius_km": None,
            "is_remote_ok": False,
            "district_id": None,
            "postcode": "33129",
        }
        later = services.create_posting(author, delbrueck, values)
        assert later.is_author_blocked
        db.session.rollback()


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(board_cache, "clock", lambda: now[0])
    return now


def test_blocking_empties_the_cached_guest_board_at_once(app, clock, author, admin, statements):
    make_posting(author, title="Äpfel pflücken")
    db.session.commit()
    guest = app.test_client()
    first = guest.get("/k/delbrueck/")
    assert titles(first) == ["Äpfel pflücken"]
    statements.clear()
    # The second visit is answered from memory (the fast path), without a query.
    assert guest.get("/k/delbrueck/").get_data() == first.get_data()
    assert statements == []
    admin_client = app.test_client()
    login_as(admin_client, admin)
    assert post(admin_client, f"/k/delbrueck/admin/users/{author.id}/block").status_code == 302
    # The clock stands still: only the block's commit makes this worker render again.
    assert titles(guest.get("/k/delbrueck/")) == []
    assert post(admin_client, f"/k/delbrueck/admin/users/{author.id}/unblock").status_code == 302
    assert titles(guest.get("/k/delbrueck/")) == ["Äpfel pflücken"]


# --- The card: one-line excerpt, "ca. X km", the date --------------------------------------


def test_a_card_shows_an_excerpt_the_rounded_distance_and_the_date(client, author, delbrueck):
    text = (
        "Ich brauche jeden Dienstag Hilfe beim Wocheneinkauf im Supermarkt an der Lange "
        f"Straße, Tel. {PHONE}, denn die Taschen sind mir zu schwer geworden und der Bus "
        "fährt nur zweimal am Tag, vormittags und am späten Nachmittag, leider."
    )
    hagen = next(d for d in delbrueck.districts if d.name == "Hagen")
    author.latitude, author.longitude = hagen.latitude, hagen.longitude  # her postings' place
    posting = make_posting(author, title="Einkaufshilfe", description=text)
    make_posting(author, title="Kurz", description="Nur eine Zeile.\nUnd noch eine.")
    db.session.commit()
    html = client.get("/k/delbrueck/?near=33129&sort=distance").get_data(as_text=True)
    excerpts = re.findall(r'<p class="excerpt kern-body" dir="auto">([^<]*)</p>', html)
    assert "Nur eine Zeile. Und noch eine." in excerpts
    (long,) = [e for e in excerpts if e.startswith("Ich brauche")]
    assert long.endswith("…") and len(long) <= EXCERPT_CHARS + 1
    shown = text.replace(PHONE, "[Telefonnummer ausgeblendet]")  # as the board masks it
    assert shown.startswith(long[:-1]) and shown[len(long) - 1] == " "  # cut after a word
    assert "1234567" not in html
    km = round(haversine_km(postcode_point("33129"), Point(hagen.latitude, hagen.longitude)))
    assert km >= 1
    assert html.count(f'<li class="distance">ca. {km} km</li>') == 2
    day = format_date(posting.created_at.astimezone(_berlin()).date(), "medium", locale="de")
    assert f"<li>seit {day}</li>" in html
    english = client.get("/k/delbrueck/?lang=en").get_data(as_text=True)
    day_en = format_date(posting.created_at.astimezone(_berlin()).date(), "medium", locale="en")
    assert f"<li>since {day_en}</li>" in english


def _berlin():
    import pytz

    return pytz.timezone("Europe/Berlin")


def test_own_postings_show_their_excerpt_unmasked(client, author):
    make_posting(author, title="Rasen mähen", description=f"Ruf an: {PHONE}")
    db.session.commit()
    login_as(client, author)
    html = client.get("/me/postings").get_data(as_text=True)
    assert f'<p class="excerpt kern-body" dir="auto">Ruf an: {PHONE}</p>' in html


# --- The filters fold behind one control, without JavaScript --------------------------------


def test_the_filters_are_folded_behind_one_control_that_counts_the_active_ones(client, author):
    make_posting(author, title="Rasen mähen", kind="taschengeld")
    db.session.commit()
    html = client.get("/k/delbrueck/").get_data(as_text=True)
    panel = re.search(r"<details class=\"filter-panel\"( open)?>\s*<summary[^>]*>([^<]*)<", html)
    assert panel and panel.group(1) is None  # folded: the results come first on a phone
    assert not re.search(r"\d", panel.group(2))  # no filter active, no count
    # The form (and every field) is inside the panel, before the results.
    details = html[html.index('<details class="filter-panel"') : html.index("</details>")]
    assert 'name="q"' in details and 'name="kind"' in details and 'name="sort"' in details
    assert html.index("</details>") < html.index('id="results-heading"')

    html = client.get("/k/delbrueck/?kind=taschengeld&q=rasen&sort=distance").get_data(as_text=True)
    panel = re.search(r"<details class=\"filter-panel\"( open)?>\s*<summary[^>]*>([^<]*)<", html)
    assert panel.group(1) is None
    assert re.search(r"\(2\b", panel.group(2))  # kind and text; the order is no filter
    assert titles(client.get("/k/delbrueck/?kind=taschengeld&q=rasen")) == ["Rasen mähen"]

    # A value to fix opens it, so the error's link leads to a visible field.
    html = client.get("/k/delbrueck/?near=99999").get_data(as_text=True)
    assert '<details class="filter-panel" open>' in html
    assert 'href="#near"' in html


def test_an_excerpt_never_ends_in_part_of_a_number_the_database_cut(app):
    with app.test_request_context():
        # The board reads the first 300 characters: here they end inside a phone number.
        start = ("Wort " * 20) + "Tel. 0176 12"
        assert len(start) < EXCERPT_CHARS
        shown = excerpt(start, is_cut=True)
        assert shown.endswith("…") and "0176" not in shown and "12" not in shown
        assert excerpt(start, own=True, is_cut=True).startswith("Wort")
        # A whole short text stays as it is, on one line.
        assert excerpt("Zwei\n\nZeilen  Text") == "Zwei Zeilen Text"
        assert excerpt("") is None and excerpt(None) is None
        # Cut at a word, masked before it is cut.
        long = "Bitte anrufen " + PHONE + " " + "sehr lange Beschreibung " * 10
        shown = excerpt(long)
        assert "1234567" not in shown and shown.endswith("Beschreibung…")
