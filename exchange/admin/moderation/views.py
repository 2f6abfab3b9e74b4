"""Moderation in the admin area (reports, hiding, blocking, approvals) and the report forms
residents use."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ...accounts.models import User
from ...core import idempotency
from ...core.inputs import page_arg
from ...errors import ExchangeError, attach_to_form
from ...extensions import db
from ...i18n import _
from ...ledger.models import Thanks
from ...messaging.models import Message
from ...messaging.queries import conversation_for_participant
from ...municipalities.tenancy import attach_tenant, get_scoped_or_404, municipality_by_slug
from ...postings.contact_mask import masked
from ...postings.models import Posting
from ...postings.queries import can_view
from .. import acting
from ..access import admin_required
from . import queries, services
from .forms import ReportForm, ResolveForm
from .models import Report

bp = Blueprint("admin_moderation", __name__, url_prefix="/k/<slug>/admin")
attach_tenant(bp)
reports_bp = Blueprint("reports", __name__)


@bp.get("/reports")
@admin_required
def reports():
    """The moderation queue, and the blocked accounts."""
    return render_template(
        "admin/moderation/reports.html",
        reports=queries.open_reports(g.municipality, page_arg()),
        blocked=queries.residents(g.municipality, blocked_only=True),
        form=ResolveForm(),
    )


def _admin_action(action, success: str, target: str = "admin_moderation.reports"):
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


@bp.post("/thanks/<int:thanks_id>/hide")
@admin_required
def hide_thanks(thanks_id: int):
    """Hide a reported thank-you: it never shows or prints again."""
    thanks = get_scoped_or_404(Thanks, thanks_id, g.municipality)
    return _admin_action(
        lambda: services.hide_thanks(acting.real_user(), thanks), _("The thank-you is hidden.")
    )


@bp.post("/thanks/<int:thanks_id>/unhide")
@admin_required
def unhide_thanks(thanks_id: int):
    """Show a hidden thank-you again (the helper may choose it for her proof again)."""
    thanks = get_scoped_or_404(Thanks, thanks_id, g.municipality)
    return _admin_action(
        lambda: services.hide_thanks(acting.real_user(), thanks, hidden=False),
        _("The thank-you is visible again."),
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


@bp.get("/approvals")
@admin_required
def approvals():
    """New accounts waiting for the Kommune's approval."""
    page = queries.pending_approvals(g.municipality, page_arg())
    return render_template("admin/moderation/approvals.html", page=page)


def _pending_or_404(user_id: int) -> User:
    user = get_scoped_or_404(User, user_id, g.municipality)
    if user.is_approved or user.is_proxy:
        abort(404)
    return user


@bp.post("/approvals/<int:user_id>/approve")
@admin_required
def approve(user_id: int):
    """Let a new resident sign in."""
    user = _pending_or_404(user_id)
    services.approve_user(acting.real_user(), user)
    db.session.commit()
    flash(_("%(name)s can sign in now.", name=user.display_name), "success")
    return redirect(url_for("admin_moderation.approvals"))


@bp.route("/approvals/<int:user_id>/decline", methods=["GET", "POST"])
@admin_required
def decline(user_id: int):
    """Decline a registration, after confirmation; the account is removed."""
    user = _pending_or_404(user_id)
    if request.method == "POST":
        name = user.display_name
        services.decline_user(acting.real_user(), user)
        db.session.commit()
        flash(_("The registration of %(name)s is declined and removed.", name=name), "success")
        return redirect(url_for("admin_moderation.approvals"))
    return render_template("admin/moderation/decline.html", user=user)


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
    back = url_for("postings.detail", slug=slug, posting_id=posting.id)
    # The reporter sees the title as on the board: contact details masked.
    return _report_page(
        masked(posting.title),
        back,
        lambda reason: services.report_posting(current_user, posting, reason),
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
    back = url_for("messaging.conversation", conversation_id=conversation.id)
    return _report_page(
        conversation.posting_title,
        back,
        lambda reason: services.report_message(current_user, message, reason),
    )


@reports_bp.route("/me/engagement/nachweis/danke/<int:thanks_id>/melden", methods=["GET", "POST"])
@login_required
def report_thanks(thanks_id: int):
    """Report a thank-you one received."""
    thanks = db.session.get(Thanks, thanks_id)
    if thanks is None or thanks.helper_id != current_user.id or thanks.is_hidden:
        abort(404)
    back = url_for("certificates.index", _anchor="thanks")
    return _report_page(
        _("A thank-you you received"),
        back,
        lambda reason: services.report_thanks(current_user, thanks, reason),
    )


def _report_page(title: str, back: str, submit):
    """The report form; a valid POST calls submit(reason), commits and goes back."""
    form = ReportForm()
    if form.validate_on_submit():
        replay = idempotency.replayed(form, current_user, back)
        if replay is not None:
            return replay
        try:
            submit(form.reason.data)
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            idempotency.remember(form, current_user, back)
            db.session.commit()
            flash(_("Thank you. The municipality will look at it."), "success")
            return redirect(back)
    return render_template("admin/moderation/report.html", form=form, title=title, back=back)
