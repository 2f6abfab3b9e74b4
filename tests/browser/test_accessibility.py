"""axe-core (WCAG 2.0, 2.1 and 2.2 A and AA) reports no violation on the main pages."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from exchange.extensions import db
from exchange.postings.models import Posting
from tests.browser.conftest import assert_accessible, sign_in

PUBLIC_PAGES = [
    "/",
    "/k/delbrueck/",
    "/k/delbrueck/?kind=taschengeld&direction=offer",
    "/k/delbrueck/postings/4",  # open; the demo's postings 1-3 are help that happened
    "/login",
    "/register",
    "/password/forgot",
    "/activate",
    "/k/delbrueck/accessibility",
    "/k/delbrueck/imprint",
    "/k/delbrueck/privacy",
    "/k/delbrueck/terms",
    "/k/delbrueck/conduct",
    "/imprint",
    "/privacy",
    "/terms",
    "/conduct",
    "/k/delbrueck/leichte-sprache",
    "/k/delbrueck/leichte-sprache?lang=ar",
    "/leichte-sprache",
    "/k/nowhere/",
    "/k/delbrueck/?lang=ar",
    "/k/delbrueck/postings/4?lang=fa",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_violations(live, page, path):
    page.goto(live["url"] + path)
    assert_accessible(page)


def test_a_barrier_report_with_errors_and_sent_is_accessible(live, page):
    page.goto(live["url"] + "/k/delbrueck/accessibility")
    page.locator("footer").get_by_role("link", name="Barriere melden").click()
    expect(page).to_have_url(re.compile(r"/k/delbrueck/accessibility#feedback$"))
    page.fill("#email", "kein-at-zeichen")
    page.locator("#feedback-form button[type=submit]").click()
    expect(page).to_have_title(re.compile(r"^Fehler:"))
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page)
    page.fill("#message", "Die Schrift auf dem Vermittlungsblatt ist zu klein.")
    page.fill("#email", "")
    page.locator("#feedback-form button[type=submit]").click()
    expect(page.locator(".flashes")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/k/delbrueck/accessibility$"))
    assert_accessible(page)


def test_the_statement_form_with_errors_is_accessible(live, page):
    sign_in(page, live["url"], "admin@delbrueck.example", "Admin-Demo-2026!")
    page.goto(live["url"] + "/k/delbrueck/admin/accessibility")
    page.fill("#enforcement_url", "keine-adresse")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_title(re.compile(r"^Fehler:"))
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page)


def test_right_to_left_languages_set_dir(live, page):
    page.goto(live["url"] + "/k/delbrueck/?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"


def test_registration_errors_are_accessible_and_focused(live, page):
    page.goto(live["url"] + "/register")
    page.fill("#email", "kein-at-zeichen")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_title(re.compile(r"^Fehler:"))
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    # Focus moves once the page has loaded (autofocus, or the deferred script): wait for it.
    expect(summary).to_be_focused()
    link = summary.get_by_role("link").first
    target = link.get_attribute("href")
    link.click()
    expect(page.locator(target)).to_be_focused()
    assert_accessible(page)


SIGNED_IN_PAGES = [
    "/k/delbrueck/postings/new",
    "/me",
    "/me/postings",
    "/me/messages/",
    "/me/password",
    "/me/delete",
    "/me/email",
    "/me/sessions",
]


def test_signed_in_pages_have_no_violations(live, page):
    sign_in(page, live["url"], "petra@example.org", "Petra-Demo-2026!")
    for path in SIGNED_IN_PAGES:
        page.goto(live["url"] + path)
        assert_accessible(page)
    page.goto(live["url"] + "/k/delbrueck/postings/new")
    page.locator("main form button[name=nav][value=next]").click()
    expect(page).to_have_title(re.compile(r"^Fehler:"))
    assert_accessible(page)


def test_admin_pages_have_no_violations(live, page):
    sign_in(page, live["url"], "admin@delbrueck.example", "Admin-Demo-2026!")
    for path in (
        "/k/delbrueck/admin/",
        "/k/delbrueck/admin/reports",
        "/k/delbrueck/admin/proxies",
        "/k/delbrueck/admin/inbox",
        "/k/delbrueck/admin/audit",
        "/k/delbrueck/admin/approvals",
        "/k/delbrueck/admin/terms",
        "/k/delbrueck/admin/barriers",
        "/k/delbrueck/admin/accessibility",
        "/k/delbrueck/admin/easy-language",
        "/me/matches",
    ):
        page.goto(live["url"] + path)
        assert_accessible(page)
    page.goto(live["url"] + "/k/delbrueck/admin/proxies")
    page.get_by_role("link", name="Gertrud Schäfer").click()
    assert_accessible(page)
    detail = page.url
    for link in ("Vermittlungsblatt zum Drucken", "Angaben ändern", "Brief mit Aktivierungscode"):
        page.goto(detail)
        page.get_by_role("link", name=link).click()
        assert_accessible(page)
        if link == "Vermittlungsblatt zum Drucken":
            # The demo shows a real match on the sheet: Petra's offer 3 km away.
            assert "Ich nehme Sie zum Einkaufen mit" in page.inner_text(".sheet")
    page.goto(live["url"] + "/k/delbrueck/admin/proxies/new")
    page.get_by_role("button", name="Registrieren").click()
    expect(page).to_have_title(re.compile(r"^Fehler:"))
    assert_accessible(page)
    with live["app"].app_context():  # a posting on the board (the demo also has done ones)
        skat = db.session.scalar(
            select(Posting.id).where(Posting.title == "Wer spielt mit mir Skat?")
        )
    page.goto(live["url"] + f"/k/delbrueck/postings/{skat}/report")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_title(re.compile(r"^Fehler:"))
    assert_accessible(page)


def test_operator_pages_have_no_violations(live, page):
    from exchange.accounts.models import User
    from exchange.accounts.passwords import hash_password
    from exchange.extensions import db

    with live["app"].app_context():
        admin = db.session.scalar(db.select(User).where(User.email == "admin@delbrueck.example"))
        if db.session.scalar(db.select(User).where(User.email == "op@example.org")) is None:
            db.session.add(
                User(
                    municipality_id=admin.municipality_id,
                    email="op@example.org",
                    password_hash=hash_password("Betrieb-Demo-2026!"),
                    display_name="Olga Betrieb",
                    postcode=admin.postcode,
                    latitude=admin.latitude,
                    longitude=admin.longitude,
                    role="superadmin",
                )
            )
            db.session.commit()
    sign_in(page, live["url"], "op@example.org", "Betrieb-Demo-2026!")
    page.goto(live["url"] + "/admin/")
    assert_accessible(page)
    page.get_by_role("link", name="Delbrück bearbeiten").click()
    assert_accessible(page)
    page.goto(live["url"] + "/admin/")
    page.get_by_role("link", name="Admins von Delbrück").click()
    assert_accessible(page)
    page.goto(live["url"] + "/admin/municipalities/new")
    page.get_by_role("button", name="Kommune anlegen").click()
    expect(page).to_have_title(re.compile(r"^Fehler:"))
    assert_accessible(page)


def test_acting_banner_has_no_violations(live, page):
    sign_in(page, live["url"], "admin@delbrueck.example", "Admin-Demo-2026!")
    page.goto(live["url"] + "/k/delbrueck/admin/proxies")
    page.get_by_role("link", name="Gertrud Schäfer").click()
    page.get_by_role("button", name="Für Gertrud Schäfer handeln").click()
    for path in ("/k/delbrueck/", "/me/postings", "/me/messages"):
        page.goto(live["url"] + path)
        assert "Sie handeln für Gertrud Schäfer" in page.inner_text("body")
        assert_accessible(page)
    page.get_by_role("button", name="Handeln für Gertrud Schäfer beenden").click()


def test_operator_mail_page_has_no_violations(live, page):
    from exchange.accounts.models import User
    from exchange.accounts.passwords import hash_password
    from exchange.extensions import db
    from exchange.mail.models import OutboxEmail
    from exchange.timeutil import utcnow

    with live["app"].app_context():
        admin = db.session.scalar(db.select(User).where(User.email == "admin@delbrueck.example"))
        if db.session.scalar(db.select(User).where(User.email == "op@example.org")) is None:
            db.session.add(
                User(
                    municipality_id=admin.municipality_id,
                    email="op@example.org",
                    password_hash=hash_password("Betrieb-Demo-2026!"),
                    display_name="Olga Betrieb",
                    postcode=admin.postcode,
                    latitude=admin.latitude,
                    longitude=admin.longitude,
                    role="superadmin",
                )
            )
        db.session.add(
            OutboxEmail(
                recipient="erna@example.org",
                subject="Neue Nachricht",
                body="Text",
                locale="de",
                attempts=1,
                failed_at=utcnow(),
                failure="rejected",
                last_error="SMTPRecipientsRefused: 550 e***@example.org unknown",
            )
        )
        db.session.commit()
    sign_in(page, live["url"], "op@example.org", "Betrieb-Demo-2026!")
    page.goto(live["url"] + "/admin/mail")
    expect(page.locator("#mail-failed")).to_have_text("1")
    assert_accessible(page)
    page.goto(live["url"] + "/admin/mail/requeue-all")
    assert_accessible(page)


def test_signed_in_language_switch_saves_with_a_button(live, page):
    sign_in(page, live["url"], "petra@example.org", "Petra-Demo-2026!")
    page.goto(live["url"] + "/me/postings")
    switch = page.get_by_role("navigation", name="Sprache")
    switch.get_by_role("button", name="English").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/me/postings$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switch = page.get_by_role("navigation", name="Language")
    expect(switch.locator("[aria-current=true]")).to_have_text("English")
    assert_accessible(page)
    page.goto(live["url"] + "/me")  # saved: every page now, not just this one
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # Back to German, so that the rest of this module sees Petra as before.
    page.get_by_role("navigation", name="Language").get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
