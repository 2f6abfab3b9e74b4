"""axe-core (WCAG 2.1 A and AA) reports no violation on the main pages."""

import pytest

from tests.browser.conftest import assert_accessible, sign_in

PUBLIC_PAGES = [
    "/",
    "/k/delbrueck/",
    "/k/delbrueck/?kind=taschengeld&direction=offer",
    "/k/delbrueck/postings/1",
    "/login",
    "/register",
    "/password/forgot",
    "/k/delbrueck/accessibility",
    "/k/nowhere/",
    "/k/delbrueck/?lang=ar",
    "/k/delbrueck/postings/1?lang=fa",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_violations(live, page, path):
    page.goto(live["url"] + path)
    assert_accessible(page)


def test_right_to_left_languages_set_dir(live, page):
    page.goto(live["url"] + "/k/delbrueck/?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"


def test_registration_errors_are_accessible_and_focused(live, page):
    page.goto(live["url"] + "/register")
    page.fill("#email", "kein-at-zeichen")
    page.locator("main form button[type=submit]").click()
    assert page.title().startswith("Fehler:")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    link = summary.get_by_role("link").first
    target = link.get_attribute("href")
    link.click()
    assert page.evaluate("document.activeElement.id") == target.lstrip("#")
    assert_accessible(page)


SIGNED_IN_PAGES = [
    "/k/delbrueck/postings/new",
    "/me",
    "/me/postings",
    "/me/messages/",
    "/me/password",
    "/me/delete",
]


def test_signed_in_pages_have_no_violations(live, page):
    sign_in(page, live["url"], "petra@example.org", "Petra-Demo-2026!")
    for path in SIGNED_IN_PAGES:
        page.goto(live["url"] + path)
        assert_accessible(page)
    page.goto(live["url"] + "/k/delbrueck/postings/new")
    page.locator("main form button[type=submit]").click()
    assert page.title().startswith("Fehler:")
    assert_accessible(page)


def test_admin_pages_have_no_violations(live, page):
    sign_in(page, live["url"], "admin@delbrueck.example", "Admin-Demo-2026!")
    for path in ("/k/delbrueck/admin/", "/k/delbrueck/admin/reports", "/me/matches"):
        page.goto(live["url"] + path)
        assert_accessible(page)
    page.goto(live["url"] + "/k/delbrueck/postings/2/report")
    page.locator("main form button[type=submit]").click()
    assert page.title().startswith("Fehler:")
    assert_accessible(page)
