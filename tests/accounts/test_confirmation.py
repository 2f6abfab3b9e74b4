"""Double opt-in: unconfirmed accounts look but do not write; e-mail changes wait for the link."""

from datetime import timedelta

from sqlalchemy import func, select

from exchange.accounts.models import User
from exchange.accounts.services import remove_unconfirmed_accounts
from exchange.extensions import db
from exchange.messaging.models import Conversation
from exchange.timeutil import utcnow
from tests.conftest import (
    PASSWORD,
    link_in_mail,
    login_as,
    make_posting,
    make_proxy,
    make_user,
    post,
    text_of,
)

NEW_POSTING = {
    "direction": "request",
    "kind": "zeitspende",
    "category": "shopping",
    "title": "Einkauf am Dienstag",
    "description": "Wer hilft mir beim Tragen der Einkäufe?",
    "timing": "flexible",
}


def test_unconfirmed_account_signs_in_but_cannot_post_answer_or_write(client, delbrueck, mailbox):
    author = make_user(delbrueck, email="petra@example.org", name="Petra Schmidt")
    posting = make_posting(author)
    user = make_user(delbrueck, is_email_confirmed=False)
    db.session.commit()
    login_as(client, user)
    board = text_of(client.get("/k/delbrueck/"))
    assert (
        "Bitte bestätigen Sie Ihre E-Mail-Adresse" in board and "Link noch einmal schicken" in board
    )

    assert client.get("/k/delbrueck/postings/new").status_code == 403
    assert post(client, "/k/delbrueck/postings/new", NEW_POSTING).status_code == 403
    respond = f"/k/delbrueck/postings/{posting.id}/respond"
    assert post(client, respond, {"body": "Ich helfe gern!"}).status_code == 403
    assert db.session.scalar(select(func.count(Conversation.id))) == 0

    # The banner's button sends the link again; then the link unlocks writing.
    assert post(client, "/me/confirm/resend", {"next": "/k/delbrueck/"}).status_code == 302
    link = link_in_mail(mailbox, user.email)
    assert client.get(link).status_code == 302
    assert "Please confirm" not in text_of(client.get("/k/delbrueck/?lang=en"))
    # The entry now starts a draft and leads to its first step.
    assert client.get("/k/delbrueck/postings/new", follow_redirects=True).status_code == 200
    assert post(client, respond, {"body": "Ich helfe gern!"}).status_code == 302
    # The link works once.
    assert client.get(link).status_code == 404


def test_resending_the_link_is_rate_limited(client, delbrueck, mailbox):
    user = make_user(delbrueck, is_email_confirmed=False)
    db.session.commit()
    login_as(client, user)
    statuses = [post(client, "/me/confirm/resend").status_code for _ in range(5)]
    assert statuses[:3] == [302, 302, 302] and statuses[-1] == 429
    assert len(mailbox.bodies_to(user.email)) == 3


def test_forged_or_foreign_links_do_nothing(client, delbrueck):
    user = make_user(delbrueck, is_email_confirmed=False)
    db.session.commit()
    assert client.get("/confirm/not-a-token").status_code == 404
    assert client.get("/confirm/eyJ1IjoxLCJlIjoiZXJuYUBleGFtcGxlLm9yZyJ9.x.y").status_code == 404
    db.session.refresh(user)
    assert user.is_email_confirmed is False


def test_email_change_waits_for_the_new_address_and_tells_the_old(client, delbrueck, mailbox):
    user = make_user(delbrueck)
    db.session.commit()
    login_as(client, user)
    response = post(client, "/me/email", {"email": "Erna.Neu@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.email == "erna@example.org"  # nothing changes before the link is opened
    (old_mail,) = mailbox.bodies_to("erna@example.org")
    assert "er…@example.org" in old_mail and "/password/forgot" in old_mail

    link = link_in_mail(mailbox, "erna.neu@example.org")
    assert client.get(link).status_code == 302
    db.session.refresh(user)
    assert user.email == "erna.neu@example.org" and user.is_email_confirmed
    assert client.get(link).status_code == 404  # once only
    post(client, "/logout")
    login_as(client, user)


def test_email_change_needs_the_password(client, delbrueck, mailbox):
    user = make_user(delbrueck)
    db.session.commit()
    login_as(client, user)
    response = post(client, "/me/email", {"email": "neu@example.org", "password": "geraten-123"})
    assert response.status_code == 200 and 'href="#password"' in response.get_data(True)
    assert mailbox.bodies_to("neu@example.org") == []


def test_changing_to_a_taken_address_answers_the_same_and_changes_nothing(
    client, delbrueck, mailbox
):
    user = make_user(delbrueck)
    make_user(delbrueck, email="petra@example.org", name="Petra Schmidt")
    db.session.commit()
    login_as(client, user)
    taken = post(client, "/me/email", {"email": "petra@example.org", "password": PASSWORD})
    free = post(client, "/me/email", {"email": "frei@example.org", "password": PASSWORD})
    assert taken.status_code == free.status_code == 302
    page = text_of(client.get("/me"))
    assert "petra@example.org" in page and "frei@example.org" in page
    db.session.refresh(user)
    assert user.email == "erna@example.org"
    (owner_mail,) = mailbox.bodies_to("petra@example.org")
    assert "/confirm/" not in owner_mail and "/login" in owner_mail


def test_unconfirmed_accounts_are_removed_after_14_days(app, delbrueck):
    now = utcnow()
    old = make_user(delbrueck, email="alt@example.org", is_email_confirmed=False)
    old.created_at = now - timedelta(days=15)
    fresh = make_user(delbrueck, email="neu@example.org", is_email_confirmed=False)
    fresh.created_at = now - timedelta(days=13)
    confirmed = make_user(delbrueck, email="ok@example.org")
    confirmed.created_at = now - timedelta(days=400)
    proxy = make_proxy(delbrueck)
    proxy.created_at = now - timedelta(days=400)
    db.session.commit()
    assert remove_unconfirmed_accounts(now) == 1
    db.session.commit()
    left = set(db.session.scalars(select(User.email)))
    assert left == {"neu@example.org", "ok@example.org", None}
    assert remove_unconfirmed_accounts(now + timedelta(days=2)) == 1


def test_factories_demo_and_activated_proxies_count_as_confirmed(app, delbrueck):
    assert make_user(delbrueck).is_email_confirmed
    assert make_proxy(delbrueck).is_email_confirmed


def test_an_unconfirmed_account_cannot_save_searches_that_send_mail(client, delbrueck):
    user = make_user(delbrueck, is_email_confirmed=False)
    db.session.commit()
    login_as(client, user)
    search = {"kind": "zeitspende", "next": "/k/delbrueck/"}
    assert post(client, "/me/searches", search).status_code == 403
    user.is_email_confirmed = True
    db.session.commit()
    assert post(client, "/me/searches", search).status_code == 302


def test_repeated_sign_ups_with_a_taken_address_mail_its_owner_once_a_day(
    client, delbrueck, mailbox
):
    from tests.accounts.test_registration import form

    make_user(delbrueck, email="anna@example.org")
    db.session.commit()
    for _ in range(3):
        assert post(client, "/register", form()).status_code == 200
    assert len(mailbox.bodies_to("anna@example.org")) == 1
