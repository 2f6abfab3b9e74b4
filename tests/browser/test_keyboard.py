"""Conversations, the posting form and signing out with the keyboard only (issue 10, A9)."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from exchange.accounts.models import User
from exchange.extensions import db
from exchange.messaging import services
from tests.browser.conftest import assert_accessible, sign_in, sign_out
from tests.conftest import make_posting

ERNA = ("erna@example.org", "Erna-Demo-2026!")
MAX_TABS = 80


def conversation_with(live, messages: int, title: str) -> int:
    """A new posting of Erna's that Jonas answered; messages in all, taking turns."""
    with live["app"].test_request_context():
        erna = db.session.scalar(select(User).where(User.email == ERNA[0]))
        jonas = db.session.scalar(select(User).where(User.email == "jonas@example.org"))
        posting = make_posting(erna, title=title)
        conversation = services.respond(posting, jonas, "Ich kann helfen.")
        for number in range(1, messages):
            services.send_message(conversation, erna if number % 2 else jonas, f"Nr. {number}")
        db.session.commit()
        return conversation.id


def tabs_until(page, selector: str) -> int:
    """Tab presses from the current focus until selector has the focus."""
    target = page.locator(selector)
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return presses
    pytest.fail(f"{selector} not reached in {MAX_TABS} Tab presses")


def test_reply_box_is_as_few_tabs_away_with_ten_messages_as_with_one(live, page):
    base = live["url"]
    one = conversation_with(live, 1, "Tasten eins")
    ten = conversation_with(live, 10, "Tasten zehn")
    sign_in(page, base, *ERNA)
    counts = []
    for conversation_id in (one, ten):
        page.goto(f"{base}/me/messages/{conversation_id}")
        expect(page.locator("#body")).to_be_visible()
        counts.append(tabs_until(page, "#body"))
    # Past the header's links (skip link, brand, navigation, languages), then two links, and
    # the link of the rules box that Jonas (15) brings to every conversation about a job.
    header_stops = page.locator("header a, header button").count()
    box_stops = page.locator("main .youth-box a").count()
    assert box_stops == 1
    assert counts[0] == counts[1] <= 1 + header_stops + 3 + box_stops, counts
    # With the skip link: Tab, Enter, and three more Tabs (inbox link, posting link, box).
    page.goto(f"{base}/me/messages/{ten}")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert tabs_until(page, "#body") == 3 + box_stops
    print(f"Tab presses to the reply box: {counts} (1 and 10 messages); 1+Enter+3 by skip link")


def test_after_sending_the_focus_is_on_the_sent_message(live, page):
    base = live["url"]
    conversation_id = conversation_with(live, 3, "Tasten senden")
    sign_in(page, base, *ERNA)
    page.goto(f"{base}/me/messages/{conversation_id}")
    expect(page.locator("#body")).to_be_visible()
    tabs_until(page, "#body")
    page.keyboard.type("Danke, bis Donnerstag!")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Nachricht senden")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/me/messages/{conversation_id}#m\d+$"))
    sent = page.locator(f"#m{page.url.rsplit('#m', 1)[1]}")
    expect(sent).to_contain_text("Danke, bis Donnerstag!")
    expect(sent).to_be_focused()
    # Newest first: the sent message comes right after the reply form.
    expect(page.locator(".message-list > li").first).to_have_id(sent.get_attribute("id"))
    expect(page.locator(".flashes")).to_contain_text("Ihre Nachricht wurde gesendet")
    assert_accessible(page)


def test_choosing_a_helper_asks_before_it_chooses(live, page):
    base = live["url"]
    conversation_id = conversation_with(live, 2, "Tasten wählen")
    sign_in(page, base, *ERNA)
    conversation = f"{base}/me/messages/{conversation_id}"
    page.goto(conversation)
    choose = page.get_by_role("button", name="Jonas B. auswählen")
    expect(choose).to_have_class(re.compile("kern-btn--secondary"))
    # A stray Enter on the button only asks the question.
    choose.focus()
    page.keyboard.press("Enter")
    confirm = page.locator("form.confirm-choice")
    expect(confirm).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jonas B.")
    assert_accessible(page)
    confirm.locator("a").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(conversation)
    expect(page.get_by_role("button", name="Jonas B. auswählen")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Sie haben diese Person ausgewählt")
    # Now meant: choose, then confirm with the keyboard.
    page.get_by_role("button", name="Jonas B. auswählen").focus()
    page.keyboard.press("Enter")
    confirm.get_by_role("button", name="Jonas B. auswählen").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("Sie haben jemanden ausgewählt")
    page.goto(conversation)
    expect(page.get_by_role("button", name="Jonas B. auswählen")).to_have_count(0)


def test_the_exchange_choice_is_passed_with_tab_and_asked_for(live, page):
    base = live["url"]
    sign_in(page, base, *ERNA)
    page.goto(f"{base}/k/delbrueck/postings/new")
    # The Börse is the first step; Tab stops once on the group and moves on to "Weiter".
    expect(page).to_have_url(re.compile(r"/postings/drafts/\d+/kind$"))
    page.locator("#kind-0").focus()
    page.keyboard.press("Tab")
    expect(page.locator("main form button[name=nav][value=next]")).to_be_focused()
    expect(page.locator("input[name=kind]:checked")).to_have_count(0)
    page.locator("main form button[name=nav][value=next]").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Wählen Sie eine Börse.")).to_be_visible()


def test_signing_out_returns_to_the_kommunes_board_and_the_icon_is_there(live, page):
    base = live["url"]
    sign_in(page, base, *ERNA)
    page.goto(f"{base}/me/messages/")
    sign_out(page)
    expect(page).to_have_url(f"{base}/k/delbrueck/")
    expect(page.locator(".flashes")).to_contain_text("abgemeldet")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(base + icon).ok
    response = page.request.get(f"{base}/favicon.ico")
    assert response.ok and response.headers["content-type"].startswith("image/")
