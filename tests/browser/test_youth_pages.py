"""The Taschengeld rules pages and a young person's consent page in a real browser, each with no
axe violation, left to right and right to left."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

RULES = "/k/delbrueck/taschengeld/regeln"
PAGES = ("", "/jugendliche", "/eltern", "/auftraggeber")


@pytest.mark.parametrize("lang", ["de", "en", "ar"])
def test_the_rules_pages_are_accessible(live, page, lang):
    for path in PAGES:
        page.goto(f"{live['url']}{RULES}{path}?lang={lang}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
        expect(page.locator("main h1")).to_have_count(1)
        expect(page.locator("main .youth-figures")).to_be_visible()
        assert_accessible(page)


def test_from_the_board_intro_to_the_parents_page(live, page):
    page.goto(live["url"] + "/k/delbrueck/?lang=en")
    page.locator("#intro").get_by_role(
        "link", name=re.compile("Taschengeldbörse: the rules")
    ).click()
    expect(page).to_have_url(re.compile(r"/k/delbrueck/taschengeld/regeln$"))
    page.locator("main").get_by_role("link", name="For parents").first.click()
    expect(page).to_have_url(re.compile(r"/taschengeld/regeln/eltern$"))
    expect(page.locator("main")).to_contain_text("JArbSchG §5")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_jonas_finds_his_consent_form(live, page, lang):
    sign_in(page, live["url"], "jonas@example.org", "Jonas-Demo-2026!")
    page.goto(f"{live['url']}/me?lang={lang}")
    page.locator("main a[href='/me/einwilligung']").click()
    expect(page).to_have_url(re.compile(r"/me/einwilligung$"))
    # A language link holds for its page only when signed in.
    page.goto(f"{live['url']}/me/einwilligung?lang={lang}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    link = page.locator("main a[href='/me/einwilligung.pdf']")
    expect(link).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("einwilligung-")


def test_an_adults_consent_page_is_accessible(live, page):
    sign_in(page, live["url"], "petra@example.org", "Petra-Demo-2026!")
    page.goto(live["url"] + "/me/einwilligung?lang=en")
    expect(page.locator("main")).to_contain_text("You do not need a consent form.")
    assert_accessible(page)
