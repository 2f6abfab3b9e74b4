"""What happened after a posting (/k/<slug>/postings/<id>/outcome) and one's own engagement
(/me/engagement, /me/engagement/<record_id>)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..core import idempotency
from ..errors import ExchangeError, attach_to_form
from ..extensions import db
from ..i18n import _
from ..municipalities.tenancy import get_scoped_or_404, load_tenant
from ..postings.models import Posting
from ..postings.vocab import ACTIVE_STATUSES
from ..youth.explain import hours_text
from . import queries, services
from .forms import CONFIRM, ConfirmForm, OutcomeForm
from .forms import hours_text as hours_field_text
from .models import HelpRecord
from .vocab import Outcome, RecordStatus

bp = Blueprint("ledger", __name__)
# The outcome form is a tenant page; the own area lives at /me without a Kommune.
_TENANT_ENDPOINTS = frozenset({"ledger.outcome"})


@bp.url_value_preprocessor
def _pull_slug(endpoint, values):
    if values and "slug" in values:
        g.tenant_slug = values.pop("slug")
        load_tenant()


@bp.url_defaults
def _add_slug(endpoint, values):
    if endpoint in _TENANT_ENDPOINTS and "slug" not in values and g.get("municipality"):
        values["slug"] = g.municipality.slug


@bp.app_template_global("engagement_waiting_count")
def engagement_waiting_count(user) -> int:
    """How many help records wait for user's confirmation (the account page's notice)."""
    return queries.waiting_count(user)


@bp.app_template_global("engagement_retention")
def engagement_retention(municipality) -> tuple[int, int]:
    """(ledger, consent) retention years of a Kommune, for its privacy notice."""
    return queries.retention_years(municipality)


def acting_admin():
    """The admin acting for the signed-in proxy, if any (set by admin.acting on every request)."""
    if g.get("acting_for") is None:
        return None
    return g.get("real_user")


def _people(posting: Posting) -> tuple[list[tuple[str, str]], str | None]:
    """The choices of "with whom" and the one to preselect (the chosen helper)."""
    choices, chosen = [], None
    for conversation in queries.people_who_answered(posting):
        choices.append((str(conversation.id), conversation.responder.short_name))
        if conversation.is_assigned and chosen is None:
            chosen = str(conversation.id)
    return choices, chosen


@bp.route("/k/<slug>/postings/<int:posting_id>/outcome", methods=["GET", "POST"])
@login_required
def outcome(posting_id: int):
    """Close one's posting and say what happened: with whom, when, how many hours."""
    posting = get_scoped_or_404(Posting, posting_id, g.municipality)
    if posting.author_id != current_user.id:
        abort(403)
    detail = url_for("postings.detail", posting_id=posting.id)
    people, chosen = _people(posting)
    form = OutcomeForm().setup(people)
    if request.method == "POST" and form.validate():
        replay = idempotency.replayed(form, current_user, detail)
        if replay is not None:
            return replay
    if posting.status not in ACTIVE_STATUSES:
        flash(_("This posting is not open."), "info")
        return redirect(detail)
    if request.method == "GET":
        _prefill(form, posting, chosen)
    elif not form.errors:
        report = services.Report(
            outcome=form.outcome.data,
            conversation_id=int(form.person.data) if form.person.data else None,
            on_date=form.on_date.data,
            minutes=form.hours.minutes,
            pay_per_hour_cents=getattr(form.pay, "cents", None),
        )
        try:
            services.report_outcome(posting, current_user, report, acting_admin())
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            idempotency.remember(form, current_user, detail)
            db.session.commit()
            flash(
                _("Done: the posting is no longer on the board. Thank you for helping each other!"),
                "success",
            )
            if form.outcome.data == Outcome.HELPED:
                flash(_("We have asked the other person to confirm the hours."), "info")
            return redirect(detail)
    return render_template(
        "ledger/outcome.html", form=form, posting=posting, has_people=bool(people)
    )


def _prefill(form: OutcomeForm, posting: Posting, chosen: str | None) -> None:
    form.person.data = chosen
    conversation = next(
        (c for c in queries.people_who_answered(posting) if str(c.id) == chosen), None
    )
    today = queries.local_today()
    day = (conversation.agreed_on if conversation else None) or posting.on_date
    form.on_date.data = day if day is not None and day <= today else today
    minutes = (conversation.agreed_minutes if conversation else None) or posting.duration_minutes
    if minutes and minutes % services.STEP_MINUTES == 0:
        form.hours.data = hours_field_text(minutes)
    if posting.pay_per_hour_cents is not None:
        euros, cents = divmod(posting.pay_per_hour_cents, 100)
        form.pay.data = f"{euros},{cents:02d}"


@bp.get("/me/engagement")
@login_required
def mine():
    """My hours this year and overall, the records waiting for me, what I gave and received."""
    today = queries.local_today()
    waiting = queries.waiting_for(current_user)
    records = queries.records_of(current_user)
    return render_template(
        "ledger/mine.html",
        year=today.year,
        this_year=queries.totals(current_user.id, today.year),
        overall=queries.totals(current_user.id),
        balance=queries.balance(current_user.id),
        waiting=waiting,
        disputed=[r for r in records if r.status == RecordStatus.DISPUTED],
        # Reported by her (or about her), waiting for the other side's answer.
        pending=[
            r
            for r in records
            if r.status == RecordStatus.REPORTED and all(w.id != r.id for w in waiting)
        ],
        given=[
            r
            for r in records
            if r.helper_id == current_user.id and r.status == RecordStatus.CONFIRMED
        ],
        received=[
            r
            for r in records
            if r.recipient_id == current_user.id and r.status == RecordStatus.CONFIRMED
        ],
        hours_text=hours_text,
        RecordStatus=RecordStatus,
    )


@bp.route("/me/engagement/<int:record_id>", methods=["GET", "POST"])
@login_required
def confirm(record_id: int):
    """Confirm the hours someone reported, or say other ones."""
    record = db.session.get(HelpRecord, record_id)
    if record is None or not queries.can_see(record, current_user):
        abort(404)
    may_answer = queries.can_confirm(record, current_user)
    form = ConfirmForm()
    if may_answer and record.status == RecordStatus.REPORTED and form.validate_on_submit():
        try:
            if form.answer.data == CONFIRM:
                services.confirm(record, current_user, acting_admin())
                message = _("Thank you! The hours are booked.")
            else:
                services.dispute(record, current_user, form.hours.minutes, form.note.data)
                message = _("Thank you. The Kommune's team will look at the hours.")
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("ledger.mine"))
    elif request.method == "POST" and record.status != RecordStatus.REPORTED:
        flash(_("These hours have already been answered."), "info")
        return redirect(url_for("ledger.confirm", record_id=record.id))
    return render_template(
        "ledger/confirm.html",
        form=form,
        record=record,
        may_answer=may_answer,
        hours_text=hours_text,
        RecordStatus=RecordStatus,
    )
