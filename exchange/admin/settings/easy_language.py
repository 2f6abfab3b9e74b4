"""The Kommune's page in Leichte Sprache, edited by its admins (/k/<slug>/admin/easy-language):
its text, who checked it, and the DGS video (an MP4 upload or an https link).

The routes join the settings' blueprint (admin_settings, one per admin sub-package); the factory
imports this module before registering it.
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from ...errors import ExchangeError, attach_to_form
from ...extensions import db
from ...i18n import _
from ...municipalities.easy_language import services
from ...municipalities.easy_language import video as videos
from ...municipalities.easy_language.forms import (
    EasyLanguageTextForm,
    VideoLinkForm,
    VideoUploadForm,
)
from ...municipalities.easy_language.markup import normalise, parse
from ...municipalities.easy_language.queries import default_text, page_of
from ...timeutil import utcnow
from ..access import admin_required
from ..acting import is_admin_of, real_user
from .views import bp

URL = "/easy-language"
UPLOAD_ENDPOINT = "admin_settings.easy_language_upload_video"


@bp.url_value_preprocessor
def allow_video_upload(endpoint, values):
    """Raise the request size limit for the video upload only, and only for this Kommune's admins.

    Runs after the tenant is loaded and before the CSRF check reads the body; everybody else
    keeps MAX_CONTENT_LENGTH, so nobody can make the server take 50 MB without being an admin.
    """
    if endpoint == UPLOAD_ENDPOINT and request.method == "POST":
        if is_admin_of(real_user(), g.municipality):
            request.max_content_length = videos.max_bytes() + videos.FORM_OVERHEAD_BYTES


def _today():
    return utcnow().date()


def _render(form=None, text_form=None, upload_form=None, link_form=None, status=200):
    """The admin page; form is the one whose errors the summary shows."""
    municipality = g.municipality
    row = page_of(municipality)
    default = default_text(municipality)
    if text_form is None:
        text_form = EasyLanguageTextForm(formdata=None)
        text_form.body.data = row.body if row is not None and row.body else default
        text_form.checked_by.data = row.checked_by if row is not None else ""
        text_form.checked_on.data = row.checked_on if row is not None else None
    upload_form = upload_form or VideoUploadForm(formdata=None)
    link_form = link_form or VideoLinkForm(formdata=None)
    if row is not None and row.video_url and not link_form.url.data:
        link_form.url.data = row.video_url
    return render_template(
        "admin/settings/easy_language.html",
        form=form or text_form,
        text_form=text_form,
        upload_form=upload_form,
        link_form=link_form,
        row=row,
        uses_default=row is None or not row.body,
        default_blocks=parse(default),
        max_megabytes=videos.max_megabytes(),
    ), status


@bp.route(URL, methods=["GET", "POST"])
@admin_required
def easy_language():
    """The text in Leichte Sprache and its check (empty or unchanged: the default text)."""
    municipality = g.municipality
    if request.method == "GET":
        return _render()
    form = EasyLanguageTextForm()
    if form.validate_with(_today()):
        try:
            row = services.save_text(
                municipality,
                form.body.data or "",
                form.checked_by.data or "",
                form.checked_on.data,
                default_text(municipality),
                _today(),
            )
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            if row.body:
                flash(_("The text in Leichte Sprache is saved."), "success")
            else:
                flash(_("The page uses the default text in Leichte Sprache."), "success")
            return redirect(url_for("admin_settings.easy_language"))
    form.body.data = normalise(form.body.data or "")
    return _render(form=form, text_form=form)


@bp.post(URL + "/video")
@admin_required
def easy_language_upload_video():
    """Store an uploaded MP4 (checked by its bytes) as the page's DGS video."""
    municipality = g.municipality
    form = VideoUploadForm()
    if form.validate_on_submit():
        stored = ""
        try:
            stored = videos.store(form.video.data.stream, municipality.id)
            old = services.set_video_file(municipality, stored)
        except ExchangeError as error:
            db.session.rollback()
            # The service refused after the file was written: it must not stay on disk unused.
            videos.remove(stored)
            attach_to_form(form, error)
        else:
            db.session.commit()
            videos.remove(old)
            flash(_("The video is saved."), "success")
            return redirect(url_for("admin_settings.easy_language"))
    return _render(form=form, upload_form=form)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    """A video over the limit: the admin's page again, with the reason on the file field."""
    if request.endpoint != UPLOAD_ENDPOINT or not is_admin_of(real_user(), g.municipality):
        return render_template(
            "errors/error.html", code=413, title=_("The request is too large")
        ), 413
    form = VideoUploadForm(formdata=None)  # the body is not read again
    form.video.errors = [
        _("The video is too large. It may be at most %(mb)s MB.", mb=videos.max_megabytes())
    ]
    return _render(form=form, upload_form=form, status=413)


@bp.post(URL + "/link")
@admin_required
def easy_language_link_video():
    """Use a link (https only) to the video on another website instead of a file."""
    municipality = g.municipality
    form = VideoLinkForm()
    if form.validate_on_submit():
        try:
            old = services.set_video_link(municipality, form.url.data or "")
        except ExchangeError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            videos.remove(old)
            flash(_("The link to the video is saved."), "success")
            return redirect(url_for("admin_settings.easy_language"))
    return _render(form=form, link_form=form)


@bp.route(URL + "/video/delete", methods=["GET", "POST"])
@admin_required
def easy_language_delete_video():
    """Ask first; then the page has no video (a stored file is deleted)."""
    municipality = g.municipality
    row = page_of(municipality)
    if row is None or not (row.video_file or row.video_url):
        return redirect(url_for("admin_settings.easy_language"))
    if request.method == "POST":
        old = services.delete_video(municipality)
        db.session.commit()
        videos.remove(old)
        flash(_("The video is deleted."), "success")
        return redirect(url_for("admin_settings.easy_language"))
    return render_template("admin/settings/easy_language_delete_video.html", row=row)
