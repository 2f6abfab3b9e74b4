"""Writing a posting in the browser, step by step, waiting for each step's page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


def at_step(page, step: str) -> None:
    """Wait until the browser shows the given step of a draft."""
    expect(page).to_have_url(re.compile(rf"/postings/drafts/\d+/{step}(\?.*)?$"))


def next_step(page, following: str) -> None:
    """Press "Weiter" and wait for the following step."""
    page.locator("main form button[name=nav][value=next]").click()
    at_step(page, following)


def write_posting(
    page,
    base: str,
    *,
    kind: str,
    direction: str,
    category: str,
    title: str,
    description: str,
    radius: int | None = None,
    pay: str | None = None,
    on_date: str | None = None,
    start_time: str | None = None,
    duration: str | None = None,
    check_accessibility: bool = False,
) -> None:
    """From /postings/new through every step to the check page (not yet published).

    Flexible unless on_date (YYYY-MM-DD) is given; start_time ("15:00") and duration in hours
    ("1,5") are asked for Taschengeld jobs only.
    """
    page.goto(base + "/k/delbrueck/postings/new")
    at_step(page, "kind")
    checked = assert_accessible if check_accessibility else (lambda _page: None)
    checked(page)
    page.check(f"input[name=kind][value={kind}]")
    next_step(page, "direction")
    checked(page)
    page.check(f"input[name=direction][value={direction}]")
    next_step(page, "category")
    checked(page)
    page.check(f"input[name=category][value={category}]")
    next_step(page, "when")
    checked(page)
    if on_date is None:
        page.check("input[name=timing][value=flexible]")
    else:
        page.check("input[name=timing][value=date]")
        page.fill("#on_date", on_date)
        if start_time is not None:
            page.fill("#start_time", start_time)
        if duration is not None:
            page.fill("#duration_hours", duration)
    next_step(page, "where")
    checked(page)
    if radius is not None:
        page.fill("#radius_km", str(radius))
    next_step(page, "text")
    checked(page)
    page.fill("#title", title)
    page.fill("#description", description)
    if pay is not None:
        page.fill("#pay_per_hour", pay)
    next_step(page, "check")
    expect(page.locator("#preview-title")).to_have_text(title)
    checked(page)


def publish(page, title: str) -> None:
    """Press "Eintrag veröffentlichen" on the check page and wait for the posting."""
    page.get_by_role("button", name="Eintrag veröffentlichen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
