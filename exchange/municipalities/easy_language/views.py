"""The start page in Leichte Sprache (/k/<slug>/leichte-sprache), its video, and the platform's."""

from __future__ import annotations

from babel.dates import format_date
from flask import Blueprint, abort, g, render_template, send_file

from ..queries import all_municipalities
from ..tenancy import attach_tenant
from . import video as videos
from .markup import parse
from .queries import default_text, page_of

# A stored video keeps its name for its whole life (a new upload is a new name).
VIDEO_MAX_AGE = 24 * 60 * 60

bp = Blueprint("easy_language", __name__, url_prefix="/k/<slug>/leichte-sprache")
attach_tenant(bp)
# The platform's own page has no Kommune: its own blueprint, without the tenant's url_defaults.
platform_bp = Blueprint("easy_language_platform", __name__)


def checked_on_text(row) -> str:
    """The day of the check as German words ("3. November 2026"): the page is German only."""
    if row is None or row.checked_on is None:
        return ""
    return format_date(row.checked_on, "d. MMMM y", locale="de")


@bp.get("")
def page():
    """The Kommune's start page in Leichte Sprache: its own checked text or the default."""
    municipality = g.municipality
    row = page_of(municipality)
    body = row.body if row is not None and row.body else default_text(municipality)
    return render_template(
        "easy_language/page.html",
        blocks=parse(body),
        row=row,
        checked_on=checked_on_text(row),
    )


@bp.get("/video/<name>")
def video(name: str):
    """The Kommune's DGS video (Range requests for seeking); another Kommune's is a 404."""
    row = page_of(g.municipality)
    if row is None or not row.video_file or row.video_file != name:
        abort(404)
    path = videos.path_of(name)
    if path is None:
        abort(404)
    response = send_file(
        path,
        mimetype="video/mp4",
        conditional=True,
        download_name=f"leichte-sprache-{g.municipality.slug}.mp4",
        max_age=VIDEO_MAX_AGE,
    )
    response.cache_control.public = True
    return response


@platform_bp.get("/leichte-sprache", endpoint="page")
def platform_page():
    """The platform's page in Leichte Sprache: what it is, and each Kommune's own page."""
    return render_template("easy_language/platform.html", municipalities=all_municipalities())
