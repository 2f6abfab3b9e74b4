"""A resident registers and asks for help; a neighbour answers; the helper is chosen."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in, sign_out
from tests.browser.steps import at_step, next_step, publish
from tests.conftest import link_in_mail


def test_register_post_respond_read_and_choose(live, page):
    base = live["url"]

    # 1. A newcomer registers.
    page.goto(base + "/register?k=delbrueck")
    page.fill("#display_name", "Hildegard Kramer")
    page.fill("#email", "hildegard@example.org")
    page.fill("#password", "Rosen im Vorgarten 1950")
    page.fill("#password_repeat", "Rosen im Vorgarten 1950")
    page.fill("#birth_date", "1947-06-12")
    page.select_option("#municipality", "delbrueck")
    page.select_option("#district", label="Westenholz (Delbrück)")
    page.check("#accepts_privacy")
    page.check("#accepts_terms")
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte sehen Sie in Ihre E-Mails")
    expect(page.locator("main")).to_contain_text("hildegard@example.org")

    # She may sign in at once, but writes only once her address is confirmed.
    sign_in(page, base, "hildegard@example.org", "Rosen im Vorgarten 1950")
    banner = page.get_by_role("region", name=re.compile("confirm|bestätigen"))
    expect(banner).to_be_visible()
    assert_accessible(page)
    page.goto(base + link_in_mail(live["mail"], "hildegard@example.org"))
    expect(banner).to_have_count(0)

    # 2. She asks for help.
    # The board's link starts a request; she answers one step after the other.
    page.get_by_role("link", name="Hilfe suchen").click()
    at_step(page, "kind")
    page.check("input[name=kind][value=zeitspende]")
    next_step(page, "direction")
    expect(page.locator("input[name=direction][value=request]")).to_be_checked()
    next_step(page, "category")
    page.check("input[name=category][value=company]")
    next_step(page, "when")
    page.check("input[name=timing][value=flexible]")
    next_step(page, "where")
    next_step(page, "text")  # her Ortsteil is already filled in
    page.fill("#title", "Begleitung zum Arzt")
    page.fill("#description", "Ich habe am Donnerstag einen Termin und gehe ungern allein.")
    assert_accessible(page)
    next_step(page, "check")
    expect(page.locator("main")).to_contain_text("Westenholz")
    publish(page, "Begleitung zum Arzt")
    posting_url = page.url
    sign_out(page)

    # 3. Jonas answers.
    sign_in(page, base, "jonas@example.org", "Jonas-Demo-2026!")
    page.goto(posting_url)
    expect(page.locator("main")).to_contain_text("Hildegard K.")
    page.get_by_role("link", name="Ich kann helfen").click()
    page.fill("#body", "Guten Tag! Ich kann Sie am Donnerstag begleiten. Jonas")
    page.get_by_role("button", name="Nachricht senden").click()
    expect(page).to_have_url(re.compile(r"/me/messages/\d+$"))
    expect(page.locator(".message-list")).to_contain_text("Ich kann Sie am Donnerstag")
    sign_out(page)

    # 4. Hildegard sees the unread count, reads the message and chooses Jonas.
    sign_in(page, base, "hildegard@example.org", "Rosen im Vorgarten 1950")
    expect(page.locator(".unread-badge")).to_contain_text("1 ungelesen")
    page.get_by_role("link", name=re.compile("Nachrichten")).click()
    page.get_by_role("link", name="Begleitung zum Arzt").click()
    expect(page.locator(".message-list")).to_contain_text("Ich kann Sie am Donnerstag")
    expect(page.locator(".unread-badge")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Jonas B. auswählen").click()
    # Choosing asks once more (a stray Enter never chooses); the same words confirm it.
    confirm = page.locator("form.confirm-choice")
    expect(confirm).to_be_visible()
    assert_accessible(page)
    confirm.get_by_role("button", name="Jonas B. auswählen").click()
    expect(page.locator(".flashes")).to_contain_text("Sie haben jemanden ausgewählt")
    expect(page.locator(".badges")).to_contain_text("Vergeben")

    # The posting has left the board, and Hildegard got no e-mail address of Jonas.
    page.goto(base + "/k/delbrueck/?q=Arzt")
    assert "Begleitung zum Arzt" not in page.locator("main").inner_text()
    mails = live["mail"].bodies_to("hildegard@example.org")
    assert any("Ich kann Sie am Donnerstag" in body for body in mails)
    assert all("jonas@example.org" not in body for body in mails)
