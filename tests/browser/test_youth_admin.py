"""The Taschengeldbörse's admin pages pass axe-core: the rules (with an error summary), the
holidays, the consent list, a young person's page and the withdrawal's confirmation."""

import re
from datetime import date

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

ADMIN = ("admin@delbrueck.example", "Admin-Demo-2026!")


def test_policy_page_with_and_without_errors_is_accessible(live, page):
    base = live["url"]
    sign_in(page, base, *ADMIN)
    page.goto(base + "/k/delbrueck/admin/")
    page.locator("main a[href='/k/delbrueck/admin/youth']").first.click()
    expect(page.locator("#min_age")).to_have_value("14")
    expect(page.locator("#earliest")).to_have_value("08:00")
    assert_accessible(page)

    page.fill("#min_age", "12")
    page.fill("#daily_hours", "9")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_title(re.compile(r"^Fehler:"))
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#min_age']")).to_be_visible()
    expect(summary.locator("a[href='#daily_hours']")).to_be_visible()
    assert_accessible(page)

    page.fill("#min_age", "13")
    page.fill("#daily_hours", "2")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flashes")).to_be_visible()
    expect(page.locator("#min_age")).to_have_value("13")


def test_holidays_page_is_accessible(live, page):
    base = live["url"]
    sign_in(page, base, *ADMIN)
    page.goto(base + "/k/delbrueck/admin/youth/holidays")
    expect(page.locator("h2#public")).to_be_visible()
    assert_accessible(page)

    # An empty name: the add form's error summary.
    page.fill("#holiday_date", f"{date.today().year + 1}-08-15")
    page.locator("form[action$='/holidays/local'] button[type=submit]").click()
    expect(page).to_have_title(re.compile(r"^Fehler:"))
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page)

    page.fill("#holiday_name", "Mariä Himmelfahrt")
    page.locator("form[action$='/holidays/local'] button[type=submit]").click()
    expect(page.locator(".flashes")).to_be_visible()
    expect(page.locator("main table").filter(has_text="Mariä Himmelfahrt")).to_be_visible()
    assert_accessible(page)


def test_consent_pages_are_accessible(live, page):
    base = live["url"]
    sign_in(page, base, *ADMIN)
    page.goto(base + "/k/delbrueck/admin/")
    page.locator("main a#consents-missing").click()
    expect(page.locator("h2#missing")).to_be_visible()
    assert_accessible(page)

    # A young person waiting for the form (Jonas in the demo), else one whose form is recorded.
    people = page.locator("main a[href*='/admin/youth/consents/']")
    expect(people.first).to_be_visible()
    people.first.click()
    expect(page.locator("#consent-status")).to_be_visible()
    assert_accessible(page)

    if page.locator("#signed_on").count():
        page.locator("main form:has(#signed_on) button[type=submit]").click()
        expect(page).to_have_title(re.compile(r"^Fehler:"))
        expect(page.locator("#error-summary")).to_be_focused()
        assert_accessible(page)

        page.fill("#signed_on", date.today().isoformat())
        page.fill("#signed_by", "Sabine Becker")
        page.locator("#signed_by").press("Enter")
        expect(page.locator("#consent-status")).to_contain_text("Sabine Becker")
        assert_accessible(page)

    page.locator("main a[href$='/withdraw']").click()
    expect(page.locator("#withdrawn_on")).to_have_value(date.today().isoformat())
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#signed_on")).to_be_visible()
