"""The Kommune's accessibility statement: its sections, the barrier form, the admins' side."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from exchange.extensions import db
from exchange.mail.models import OutboxEmail
from exchange.municipalities.accessibility.enforcement import BY_STATE, FEDERAL, body_for_state
from exchange.municipalities.accessibility.models import (
    AccessibilityFeedback,
    AccessibilityStatement,
)
from exchange.municipalities.accessibility.queries import review_due_since
from exchange.municipalities.states import STATES
from exchange.timeutil import clock_at
from tests.conftest import csrf_token, login_as, make_user, post, text_of

PAGE = "/k/delbrueck/accessibility"
FEEDBACK = "/k/delbrueck/accessibility/feedback"
EDIT = "/k/delbrueck/admin/accessibility"
BARRIERS = "/k/delbrueck/admin/barriers"


@pytest.fixture
def admin(delbrueck):
    user = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    return user


def _feedback_rows():
    return db.session.scalars(
        select(AccessibilityFeedback).order_by(AccessibilityFeedback.id)
    ).all()


def _outbox_count() -> int:
    return db.session.scalar(select(func.count(OutboxEmail.id)))


def test_the_page_shows_every_section_in_order(client, delbrueck):
    delbrueck.state = "NW"
    db.session.commit()
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    ids = [
        'id="statement-status"',
        'id="statement-limitations"',
        'id="statement-evaluation"',
        'id="feedback"',
        'id="statement-enforcement"',
    ]
    positions = [html.index(i) for i in ids]
    assert positions == sorted(positions)
    # The default: partially compliant, self-assessed, honest about three parts.
    assert 'data-status="partial"' in html
    assert html.count('<h3 class="kern-heading-small') == 3
    assert 'id="statement-reviewed"' in html
    # The form posts (no mailto), with a CSRF token, and names NRW's Ombudsstelle.
    assert 'action="/k/delbrueck/accessibility/feedback"' in html
    assert 'name="csrf_token"' in html
    assert 'href="https://www.lbbp.nrw.de/ombudsstelle"' in html
    # The footer's "Report a barrier" leads to the form.
    assert 'href="/k/delbrueck/accessibility#feedback"' in html
    assert "mailto:" not in html.split("<footer")[1]


def test_the_page_carries_a_session_so_no_shared_cache_keeps_it(client, delbrueck):
    response = client.get(PAGE)
    assert "public" not in response.headers.get("Cache-Control", "")


def test_a_land_without_its_own_body_falls_back_to_the_federal_one(client, delbrueck):
    assert set(BY_STATE) == set(STATES)
    assert body_for_state("") == FEDERAL
    assert body_for_state("XX") == FEDERAL
    assert body_for_state("TH") == FEDERAL
    html = client.get(PAGE).get_data(as_text=True)
    assert 'href="https://www.schlichtungsstelle-bgg.de"' in html


def test_every_land_body_has_an_official_https_address():
    for body in [FEDERAL, *(b for b in BY_STATE.values() if b)]:
        assert body.url.startswith("https://") and body.name


def test_the_default_statement_follows_the_readers_language(client, delbrueck):
    german = text_of(client.get(PAGE + "?lang=de"))
    english = text_of(client.get(PAGE + "?lang=en"))
    assert "Letters as PDF files" in english and "partially compliant" in english
    # The same three parts in each language (the German words come from the catalogue).
    assert german.count("kern-heading-small") == english.count("kern-heading-small") == 3


def test_a_guest_reports_a_barrier_and_gets_an_acknowledgement(client, delbrueck, admin, mailbox):
    response = post(
        client,
        FEEDBACK,
        {
            "message": "Der Knopf zum Senden ist mit der Tastatur nicht erreichbar.",
            "page": "/k/delbrueck/postings/new",
            "name": "Erna Müller",
            "email": "Erna@Example.org",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(PAGE)
    [row] = _feedback_rows()
    assert row.municipality_id == delbrueck.id
    assert row.message.startswith("Der Knopf")
    assert row.page == "/k/delbrueck/postings/new"
    assert row.email == "erna@example.org" and row.answered_at is None
    [body] = mailbox.bodies_to("erna@example.org")
    assert "http://localhost/k/delbrueck/accessibility" in body
    assert "Delbrück" in body
    # Nothing the sender typed goes into the mail: the form cannot send others a text.
    assert "Knopf" not in body and "Erna" not in body

    login_as(client, admin)
    dashboard = client.get("/k/delbrueck/admin/").get_data(as_text=True)
    assert re.search(r'id="barriers-open" href="/k/delbrueck/admin/barriers">1\b', dashboard)
    listing = client.get(BARRIERS).get_data(as_text=True)
    assert f'id="barrier-{row.id}"' in listing and "Der Knopf zum Senden" in listing
    assert 'href="mailto:erna@example.org"' in listing

    answered = post(client, f"{BARRIERS}/{row.id}/answered", {"note": "Rückruf am Montag"})
    assert answered.status_code == 302
    db.session.refresh(row)
    assert row.answered_at is not None and row.answer_note == "Rückruf am Montag"
    listing = client.get(BARRIERS).get_data(as_text=True)
    assert f'id="barrier-{row.id}"' not in listing and "Rückruf am Montag" in listing
    # Answering twice changes nothing.
    first = row.answered_at
    post(client, f"{BARRIERS}/{row.id}/answered", {"note": "noch einmal"})
    db.session.refresh(row)
    assert row.answered_at == first and row.answer_note == "Rückruf am Montag"


def test_without_an_address_no_mail_is_queued(client, delbrueck):
    response = post(client, FEEDBACK, {"message": "Kontrast zu schwach"})
    assert response.status_code == 302
    assert len(_feedback_rows()) == 1
    assert _outbox_count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"message": ""},
        {"message": "   "},
        {"message": "x" * 5001},
        {"message": "Barriere", "email": "kein-at-zeichen"},
        {"message": "Barriere", "name": "n" * 121},
        {"message": "Barriere", "page": "p" * 501},
        {"message": "Barriere\u202e"},
    ],
)
def test_bad_input_changes_nothing_and_says_why(client, delbrueck, data):
    response = post(client, FEEDBACK, data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="error-summary"' in html
    assert _feedback_rows() == [] and _outbox_count() == 0


def test_without_csrf_nothing_is_stored(client, delbrueck):
    response = client.post(FEEDBACK, data={"message": "Barriere"})
    assert response.status_code == 400
    assert _feedback_rows() == []


def test_the_form_is_rate_limited(client, delbrueck):
    token = csrf_token(client)
    codes = [
        client.post(FEEDBACK, data={"message": f"Barriere {n}", "csrf_token": token}).status_code
        for n in range(6)
    ]
    assert codes[:5] == [302] * 5 and codes[5] == 429
    assert len(_feedback_rows()) == 5


def test_a_get_of_the_form_address_leads_to_the_form(client, delbrueck):
    response = client.get(FEEDBACK)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(PAGE + "#feedback")


def test_another_kommunes_admin_gets_404_for_a_report(client, delbrueck, paderborn):
    post(client, FEEDBACK, {"message": "Barriere in Delbrück"})
    [row] = _feedback_rows()
    other = make_user(paderborn, email="pb@example.org", role="admin", postcode="33098")
    db.session.commit()
    login_as(client, other)
    assert post(client, f"/k/paderborn/admin/barriers/{row.id}/answered").status_code == 404
    assert "Barriere in Delbrück" not in client.get("/k/paderborn/admin/barriers").get_data(
        as_text=True
    )
    assert client.get(BARRIERS).status_code == 403
    db.session.refresh(row)
    assert row.answered_at is None


def test_reports_and_statements_stay_in_their_kommune(client, delbrueck, paderborn, admin):
    post(client, "/k/paderborn/accessibility/feedback", {"message": "Barriere in Paderborn"})
    login_as(client, admin)
    assert "Barriere in Paderborn" not in client.get(BARRIERS).get_data(as_text=True)
    overview = client.get("/k/delbrueck/admin/").get_data(as_text=True)
    assert re.search(r'id="barriers-open" href="/k/delbrueck/admin/barriers">0\b', overview)
    response = post(client, EDIT, _statement_form(status="full", prepared_by="Heike Amt"))
    assert response.status_code == 302
    assert 'data-status="full"' in client.get(PAGE).get_data(as_text=True)
    assert 'data-status="partial"' in client.get("/k/paderborn/accessibility").get_data(
        as_text=True
    )


def _statement_form(**values) -> dict:
    data = {
        "status": "partial",
        "evaluation_method": "self",
        "evaluated_on": "",
        "prepared_by": "",
        "enforcement_name": "",
        "enforcement_url": "",
    }
    data.update(values)
    return data


def test_the_admin_edits_the_statement(client, delbrueck, admin):
    delbrueck.state = "NW"
    db.session.commit()
    login_as(client, admin)
    form = client.get(EDIT)
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    # Prefilled with the defaults, three parts; the Land's body shown as the automatic one.
    assert 'name="what_3"' in html and 'name="what_6"' in html
    assert "Ombudsstelle für barrierefreie Informationstechnik" in html
    response = post(
        client,
        EDIT,
        _statement_form(
            status="none",
            evaluation_method="external",
            evaluated_on="2026-10-01",
            prepared_by="BIK für Alle, Prüfstelle",
            what_1="Stadtplan",
            why_1="Eine Karte ohne Textfassung.",
            alternative_1="Das Rathaus beschreibt den Weg am Telefon.",
            enforcement_name="Ombudsstelle NRW",
            enforcement_url="https://www.example.org/ombud",
        ),
    )
    assert response.status_code == 302
    row = db.session.scalar(select(AccessibilityStatement))
    assert row.status == "none" and row.evaluation_method == "external"
    assert row.limitations == [
        {
            "what": "Stadtplan",
            "why": "Eine Karte ohne Textfassung.",
            "alternative": "Das Rathaus beschreibt den Weg am Telefon.",
        }
    ]
    assert row.reviewed_on is not None
    page = client.get(PAGE).get_data(as_text=True)
    assert 'data-status="none"' in page
    assert "Stadtplan" in page and "Letters as PDF" not in page
    assert "BIK für Alle, Prüfstelle" in page
    assert 'datetime="2026-10-01"' in page
    assert 'href="https://www.example.org/ombud"' in page


def test_unchanged_defaults_stay_translated(client, delbrueck, admin):
    admin.locale = "en"
    db.session.commit()
    login_as(client, admin)
    html = client.get(EDIT + "?lang=en").get_data(as_text=True)
    assert "Letters as PDF files" in html
    # Submit exactly what the form showed (the English defaults): stored as "the defaults".
    from exchange.municipalities.accessibility.defaults import DEFAULT_LIMITATIONS

    parts = {}
    with force_locale("en"):  # as the form showed them to her
        for n, (what, why, alternative) in enumerate(DEFAULT_LIMITATIONS, start=1):
            parts.update(
                {f"what_{n}": str(what), f"why_{n}": str(why), f"alternative_{n}": str(alternative)}
            )
    response = post(client, EDIT, _statement_form(**parts))
    assert response.status_code == 302
    row = db.session.scalar(select(AccessibilityStatement))
    assert row.limitations is None and row.prepared_by is None


def test_bad_statement_input_changes_nothing(client, delbrueck, admin):
    login_as(client, admin)
    for data in (
        _statement_form(status="maybe"),
        _statement_form(evaluated_on="gestern"),
        _statement_form(enforcement_name="Nur ein Name"),
        _statement_form(enforcement_name="Stelle", enforcement_url="javascript:alert(1)"),
        _statement_form(why_2="Ein Grund ohne Teil"),
    ):
        response = post(client, EDIT, data)
        assert response.status_code == 200
        assert 'id="error-summary"' in response.get_data(as_text=True)
    assert db.session.scalar(select(AccessibilityStatement)) is None


def test_a_resident_and_a_guest_cannot_edit(client, delbrueck):
    resident = make_user(delbrueck, email="res@example.org")
    db.session.commit()
    assert client.get(EDIT).status_code in (302, 401, 403)
    login_as(client, resident)
    assert client.get(EDIT).status_code == 403
    assert post(client, EDIT, _statement_form(status="full")).status_code == 403
    assert client.get(BARRIERS).status_code == 403
    assert db.session.scalar(select(AccessibilityStatement)) is None


def test_the_overview_reminds_after_twelve_months(app, client, delbrueck, admin):
    created = datetime(2026, 1, 10, 10, tzinfo=UTC)
    delbrueck.created_at = created
    db.session.commit()
    login_as(client, admin)
    with clock_at(datetime(2027, 1, 10, 10, tzinfo=UTC)):
        assert review_due_since(delbrueck) is None
        assert 'id="statement-review-reminder"' not in client.get("/k/delbrueck/admin/").get_data(
            as_text=True
        )
    with clock_at(datetime(2027, 1, 11, 10, tzinfo=UTC)):
        assert review_due_since(delbrueck) is not None
        assert 'id="statement-review-reminder"' in client.get("/k/delbrueck/admin/").get_data(
            as_text=True
        )
        # Saving is the review: the reminder goes.
        assert post(client, EDIT, _statement_form()).status_code == 302
        assert 'id="statement-review-reminder"' not in client.get("/k/delbrueck/admin/").get_data(
            as_text=True
        )
    row = db.session.scalar(select(AccessibilityStatement))
    assert str(row.reviewed_on) == "2027-01-11"
    with clock_at(datetime(2028, 1, 12, 10, tzinfo=UTC)):
        assert 'id="statement-review-reminder"' in client.get("/k/delbrueck/admin/").get_data(
            as_text=True
        )
