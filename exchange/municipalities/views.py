"""Per-Kommune information pages and theme."""

from flask import Blueprint, Response, g, render_template, request, url_for

from ..i18n import _
from ..static_files import ONE_YEAR
from .tenancy import attach_tenant
from .terms import current_terms

bp = Blueprint("municipalities", __name__, url_prefix="/k/<slug>")
attach_tenant(bp)


@bp.get("/imprint")
def imprint():
    """The Kommune's imprint (Impressum)."""
    return render_template(
        "municipalities/page.html",
        title=_("Imprint"),
        text=g.municipality.imprint_text,
        kind="imprint",
    )


@bp.get("/privacy")
def privacy():
    """The Kommune's privacy notice (Datenschutzerklärung)."""
    return render_template(
        "municipalities/page.html",
        title=_("Privacy"),
        text=g.municipality.privacy_text,
        kind="privacy",
        cookie_note=True,  # the cookies the site sets, whatever the Kommune's own text says
    )


@bp.get("/terms")
def terms():
    """The Kommune's terms of use (Nutzungsbedingungen), current version."""
    current = current_terms(g.municipality)
    return render_template(
        "municipalities/terms.html",
        title=_("Terms of use"),
        text=current.terms_text,
        terms=current,
        other_url=url_for("municipalities.conduct"),
        other_title=_("Code of conduct"),
    )


@bp.get("/conduct")
def conduct():
    """The Kommune's code of conduct (Verhaltensregeln), current version."""
    current = current_terms(g.municipality)
    return render_template(
        "municipalities/terms.html",
        title=_("Code of conduct"),
        text=current.conduct_text,
        terms=current,
        other_url=url_for("municipalities.terms"),
        other_title=_("Terms of use"),
    )


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement (Erklärung zur Barrierefreiheit)."""
    return render_template(
        "municipalities/accessibility.html", text=g.municipality.accessibility_text
    )


@bp.get("/theme.css")
def theme():
    """The Kommune's colour as CSS custom properties (keeps the CSP free of inline styles)."""
    css = f":root {{ --theme-color: {g.municipality.safe_theme_color}; }}\n"
    response = Response(css, mimetype="text/css")
    if request.args.get("v") == g.municipality.theme_version:
        # Pages link ?v=<colour>: a new colour is a new URL, so this one never changes.
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.max_age = 300
    return response
