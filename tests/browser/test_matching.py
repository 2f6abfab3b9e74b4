"""A request in Westenholz finds an offer from Hagen, says why, and the helper gets an e-mail."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in, sign_out
from tests.browser.steps import publish, write_posting


def post_form(page, base, direction_index, category, title, description, radius):
    write_posting(
        page,
        base,
        kind="zeitspende",
        direction=("request", "offer")[direction_index],
        category=category,
        title=title,
        description=description,
        radius=radius,
    )
    publish(page, title)


def test_request_in_westenholz_matches_offer_from_hagen(live, page):
    base = live["url"]
    sign_in(page, base, "jonas@example.org", "Jonas-Demo-2026!")
    post_form(
        page,
        base,
        1,
        "company",
        "Ich besuche gern ältere Menschen",
        "Ich komme auch nach Westenholz und spiele gern Karten oder gehe spazieren.",
        15,
    )
    sign_out(page)

    sign_in(page, base, "erna@example.org", "Erna-Demo-2026!")
    post_form(
        page,
        base,
        0,
        "company",
        "Wer besucht mich am Nachmittag?",
        "Ich freue mich über Besuch und ein Gespräch bei Kaffee.",
        15,
    )
    matches = page.locator(".match-list")
    expect(matches).to_contain_text("Ich besuche gern ältere Menschen")
    # Jonas is 15: how far away he lives is not shown to others (issue 11 A.7).
    his = matches.locator("li", has_text="Ich besuche gern ältere Menschen")
    expect(his).to_contain_text("gleiche Kategorie · seit heute")
    expect(his).not_to_contain_text(re.compile(r"\d km"))
    assert_accessible(page)
    page.goto(base + "/me/matches")
    expect(page.locator("main")).to_contain_text("Ich besuche gern ältere Menschen")

    mails = live["mail"].bodies_to("jonas@example.org")
    assert any("Wer besucht mich am Nachmittag?" in m and "gleiche Kategorie" in m for m in mails)


def test_guest_searches_by_distance_and_a_resident_saves_the_search(live, page):
    base = live["url"]
    page.goto(base + "/k/delbrueck/")
    page.locator("summary.filter-summary").click()  # the filters are folded behind it
    page.select_option("#district", label="Westenholz")
    page.select_option("#radius", "5")
    page.select_option("#sort", "distance")
    page.get_by_role("button", name="Ergebnisse zeigen").click()
    expect(page.locator("main")).to_contain_text("Entfernungen ab Westenholz")
    distances = page.locator(".posting-card .distance").all_inner_texts()
    assert distances and distances[0] == "unter 1 km"
    assert_accessible(page)
    page.locator("summary.filter-summary").click()
    page.fill("#near", "99999")
    page.get_by_role("button", name="Ergebnisse zeigen").click()
    expect(page.locator("main [role=alert]")).to_contain_text("99999")
    assert page.locator(".posting-card").count() > 0

    sign_in(page, base, "petra@example.org", "Petra-Demo-2026!")
    page.goto(base + "/k/delbrueck/?direction=request&category=pets&radius=10")
    page.get_by_role("button", name="Diese Suche speichern").click()
    expect(page.locator(".flashes")).to_contain_text("Suche gespeichert")
    page.goto(base + "/me/matches")
    expect(page.locator("main")).to_contain_text(
        "Neue Gesuche · Haustiere, 10 km um Delbrück-Mitte"
    )
