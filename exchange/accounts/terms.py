"""Accepting a Kommune's terms of use and code of conduct: who must, and recording it."""

from __future__ import annotations

from ..errors import ExchangeError
from ..extensions import db
from ..i18n import _
from ..municipalities.terms import current_terms_version
from ..timeutil import utcnow
from .models import User
from .vocab import STAFF_ROLES


def must_accept(user: User | None) -> bool:
    """True for a resident whose accepted version is older than the home Kommune's current one.

    Proxy accounts are asked by the town hall, which recorded their consent; admins and the
    operator publish the terms rather than accept them (and an admin acting for a proxy acts
    as the proxy, who is not asked).
    """
    if user is None or not user.is_authenticated or user.municipality_id is None:
        return False
    if user.is_proxy or user.role in STAFF_ROLES:
        return False
    return user.accepted_terms_version < current_terms_version(user.municipality_id)


def accept_terms(user: User, version: int) -> None:
    """Record that user accepted version (the Kommune's current one) now. Flushes."""
    current = current_terms_version(user.municipality_id)
    if version != current:
        raise ExchangeError(
            _(
                "The terms changed while you were reading them. Please read the current "
                "version and agree again."
            ),
            "accepts",
        )
    user.accepted_terms_version = current
    user.terms_accepted_at = utcnow()
    db.session.flush()
