"""The board's introduction, the town hall in the footer, a posting's end actions and the
signed-in header at 320 px, in a real browser with axe-core (WCAG 2.2 AA included)."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from exchange.accounts.models import User
from exchange.postings.models import Posting
from tests.browser.conftest import AXE_TAGS, sign_in

TAGS = [*AXE_TAGS, "wcag22aa"]


def assert_accessible(page) -> None:
    """No axe violation of WCAG 2.0, 2.1 and 2.2 A/AA."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    assert results.violations_count == 0, results.generate_report()


def test_a_guest_is_told_how_the_exchange_works(live, page):
    page.goto(live["url"] + "/k/delbrueck/")
    intro = page.locator("#intro")
    expect(intro).to_be_visible()
    expect(intro.locator("ol.intro-steps > li")).to_have_count(3)
    expect(intro.locator("a[href^='tel:']")).to_have_text("05250 996-0")
    footer = page.locator("footer .footer-contact")
    expect(footer.locator("a[href^='tel:']")).to_have_attribute("href", "tel:+4952509960")
    expect(footer).to_contain_text("Mo–Fr 8:30–12:30 Uhr")
    assert_accessible(page)
    intro.locator(".intro-kinds a").first.click()
    expect(page).to_have_url(live["url"] + "/k/delbrueck/?kind=taschengeld")
    expect(page.locator("#intro")).to_have_count(0)


def test_the_chooser_and_the_board_at_320_px(live, page):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/", "/k/delbrueck/"):
        page.goto(live["url"] + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert_accessible(page)


def _own_posting_id(live, email: str) -> int:
    with live["app"].app_context():
        from exchange.extensions import db

        user = db.session.scalar(select(User).where(User.email == email))
        return db.session.scalar(
            select(Posting.id)
            .where(Posting.author_id == user.id, Posting.status.in_(("open", "in_contact")))
            .order_by(Posting.id)
        )


def test_the_author_ends_a_posting_with_an_explained_pair(live, page):
    sign_in(page, live["url"], "petra@example.org", "Petra-Demo-2026!")
    posting_id = _own_posting_id(live, "petra@example.org")
    page.goto(f"{live['url']}/k/delbrueck/postings/{posting_id}")
    done = page.locator("#end-done")
    withdraw = page.locator("#end-withdraw")
    expect(done).to_be_visible()
    expect(withdraw).to_be_visible()
    # Each button is described by its one-line explanation.
    for button in (done, withdraw):
        hint = page.locator("#" + button.get_attribute("aria-describedby"))
        expect(hint).to_be_visible()
    assert_accessible(page)


def test_the_signed_in_header_fits_320_px(live, page):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, live["url"], "petra@example.org", "Petra-Demo-2026!")
    page.goto(live["url"] + "/k/delbrueck/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # No link or button in the header breaks inside its words: each stays on one line.
    broken = page.evaluate(
        """() => [...document.querySelectorAll('header .main-nav li > a, header .main-nav button')]
            .filter(el => {
                const line = parseFloat(getComputedStyle(el).lineHeight) || 24;
                return el.getBoundingClientRect().height > 2 * line;
            })
            .map(el => el.textContent.trim())"""
    )
    assert broken == []
    for element in page.locator("header a, header button").all():
        box = element.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, element.text_content()
    assert_accessible(page)
