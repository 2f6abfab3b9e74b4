"""A 14-year-old registers; the parent confirms by link (issue 11 A.5), in a real browser + axe."""

import re
from datetime import date

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.conftest import link_in_mail

PARENT = "eltern.lena@example.org"


def test_register_needs_a_parent_and_the_parent_confirms(live, page):
    base = live["url"]
    today = date.today()
    page.goto(base + "/register?k=delbrueck")
    page.fill("#display_name", "Lena Vogt")
    page.fill("#email", "lena.vogt@example.org")
    page.fill("#password", "Fahrrad-fahren-am-See-9")
    page.fill("#password_repeat", "Fahrrad-fahren-am-See-9")
    page.fill("#birth_date", date(today.year - 14, 3, 1).isoformat())
    page.fill("#postcode", "33129")
    page.check("#accepts_privacy")
    page.check("#accepts_terms")
    page.locator("main form button[type=submit]").click()
    # No parent address: the error summary names the field, nothing is created.
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary a[href='#parent_email']")).to_be_visible()
    assert_accessible(page)

    page.fill("#password", "Fahrrad-fahren-am-See-9")
    page.fill("#password_repeat", "Fahrrad-fahren-am-See-9")
    page.fill("#parent_email", PARENT)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("lena.vogt@example.org")

    # She cannot sign in before the parent confirmed; the page says so.
    page.goto(base + "/login")
    page.fill("#email", "lena.vogt@example.org")
    page.fill("#password", "Fahrrad-fahren-am-See-9")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("form[action='/eltern/erneut-senden'] button")).to_be_visible()
    assert_accessible(page)

    link = link_in_mail(live["mail"], PARENT, "/eltern/bestaetigen/")
    page.goto(base + link)
    expect(page.locator("main")).to_contain_text("Lena Vogt")
    expect(page.locator("main")).to_contain_text(str(today.year - 14))
    assert_accessible(page)
    page.locator(f"main a[href='{link}/ablehnen']").click()
    expect(page).to_have_url(re.compile(r"/ablehnen$"))
    assert_accessible(page)
    page.go_back()
    page.locator(f"main form[action='{link}'] button").click()
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator(f"main form[action='{link}']")).to_have_count(0)
    assert_accessible(page)

    page.goto(base + "/login")
    page.fill("#email", "lena.vogt@example.org")
    page.fill("#password", "Fahrrad-fahren-am-See-9")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/k/delbrueck/"))
