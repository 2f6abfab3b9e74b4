"""A 14-year-old with her parents' consent answers a Sunday job: the error summary names the
rule, nothing is sent; the author of a weekday job sees her label and the rules box."""

from __future__ import annotations

from datetime import date, time

from playwright.sync_api import expect
from sqlalchemy import func, select

from exchange.extensions import db
from exchange.messaging.models import Conversation
from exchange.municipalities.tenancy import municipality_by_slug
from exchange.youth.models import ParentalConsent
from tests.browser.conftest import assert_accessible, sign_in, sign_out
from tests.conftest import PASSWORD, make_posting, make_user

SUNDAY = date(2027, 3, 14)
WEDNESDAY = date(2027, 3, 10)


def _cast(app):
    with app.app_context():
        kommune = municipality_by_slug("delbrueck")
        lena = make_user(
            kommune,
            email="lena.youth@example.org",
            name="Lena Vogel",
            birth_date=date(2013, 1, 1),  # 14 on the job's date
            is_full_time_pupil=True,
            is_email_confirmed=True,
            locale="en",  # the pages after a redirect speak her language
        )
        db.session.add(
            ParentalConsent(
                municipality_id=kommune.id,
                user_id=lena.id,
                signed_on=date(2026, 11, 2),
                signed_by="Maria Vogel",
                taken_by="Heike Amt",
            )
        )
        author = make_user(
            kommune,
            email="garten.youth@example.org",
            name="Gerda Garten",
            is_email_confirmed=True,
            locale="en",
        )
        job = dict(kind="taschengeld", category="garden", timing="date", duration_minutes=60)
        sunday = make_posting(
            author, title="Rasen mähen am Sonntag", on_date=SUNDAY, start_time=time(11), **job
        )
        weekday = make_posting(
            author, title="Beete jäten am Mittwoch", on_date=WEDNESDAY, start_time=time(15), **job
        )
        db.session.commit()
        return sunday.id, weekday.id


def test_a_14_year_old_is_told_why_she_cannot_answer_a_sunday_job(live, page):
    base, app = live["url"], live["app"]
    sunday_id, weekday_id = _cast(app)
    sign_in(page, base, "lena.youth@example.org", PASSWORD)
    page.goto(f"{base}/k/delbrueck/postings/{sunday_id}/respond?lang=en")
    page.fill("#body", "Ich kann gern helfen.")
    page.locator("main form button[type=submit]").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Young people may not work on Sundays.")
    assert_accessible(page)
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count(Conversation.id)).where(Conversation.posting_id == sunday_id)
            )
            == 0
        )

    # A weekday job she may do: her answer goes through, and she sees that it fits her rules.
    page.goto(f"{base}/k/delbrueck/postings/{weekday_id}/respond?lang=en")
    page.fill("#body", "Mittwochs habe ich Zeit.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("This job fits your rules.")
    assert_accessible(page)
    sign_out(page)

    # The author sees her name, "Young person, 14 years" and the rules box, on both pages.
    sign_in(page, base, "garten.youth@example.org", PASSWORD)
    page.goto(f"{base}/k/delbrueck/postings/{weekday_id}?lang=en")
    main = page.locator("main")
    expect(main).to_contain_text("Young person, 14 years")
    expect(main).to_contain_text("Rules for this job")
    assert_accessible(page)
    page.get_by_role("link", name="Open conversation with Lena V.").click()
    expect(page.locator("main")).to_contain_text("Young person, 14 years")
    expect(page.locator("#agreed")).to_be_visible()
    assert_accessible(page)
