"""Acting for a proxy ("Für <Name> handeln"): who is signed in, and who is acted for.

While an admin acts for a proxy, Flask-Login's ``current_user`` is the proxy, so every resident
page checks the proxy's rights; admin and operator pages check ``real_user()``, the admin.
"""

from __future__ import annotations

from flask import g, session
from flask_login import current_user

from ..accounts.models import ROLE_ADMIN, ROLE_SUPERADMIN

SESSION_KEY = "acting_for"

# Own-account pages that belong to the person, not to whoever acts for them.
FORBIDDEN_WHILE_ACTING = frozenset(
    {
        "accounts.profile",
        "accounts.change_password",
        "accounts.change_email",
        "accounts.resend_confirmation",
        "accounts.signed_in_devices",
        "accounts.export",
        "accounts.delete_account",
        "accounts.activate",
    }
)


def is_admin_of(user, municipality) -> bool:
    """True for the Kommune's own admins and for the operator."""
    if user is None or not user.is_authenticated:
        return False
    if user.role == ROLE_SUPERADMIN:
        return True
    return user.role == ROLE_ADMIN and user.municipality_id == municipality.id


def resolve(user, load):
    """The user the request runs as: the proxy while user acts for one, else user."""
    g.real_user = user
    proxy_id = session.get(SESSION_KEY)
    if proxy_id is None:
        return user
    proxy = load(proxy_id)
    if (
        proxy is not None
        and proxy.is_proxy
        and not proxy.is_blocked
        and is_admin_of(user, proxy.municipality)
    ):
        g.acting_for = proxy
        return proxy
    session.pop(SESSION_KEY, None)
    return user


def real_user():
    """The person who signed in (the admin, while acting), or None for guests."""
    if not current_user.is_authenticated:
        return None
    current_user._get_current_object()  # make sure the loader has run
    return g.get("real_user", current_user._get_current_object())


def acting_for():
    """The proxy being acted for in this request, or None."""
    if not current_user.is_authenticated:
        return None
    current_user._get_current_object()
    return g.get("acting_for")


def start(proxy) -> None:
    """Act for proxy from the next request on."""
    session[SESSION_KEY] = proxy.id


def stop() -> None:
    """Stop acting for anybody."""
    session.pop(SESSION_KEY, None)
