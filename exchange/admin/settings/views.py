"""The Kommune's own facts, edited by its admins (/k/<slug>/admin/settings)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from ...errors import ExchangeError, attach_to_form
from ...extensions import db
from ...i18n import _
from ...municipalities.forms import MunicipalityFactsForm
from ...municipalities.services import FACT_FIELDS, derived_radius_km, update_settings
from ...municipalities.tenancy import attach_tenant
from ..access import admin_required

bp = Blueprint("admin_settings", __name__, url_prefix="/k/<slug>/admin")
attach_tenant(bp)


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def settings():
    """Bundesland, postal address, phone, office hours, contact e-mail, signatory, distance."""
    municipality = g.municipality
    form = MunicipalityFactsForm()
    if request.method == "GET":
        for key in FACT_FIELDS:
            getattr(form, key).data = getattr(municipality, key)
        form.default_radius_km.data = municipality.default_radius_km
    if form.validate_on_submit():
        try:
            update_settings(municipality, form.values(), form.default_radius_km.data)
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The details of %(name)s are saved.", name=municipality.name), "success")
            return redirect(url_for("admin_settings.settings"))
    return render_template(
        "admin/settings/settings.html", form=form, derived_radius_km=derived_radius_km(municipality)
    )
