"""Barrier reports from the accessibility statement, for the Kommune's admins.

Its routes join the moderation blueprint; the app factory imports this module before registering.
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for

from ...errors import ExchangeError
from ...extensions import db
from ...i18n import _
from ...municipalities.accessibility import queries
from ...municipalities.accessibility.models import AccessibilityFeedback
from ...municipalities.accessibility.services import mark_answered
from ...municipalities.tenancy import get_scoped_or_404
from ..access import admin_required
from .forms import AnswerFeedbackForm
from .views import bp


@bp.get("/barriers")
@admin_required
def barriers():
    """Open barrier reports (oldest first) and the latest answered ones."""
    return render_template(
        "admin/moderation/barriers.html",
        open_reports=queries.feedback_list(g.municipality, answered=False),
        answered=queries.feedback_list(g.municipality, answered=True, limit=20),
        form=AnswerFeedbackForm(),
    )


@bp.post("/barriers/<int:feedback_id>/answered")
@admin_required
def barrier_answered(feedback_id: int):
    """Mark a barrier report as answered, with a short note."""
    feedback = get_scoped_or_404(AccessibilityFeedback, feedback_id, g.municipality)
    form = AnswerFeedbackForm()
    if not form.validate_on_submit():
        flash(_("The note can be at most 500 characters long."), "error")
        return redirect(url_for("admin_moderation.barriers"))
    try:
        mark_answered(feedback, form.note.data)
    except ExchangeError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The report is marked as answered."), "success")
    return redirect(url_for("admin_moderation.barriers"))
