"""Per-account limit on wrong passwords, kept in Flask-Limiter's shared store (memory or Redis).

After FAILURES wrong passwords for one address within about WINDOW seconds, from whatever IP
addresses, that address gets one attempt per SLOT seconds. A browser the owner signed in with
before carries a signed "known device" cookie and is not slowed, so an attacker cannot lock the
owner out. Counters are keyed by a keyed hash of the address, whether an account exists or not,
so the refusal tells nothing about which addresses are registered.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from ..extensions import db, limiter
from .models import User

FAILURES = 5
WINDOW = 15 * 60
SLOT = 60
# Failures are counted in buckets; the last WINDOW // BUCKET of them are summed.
BUCKET = 5 * 60
# The owner is told at most once in this period.
NOTICE_PERIOD = 24 * 60 * 60
KNOWN_DEVICE_COOKIE = "known_device"
KNOWN_DEVICE_DAYS = 365
# A shared computer may know several accounts; keep the newest few.
KNOWN_DEVICE_ACCOUNTS = 5

# Seconds since the epoch; tests replace it to move through the windows without sleeping.
clock = time.time


def _storage():
    """The shared store, or None when rate limiting is switched off (RATELIMIT_ENABLED=False)."""
    return limiter.storage if limiter.enabled else None


def account_key(email: str) -> str:
    """A keyed hash of the address: no e-mail address is written to the shared store."""
    secret = current_app.secret_key
    if isinstance(secret, str):
        secret = secret.encode()
    digest = hmac.new(secret, email.strip().lower().encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def _failure_keys(key: str, now: float) -> list[str]:
    current = int(now // BUCKET)
    return [
        f"signin-fail/{key}/{bucket}"
        for bucket in range(current - WINDOW // BUCKET + 1, current + 1)
    ]


def _failures(key: str, now: float) -> int:
    storage = _storage()
    if storage is None:
        return 0
    return sum(storage.get(name) for name in _failure_keys(key, now))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="known-device")


def known_accounts() -> list[str]:
    """Marks of the accounts this browser signed in to before (from the signed cookie)."""
    raw = request.cookies.get(KNOWN_DEVICE_COOKIE)
    if not raw:
        return []
    try:
        keys = _serializer().loads(raw, max_age=KNOWN_DEVICE_DAYS * 24 * 3600)
    except BadSignature:
        return []
    return [k for k in keys if isinstance(k, str)] if isinstance(keys, list) else []


def _device_mark(key: str, generation: int) -> str:
    # Bound to the sessions' generation: "sign out everywhere" or a new password also makes a
    # lost or stolen device unknown again.
    return f"{key}:{generation}"


def _current_generation(email: str) -> int | None:
    return db.session.scalar(
        select(User.session_version).where(User.email == email.strip().lower())
    )


def _is_known_device(key: str, email: str) -> bool:
    marks = [mark for mark in known_accounts() if mark.startswith(f"{key}:")]
    if not marks:
        return False
    generation = _current_generation(email)
    return generation is not None and _device_mark(key, generation) in marks


def is_refused(email: str) -> bool:
    """True when this attempt for the address must be refused without checking the password."""
    key = account_key(email)
    if _is_known_device(key, email):
        return False
    now = clock()
    if _failures(key, now) < FAILURES:
        return False
    # Throttled: the first attempt in each SLOT goes through, every other one is refused.
    slot = f"signin-slot/{key}/{int(now // SLOT)}"
    return _storage().incr(slot, SLOT * 2) > 1


def record_failure(email: str) -> bool:
    """Count a wrong password; True exactly once per NOTICE_PERIOD when the limit starts."""
    key = account_key(email)
    now = clock()
    storage = _storage()
    if storage is None:
        return False
    storage.incr(_failure_keys(key, now)[-1], WINDOW + BUCKET)
    if _failures(key, now) < FAILURES:
        return False
    return storage.incr(f"signin-notice/{key}", NOTICE_PERIOD) == 1


def remember_device(response, user) -> None:
    """Mark this browser as one the owner of email signed in with (a signed, long-lived cookie)."""
    key = account_key(user.email)
    keys = [_device_mark(key, user.session_version)] + [
        mark for mark in known_accounts() if not mark.startswith(f"{key}:")
    ]
    config = current_app.config
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        _serializer().dumps(keys[:KNOWN_DEVICE_ACCOUNTS]),
        max_age=KNOWN_DEVICE_DAYS * 24 * 3600,
        secure=bool(config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )


def first_in_period(purpose: str, email: str, seconds: int) -> bool:
    """True for the first call per purpose and address within seconds (e.g. one notice a day).

    Keeps a stranger from flooding someone's mailbox through forms that mail the owner.
    """
    storage = _storage()
    if storage is None:
        return True
    return storage.incr(f"{purpose}/{account_key(email)}", seconds) == 1
