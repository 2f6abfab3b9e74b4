"""The council figures in a real browser (issue 11, B.6): axe, 320 px, the operator's page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

ADMIN = ("admin@delbrueck.example", "Admin-Demo-2026!")
OPERATOR = ("figures-op@example.org", "Betrieb-Demo-2026!")


@pytest.fixture(scope="module")
def figures_data(live):
    """Confirmed help by an adult and a young person, and an operator account.

    In a year three years back, which the demo data leaves empty: the figures are exactly ours.
    """
    from exchange.accounts.models import User
    from exchange.accounts.passwords import hash_password
    from exchange.admin.overview.council import current_year
    from exchange.extensions import db
    from exchange.ledger.models import HelpRecord
    from exchange.postings.models import Posting

    with live["app"].app_context():
        year = current_year() - 3
        admin = db.session.scalar(db.select(User).where(User.email == ADMIN[0]))
        petra = db.session.scalar(db.select(User).where(User.email == "petra@example.org"))
        jonas = db.session.scalar(db.select(User).where(User.email == "jonas@example.org"))
        posting = db.session.scalar(
            db.select(Posting).where(Posting.municipality_id == admin.municipality_id).limit(1)
        )
        for helper, minutes, minor, month in ((petra, 120, False, 1), (jonas, 90, True, 2)):
            db.session.add(
                HelpRecord(
                    municipality_id=admin.municipality_id,
                    posting_id=posting.id,
                    kind=posting.kind,
                    category=posting.category,
                    district_id=posting.district_id,
                    outcome="helped",
                    helper_id=helper.id,
                    recipient_id=posting.author_id,
                    on_date=date(year, month, 10),
                    minutes_reported=minutes,
                    minutes_confirmed=minutes,
                    was_helper_minor=minor,
                    status="confirmed",
                )
            )
        db.session.add(
            User(
                municipality_id=admin.municipality_id,
                email=OPERATOR[0],
                password_hash=hash_password(OPERATOR[1]),
                display_name="Olga Zahlen",
                postcode=admin.postcode,
                latitude=admin.latitude,
                longitude=admin.longitude,
                role="superadmin",
            )
        )
        db.session.commit()
    return year


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 320, "height": 640})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_the_figures_page_is_accessible(live, page, figures_data):
    sign_in(page, live["url"], *ADMIN)
    page.goto(live["url"] + "/k/delbrueck/admin/")
    page.locator("#figures-link").click()
    expect(page.locator("svg[role=img]")).to_have_count(3)
    assert_accessible(page)
    page.goto(live["url"] + f"/k/delbrueck/admin/figures?year={figures_data}")
    expect(page.locator("#figures-key")).to_contain_text("3,5")  # 2 h + 1,5 h, German number format
    assert_accessible(page)
    page.select_option("#period", "quarter")
    page.locator("main form.filters button[type=submit]").click()
    expect(page.locator("#figures-key thead th")).to_have_count(5)
    assert_accessible(page)
    expect(page).to_have_url(re.compile(f"period=quarter&year={figures_data}"))
    page.goto(live["url"] + f"/k/delbrueck/admin/figures?period=month&year={figures_data}&lang=ar")
    expect(page.locator("#figures-key thead th")).to_have_count(13)
    assert_accessible(page)


def test_the_figures_page_on_a_phone(live, phone, figures_data):
    sign_in(phone, live["url"], *ADMIN)
    phone.goto(live["url"] + f"/k/delbrueck/admin/figures?period=month&year={figures_data}")
    expect(phone.locator("#figures-key")).to_be_attached()
    # The page does not scroll sideways; the wide tables scroll inside their named region.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    region = phone.locator("div[role=region][aria-labelledby=figures-key-caption]")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    assert region.get_attribute("tabindex") == "0"
    chart = phone.locator("#chart-hours-title").locator("xpath=..")
    assert chart.bounding_box()["width"] <= 320
    assert_accessible(phone)


def test_the_operator_figures_are_accessible(live, page, phone, figures_data):
    sign_in(page, live["url"], *OPERATOR)
    page.goto(live["url"] + "/admin/")
    page.locator("main a[href='/admin/figures']").click()
    expect(page.locator("#figures-municipality-paderborn")).to_be_visible()
    assert_accessible(page)
    page.goto(live["url"] + f"/admin/figures?year={figures_data}")
    expect(page.locator("#figures-municipality-delbrueck")).to_contain_text("3,5")
    sign_in(phone, live["url"], *OPERATOR)
    phone.goto(live["url"] + "/admin/figures?period=quarter")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
