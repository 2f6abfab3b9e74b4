"""The one-click extension from the expiry reminder, in a real browser + axe (issue 11 B.5)."""

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from exchange.accounts.models import User
from exchange.extensions import db
from exchange.mail.services import deliver_pending
from exchange.notifications.reminders import send_expiry_reminders
from exchange.postings.models import Posting
from exchange.timeutil import utcnow
from tests.browser.conftest import assert_accessible
from tests.conftest import link_in_mail, make_posting


def test_extend_link_from_the_reminder(live, page):
    base, app = live["url"], live["app"]
    with app.test_request_context():
        petra = db.session.scalar(select(User).where(User.email == "petra@example.org"))
        posting = make_posting(
            petra, title="Fahrradreparatur", expires_at=utcnow() + timedelta(days=2)
        )
        send_expiry_reminders()
        db.session.commit()
        deliver_pending()
        posting_id = posting.id
    link = link_in_mail(live["mail"], "petra@example.org", "/eintrag/verlaengern/")
    page.goto(base + link)
    expect(page.locator("main")).to_contain_text("Fahrradreparatur")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(f"main a[href='/k/delbrueck/postings/{posting_id}']")).to_be_visible()
    assert_accessible(page)
    with app.app_context():
        assert db.session.get(Posting, posting_id).expires_at > utcnow() + timedelta(days=50)
    # Used: the page says so, nothing changes.
    page.goto(base + link)
    expect(page.locator("main form")).to_have_count(0)
    assert_accessible(page)
