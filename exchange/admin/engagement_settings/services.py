"""The Engagementnachweis settings, saved through the ledger's services and recorded in the
audit log (the Kommune's own facts: no resident is acted for). Flush, never commit."""

from __future__ import annotations

from ...accounts.models import User
from ...extensions import db
from ...ledger import certificate_services
from ...municipalities.models import Municipality
from ..access import check_admin
from ..audit.models import AuditEntry

SAVE, STAMP, STAMP_REMOVED = (
    "admin_engagement.settings",
    "admin_engagement.stamp",
    "admin_engagement.remove_stamp",
)


def _audit(admin: User, municipality: Municipality, action: str) -> None:
    db.session.add(
        AuditEntry(
            municipality_id=municipality.id,
            admin_id=admin.id,
            admin_name=admin.display_name,
            proxy_id=None,
            proxy_name="",
            action=action,
            object_type="engagementsettings",
            object_id=municipality.id,
        )
    )


def save(admin: User, municipality: Municipality, values: dict) -> None:
    """Save signatory and retention periods; ExchangeError (field named) when out of range."""
    check_admin(admin, municipality)
    certificate_services.save_settings(municipality, **values)
    _audit(admin, municipality, SAVE)
    db.session.flush()


def set_stamp(admin: User, municipality: Municipality, filename: str) -> str:
    """Use a stored stamp ("" removes it); returns the replaced file's name."""
    check_admin(admin, municipality)
    old = certificate_services.set_stamp(municipality, filename)
    _audit(admin, municipality, STAMP if filename else STAMP_REMOVED)
    db.session.flush()
    return old
