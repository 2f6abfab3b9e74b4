"""Reads of the audit log: one page of entries by filters, and what the filters can offer."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...municipalities.models import Municipality
from .models import AuditEntry


def audit_log(municipality: Municipality, filters: dict, page: int = 1):
    """The Kommune's acting-for audit log, newest first, filtered by admin, resident, action
    and date range."""

    query = select(AuditEntry).where(AuditEntry.municipality_id == municipality.id)
    if filters.get("admin_id"):
        query = query.where(AuditEntry.admin_id == filters["admin_id"])
    if filters.get("proxy_id"):
        query = query.where(AuditEntry.proxy_id == filters["proxy_id"])
    if filters.get("action"):
        query = query.where(AuditEntry.action == filters["action"])
    # Days are the Kommune's local days.
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    if filters.get("since"):
        start = datetime.combine(filters["since"], time.min, tzinfo=zone)
        query = query.where(AuditEntry.created_at >= start)
    if filters.get("until"):
        end = datetime.combine(filters["until"] + timedelta(days=1), time.min, tzinfo=zone)
        query = query.where(AuditEntry.created_at < end)
    return db.paginate(
        query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()),
        page=page,
        per_page=50,
        error_out=False,
    )


def audit_choices(municipality: Municipality) -> dict:
    """The admins, residents and actions that occur in the Kommune's audit log."""
    rows = db.session.execute(
        select(
            AuditEntry.admin_id,
            AuditEntry.admin_name,
            AuditEntry.proxy_id,
            AuditEntry.proxy_name,
            AuditEntry.action,
        )
        .where(AuditEntry.municipality_id == municipality.id)
        .distinct()
    ).all()
    return {
        "admins": sorted({(r[0], r[1]) for r in rows if r[0]}, key=lambda x: x[1]),
        "proxies": sorted({(r[2], r[3]) for r in rows if r[2]}, key=lambda x: x[1]),
        "actions": sorted({r[4] for r in rows}),
    }
