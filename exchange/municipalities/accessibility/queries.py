"""Reads: a Kommune's statement with its defaults filled in, its open feedback, the reminder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import get_timezone
from sqlalchemy import func, select

from ...extensions import db
from ...timeutil import utcnow
from ..models import Municipality
from .defaults import default_limitations, default_prepared_by
from .enforcement import EnforcementBody, body_for_state
from .models import AccessibilityFeedback, AccessibilityStatement
from .vocab import Conformance, EvaluationMethod

# The statement is reviewed at least once a year (EU 2018/1523, Art. 3(4)).
REVIEW_MONTHS = 12


@dataclass(frozen=True)
class Statement:
    """What the public page shows: the admins' texts where they gave one, else the defaults."""

    status: Conformance
    limitations: list[dict]
    evaluation_method: EvaluationMethod
    evaluated_on: date
    prepared_by: str
    reviewed_on: date
    enforcement: EnforcementBody
    automatic_enforcement: EnforcementBody
    is_default: bool


def stored_statement(municipality: Municipality) -> AccessibilityStatement | None:
    """The Kommune's saved statement, or None while it follows the defaults."""
    return db.session.scalar(
        select(AccessibilityStatement).where(
            AccessibilityStatement.municipality_id == municipality.id
        )
    )


def local_date(moment: datetime) -> date:
    """The calendar day of moment in the configured time zone (Europe/Berlin)."""
    return moment.astimezone(get_timezone()).date()


def statement_for(municipality: Municipality) -> Statement:
    """The statement as shown, in the current language."""
    row = stored_statement(municipality)
    since = local_date(municipality.created_at)
    automatic = body_for_state(municipality.state)
    if row is None:
        return Statement(
            status=Conformance.PARTIAL,
            limitations=default_limitations(),
            evaluation_method=EvaluationMethod.SELF,
            evaluated_on=since,
            prepared_by=default_prepared_by(municipality.name),
            reviewed_on=since,
            enforcement=automatic,
            automatic_enforcement=automatic,
            is_default=True,
        )
    own_body = (
        EnforcementBody(row.enforcement_name, row.enforcement_url)
        if row.enforcement_name and row.enforcement_url
        else None
    )
    return Statement(
        status=Conformance(row.status),
        limitations=default_limitations() if row.limitations is None else list(row.limitations),
        evaluation_method=EvaluationMethod(row.evaluation_method),
        evaluated_on=row.evaluated_on or since,
        prepared_by=row.prepared_by or default_prepared_by(municipality.name),
        reviewed_on=row.reviewed_on or since,
        enforcement=own_body or automatic,
        automatic_enforcement=automatic,
        is_default=False,
    )


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    # The 29th of February a year on is the 28th.
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def review_due_since(municipality: Municipality, now: datetime | None = None) -> date | None:
    """The day the yearly review fell due when that day has passed, else None."""
    statement_row = stored_statement(municipality)
    reviewed = (statement_row.reviewed_on if statement_row else None) or local_date(
        municipality.created_at
    )
    due = _add_months(reviewed, REVIEW_MONTHS)
    today = local_date(now or utcnow())
    return due if today > due else None


def open_feedback_count(municipality: Municipality) -> int:
    """How many barrier reports of the Kommune are not answered yet."""
    return db.session.scalar(
        select(func.count(AccessibilityFeedback.id)).where(
            AccessibilityFeedback.municipality_id == municipality.id,
            AccessibilityFeedback.answered_at.is_(None),
        )
    )


def feedback_list(municipality: Municipality, *, answered: bool, limit: int = 100) -> list:
    """The Kommune's barrier reports, open ones oldest first, answered ones newest first."""
    query = select(AccessibilityFeedback).where(
        AccessibilityFeedback.municipality_id == municipality.id
    )
    if answered:
        query = query.where(AccessibilityFeedback.answered_at.is_not(None)).order_by(
            AccessibilityFeedback.answered_at.desc()
        )
    else:
        query = query.where(AccessibilityFeedback.answered_at.is_(None)).order_by(
            AccessibilityFeedback.created_at, AccessibilityFeedback.id
        )
    return list(db.session.scalars(query.limit(limit)))
