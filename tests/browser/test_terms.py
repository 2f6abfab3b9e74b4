"""Terms of use in a real browser: the admin publishes a new version, a resident agrees to it.

Its own module (and so its own live demo database): publishing changes the Kommune for everyone.
"""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in, sign_out
from tests.browser.steps import at_step


def test_registering_keeps_the_input_after_reading_the_terms(live, page):
    base = live["url"]
    page.goto(base + "/register?k=delbrueck")
    page.fill("#display_name", "Hildegard Kramer")
    page.fill("#email", "hildegard.k@example.org")
    page.fill("#birth_date", "1947-06-12")
    page.check("#accepts_privacy")
    page.locator("a[href='/k/delbrueck/terms']").click()
    expect(page).to_have_url(re.compile(r"/k/delbrueck/terms$"))
    assert_accessible(page)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/register"))
    expect(page.locator("#display_name")).to_have_value("Hildegard Kramer")
    expect(page.locator("#email")).to_have_value("hildegard.k@example.org")
    expect(page.locator("#accepts_privacy")).to_be_checked()


def test_admin_publishes_a_new_version_and_a_resident_agrees_to_it(live, page):
    base = live["url"]
    sign_in(page, base, "admin@delbrueck.example", "Admin-Demo-2026!")
    page.goto(base + "/k/delbrueck/admin/terms")
    assert_accessible(page)
    terms = page.locator("#terms_text")
    terms.fill(terms.input_value() + "\n\nNeu: Fundsachen bitte im Rathaus abgeben.")
    page.locator("button[value=check]").click()
    # The confirmation: nothing is published until the admin says so.
    expect(page.locator("button[value=publish]")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Neu: Fundsachen bitte im Rathaus abgeben.")
    assert_accessible(page)
    page.locator("button[value=publish]").click()
    expect(page).to_have_url(re.compile(r"/k/delbrueck/admin/terms$"))
    expect(page.locator(".flashes")).to_be_visible()
    sign_out(page)

    # Petra signs in and is asked first; the new paragraph is there, as its own paragraph.
    sign_in(page, base, "petra@example.org", "Petra-Demo-2026!")
    expect(page).to_have_url(re.compile(r"/k/delbrueck/terms/accept"))
    expect(page.locator("main")).to_contain_text("Rathaus abgeben.")
    assert "\n\nNeu: Fundsachen" in page.locator(".plain-text").first.inner_text()
    assert_accessible(page)
    # Other pages send her back here until she agrees.
    page.goto(base + "/k/delbrueck/postings/new")
    expect(page).to_have_url(re.compile(r"/k/delbrueck/terms/accept"))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_title(re.compile(r"^Fehler:"))
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page)
    page.check("#accepts")
    page.locator("main form button[type=submit]").click()
    # Back where she wanted to go: writing a posting, its first step.
    at_step(page, "kind")
    expect(page.locator("input[name=kind]").first).to_be_visible()
