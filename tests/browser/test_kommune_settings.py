"""The Kommune's settings page and its contact page pass axe-core, errors included."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in


def test_settings_page_and_contact_page_are_accessible(live, page):
    base = live["url"]
    sign_in(page, base, "admin@delbrueck.example", "Admin-Demo-2026!")
    page.goto(base + "/k/delbrueck/admin/")
    page.locator("main a[href='/k/delbrueck/admin/settings']").click()
    expect(page.locator("#phone")).to_have_value("05250 996-0")
    assert_accessible(page)

    page.fill("#phone", "ruf an")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_title(re.compile(r"^Fehler:"))
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert_accessible(page)

    page.fill("#phone", "05250 996-100")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flashes")).to_be_visible()
    page.goto(base + "/k/delbrueck/imprint")
    # The contact page's own list (the footer shows the number too).
    expect(page.locator("main a[href='tel:+495250996100']")).to_have_text("05250 996-100")
    expect(page.locator("footer a[href='tel:+495250996100']")).to_have_text("05250 996-100")
    assert_accessible(page)
