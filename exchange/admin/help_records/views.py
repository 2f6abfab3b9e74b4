"""The Kommune's help records: decide disputed or unconfirmed hours, correct confirmed ones."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from ...errors import ExchangeError, attach_to_form
from ...extensions import db
from ...i18n import _
from ...ledger import queries
from ...ledger.forms import DecideForm
from ...ledger.forms import hours_text as hours_field_text
from ...ledger.models import HelpRecord
from ...ledger.vocab import RecordStatus
from ...municipalities.tenancy import attach_tenant, get_scoped_or_404
from ...youth.explain import hours_text
from ..access import admin_required
from ..acting import real_user
from . import services

bp = Blueprint("admin_help_records", __name__, url_prefix="/k/<slug>/admin")
attach_tenant(bp)


@bp.get("/help-records")
@admin_required
def records():
    """Disputed hours first, then those waiting for a confirmation, then the latest booked."""
    return render_template(
        "admin/help_records/records.html",
        groups=queries.records_for_admins(g.municipality),
        hours_text=hours_text,
        RecordStatus=RecordStatus,
    )


@bp.route("/help-records/<int:record_id>", methods=["GET", "POST"])
@admin_required
def record(record_id: int):
    """One record: decide its hours, or book a correction of confirmed hours."""
    item = get_scoped_or_404(HelpRecord, record_id, g.municipality)
    form = DecideForm()
    if request.method == "GET":
        start = item.minutes_disputed or item.minutes_reported
        if item.status == RecordStatus.CONFIRMED:
            start = item.minutes_confirmed
        form.hours.data = hours_field_text(start)
    elif form.validate_on_submit():
        try:
            if item.status == RecordStatus.CONFIRMED:
                services.correct(item, real_user(), form.hours.minutes, form.note.data)
                message = _("The correction is booked.")
            else:
                services.decide(item, real_user(), form.hours.minutes)
                message = _("The hours are booked.")
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("admin_help_records.records"))
    return render_template(
        "admin/help_records/record.html",
        form=form,
        record=item,
        entries=queries.entries_of(item),
        hours_text=hours_text,
        RecordStatus=RecordStatus,
    )
