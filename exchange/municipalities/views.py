"""Per-Kommune information pages and theme."""

import re

from flask import Blueprint, Response, g, render_template

from ..i18n import _
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
        "municipalities/page.html", title=_("Privacy"), text=g.municipality.privacy_text
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
    color = g.municipality.theme_color
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", color or ""):
        color = "#0b5ea8"
    css = f":root {{ --theme-color: {color}; }}\n"
    response = Response(css, mimetype="text/css")
    response.cache_control.max_age = 300
    return response
