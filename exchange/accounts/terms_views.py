"""Accepting a new version of the Kommune's terms (/k/<slug>/terms/accept), and the gate to it.

Until a resident accepts the current version, every page but this one, signing out, the legal
pages, the language switch and the own data's export and deletion sends them here.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..core.inputs import safe_next
from ..errors import ExchangeError, attach_to_form
from ..extensions import db
from ..i18n import _
from ..municipalities.tenancy import attach_tenant
from ..municipalities.terms import current_terms
from .forms import AcceptTermsForm
from .terms import accept_terms, must_accept

bp = Blueprint("accounts_terms", __name__, url_prefix="/k/<slug>")
attach_tenant(bp)

# What someone who has not yet accepted may still open.
OPEN_ENDPOINTS = frozenset(
    {
        "static",
        "accounts_terms.accept",
        "accounts.logout",
        "accounts.confirm_email",
        "accounts.export",
        "accounts.delete_account",
        "pages.set_language",
        "pages.imprint",
        "pages.privacy",
        "pages.terms",
        "pages.conduct",
        "pages.accessibility",
        "pages.favicon",
        "pages.healthz",
    }
)
# The Kommune's information pages (imprint, privacy, terms, conduct, accessibility) and theme.
OPEN_BLUEPRINTS = frozenset({"municipalities"})


@bp.before_app_request
def accept_terms_first():
    """Send a resident who has not accepted the current terms to the page that asks them."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in OPEN_ENDPOINTS:
        return None
    if request.blueprint in OPEN_BLUEPRINTS:
        return None
    if not current_user.is_authenticated or not must_accept(current_user):
        return None
    user = current_user._get_current_object()
    target = request.full_path if request.method == "GET" else None
    return redirect(
        url_for(
            "accounts_terms.accept",
            slug=user.municipality.slug,
            next=target.rstrip("?") if target else None,
        ),
        303,
    )


def _board() -> str:
    return url_for("postings.board", slug=g.municipality.slug)


@bp.route("/terms/accept", methods=["GET", "POST"])
@login_required
def accept():
    """The current terms and code of conduct, and the form to accept them."""
    user = current_user._get_current_object()
    if user.municipality_id != g.municipality.id:
        abort(404)
    target = safe_next(request.args.get("next"), _board())
    if not must_accept(user):
        return redirect(target)
    terms = current_terms(g.municipality)
    form = AcceptTermsForm()
    if request.method == "GET":
        form.version.data = terms.version
    if form.validate_on_submit():
        try:
            accept_terms(user, form.version.data)
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
            form.version.data = terms.version
        else:
            db.session.commit()
            flash(
                _("Thank you. You have agreed to the terms of use and the code of conduct."),
                "success",
            )
            return redirect(target)
    return render_template(
        "accounts/terms_accept.html",
        form=form,
        terms=terms,
        first_time=user.accepted_terms_version == 0,
    )
