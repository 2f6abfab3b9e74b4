"""Sign-in sessions per device: logout ends them, "sign out everywhere", guests cost nothing."""

import hashlib
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, func, select

from exchange.accounts.models import UserSession
from exchange.accounts.sessions import open_session, remove_stale_sessions
from exchange.extensions import db
from exchange.timeutil import utcnow
from tests.conftest import PASSWORD, login_as, make_user, post

SESSION_COOKIE = "session"
REMEMBER_COOKIE = "remember_token"


def signed_in(client) -> bool:
    return client.get("/me").status_code == 200


def replay(app, name: str, value: str):
    """A fresh browser that carries only the given cookie."""
    other = app.test_client()
    other.set_cookie(name, value, domain="localhost")
    return other


@contextmanager
def statements():
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_logout_after_stay_signed_in_ends_the_session_and_its_cookies(app, client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    post(client, "/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    session_cookie = client.get_cookie(SESSION_COOKIE).value
    remember_cookie = client.get_cookie(REMEMBER_COOKIE).value
    # Either cookie alone signs in while the session lives.
    assert signed_in(replay(app, REMEMBER_COOKIE, remember_cookie))
    assert signed_in(replay(app, SESSION_COOKIE, session_cookie))

    post(client, "/logout")
    assert not signed_in(client)
    assert client.get_cookie(REMEMBER_COOKIE) is None
    # Copies taken before the logout are worth nothing afterwards.
    assert not signed_in(replay(app, SESSION_COOKIE, session_cookie))
    assert not signed_in(replay(app, REMEMBER_COOKIE, remember_cookie))
    assert db.session.scalar(select(func.count(UserSession.id))) == 0


def test_logout_ends_only_this_device(app, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    phone, laptop = app.test_client(), app.test_client()
    login_as(phone, user)
    login_as(laptop, user)
    post(phone, "/logout")
    assert not signed_in(phone)
    assert signed_in(laptop)


def test_sign_out_everywhere_ends_other_devices_after_a_confirmation(app, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    phone, laptop = app.test_client(), app.test_client()
    login_as(phone, user)
    post(laptop, "/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    remember_cookie = laptop.get_cookie(REMEMBER_COOKIE).value

    page = phone.get("/me/sessions")
    assert page.status_code == 200 and "dieses Gerät" in page.get_data(as_text=True)
    assert signed_in(laptop)  # looking at the question changes nothing
    response = post(phone, "/me/sessions")
    assert response.status_code == 302
    assert not signed_in(phone)
    assert not signed_in(laptop)
    assert not signed_in(replay(app, REMEMBER_COOKIE, remember_cookie))
    login_as(phone, user)  # the password still works
    assert signed_in(phone)


def test_password_change_ends_other_devices_but_not_this_one(app, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    phone, laptop = app.test_client(), app.test_client()
    login_as(phone, user)
    login_as(laptop, user)
    new = "Tulpe-Fahrrad-Wolke-Brot"
    response = post(
        phone,
        "/me/password",
        {"current_password": PASSWORD, "password": new, "password_repeat": new},
    )
    assert response.status_code == 302
    assert signed_in(phone)
    assert not signed_in(laptop)


def test_blocking_ends_sessions(app, client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    login_as(client, user)
    user.is_blocked = True
    db.session.commit()
    assert not signed_in(client)


def test_guests_cost_no_session_query_and_members_one(client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    with statements() as guest:
        assert client.get("/k/delbrueck/").status_code == 200
    assert not [s for s in guest if "user_session" in s]
    assert not [s for s in guest if "user_account" in s]

    login_as(client, user)
    with statements() as member:
        assert client.get("/k/delbrueck/").status_code == 200
    assert len([s for s in member if "user_session" in s]) == 1


def test_last_seen_is_written_at_most_every_few_minutes(client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    login_as(client, user)
    with statements() as fresh:
        client.get("/me")
    assert not [s for s in fresh if s.lstrip().upper().startswith("UPDATE USER_SESSION")]

    row = db.session.scalar(select(UserSession))
    row.last_seen_at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    client.get("/me")
    db.session.expire_all()
    assert utcnow() - db.session.scalar(select(UserSession.last_seen_at)) < timedelta(minutes=1)


def test_stored_session_names_the_device_without_ip(client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    client.get("/login", headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0) Firefox/120.0"})
    post(
        client,
        "/login",
        {"email": user.email, "password": PASSWORD},
        headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0) Firefox/120.0"},
        environ_overrides={"REMOTE_ADDR": "203.0.113.9"},
    )
    row = db.session.scalar(select(UserSession))
    assert row.device == "Firefox · Windows"
    values = " ".join(str(v) for v in vars(row).values())
    assert "203.0.113" not in values


def test_stale_sessions_are_removed(app, delbrueck):
    user = make_user(delbrueck)
    other = make_user(delbrueck, email="petra@example.org", name="Petra Schmidt")
    db.session.commit()
    with app.test_request_context():
        open_session(user)
        open_session(other)
        old = open_session(other)
    db.session.commit()
    forgotten = db.session.scalar(
        select(UserSession).where(
            UserSession.token_hash == hashlib.sha256(old.encode()).hexdigest()
        )
    )
    forgotten.last_seen_at = utcnow() - timedelta(days=400)
    user.session_version += 1  # e.g. blocked by an admin: its session is dead
    db.session.commit()
    with app.test_request_context():
        assert remove_stale_sessions() == 2
    db.session.commit()
    assert db.session.scalars(select(UserSession.user_id)).all() == [other.id]
