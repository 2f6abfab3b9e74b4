"""A guest browses the Delbrück board, filters it and opens a posting."""

import re

from playwright.sync_api import expect

from exchange.demo import ACCOUNTS
from tests.browser.conftest import ROOT

ERNA = next(a for a in ACCOUNTS if a[0] == "erna")


def test_guest_browses_filters_and_opens_a_posting(live, page):
    base = live["url"]
    page.goto(base + "/")
    expect(page).to_have_title(re.compile("Kommune"))
    page.get_by_role("link", name="Delbrück").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nachbarschaftshilfe in Delbrück")
    page.screenshot(path=str(ROOT / "docs" / "board.png"))

    # Filter: Taschengeldbörse, offers, garden (the filters are folded behind one control).
    page.locator("summary.filter-summary").click()
    page.select_option("#kind", "taschengeld")
    page.select_option("#direction", "offer")
    page.select_option("#category", "garden")
    page.get_by_role("button", name="Ergebnisse zeigen").click()
    expect(page).to_have_url(re.compile(r"kind=taschengeld.*direction=offer.*category=garden"))
    titles = page.locator(".posting-card h3").all_inner_texts()
    assert titles and "Ich mähe Rasen und harke Laub" in titles

    # District and free text.
    page.goto(base + "/k/delbrueck/")
    page.locator("summary.filter-summary").click()
    page.select_option("#district", label="Westenholz")
    page.fill("#q", "Einkauf")
    page.get_by_role("button", name="Ergebnisse zeigen").click()
    titles = page.locator(".posting-card h3").all_inner_texts()
    assert titles == ["Begleitung zum Wocheneinkauf"]

    # Paging through all postings.
    page.goto(base + "/k/delbrueck/")
    first_page = page.locator(".posting-card h3").all_inner_texts()
    page.get_by_role("link", name="Nächste Seite").click()
    second_page = page.locator(".posting-card h3").all_inner_texts()
    assert first_page and second_page and not set(first_page) & set(second_page)

    # A posting shows no author name and no contact data.
    page.goto(base + "/k/delbrueck/?q=Wocheneinkauf")
    page.get_by_role("link", name="Begleitung zum Wocheneinkauf").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Begleitung zum Wocheneinkauf")
    body = page.locator("body").inner_text()
    for secret in ("Schäfer", "Erna", ERNA[2], ERNA[8]):
        assert secret not in body

    # Answering leads to the login, and back to the answer form afterwards.
    page.get_by_role("link", name="Ich kann helfen").click()
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("#email", "jonas@example.org")
    page.fill("#password", "Jonas-Demo-2026!")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/k/delbrueck/postings/\d+/respond$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Begleitung zum Wocheneinkauf")


def test_keyboard_reaches_skip_link_first(live, page):
    page.goto(live["url"] + "/k/delbrueck/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_guest_switches_language_with_a_link_and_no_session(live, page):
    page.goto(live["url"] + "/k/delbrueck/?kind=zeitspende")
    switch = page.get_by_role("navigation", name="Sprache")
    expect(switch.locator("[aria-current=true]")).to_have_text("Deutsch")
    arabic = switch.get_by_role("link", name="العربية")
    expect(arabic).to_have_attribute("hreflang", "ar")
    arabic.focus()  # keyboard only
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/k/delbrueck/\?kind=zeitspende&lang=ar$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator(".language-switch [aria-current=true]")).to_have_text("العربية")
    # Remembered on the next page without ?lang=, in a cookie; reading made no session.
    page.goto(live["url"] + "/k/delbrueck/postings/4")  # an open posting of the demo
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert {cookie["name"] for cookie in page.context.cookies()} == {"lang"}
