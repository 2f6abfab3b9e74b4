"""Closing a posting with the outcome form, keyboard only; axe on the outcome form (with its
error summary), /me/engagement and the admin's help records (issue 11 B.1)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from exchange.accounts.models import User
from exchange.extensions import db
from exchange.ledger.models import HelpRecord
from exchange.messaging.models import Conversation
from exchange.postings.models import Posting
from exchange.timeutil import utcnow
from tests.browser.conftest import assert_accessible, sign_in, sign_out
from tests.browser.test_journeys import Keyboard

ERNA = ("erna@example.org", "Erna-Demo-2026!")
PETRA = ("petra@example.org", "Petra-Demo-2026!")
ADMIN = ("admin@delbrueck.example", "Admin-Demo-2026!")
TITLE = "Hilfe beim Umtopfen der Balkonpflanzen"

pytestmark = pytest.mark.browser


def _posting_petra_helps_with(live) -> int:
    """Erna's request, answered by Petra, who was chosen (set up directly)."""
    with live["app"].test_request_context():
        erna = db.session.scalar(select(User).where(User.email == ERNA[0]))
        petra = db.session.scalar(select(User).where(User.email == PETRA[0]))
        posting = Posting(
            municipality_id=erna.municipality_id,
            author_id=erna.id,
            direction="request",
            kind="zeitspende",
            category="garden",
            title=TITLE,
            description="Zwölf Töpfe auf dem Balkon brauchen frische Erde.",
            postcode=erna.postcode,
            latitude=erna.latitude,
            longitude=erna.longitude,
            district_id=erna.district_id,
            timing="flexible",
            status="assigned",
            expires_at=utcnow() + timedelta(weeks=8),
        )
        db.session.add(posting)
        db.session.flush()
        db.session.add(
            Conversation(
                municipality_id=posting.municipality_id,
                posting_id=posting.id,
                posting_title=posting.title,
                author_id=erna.id,
                responder_id=petra.id,
                is_assigned=True,
            )
        )
        db.session.commit()
        return posting.id


def test_the_author_closes_a_posting_with_the_keyboard(live, page):
    base = live["url"]
    posting_id = _posting_petra_helps_with(live)
    keys = Keyboard(page)
    sign_in(page, base, *ERNA)
    page.goto(f"{base}/k/delbrueck/postings/{posting_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # "Hilfe gefunden" leads to the question what happened.
    keys.skip_to_content("to the outcome form")
    keys.press_enter(page.locator("#end-done"), "to the outcome form")
    expect(page).to_have_url(re.compile(rf"/postings/{posting_id}/outcome$"))
    form = page.locator("#outcome-form")
    expect(form).to_be_visible()
    # Petra, the chosen helper, is preselected; neither answer is.
    expect(page.locator("input[name=person]:checked")).to_have_count(1)
    expect(page.locator("input[name=outcome]:checked")).to_have_count(0)
    assert_accessible(page)

    # Sent without an answer: the error summary takes the focus and names the field.
    keys.skip_to_content("send empty")
    keys.press_enter(form.locator("button[type=submit]"), "send empty")
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator('a[href="#outcome"]')).to_have_count(1)
    expect(page).to_have_title(re.compile(r"^Fehler"))
    assert_accessible(page)

    # "The help took place", 1,5 hours, today (prefilled), with Petra.
    step = "outcome form"
    keys.choose_radio("outcome", "helped", step)
    hours = page.locator("#hours")
    keys.tab_to(hours, step)
    page.keyboard.press("Control+A")
    page.keyboard.type("1,5")
    expect(hours).to_have_value("1,5")
    keys.press_enter(page.locator("#outcome-form button[type=submit]"), step)
    expect(page.locator(".flashes")).to_contain_text(
        "Der Eintrag steht nicht mehr in der Übersicht"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".badges")).to_contain_text("Erledigt")
    expect(page.locator("#end-done")).to_have_count(0)
    assert_accessible(page)
    keys.report("Erna closes a posting")
    assert keys.counts["outcome form"] <= 12, keys.counts
    # Her own engagement page shows the report waiting for Petra.
    page.goto(f"{base}/me/engagement")
    expect(page.locator("#engagement-pending")).to_contain_text("Petra")
    assert_accessible(page)

    with live["app"].app_context():
        record = db.session.scalar(select(HelpRecord).where(HelpRecord.posting_id == posting_id))
        assert record.minutes_reported == 90 and record.status == "reported"
        record_id = record.id

    # Petra sees it on her engagement page, disputes it; the admin sees the dispute.
    sign_out(page)
    sign_in(page, base, *PETRA)
    page.goto(f"{base}/me/engagement")
    expect(page.locator(f'#waiting a[href="/me/engagement/{record_id}"]')).to_have_count(1)
    assert_accessible(page)
    page.goto(f"{base}/me/engagement/{record_id}")
    expect(page.locator("#confirm-form")).to_be_visible()
    assert_accessible(page)
    page.locator("#answer-1").check()
    page.fill("#hours", "2")
    page.fill("#note", "Wir haben auch noch den Balkon gefegt.")
    page.locator("#confirm-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me/engagement$"))
    assert_accessible(page)

    sign_out(page)
    sign_in(page, base, *ADMIN)
    page.goto(f"{base}/k/delbrueck/admin/help-records")
    expect(page.locator("#records-disputed")).to_contain_text("Petra")
    assert_accessible(page)
    page.goto(f"{base}/k/delbrueck/admin/help-records/{record_id}")
    expect(page.locator("#decide-form")).to_be_visible()
    assert_accessible(page)
