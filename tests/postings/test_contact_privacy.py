"""Contact details in a posting stay with the people in the conversation; blocked authors leave."""

import pytest
from flask_babel import gettext as _
from sqlalchemy import select

from exchange.extensions import db
from exchange.mail.models import OutboxEmail
from exchange.matching.queries import candidate_postings, matches_of_page
from exchange.messaging.models import Conversation
from exchange.municipalities.models import Municipality
from exchange.notifications.models import Notification
from exchange.postings.contact_mask import EMAIL as EMAIL_KIND
from exchange.postings.contact_mask import PHONE as PHONE_KIND
from exchange.postings.contact_mask import placeholders
from exchange.postings.models import Posting
from tests.conftest import login_as, make_posting, make_user, post, text_of
from tests.postings.steps import publish_in_steps

PHONE = "0170 1234567"
EMAIL = "erna.privat@example.net"
NOTICE = (
    "Phone numbers and e-mail addresses in your text are hidden from others to protect you;"
    " you can share them in a conversation."
)
TITLE = f"Einkauf, Tel. {PHONE}"
DESCRIPTION = f"Bitte melden unter {PHONE} oder {EMAIL}, am 12.05.2026 ab 10.30 Uhr."


def shows_contacts(html: str) -> bool:
    return "1234567" in html or EMAIL in html


@pytest.fixture
def german(app):
    """The placeholders and the author's notice in German, as the pages show them."""
    with app.test_request_context():
        words = placeholders()
        return {"phone": words[PHONE_KIND], "email": words[EMAIL_KIND], "notice": _(NOTICE)}


@pytest.fixture
def people(delbrueck):
    erna = make_user(delbrueck)
    jonas = make_user(delbrueck, email="jonas@example.org", name="Jonas Becker")
    petra = make_user(delbrueck, email="petra@example.org", name="Petra Hahn")
    admin = make_user(delbrueck, email="admin@example.org", name="Anna Admin", role="admin")
    posting = make_posting(erna, title=TITLE, description=DESCRIPTION)
    db.session.commit()
    return erna, jonas, petra, admin, posting


def signed_in(app, user):
    client = app.test_client()
    login_as(client, user)
    return client


def test_guests_see_the_board_and_the_posting_masked_and_the_cache_keeps_that(
    app, client, people, german
):
    posting = people[-1]
    board = text_of(client.get("/k/delbrueck/"))
    assert f"Einkauf, Tel. {german['phone']}" in board and not shows_contacts(board)
    cached = app.extensions["board_cache"]._pages
    assert cached and not any(b"1234567" in page for page in cached.values())
    # The same page again, from the cache and the WSGI fast path.
    assert not shows_contacts(client.get("/k/delbrueck/").get_data(as_text=True))
    page = text_of(client.get(f"/k/delbrueck/postings/{posting.id}"))
    assert not shows_contacts(page)
    assert "am 12.05.2026 ab 10.30 Uhr" in page and german["email"] in page
    assert page.count(f"Tel. {german['phone']}") >= 2  # the page's <title> and heading


def test_the_author_the_conversation_and_the_admins_see_the_text(app, people, german):
    erna, jonas, petra, admin, posting = people
    url = f"/k/delbrueck/postings/{posting.id}"
    jonas_client, petra_client = signed_in(app, jonas), signed_in(app, petra)
    assert not shows_contacts(jonas_client.get(url).get_data(as_text=True))
    respond = jonas_client.get(f"{url}/respond").get_data(as_text=True)
    assert not shows_contacts(respond) and german["phone"] in respond
    assert post(jonas_client, f"{url}/respond", {"body": "Ich helfe gern."}).status_code == 302
    # In the conversation now: Jonas reads what Erna wrote; Petra still does not.
    assert shows_contacts(jonas_client.get(url).get_data(as_text=True))
    assert not shows_contacts(petra_client.get(url).get_data(as_text=True))
    assert shows_contacts(signed_in(app, admin).get(url).get_data(as_text=True))
    own = text_of(signed_in(app, erna).get(url))
    assert PHONE in own and EMAIL in own
    assert german["notice"] in own
    assert "Einkauf, Tel. 0170 1234567" in text_of(signed_in(app, erna).get("/me/postings"))
    # Without contact details in her text, she is not told anything.
    posting.title, posting.description = "Einkauf", "Bitte Dienstag helfen, danke."
    db.session.commit()
    assert german["notice"] not in text_of(signed_in(app, erna).get(url))


def test_matches_notifications_and_their_e_mails_are_masked(app, people, german):
    erna, jonas, petra, admin, posting = people
    offer = make_posting(jonas, direction="offer", title="Ich kaufe ein")
    db.session.commit()
    jonas_client = signed_in(app, jonas)
    erna_client = signed_in(app, erna)
    # Erna's posting is among the matches of Jonas's offer: masked there.
    assert "Einkauf, Tel." in text_of(jonas_client.get(f"/k/delbrueck/postings/{offer.id}"))
    assert not shows_contacts(jonas_client.get(f"/k/delbrueck/postings/{offer.id}").text)
    assert not shows_contacts(jonas_client.get("/me/matches").text)
    # A new posting with a number tells Jonas, in the app and by e-mail, without the number.
    form = {
        "direction": "request",
        "kind": "zeitspende",
        "category": "shopping",
        "title": f"Noch ein Einkauf {PHONE}",
        "description": f"Wer hilft? Ruf an: {PHONE}",
        "district": "",
        "postcode": "33129",
        "timing": "flexible",
    }
    assert publish_in_steps(erna_client, "/k/delbrueck/postings/new", form).status_code == 302
    assert db.session.scalar(select(Notification).where(Notification.user_id == jonas.id))
    (mail,) = db.session.scalars(select(OutboxEmail).where(OutboxEmail.recipient == jonas.email))
    assert "Noch ein Einkauf" in mail.subject and "Noch ein Einkauf" in mail.body
    assert "1234567" not in mail.subject and "1234567" not in mail.body
    assert german["phone"] in mail.subject and german["phone"] in mail.body
    page = jonas_client.get("/me/matches").text
    assert "Noch ein Einkauf" in page and not shows_contacts(page)


def test_a_blocked_authors_postings_leave_matches_and_pages_until_unblocked(app, client, people):
    # The board too, by the flag copied onto her postings (a guest's board never reads
    # user_account, which tests/accounts/test_sessions.py forbids).
    erna, jonas, petra, admin, posting = people
    offer = make_posting(jonas, direction="offer", title="Ich kaufe ein")
    db.session.commit()
    url = f"/k/delbrueck/postings/{posting.id}"
    petra_client, jonas_client = signed_in(app, petra), signed_in(app, jonas)
    admin_client = signed_in(app, admin)
    version = db.session.get(Municipality, posting.municipality_id).board_version

    assert post(admin_client, f"/k/delbrueck/admin/users/{erna.id}/block").status_code == 302
    db.session.expire_all()
    assert db.session.get(Municipality, posting.municipality_id).board_version > version
    assert client.get(url).status_code == 404
    assert "Einkauf, Tel." not in text_of(client.get("/k/delbrueck/"))
    assert "Einkauf, Tel." not in text_of(petra_client.get("/k/delbrueck/?q=einkauf"))
    assert petra_client.get(url).status_code == 404
    assert petra_client.get(f"{url}/respond").status_code == 404
    with app.test_request_context():
        assert candidate_postings(db.session.get(Posting, offer.id)) == []
        assert matches_of_page([db.session.get(Posting, offer.id)])[offer.id] == []
    assert "Einkauf, Tel." not in text_of(jonas_client.get(f"/k/delbrueck/postings/{offer.id}"))
    assert "Einkauf, Tel." not in text_of(jonas_client.get("/me/matches"))

    assert post(admin_client, f"/k/delbrueck/admin/users/{erna.id}/unblock").status_code == 302
    assert client.get(url).status_code == 200
    assert "Einkauf, Tel." in text_of(client.get("/k/delbrueck/"))
    assert "Einkauf, Tel." in text_of(jonas_client.get("/me/matches"))


def test_a_blocked_authors_notifications_leave_the_matches_page(app, people):
    erna, jonas, petra, admin, posting = people
    db.session.add(
        Notification(
            user_id=jonas.id,
            municipality_id=posting.municipality_id,
            posting_id=posting.id,
            reasons_json="[]",
        )
    )
    db.session.commit()
    jonas_client = signed_in(app, jonas)
    assert "Einkauf, Tel." in text_of(jonas_client.get("/me/matches"))
    erna.is_blocked = True
    db.session.commit()
    assert "Einkauf, Tel." not in text_of(jonas_client.get("/me/matches"))


def test_people_in_a_conversation_of_a_blocked_author_no_longer_see_the_posting(app, people):
    erna, jonas, petra, admin, posting = people
    jonas_client = signed_in(app, jonas)
    url = f"/k/delbrueck/postings/{posting.id}"
    post(jonas_client, f"{url}/respond", {"body": "Ich helfe gern."})
    assert db.session.scalar(select(Conversation))
    erna.is_blocked = True
    db.session.commit()
    assert jonas_client.get(url).status_code == 404
