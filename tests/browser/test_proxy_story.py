"""The town hall looks after a resident without internet, from registration to her own login."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in, sign_out
from tests.browser.steps import publish, write_posting

ADMIN = ("admin@delbrueck.example", "Admin-Demo-2026!")
HELPER = ("petra@example.org", "Petra-Demo-2026!")


def test_proxy_story_from_registration_to_own_login(live, page):
    base = live["url"]

    # 1. The admin registers Wilhelm, who has no internet.
    sign_in(page, base, *ADMIN)
    page.get_by_role("link", name="Verwaltung").click()
    page.get_by_role("link", name="Menschen ohne Internet").first.click()
    page.get_by_role("link", name="Person ohne Internet registrieren").click()
    page.fill("#display_name", "Wilhelm Brandt")
    page.fill("#phone", "05250 3131")
    page.fill("#postal_address", "Anreppener Straße 7\n33129 Delbrück")
    page.select_option("#district", label="Anreppen")
    page.fill("#birth_year", "1941")
    page.fill("#contact_times", "nachmittags ab 15 Uhr")
    page.fill("#consent_on", "2026-11-20")
    page.check("#consent_method-0")
    page.get_by_role("button", name="Registrieren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wilhelm Brandt")
    expect(page.locator("main")).to_contain_text("Anreppener Straße 7")
    assert_accessible(page)

    # 2. She acts for him and posts his request; a banner says so on every page.
    page.get_by_role("button", name="Für Wilhelm Brandt handeln").click()
    banner = page.get_by_role("region", name="Handeln für eine andere Person")
    expect(banner).to_contain_text("Sie handeln für Wilhelm Brandt")
    write_posting(
        page,
        base,
        kind="zeitspende",
        direction="request",
        category="company",
        title="Begleitung zum Arzt",
        description="Ich brauche am Donnerstag Begleitung zum Hausarzt in der Mitte.",
    )
    expect(banner).to_be_visible()
    publish(page, "Begleitung zum Arzt")
    posting_url = page.url
    assert_accessible(page)
    page.get_by_role("button", name="Handeln für Wilhelm Brandt beenden").click()
    expect(page.locator("body")).not_to_contain_text("Sie handeln für")
    page.goto(base + "/k/delbrueck/admin/audit")
    expect(page.locator("table")).to_contain_text("Eintrag erstellt")
    expect(page.locator("table")).to_contain_text("Wilhelm Brandt")
    sign_out(page)

    # 3. A helper responds and shares her phone number.
    sign_in(page, base, *HELPER)
    page.goto(posting_url)
    expect(page.locator("main")).not_to_contain_text("05250 3131")
    expect(page.locator("main")).not_to_contain_text("Anreppener Straße")
    page.get_by_role("link", name="Ich kann helfen").click()
    page.fill("#body", "Ich kann Sie am Donnerstag um 9 Uhr fahren und begleiten.")
    page.get_by_role("button", name="Nachricht senden").click()
    page.get_by_role("button", name="Meine Telefonnummer für diese Person freigeben").click()
    sign_out(page)
    alerts = live["mail"].bodies_to(ADMIN[0])
    assert any("Wilhelm Brandt" in m and "Begleitung zum Arzt" in m for m in alerts)

    # 4. The response waits in the admin inbox; the admin phones Wilhelm and notes the outcome.
    sign_in(page, base, *ADMIN)
    page.goto(base + "/k/delbrueck/admin/inbox")
    item = page.locator(".posting-card", has_text="Begleitung zum Arzt")
    expect(item).to_contain_text("Für Wilhelm Brandt, mit Petra H.")
    expect(item).to_contain_text("1 neu")
    assert_accessible(page)
    item.get_by_role("link", name="Begleitung zum Arzt").click()
    expect(page.locator("main")).to_contain_text("Donnerstag um 9 Uhr")
    expect(page.locator("main")).to_contain_text("0171 5550101")
    page.fill("#body", "Herrn Brandt angerufen: Donnerstag 9 Uhr passt, Frau H. holt ihn ab.")
    page.get_by_role("button", name="Notiz speichern").click()
    expect(page.locator(".note")).to_contain_text("Donnerstag 9 Uhr passt")
    assert_accessible(page)

    # 5. The Vermittlungsblatt, for the phone call or a letter.
    page.goto(base + "/k/delbrueck/admin/proxies")
    page.get_by_role("link", name="Wilhelm Brandt").click()
    page.get_by_role("link", name="Vermittlungsblatt zum Drucken").click()
    sheet = page.locator(".sheet")
    expect(sheet).to_contain_text("Vermittlungsblatt für Wilhelm Brandt")
    expect(sheet).to_contain_text("Begleitung zum Arzt")
    expect(sheet).to_contain_text("Petra H.")
    expect(sheet).to_contain_text("Telefon: 0171 5550101")
    expect(sheet).to_contain_text("nachmittags ab 15 Uhr")
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("heading", name="Vermittlungsblatt für Wilhelm Brandt")).to_be_visible()
    font_px = page.evaluate("getComputedStyle(document.querySelector('.sheet')).fontSize")
    assert float(font_px.rstrip("px")) >= 18
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="screen")

    # 6. A letter with an activation code; the admin never sees a password.
    page.go_back()
    page.get_by_role("link", name="Brief mit Aktivierungscode").click()
    page.get_by_role("button", name="Brief mit neuem Code erstellen").click()
    letter = page.locator(".sheet")
    expect(letter).to_contain_text("Anreppener Straße 7")
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", letter.inner_text()).group(0)
    sign_out(page)

    # 7. His granddaughter activates the account and finds the same conversation.
    page.goto(base + "/activate")
    assert_accessible(page)
    page.fill("#code", code.lower())
    page.fill("#email", "enkelin.brandt@example.org")
    page.fill("#password", "Opa-Wilhelm-2026")
    page.fill("#password_repeat", "Opa-Wilhelm-2026")
    page.check("#accepts_privacy")
    page.get_by_role("button", name="Zugang aktivieren").click()
    expect(page.locator("main")).to_contain_text("Begleitung zum Arzt")
    page.get_by_role("link", name=re.compile("Begleitung zum Arzt")).first.click()
    expect(page.locator("main")).to_contain_text("Donnerstag um 9 Uhr")
    expect(page.locator("main")).not_to_contain_text("Herrn Brandt angerufen")
    sign_out(page)

    # The code is used up.
    page.goto(base + "/activate")
    page.fill("#code", code)
    page.fill("#email", "jemand@example.org")
    page.fill("#password", "Opa-Wilhelm-2026")
    page.fill("#password_repeat", "Opa-Wilhelm-2026")
    page.check("#accepts_privacy")
    page.get_by_role("button", name="Zugang aktivieren").click()
    expect(page).to_have_title(re.compile(r"^Fehler:"))
    expect(page.locator(".error-summary")).to_contain_text("nicht gültig")
