"""The Engagementnachweis settings page (/k/<slug>/admin/engagement)."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from ...errors import ExchangeError, attach_to_form
from ...extensions import db
from ...i18n import _
from ...ledger import stamp as stamps
from ...ledger.certificate_queries import settings_of, signatory
from ...ledger.thresholds import THRESHOLDS
from ...municipalities.tenancy import attach_tenant
from ..access import admin_required
from ..acting import real_user
from . import services
from .forms import EngagementSettingsForm, StampForm

bp = Blueprint("admin_engagement", __name__, url_prefix="/k/<slug>/admin")
attach_tenant(bp)

FIELDS = ("signatory_name", "signatory_role", "ledger_retention_years", "consent_retention_years")


def _render(form=None, settings_form=None, stamp_form=None, status=200):
    municipality = g.municipality
    row = settings_of(municipality)
    if settings_form is None:
        settings_form = EngagementSettingsForm(formdata=None)
        for key in FIELDS:
            getattr(settings_form, key).data = getattr(row, key)
    stamp_form = stamp_form or StampForm(formdata=None)
    name, role = signatory(municipality)
    return render_template(
        "admin/engagement_settings/settings.html",
        form=form or settings_form,
        settings_form=settings_form,
        stamp_form=stamp_form,
        row=row,
        has_stamp=stamps.path_of(row.stamp_filename) is not None,
        signatory_name=name,
        signatory_role=role,
        thresholds=THRESHOLDS.get(municipality.state, ()),
        max_kilobytes=stamps.max_kilobytes(),
    ), status


@bp.route("/engagement", methods=["GET", "POST"])
@admin_required
def settings():
    """Signatory and retention periods."""
    if request.method == "GET":
        return _render()
    form = EngagementSettingsForm()
    if form.validate_on_submit():
        try:
            services.save(real_user(), g.municipality, {key: form[key].data for key in FIELDS})
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The settings for proofs of engagement are saved."), "success")
            return redirect(url_for("admin_engagement.settings"))
    return _render(form=form, settings_form=form)


@bp.post("/engagement/stamp")
@admin_required
def upload_stamp():
    """Store an uploaded PNG (checked by its bytes and size) as the stamp."""
    form = StampForm()
    if form.validate_on_submit():
        try:
            stored = stamps.store(form.stamp.data.stream, g.municipality.id)
            old = services.set_stamp(real_user(), g.municipality, stored)
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            stamps.remove(old)
            flash(_("The stamp is saved."), "success")
            return redirect(url_for("admin_engagement.settings"))
    return _render(form=form, stamp_form=form)


@bp.post("/engagement/stamp/remove")
@admin_required
def remove_stamp():
    """Print the proofs without a stamp image."""
    old = services.set_stamp(real_user(), g.municipality, "")
    db.session.commit()
    stamps.remove(old)
    flash(_("The stamp is removed."), "success")
    return redirect(url_for("admin_engagement.settings"))


@bp.get("/engagement/stamp.png")
@admin_required
def stamp():
    """The stored stamp, for the admins' preview."""
    path = stamps.path_of(settings_of(g.municipality).stamp_filename)
    if path is None:
        return redirect(url_for("admin_engagement.settings"))
    return send_file(path, mimetype="image/png", max_age=0)
