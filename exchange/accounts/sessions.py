"""Sign-in sessions stored per device, so that signing out really ends them. Never commits.

The cookie (session or "stay signed in") carries ``<user id>:<secret>``; the table keeps only the
secret's SHA-256. Guests carry no such cookie and cost no query.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..timeutil import utcnow
from .models import User, UserSession

# last_seen_at is written at most this often per session, not on every request.
TOUCH_INTERVAL = timedelta(minutes=5)

_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def describe_device(user_agent: str) -> str:
    """A short, non-identifying summary of a User-Agent: "Firefox on Windows"."""
    user_agent = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    summary = " · ".join(part for part in (browser, system) if part)
    return summary or re.sub(r"[^\w .-]", "", user_agent)[:40]


def open_session(user: User, user_agent: str = "") -> str:
    """Record a new sign-in of user on one device and return its secret (kept in the cookie)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=_hash(token),
            generation=user.session_version,
            created_at=now,
            last_seen_at=now,
            device=describe_device(user_agent)[:80],
        )
    )
    db.session.flush()
    user.session_token = token
    return token


@cache
def _session_by_token():
    # Built once: every signed-in request runs it, and building it cost more than running it.
    return (
        select(UserSession)
        .options(joinedload(UserSession.user))
        .where(UserSession.token_hash == bindparam("token_hash"))
    )


def load(identity: str) -> tuple[User, UserSession] | None:
    """The user and session for a cookie identity, when the session is still valid (one query)."""
    user_id, _sep, token = identity.partition(":")
    if not user_id.isdigit() or len(token) < 20:
        return None
    row = db.session.scalar(_session_by_token(), {"token_hash": _hash(token)})
    if row is None or row.user_id != int(user_id):
        return None
    user = row.user
    if row.generation != user.session_version or not user.is_active:
        return None
    user.session_token = token
    return user, row


def needs_touch(row: UserSession, now: datetime | None = None) -> bool:
    """True when last_seen_at is older than TOUCH_INTERVAL."""
    return (now or utcnow()) - row.last_seen_at >= TOUCH_INTERVAL


def touch(session_id: int) -> None:
    """Note that the session was used now."""
    db.session.execute(
        update(UserSession).where(UserSession.id == session_id).values(last_seen_at=utcnow())
    )


def end_session(session_id: int) -> None:
    """End one sign-in session (this device)."""
    db.session.execute(delete(UserSession).where(UserSession.id == session_id))


def end_all_sessions(user: User) -> None:
    """End every sign-in session of user, on every device."""
    user.session_version += 1
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.flush()


def sessions_of(user: User) -> list[UserSession]:
    """The user's valid sessions, most recently used first."""
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.generation == user.session_version,
            )
            .order_by(UserSession.last_seen_at.desc())
        )
    )


def remove_stale_sessions(now: datetime | None = None) -> int:
    """Delete sessions ended by a raised session_version or unused longer than a remember cookie."""
    now = now or utcnow()
    cutoff = now - current_app.config.get("REMEMBER_COOKIE_DURATION", timedelta(days=365))
    stale_generation = (
        select(UserSession.id)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.generation != User.session_version)
    )
    result = db.session.execute(
        delete(UserSession)
        .where(or_(UserSession.last_seen_at < cutoff, UserSession.id.in_(stale_generation)))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
