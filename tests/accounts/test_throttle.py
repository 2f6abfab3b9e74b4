"""Per-account limit on wrong passwords, whatever the IP address; the owner's devices pass."""

import re
import uuid

import pytest

from exchange.accounts import throttle
from exchange.extensions import db
from tests.conftest import PASSWORD, make_user, post, text_of

WRONG = "falsch-geraten-123"


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock for the throttle's windows; advance it by assigning clock.now."""

    class Clock:
        now = 1_800_000_000.0

    monkeypatch.setattr(throttle, "clock", lambda: Clock.now)
    return Clock


def attempt(app, email, password, ip, client=None):
    client = client or app.test_client()
    return post(
        client,
        "/login",
        {"email": email, "password": password},
        environ_overrides={"REMOTE_ADDR": ip},
    )


def guess(app, email, times, first_ip=1):
    for i in range(times):
        response = attempt(app, email, WRONG, f"198.51.100.{first_ip + i}")
        assert response.status_code in (200, 429)


def visible(response, email):
    html = re.sub(r'<input[^>]*name="csrf_token"[^>]*>', "", text_of(response))
    return html.replace(email, "X")


def test_many_addresses_guessing_one_account_are_slowed(app, delbrueck, mailbox, clock):
    make_user(delbrueck)
    db.session.commit()
    guess(app, "erna@example.org", 5)
    # The sixth goes through (one a minute); it is wrong, too.
    assert attempt(app, "erna@example.org", WRONG, "198.51.100.6").status_code == 200
    refused = attempt(app, "erna@example.org", PASSWORD, "203.0.113.7")
    assert refused.status_code == 429
    assert "Abmelden" not in text_of(refused)
    # A minute later one attempt goes through again.
    clock.now += 60
    assert attempt(app, "erna@example.org", PASSWORD, "203.0.113.9").status_code == 302
    clock.now += 60
    assert attempt(app, "erna@example.org", WRONG, "203.0.113.10").status_code == 200
    assert attempt(app, "erna@example.org", PASSWORD, "203.0.113.11").status_code == 429
    # After the window the account is back to normal.
    clock.now += 16 * 60
    assert attempt(app, "erna@example.org", PASSWORD, "203.0.113.12").status_code == 302


def test_the_owner_on_a_known_device_is_not_locked_out(app, delbrueck, mailbox, clock):
    user = make_user(delbrueck)
    db.session.commit()
    own = app.test_client()
    assert attempt(app, user.email, PASSWORD, "192.0.2.1", own).status_code == 302
    post(own, "/logout")
    guess(app, user.email, 8)
    assert attempt(app, user.email, PASSWORD, "203.0.113.7").status_code == 429
    assert attempt(app, user.email, PASSWORD, "192.0.2.1", own).status_code == 302
    # The cookie is bound to this account and signed: it neither helps for another one ...
    make_user(delbrueck, email="petra@example.org", name="Petra Schmidt")
    db.session.commit()
    post(own, "/logout")
    guess(app, "petra@example.org", 8, first_ip=50)
    assert attempt(app, "petra@example.org", PASSWORD, "192.0.2.1", own).status_code == 429
    # ... nor can it be forged ...
    lost = own.get_cookie(throttle.KNOWN_DEVICE_COOKIE).value
    forged = app.test_client()
    forged.set_cookie(throttle.KNOWN_DEVICE_COOKIE, lost + "x")
    assert attempt(app, user.email, PASSWORD, "192.0.2.2", forged).status_code == 429
    # ... and "sign out everywhere" makes a lost or stolen device unknown again.
    thief = app.test_client()
    thief.set_cookie(throttle.KNOWN_DEVICE_COOKIE, lost)
    assert attempt(app, user.email, PASSWORD, "192.0.2.1", own).status_code == 302
    assert post(own, "/me/sessions").status_code == 302
    assert attempt(app, user.email, PASSWORD, "192.0.2.3", thief).status_code == 429


def test_the_owner_is_told_once(app, delbrueck, mailbox, clock):
    make_user(delbrueck)
    db.session.commit()
    guess(app, "erna@example.org", 4)
    assert mailbox.bodies_to("erna@example.org") == []
    guess(app, "erna@example.org", 1, first_ip=10)
    assert len(mailbox.bodies_to("erna@example.org")) == 1
    for _ in range(5):
        clock.now += 60
        guess(app, "erna@example.org", 1, first_ip=20)
        attempt(app, "erna@example.org", WRONG, "203.0.113.30")
    (mail,) = mailbox.bodies_to("erna@example.org")
    assert "/password/forgot" in mail


def test_an_unknown_address_gets_the_same_answer(app, delbrueck, mailbox, clock):
    make_user(delbrueck)
    db.session.commit()
    guess(app, "erna@example.org", 6)
    guess(app, "niemand@example.org", 6, first_ip=100)
    known = attempt(app, "erna@example.org", PASSWORD, "203.0.113.7")
    unknown = attempt(app, "niemand@example.org", PASSWORD, "203.0.113.8")
    assert known.status_code == unknown.status_code == 429
    assert visible(known, "erna@example.org") == visible(unknown, "niemand@example.org")
    assert mailbox.bodies_to("niemand@example.org") == []


def test_the_counters_live_in_the_shared_redis_store(clock):
    """The same limit in Redis (RATELIMIT_STORAGE_URI=redis://…), shared by every instance."""
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/5"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    from exchange import create_app
    from exchange.extensions import limiter

    app = create_app("testing", {"RATELIMIT_STORAGE_URI": url})
    email = f"redis-{uuid.uuid4().hex}@example.org"
    with app.test_request_context("/login", method="POST"):
        assert type(limiter.storage).__name__ == "RedisStorage"
        for _ in range(throttle.FAILURES):
            assert throttle.is_refused(email) is False
            notice = throttle.record_failure(email)
        assert notice is True and throttle.record_failure(email) is False
        assert throttle.is_refused(email) is False  # the one attempt of this minute
        assert throttle.is_refused(email) is True
        clock.now += throttle.SLOT
        assert throttle.is_refused(email) is False
