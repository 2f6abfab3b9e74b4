"""The board on a phone, 320 px wide (issue 10, A4): results first, filters one key away."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


@pytest.fixture
def phone(browser):
    """A German browser 320 px wide, the size of a small phone."""
    context = browser.new_context(locale="de-DE", viewport={"width": 320, "height": 640})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_on_a_phone_the_first_result_comes_before_the_filters(live, phone):
    phone.goto(live["url"] + "/k/delbrueck/")
    first_card = phone.locator(".posting-card").first
    summary = phone.locator("summary.filter-summary")
    search = phone.locator("#q")
    expect(first_card).to_be_visible()
    expect(search).to_be_hidden()  # folded: no field of the filters stands before the results
    card_box, summary_box = first_card.bounding_box(), summary.bounding_box()
    # One line of the page stands for all the filters; the first card follows right after it.
    assert summary_box["height"] <= 80
    assert card_box["y"] - (summary_box["y"] + summary_box["height"]) < 150
    # Each card: a one-line excerpt, the date.
    excerpt = first_card.locator(".excerpt")
    expect(excerpt).to_be_visible()
    assert excerpt.bounding_box()["height"] < 2 * 18 * 1.2
    expect(first_card.locator(".meta")).to_contain_text(re.compile(r"seit \d"))
    # Nothing sticks out sideways at 320 px.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)


def test_on_a_phone_the_filters_open_with_the_keyboard(live, phone):
    phone.goto(live["url"] + "/k/delbrueck/")
    summary = phone.locator("summary.filter-summary")
    expect(summary).not_to_contain_text(re.compile(r"\d"))  # none active
    # Tab from the top reaches the control (it is in the page's tab order).
    for _ in range(40):
        phone.keyboard.press("Tab")
        if summary.evaluate("element => element === document.activeElement"):
            break
    expect(summary).to_be_focused()
    phone.keyboard.press("Enter")
    search = phone.locator("#q")
    expect(search).to_be_visible()
    assert_accessible(phone)
    # Once open, the fields follow in the tab order: search for two words, not a phrase.
    phone.keyboard.press("Tab")
    expect(search).to_be_focused()
    phone.keyboard.type("wocheneinkauf begleitung")
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(re.compile(r"q=wocheneinkauf\+begleitung"))
    expect(phone.locator(".posting-card h3")).to_have_text(["Begleitung zum Wocheneinkauf"])
    # Folded again after the search, and it says one filter is active.
    expect(phone.locator("#q")).to_be_hidden()
    expect(summary).to_contain_text("1")
    card_box, summary_box = (
        phone.locator(".posting-card").first.bounding_box(),
        summary.bounding_box(),
    )
    assert card_box["y"] - (summary_box["y"] + summary_box["height"]) < 150
    summary.focus()
    phone.keyboard.press("Enter")
    expect(phone.locator("#q")).to_have_value("wocheneinkauf begleitung")
    assert_accessible(phone)
