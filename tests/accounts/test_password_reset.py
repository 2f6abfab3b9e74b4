"""Password reset by e-mail: single use, expiring, same answer for unknown addresses."""

import re
from datetime import timedelta

from sqlalchemy import select

from exchange.accounts.models import PasswordResetToken
from exchange.accounts.passwords import verify_password
from exchange.extensions import db
from exchange.timeutil import utcnow
from tests.conftest import PASSWORD, login_as, make_user, post, text_of

NEW = "Ein neues Passwort für den Herbst"


def reset_link(mailbox, address) -> str:
    (body,) = mailbox.bodies_to(address)
    return re.search(r"http://localhost(/password/reset/\S+)", body).group(1)


def test_reset_by_email_link_works_once(client, delbrueck, mailbox):
    user = make_user(delbrueck)
    db.session.commit()
    response = post(client, "/password/forgot", {"email": "ERNA@example.org"})
    assert response.status_code == 200
    link = reset_link(mailbox, "erna@example.org")
    assert client.get(link).status_code == 200
    response = post(client, link, {"password": NEW, "password_repeat": NEW})
    assert response.status_code == 302
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW)
    # Single use: the same link is dead now.
    assert client.get(link).status_code == 404
    assert (
        post(
            client,
            link,
            {"password": "Noch ein Passwort 123", "password_repeat": "Noch ein Passwort 123"},
        ).status_code
        == 404
    )
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW)


def test_only_a_hash_of_the_token_is_stored(client, delbrueck, mailbox):
    make_user(delbrueck)
    db.session.commit()
    post(client, "/password/forgot", {"email": "erna@example.org"})
    token = reset_link(mailbox, "erna@example.org").rsplit("/", 1)[1]
    row = db.session.scalar(select(PasswordResetToken))
    assert token not in row.token_hash and len(row.token_hash) == 64


def test_expired_link_is_refused(client, delbrueck, mailbox):
    user = make_user(delbrueck)
    db.session.commit()
    post(client, "/password/forgot", {"email": user.email})
    link = reset_link(mailbox, user.email)
    row = db.session.scalar(select(PasswordResetToken))
    row.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(link).status_code == 404
    post(client, link, {"password": NEW, "password_repeat": NEW})
    db.session.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)


def test_unknown_address_gets_the_same_answer_and_no_mail(client, delbrueck, mailbox):
    make_user(delbrueck)
    db.session.commit()
    known = post(client, "/password/forgot", {"email": "erna@example.org"})
    unknown = post(client, "/password/forgot", {"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 200

    def visible(response, address):
        return re.sub(r'name="csrf_token" value="[^"]+"', "", text_of(response)).replace(
            address, "X"
        )

    assert visible(known, "erna@example.org") == visible(unknown, "niemand@example.org")
    assert mailbox.bodies_to("niemand@example.org") == []


def test_reset_signs_out_other_sessions(app, client, delbrueck, mailbox):
    user = make_user(delbrueck)
    db.session.commit()
    other_device = app.test_client()
    login_as(other_device, user)
    assert other_device.get("/me").status_code == 200
    post(client, "/password/forgot", {"email": user.email})
    link = reset_link(mailbox, user.email)
    post(client, link, {"password": NEW, "password_repeat": NEW})
    assert other_device.get("/me").status_code == 302


def test_weak_new_password_is_refused(client, delbrueck, mailbox):
    user = make_user(delbrueck)
    db.session.commit()
    post(client, "/password/forgot", {"email": user.email})
    link = reset_link(mailbox, user.email)
    response = post(client, link, {"password": "12345678", "password_repeat": "12345678"})
    assert response.status_code == 200 and 'href="#password"' in response.get_data(True)
    db.session.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)


def test_reset_mail_is_in_the_users_language(client, delbrueck, mailbox):
    make_user(delbrueck, locale="en")
    db.session.commit()
    post(client, "/password/forgot", {"email": "erna@example.org"})
    message = mailbox.messages[0]["message"]
    assert message["Content-Language"] == "en"
    assert "Reset your password" in message["Subject"]
