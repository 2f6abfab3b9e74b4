"""Per-Kommune information pages and theme."""

from flask import Blueprint, Response, g, render_template, request

from ..i18n import _
from ..static_files import ONE_YEAR
from .tenancy import attach_tenant

bp = Blueprint("municipalities", __name__, url_prefix="/k/<slug>")
attach_tenant(bp)


@bp.get("/imprint")
def imprint():
    """The Kommune's imprint (Impressum)."""
    return render_template(
        "municipalities/page.html", title=_("Imprint"), text=g.municipality.imprint_text
    )


@bp.get("/privacy")
def privacy():
    """The Kommune's privacy notice (Datenschutzerklärung)."""
    return render_template(
        "municipalities/page.html",
        title=_("Privacy"),
        text=g.municipality.privacy_text,
        cookie_note=True,  # the cookies the site sets, whatever the Kommune's own text says
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
