"""The Kommune's admin area (/k/<slug>/admin/) and the report forms residents use."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..accounts.models import User
from ..core import idempotency
from ..core.inputs import page_arg
from ..errors import ExchangeError, attach_to_form
from ..extensions import db
from ..i18n import _
from ..messaging.models import Message
from ..messaging.queries import conversation_for_participant
from ..municipalities.tenancy import attach_tenant, get_scoped_or_404, municipality_by_slug
from ..postings.models import Posting
from ..postings.queries import can_view
from . import acting, queries, services
from .access import admin_required
from .forms import ReportForm, ResolveForm
from .models import Report

bp = Blueprint("admin", __name__, url_prefix="/k/<slug>/admin")
attach_tenant(bp)
reports_bp = Blueprint("reports", __name__)


@bp.get("/")
@admin_required
def dashboard():
    """Overview: open postings per Börse, who is still waiting, response time, helpers."""
    return render_template(
        "admin/dashboard.html",
        figures=queries.figures(g.municipality),
        todo=queries.todo_counts(g.municipality),
    )


@bp.get("/reports")
@admin_required
def reports():
    """The moderation queue, and the blocked accounts."""
    return render_template(
        "admin/reports.html",
        reports=queries.open_reports(g.municipality, page_arg()),
        blocked=queries.residents(g.municipality, blocked_only=True),
        form=ResolveForm(),
    )


def _admin_action(action, success: str, target: str = "admin.reports"):
    try:
        action()
    except ExchangeError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(url_for(target))


@bp.post("/reports/<int:report_id>/resolve")
@admin_required
def resolve(report_id: int):
    """Mark a report as dealt with."""
    report = get_scoped_or_404(Report, report_id, g.municipality)
    form = ResolveForm()
    if not form.validate_on_submit():
        abort(400)
    return _admin_action(
        lambda: services.resolve_report(acting.real_user(), report, form.outcome.data),
        _("The report is closed."),
    )


@bp.post("/postings/<int:posting_id>/hide")
@admin_required
def hide(posting_id: int):
    """Hide a posting from the board."""
    posting = get_scoped_or_404(Posting, posting_id, g.municipality)
    return _admin_action(
        lambda: services.hide_posting(acting.real_user(), posting), _("The posting is hidden.")
    )


@bp.post("/postings/<int:posting_id>/unhide")
@admin_required
def unhide(posting_id: int):
    """Show a hidden posting again."""
    posting = get_scoped_or_404(Posting, posting_id, g.municipality)
    return _admin_action(
        lambda: services.unhide_posting(acting.real_user(), posting),
        _("The posting is visible again."),
    )


@bp.post("/users/<int:user_id>/block")
@admin_required
def block(user_id: int):
    """Block a resident; their sessions end at once."""
    user = get_scoped_or_404(User, user_id, g.municipality)
    return _admin_action(
        lambda: services.block_user(acting.real_user(), user), _("The account is blocked.")
    )


@bp.post("/users/<int:user_id>/unblock")
@admin_required
def unblock(user_id: int):
    """Unblock a resident."""
    user = get_scoped_or_404(User, user_id, g.municipality)
    return _admin_action(
        lambda: services.unblock_user(acting.real_user(), user), _("The account is unblocked.")
    )


def _csv(rows, filename: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in rows:
        # A cell starting with = + - @ would be a formula in a spreadsheet.
        writer.writerow(
            ["'" + c if isinstance(c, str) and c[:1] in ("=", "+", "-", "@") else c for c in row]
        )
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/export/postings.csv")
@admin_required
def export_postings():
    """All postings of the Kommune as CSV (no names or contact details)."""
    answers = queries.response_counts(g.municipality)
    rows = [
        [
            "id",
            "created_at",
            "direction",
            "kind",
            "category",
            "title",
            "place",
            "status",
            "expires_at",
            "responses",
        ]
    ]
    for p in queries.postings_for_export(g.municipality):
        rows.append(
            [
                p.id,
                p.created_at.isoformat(),
                p.direction,
                p.kind,
                p.category,
                p.title,
                p.place_name,
                p.status,
                p.expires_at.isoformat(),
                answers.get(p.id, 0),
            ]
        )
    return _csv(rows, f"{g.municipality.slug}-postings.csv")


@bp.get("/export/figures.csv")
@admin_required
def export_figures():
    """The overview's figures as CSV."""
    figures = queries.figures(g.municipality)
    rows = [["figure", "kind", "direction", "value"]]
    for (kind, direction), n in sorted(figures["counts"].items()):
        rows.append(["open_postings", kind, direction, n])
    rows.append(["waiting_requests_7_days", "", "", len(figures["waiting"])])
    rows.append(["median_first_response_hours", "", "", figures["median_first_response_hours"]])
    rows.append(["active_helpers_30_days", "", "", figures["active_helpers"]])
    return _csv(rows, f"{g.municipality.slug}-figures.csv")


@reports_bp.route("/k/<slug>/postings/<int:posting_id>/report", methods=["GET", "POST"])
@login_required
def report_posting(slug: str, posting_id: int):
    """Report a posting to the Kommune's admins."""
    municipality = municipality_by_slug(slug)
    if municipality is None:
        abort(404)
    g.municipality = municipality
    posting = get_scoped_or_404(Posting, posting_id, municipality)
    if not can_view(posting, current_user):
        abort(404)
    form = ReportForm()
    back = url_for("postings.detail", slug=slug, posting_id=posting.id)
    if form.validate_on_submit():
        replay = idempotency.replayed(form, current_user, back)
        if replay is not None:
            return replay
        try:
            services.report_posting(current_user, posting, form.reason.data)
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            idempotency.remember(form, current_user, back)
            db.session.commit()
            flash(_("Thank you. The municipality will look at it."), "success")
            return redirect(back)
    return render_template(
        "admin/report.html",
        form=form,
        title=posting.title,
        back=url_for("postings.detail", slug=slug, posting_id=posting.id),
    )


@reports_bp.route(
    "/me/messages/<int:conversation_id>/messages/<int:message_id>/report", methods=["GET", "POST"]
)
@login_required
def report_message(conversation_id: int, message_id: int):
    """Report a message one has received."""
    conversation = conversation_for_participant(conversation_id, current_user)
    message = db.session.get(Message, message_id)
    if conversation is None or message is None or message.conversation_id != conversation.id:
        abort(404)
    form = ReportForm()
    back = url_for("messaging.conversation", conversation_id=conversation.id)
    if form.validate_on_submit():
        replay = idempotency.replayed(form, current_user, back)
        if replay is not None:
            return replay
        try:
            services.report_message(current_user, message, form.reason.data)
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            idempotency.remember(form, current_user, back)
            db.session.commit()
            flash(_("Thank you. The municipality will look at it."), "success")
            return redirect(back)
    return render_template(
        "admin/report.html", form=form, title=conversation.posting_title, back=back
    )


# The proxy, inbox, audit and approval pages and the Kommune's settings add their routes to bp.
from . import proxy_views, settings_views  # noqa: E402, F401
