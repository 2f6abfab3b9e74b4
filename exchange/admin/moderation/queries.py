"""Reads for moderation: open reports, blocked accounts, registrations waiting for approval."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...accounts.models import User
from ...extensions import db
from ...municipalities.models import Municipality
from .models import Report

# The admin lists' page size (the proxies' lists use the same).
PAGE_SIZE = 30


def open_reports(municipality: Municipality, page: int = 1):
    """One page of the reports not yet dealt with, oldest first."""
    query = (
        select(Report)
        .where(Report.municipality_id == municipality.id, Report.resolved_at.is_(None))
        .options(
            selectinload(Report.posting),
            selectinload(Report.message),
            selectinload(Report.thanks),
        )
        .order_by(Report.created_at, Report.id)
    )
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def residents(municipality: Municipality, blocked_only: bool = False) -> list[User]:
    """The Kommune's accounts, by name."""
    query = select(User).where(User.municipality_id == municipality.id)
    if blocked_only:
        query = query.where(User.is_blocked.is_(True))
    return list(db.session.scalars(query.order_by(User.display_name)))


def pending_approvals(municipality: Municipality, page: int = 1):
    """One page of the registrations waiting for the Kommune's approval, oldest first."""
    query = (
        select(User)
        .where(User.municipality_id == municipality.id, User.is_approved.is_(False))
        .order_by(User.created_at, User.id)
    )
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
