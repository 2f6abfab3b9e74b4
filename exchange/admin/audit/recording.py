"""The audit log of acting-for: every write an admin makes as a proxy is recorded.

Recording hangs on the database session rather than on each view, so that no resident page can
forget it: a POST that commits while an admin acts for a proxy adds one entry to the same
transaction, naming the endpoint and the main object it created or changed.
"""

from __future__ import annotations

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from ...extensions import db
from .models import AuditEntry

# Which changed object names the action, most telling first.
_TRACKED = (
    "HelpRecord",
    "Message",
    "Conversation",
    "Report",
    "Thanks",
    "SavedSearch",
    "Posting",
)


def entry(admin, proxy, action: str, obj=None) -> AuditEntry:
    """Add one audit entry (no commit)."""
    record = AuditEntry(
        municipality_id=proxy.municipality_id,
        admin_id=admin.id,
        admin_name=admin.display_name,
        proxy_id=proxy.id,
        proxy_name=proxy.display_name,
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else None,
        object_id=getattr(obj, "id", None),
    )
    db.session.add(record)
    return record


def _acting_post() -> bool:
    return (
        has_request_context()
        and request.method == "POST"
        and g.get("acting_for") is not None
        and not g.get("audit_written")
    )


def _remember_changes(session, _context) -> None:
    if not _acting_post():
        return
    touched = g.setdefault("audit_touched", [])
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if type(obj).__name__ in _TRACKED and obj not in touched:
            touched.append(obj)


def _write_entry(session) -> None:
    if not _acting_post():
        return
    touched = g.get("audit_touched", [])
    if not touched:
        return
    ranked = sorted(touched, key=lambda o: _TRACKED.index(type(o).__name__))
    g.audit_written = True
    entry(g.real_user, g.acting_for, request.endpoint or "unknown", ranked[0])


def init_app(app: Flask) -> None:
    """Listen to flushes and commits of every session (once per process)."""
    if not event.contains(Session, "after_flush", _remember_changes):
        event.listen(Session, "after_flush", _remember_changes)
        event.listen(Session, "before_commit", _write_entry)
