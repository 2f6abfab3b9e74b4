"""Who may use a Kommune's admin area: its admins and the operator. One explicit check.

The common base of the admin sub-packages: the views' decorator and the services' check.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, g
from flask_login import current_user

from ..errors import NotAllowed
from ..extensions import login_manager
from ..i18n import _
from .acting import is_admin_of, real_user


def admin_required(view):
    """Guests go to the login page; everyone else who is not an admin here gets 403."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        # While acting for a proxy, current_user is the proxy; the admin is the real user.
        if not is_admin_of(real_user(), g.municipality):
            abort(403)
        return view(*args, **kwargs)

    wrapped.is_admin_view = True
    return wrapped


def check_admin(actor, municipality) -> None:
    """For services: raise NotAllowed unless actor is an admin of municipality."""
    if not is_admin_of(actor, municipality):
        raise NotAllowed(_("You are not allowed to do this."))
