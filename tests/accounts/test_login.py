"""Signing in and out: identical refusals, fresh sessions, rate limits."""

import re

from exchange.extensions import db
from tests.conftest import PASSWORD, login_as, make_user, post, text_of


def test_login_and_logout(client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    response = login_as(client, user)
    assert response.headers["Location"].endswith("/k/delbrueck/")
    assert client.get("/me").status_code == 200
    assert client.get("/logout").status_code == 405
    post(client, "/logout")
    assert client.get("/me").status_code == 302


def test_unknown_email_and_wrong_password_look_the_same(client, delbrueck):
    make_user(delbrueck)
    db.session.commit()
    wrong = post(client, "/login", {"email": "erna@example.org", "password": "falsch-falsch"})
    unknown = post(client, "/login", {"email": "nobody@example.org", "password": "falsch-falsch"})
    assert wrong.status_code == unknown.status_code == 200

    def visible(response):
        # CSRF tokens are signed with a timestamp and differ once a second passes.
        html = re.sub(r'<input[^>]*name="csrf_token"[^>]*>', "", text_of(response))
        return html.replace("erna@example.org", "X").replace("nobody@example.org", "X")

    assert visible(wrong) == visible(unknown)


def test_blocked_account_cannot_sign_in(client, delbrueck):
    user = make_user(delbrueck, is_blocked=True)
    db.session.commit()
    response = post(client, "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/me").status_code == 302


def test_session_cookie_changes_on_login(client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by-attacker"
    login_as(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{user.id}:")


def test_next_must_be_local(client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    response = post(
        client,
        "/login?next=https://evil.example/phish",
        {"email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"].endswith("/k/delbrueck/")


def test_login_is_rate_limited(client, delbrueck):
    make_user(delbrueck)
    db.session.commit()
    statuses = [
        post(client, "/login", {"email": "erna@example.org", "password": "nope-nope"}).status_code
        for _ in range(12)
    ]
    assert statuses[0] == 200 and statuses[-1] == 429


def test_login_needs_csrf(client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400


def test_me_pages_need_login(client, delbrueck):
    for url in ("/me", "/me/password", "/me/export", "/me/delete", "/me/postings", "/me/messages/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
