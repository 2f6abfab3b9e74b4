"""A Sunday evening job in the browser: start and duration asked, "nur für Erwachsene" explained."""

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.steps import at_step, publish, write_posting

PETRA = ("petra@example.org", "Petra-Demo-2026!")


def next_sunday() -> date:
    day = date.today() + timedelta(days=7)
    return day + timedelta(days=(6 - day.weekday()) % 7)


def test_a_sunday_evening_job_is_explained_as_adults_only(live, page):
    base = live["url"]
    sign_in(page, base, *PETRA)
    # A wrong duration first: the error summary, then the fix.
    page.goto(base + "/k/delbrueck/postings/new?kind=taschengeld&direction=request")
    at_step(page, "category")
    page.check("input[name=category][value=repairs]")
    page.locator("main form button[name=nav][value=next]").click()
    at_step(page, "when")
    page.check("input[name=timing][value=date]")
    page.fill("#on_date", next_sunday().isoformat())
    page.fill("#start_time", "19:00")
    page.fill("#duration_hours", "13")
    page.locator("main form button[name=nav][value=next]").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary a[href='#duration_hours']")).to_be_visible()
    assert_accessible(page)
    write_posting(
        page,
        base,
        kind="taschengeld",
        direction="request",
        category="repairs",
        title="Regal im Keller reparieren",
        description="Ein schweres Regal im Keller muss am Sonntagabend repariert werden.",
        pay="12",
        on_date=next_sunday().isoformat(),
        start_time="19:00",
        duration="4",
        check_accessibility=True,
    )
    # The check page says why, with the rules for job providers.
    notice = page.locator("#youth-notice")
    expect(notice).to_be_visible()
    expect(notice.locator("li")).to_have_count(4)  # Sunday, repairs, after 18:00, over 2 hours
    expect(notice.locator("a[href$='/taschengeld/regeln/auftraggeber']")).to_be_visible()
    expect(page.locator("main")).to_contain_text("19:00")
    page.goto(page.url + "?lang=en")
    expect(notice).to_contain_text("This job is for adults only, because:")
    expect(notice).to_contain_text("Young people may not work on Sundays.")
    assert_accessible(page)
    page.goto(page.url.split("?")[0])
    publish(page, "Regal im Keller reparieren")
    expect(page.locator("main .adults-only")).to_be_visible()
    expect(page.locator("main")).to_contain_text("19:00")
    assert_accessible(page)
