"""The Kommune's terms of use and code of conduct, edited and published by its admins.

Publishing asks for confirmation first: every resident must accept the new version again.
A route of the settings blueprint (one blueprint per admin sub-package), kept in its own file.
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from ...errors import ExchangeError, attach_to_form
from ...extensions import db
from ...i18n import _
from ...municipalities.terms import current_terms, publish_terms
from ..access import admin_required
from ..acting import real_user
from .forms import TermsForm
from .views import bp


@bp.route("/terms", methods=["GET", "POST"])
@admin_required
def terms():
    """Edit the texts; "check" shows what will be published, "publish" publishes it."""
    municipality = g.municipality
    current = current_terms(municipality)
    form = TermsForm()
    if request.method == "GET":
        form.terms_text.data = current.terms_text
        form.conduct_text.data = current.conduct_text
    action = request.form.get("action")
    if request.method == "POST" and action != "edit" and form.validate_on_submit():
        if action == "publish":
            try:
                row = publish_terms(
                    municipality,
                    terms_text=form.terms_text.data,
                    conduct_text=form.conduct_text.data,
                    published_by_id=real_user().id,
                )
            except ExchangeError as error:
                db.session.rollback()
                attach_to_form(form, error)
            else:
                db.session.commit()
                flash(
                    _(
                        "Version %(version)s is published. Every resident is asked to agree to "
                        "it at their next visit.",
                        version=row.version,
                    ),
                    "success",
                )
                return redirect(url_for("admin_settings.terms"))
        else:
            return render_template(
                "admin/settings/terms_confirm.html",
                form=form,
                current=current,
                next_version=current.version + 1,
            )
    return render_template("admin/settings/terms.html", form=form, current=current)
