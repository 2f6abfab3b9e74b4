"""Confirming e-mail addresses by link (double opt-in), at sign-up and on change. Never commits.

A link carries a signed token naming the user, the address to confirm and, for a change, the
address it replaces. It works once: after use the account no longer is in the state the token
names (confirmed already, or the old address is gone).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from ..errors import ExchangeError
from ..extensions import db
from ..i18n import _, _l
from ..mail.services import queue_email
from ..timeutil import utcnow
from .models import User
from .passwords import verify_password
from .throttle import first_in_period

# Unconfirmed self-registrations are removed after this many days.
UNCONFIRMED_DAYS = 14
CHANGE_HOURS = 48
ATTEMPT_NOTICE_SECONDS = 24 * 60 * 60
_SALT = "confirm-email"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def _find(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def confirmation_token(user: User) -> str:
    """The token of the link that confirms the address user registered with (see confirm)."""
    return _serializer().dumps({"u": user.id, "e": user.email})


def send_confirmation(user: User) -> None:
    """E-mail user a link that confirms the address they registered with."""
    token = confirmation_token(user)
    queue_email(
        user.email,
        user.locale,
        _l("Please confirm your e-mail address"),
        "email/confirm_email.txt",
        user=user,
        municipality=user.municipality,
        days=UNCONFIRMED_DAYS,
        link=url_for("accounts.confirm_email", token=token),
        secret=True,
    )


def tell_owner_of_attempt(user: User) -> None:
    """Tell the owner of an address that someone tried to use it for (another) account.

    At most once a day per address, whoever tries how often.
    """
    if not first_in_period("address-in-use", user.email, ATTEMPT_NOTICE_SECONDS):
        return
    if not user.is_email_confirmed:
        # They probably lost the first mail: send the link again instead.
        send_confirmation(user)
        return
    queue_email(
        user.email,
        user.locale,
        _l("Someone tried to register with your e-mail address"),
        "email/address_in_use.txt",
        user=user,
        municipality=user.municipality,
        login_link=url_for("accounts.login"),
        reset_link=url_for("accounts.forgot_password"),
    )


def confirm(token: str) -> User:
    """Confirm the address a link names; returns the user. Refuses used, stale or forged links."""
    invalid = ExchangeError(
        _("This link is not valid. It may be used already, mistyped or too old.")
    )
    serializer = _serializer()
    try:
        data, signed_at = serializer.loads(
            token, max_age=UNCONFIRMED_DAYS * 86400, return_timestamp=True
        )
    except (BadSignature, SignatureExpired):
        raise invalid from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise invalid
    user = db.session.get(User, data["u"])
    if user is None or user.is_proxy:
        raise invalid
    old = data.get("o")
    if old is None:
        if user.email != data.get("e") or user.is_email_confirmed:
            raise invalid
        user.is_email_confirmed = True
        db.session.flush()
        return user
    # A change of address: valid for CHANGE_HOURS and only while the old address is current.
    if user.email != old or utcnow() - signed_at > timedelta(hours=CHANGE_HOURS):
        raise invalid
    new = data.get("e") or ""
    if _find(new) is not None:
        raise invalid
    user.email = new
    user.is_email_confirmed = True
    db.session.flush()
    return user


def _masked(email: str) -> str:
    local, _sep, domain = email.partition("@")
    return f"{local[:2]}…@{domain}"


def request_email_change(user: User, password: str, new_email: str) -> None:
    """Send a confirmation link to the new address and tell the old one; nothing changes yet.

    The answer is the same whether the new address belongs to another account or not.
    """
    if not verify_password(user.password_hash, password):
        raise ExchangeError(_("The password is not correct."), "password")
    new_email = new_email.strip().lower()
    if new_email == user.email:
        raise ExchangeError(_("This is already your e-mail address."), "email")
    other = _find(new_email)
    if other is not None:
        tell_owner_of_attempt(other)
        return
    token = _serializer().dumps({"u": user.id, "e": new_email, "o": user.email})
    queue_email(
        new_email,
        user.locale,
        _l("Please confirm your new e-mail address"),
        "email/confirm_new_email.txt",
        user=user,
        municipality=user.municipality,
        hours=CHANGE_HOURS,
        link=url_for("accounts.confirm_email", token=token),
        secret=True,
    )
    queue_email(
        user.email,
        user.locale,
        _l("Your e-mail address is about to change"),
        "email/email_change_requested.txt",
        user=user,
        municipality=user.municipality,
        new_email=_masked(new_email),
        hours=CHANGE_HOURS,
        reset_link=url_for("accounts.forgot_password"),
    )
