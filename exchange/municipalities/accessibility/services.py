"""Writes: saving a Kommune's statement, taking a barrier report, marking it answered."""

from __future__ import annotations

from datetime import date

from flask import url_for

from ...errors import InvalidState
from ...extensions import db
from ...i18n import _, _l
from ...mail.services import queue_email
from ...timeutil import utcnow
from ..models import Municipality
from .defaults import default_limitations, default_prepared_by
from .models import AccessibilityFeedback, AccessibilityStatement
from .queries import local_date, stored_statement
from .vocab import Conformance, EvaluationMethod


def save_statement(
    municipality: Municipality,
    *,
    status: str,
    limitations: list[dict],
    evaluation_method: str,
    evaluated_on: date | None,
    prepared_by: str,
    enforcement_name: str,
    enforcement_url: str,
) -> AccessibilityStatement:
    """Store the statement as the admins reviewed it today (created on the first save).

    A text equal to the default in the admin's language stays the default, so it keeps being
    shown in each reader's language.
    """
    if not Conformance.has(status) or not EvaluationMethod.has(evaluation_method):
        raise InvalidState(_("Choose one of the options."))
    row = stored_statement(municipality)
    if row is None:
        row = AccessibilityStatement(municipality_id=municipality.id)
        db.session.add(row)
    row.status = status
    row.limitations = None if limitations == default_limitations() else limitations
    row.evaluation_method = evaluation_method
    row.evaluated_on = evaluated_on
    prepared_by = (prepared_by or "").strip()
    row.prepared_by = (
        None if prepared_by in ("", default_prepared_by(municipality.name)) else prepared_by
    )
    row.enforcement_name = (enforcement_name or "").strip() or None
    row.enforcement_url = (enforcement_url or "").strip() or None
    row.reviewed_on = local_date(utcnow())
    db.session.flush()
    return row


def submit_feedback(
    municipality: Municipality, *, message: str, page: str, name: str, email: str, locale: str
) -> AccessibilityFeedback:
    """Keep a barrier report for the Kommune's admins; acknowledge it when an address is given.

    The acknowledgement holds nothing the sender typed (neither name nor message), so the form
    cannot be used to send someone else a text of one's choosing.
    """
    feedback = AccessibilityFeedback(
        municipality_id=municipality.id,
        message=message,
        page=page or "",
        name=name or "",
        email=email or "",
        locale=locale,
    )
    db.session.add(feedback)
    db.session.flush()
    if feedback.email:
        queue_email(
            feedback.email,
            locale,
            _l("We have received your report about accessibility"),
            "email/accessibility_feedback_received.txt",
            municipality=municipality,
            feedback=feedback,
            link=url_for("municipalities.accessibility", slug=municipality.slug),
        )
    return feedback


def mark_answered(feedback: AccessibilityFeedback, note: str) -> None:
    """Record that the town hall has answered a report, with a short note of what was done."""
    if feedback.answered_at is not None:
        raise InvalidState(_("This report is already marked as answered."))
    feedback.answered_at = utcnow()
    feedback.answer_note = (note or "").strip()[:500] or None
    db.session.flush()
