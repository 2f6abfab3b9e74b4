"""The Kommune's accessibility statement, edited by its admins (/k/<slug>/admin/accessibility).

Its routes join the settings blueprint; the app factory imports this module before registering.
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from ...errors import ExchangeError, attach_to_form
from ...extensions import db
from ...i18n import _
from ...municipalities.accessibility import queries
from ...municipalities.accessibility.forms import LIMITATION_SLOTS, StatementForm
from ...municipalities.accessibility.services import save_statement
from ..access import admin_required
from .views import bp


@bp.route("/accessibility", methods=["GET", "POST"])
@admin_required
def accessibility_statement():
    """Status, the parts not accessible, evaluation, who prepared it, the enforcement body."""
    municipality = g.municipality
    shown = queries.statement_for(municipality)
    form = StatementForm()
    if request.method == "GET":
        form.status.data = shown.status.value
        form.evaluation_method.data = shown.evaluation_method.value
        form.evaluated_on.data = shown.evaluated_on
        form.prepared_by.data = shown.prepared_by
        row = queries.stored_statement(municipality)
        if row is not None and row.enforcement_name:
            form.enforcement_name.data = row.enforcement_name
            form.enforcement_url.data = row.enforcement_url
        form.fill_limitations(shown.limitations)
    if form.validate_on_submit():
        try:
            save_statement(
                municipality,
                status=form.status.data,
                limitations=form.limitations(),
                evaluation_method=form.evaluation_method.data,
                evaluated_on=form.evaluated_on.data,
                prepared_by=form.prepared_by.data,
                enforcement_name=form.enforcement_name.data,
                enforcement_url=form.enforcement_url.data,
            )
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(
                _("The accessibility statement is saved and marked as reviewed today."), "success"
            )
            return redirect(url_for("admin_settings.accessibility_statement"))
    return render_template(
        "admin/settings/statement.html",
        form=form,
        shown=shown,
        slots=range(1, LIMITATION_SLOTS + 1),
        due_since=queries.review_due_since(municipality),
    )
