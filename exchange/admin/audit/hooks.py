"""The audit log in a person's export and erasure (connected when the app is built)."""

from __future__ import annotations

from sqlalchemy import select, update

from ...accounts.export import kommune_name, rows_of, value_of
from ...core import signals
from ...extensions import db
from .models import AuditEntry


@signals.account_erasing.connect
def _pseudonymise_entries(user, pseudonym, **_kw) -> None:
    uid, alias = user.id, pseudonym
    # The audit log keeps that an action happened, under a pseudonym instead of her name.
    db.session.execute(
        update(AuditEntry).where(AuditEntry.proxy_id == uid).values(proxy_id=None, proxy_name=alias)
    )
    db.session.execute(
        update(AuditEntry).where(AuditEntry.admin_id == uid).values(admin_id=None, admin_name=alias)
    )


@signals.export_requested.connect
def _export_entries(user, **_kw) -> tuple[dict, set]:
    """Entries about her name the Kommune, not the admin.

    The admin acted as the town hall's employee, the Kommune is the controller she can hold to
    account, and the employee's name is the employee's personal data.
    """
    uid = user.id
    sections = {
        "town_hall_actions_for_me": [
            {
                "created_at": value_of(e.created_at),
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "by": kommune_name(e.municipality_id),
            }
            for e in db.session.scalars(
                select(AuditEntry).where(AuditEntry.proxy_id == uid).order_by(AuditEntry.id)
            )
        ],
        "my_actions_as_admin": rows_of(
            AuditEntry.__table__,
            AuditEntry.admin_id == uid,
            skip=("admin_id", "admin_name", "proxy_id", "proxy_name"),
        ),
    }
    return sections, {"audit_entry"}
