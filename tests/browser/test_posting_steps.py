"""Writing a posting in steps in a real browser: every step accessible, back keeps input."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.steps import at_step, publish, write_posting

PETRA = ("petra@example.org", "Petra-Demo-2026!")


def test_every_step_is_accessible_and_back_keeps_what_was_typed(live, page):
    base = live["url"]
    sign_in(page, base, *PETRA)
    write_posting(
        page,
        base,
        kind="taschengeld",
        direction="offer",
        category="garden",
        title="Rasen mähen am Samstag",
        description="Ich mähe Ihren Rasen und bringe den Schnitt weg.",
        pay="8,50",
        check_accessibility=True,
    )
    main = page.locator("main")
    expect(main).to_contain_text("8,50")
    # "Ändern" leads to the step; "Zurück" from there loses nothing.
    page.locator("main a[href$='/text']").first.click()
    at_step(page, "text")
    expect(page.locator("#title")).to_have_value("Rasen mähen am Samstag")
    page.fill("#title", "Rasen mähen am Sonntag")
    page.locator("main form button[name=nav][value=back]").click()
    at_step(page, "where")
    page.locator("main form button[name=nav][value=next]").click()
    at_step(page, "text")
    expect(page.locator("#title")).to_have_value("Rasen mähen am Sonntag")
    expect(page.locator("#pay_per_hour")).to_have_value("8,50")
    # A step with an error: the summary takes the focus and the page stays accessible.
    page.fill("#description", "kurz")
    page.locator("main form button[name=nav][value=next]").click()
    expect(page).to_have_title(re.compile(r"^Fehler:"))
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page)
    page.fill("#description", "Ich mähe Ihren Rasen und bringe den Schnitt weg.")
    page.locator("main form button[name=nav][value=next]").click()
    at_step(page, "check")
    publish(page, "Rasen mähen am Sonntag")


def test_an_unfinished_posting_waits_on_my_postings_and_can_be_thrown_away(live, page):
    base = live["url"]
    sign_in(page, base, *PETRA)
    page.goto(base + "/k/delbrueck/postings/new?kind=zeitspende")
    at_step(page, "direction")
    page.check("input[name=direction][value=request]")
    page.locator("main form button[name=nav][value=next]").click()
    at_step(page, "category")
    page.goto(base + "/me/postings")
    drafts = page.locator(".draft-card")
    expect(drafts).to_have_count(1)
    assert_accessible(page)
    drafts.locator("a[href$='/category']").click()
    at_step(page, "category")
    page.goto(base + "/me/postings")
    drafts.locator("a[href$='/discard']").click()
    expect(page).to_have_url(re.compile(r"/postings/drafts/\d+/discard$"))
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(base + "/me/postings")
    expect(page.locator(".draft-card")).to_have_count(0)
