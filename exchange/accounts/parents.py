"""A parent's confirmation of a young person's registration (DSGVO Art. 8). Never commits.

Under 16, registration names a parent's or guardian's e-mail address. They get a mail with a
signed link (valid PARENT_DAYS days); the page behind it says what they confirm, and only a
POST confirms or declines: mail scanners that follow links change nothing. Until a parent has
confirmed, the account cannot sign in; left unconfirmed, it is erased after PARENT_DAYS days.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from ..errors import ExchangeError
from ..extensions import db
from ..i18n import _, _l
from ..mail.services import queue_email
from ..timeutil import utcnow
from .models import User

PARENT_DAYS = 14
_SALT = "confirm-parent"
_RESEND_SALT = "resend-parent"
_RESEND_SECONDS = 60 * 60


class AwaitingParent(Exception):
    """Raised on sign-in with the right password while a parent has not confirmed yet."""

    def __init__(self, user: User):
        super().__init__(user.id)
        self.user = user


def _serializer(salt: str = _SALT) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=salt)


def parents_rules_path(user: User) -> str:
    """The path of the Kommune's rules page for parents (youth.rules_parents, built by path)."""
    slug = user.municipality.slug if user.municipality else ""
    return f"/k/{slug}/taschengeld/regeln/eltern"


def parent_token(user: User) -> str:
    """The token of the link that lets the parent confirm user's registration."""
    return _serializer().dumps({"u": user.id, "p": user.parent_email})


def send_parent_mail(user: User) -> None:
    """Mail the parent a link to confirm (or decline) the young person's registration."""
    queue_email(
        user.parent_email,
        user.locale,
        _l("Please confirm the registration of %(name)s", name=user.display_name),
        "email/parent_confirm.txt",
        user=user,
        municipality=user.municipality,
        days=PARENT_DAYS,
        birth_year=user.birth_date.year if user.birth_date else "",
        link=url_for("accounts.parent_confirm", token=parent_token(user)),
        rules_link=parents_rules_path(user),
        secret=True,
    )


def user_of_token(token: str) -> User:
    """The young person a parent's link names, while it still waits; refuses everything else."""
    invalid = ExchangeError(
        _(
            "This link is not valid. It may be used already, mistyped or older than %(days)s days.",
            days=PARENT_DAYS,
        )
    )
    try:
        data = _serializer().loads(token, max_age=PARENT_DAYS * 86400)
    except (BadSignature, SignatureExpired):
        raise invalid from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise invalid
    user = db.session.get(User, data["u"])
    if user is None or not user.awaits_parent or user.parent_email != data.get("p"):
        raise invalid
    return user


def confirm_parent(user: User) -> None:
    """The parent agrees: the young person may sign in (the old consent flag is set too)."""
    user.parent_confirmed_at = utcnow()
    user.has_parental_consent = True
    db.session.flush()


def resend_token(user: User) -> str:
    """A short-lived token with which the login page sends the parent's mail again."""
    return _serializer(_RESEND_SALT).dumps(user.id)


def user_of_resend_token(token: str) -> User | None:
    """The waiting young person a resend token names, or None."""
    try:
        user_id = _serializer(_RESEND_SALT).loads(token, max_age=_RESEND_SECONDS)
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    return user if user is not None and user.awaits_parent else None


def remove_unconfirmed_minors(now: datetime | None = None) -> int:
    """Erase young people's accounts no parent confirmed within PARENT_DAYS days. A daily job."""
    from .services import erase_account

    cutoff = (now or utcnow()) - timedelta(days=PARENT_DAYS)
    stale = db.session.scalars(
        select(User).where(
            User.parent_email.is_not(None),
            User.parent_confirmed_at.is_(None),
            User.created_at < cutoff,
            User.is_proxy.is_(False),
        )
    ).all()
    for user in stale:
        erase_account(user)
    return len(stale)
