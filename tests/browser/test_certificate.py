"""The Engagementnachweis pages, the thank-you form (with its error summary), the public check
and the admin settings pass axe-core."""

import re
from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from exchange.accounts.models import User
from exchange.extensions import db
from exchange.ledger import certificate_services
from tests.browser.conftest import assert_accessible, sign_in, sign_out
from tests.ledger.certificate_helpers import confirmed_help


def _help(live):
    with live["app"].app_context():
        petra = db.session.scalar(select(User).where(User.email == "petra@example.org"))
        erna = db.session.scalar(select(User).where(User.email == "erna@example.org"))
        record = confirmed_help(petra, erna, date(2026, 3, 4), 150, "zeitspende", "shopping")
        certificate = certificate_services.issue(petra, 2026)
        db.session.commit()
        return record.id, certificate.code


def test_thanks_proof_check_and_settings_are_accessible(live, page):
    base = live["url"]
    record_id, code = _help(live)

    sign_in(page, base, "erna@example.org", "Erna-Demo-2026!")
    page.goto(f"{base}/me/engagement/nachweis")
    page.locator(f"main a[href='/me/engagement/{record_id}/danke']").click()
    expect(page.locator("#body")).to_be_visible()
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_title(re.compile(r"^Fehler:"))
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page)
    page.fill("#body", "Vielen Dank für die Hilfe beim Einkaufen!")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flashes")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "petra@example.org", "Petra-Demo-2026!")
    page.goto(f"{base}/me/engagement/nachweis")
    expect(page.locator("main")).to_contain_text("Vielen Dank für die Hilfe beim Einkaufen!")
    expect(page.locator("main form[action='/me/engagement/nachweis/2026.pdf']")).to_be_visible()
    assert_accessible(page)
    # Right to left too.
    page.goto(f"{base}/me/engagement/nachweis?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_accessible(page)
    page.goto(f"{base}/me/engagement/nachweis?lang=de")
    sign_out(page)

    page.goto(f"{base}/nachweis/{code}")
    expect(page.locator("#certificate-facts")).to_contain_text("2026")
    assert_accessible(page)
    page.goto(f"{base}/nachweis?code=nonsense")
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)

    sign_in(page, base, "admin@delbrueck.example", "Admin-Demo-2026!")
    page.goto(base + "/k/delbrueck/admin/")
    page.locator("main a[href='/k/delbrueck/admin/engagement']").click()
    expect(page.locator("#ledger_retention_years")).to_be_visible()
    assert_accessible(page)
    page.fill("#ledger_retention_years", "99")
    page.locator("main form[action='/k/delbrueck/admin/engagement'] button[type=submit]").click()
    expect(page).to_have_title(re.compile(r"^Fehler:"))
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page)
