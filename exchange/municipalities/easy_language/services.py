"""Writes of a Kommune's Leichte-Sprache page (its admins; the view commits)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from ...errors import ExchangeError
from ...extensions import db
from ...i18n import _
from ...timeutil import utcnow
from ..models import Municipality
from .markup import normalise
from .models import BODY_MAX, CHECKED_BY_MAX, VIDEO_URL_MAX, EasyLanguagePage
from .queries import page_of


def _row(municipality: Municipality) -> EasyLanguagePage:
    row = page_of(municipality)
    if row is None:
        row = EasyLanguagePage(municipality_id=municipality.id)
        db.session.add(row)
    return row


def text_problems(body: str, checked_by: str, checked_on: date | None, today: date) -> dict:
    """Every rule the text and its check break, as {field: translated message}."""
    problems = {}
    if len(body) > BODY_MAX:
        problems["body"] = _("The text may be at most %(n)s characters long.", n=BODY_MAX)
    if len(checked_by) > CHECKED_BY_MAX:
        problems["checked_by"] = _("At most %(n)s characters, please.", n=CHECKED_BY_MAX)
    if checked_by and checked_on is None:
        problems["checked_on"] = _("Enter the date of the check.")
    if checked_on is not None and not checked_by:
        problems["checked_by"] = _("Enter who checked the text.")
    if checked_on is not None and checked_on > today:
        problems["checked_on"] = _("The date of the check cannot be in the future.")
    return problems


def save_text(
    municipality: Municipality,
    body: str,
    checked_by: str,
    checked_on: date | None,
    default_body: str,
    today: date,
) -> EasyLanguagePage:
    """Store the Kommune's text and its check; the default text itself is stored as ""."""
    body = normalise(body)
    checked_by = " ".join((checked_by or "").split())
    problems = text_problems(body, checked_by, checked_on, today)
    if problems:
        field, message = next(iter(problems.items()))
        raise ExchangeError(message, field)
    if body == normalise(default_body):
        body = ""  # unchanged: keep following the default (the Kommune's name, its Börsen)
    row = _row(municipality)
    row.body = body
    row.checked_by = checked_by
    row.checked_on = checked_on if checked_by else None
    row.updated_at = utcnow()
    db.session.flush()
    return row


def https_link_problem(url: str) -> str | None:
    """Why url is not an acceptable video link (https only), or None."""
    if not url:
        return _("Enter the address of the video.")
    if len(url) > VIDEO_URL_MAX:
        return _("The address may be at most %(n)s characters long.", n=VIDEO_URL_MAX)
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return _("Enter an address that starts with https://, without spaces.")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or parts.scheme != "https" or not host or "@" in parts.netloc:
        return _("Enter an address that starts with https://, without spaces.")
    return None


def set_video_file(municipality: Municipality, name: str) -> str:
    """Use a stored MP4 as the video; returns the file no longer used ("" if none)."""
    row = _row(municipality)
    old = row.video_file
    row.video_file, row.video_url = name, ""
    row.updated_at = utcnow()
    db.session.flush()
    return old


def set_video_link(municipality: Municipality, url: str) -> str:
    """Use an https link as the video; returns the file no longer used ("" if none)."""
    url = (url or "").strip()
    problem = https_link_problem(url)
    if problem:
        raise ExchangeError(problem, "url")
    row = _row(municipality)
    old = row.video_file
    row.video_file, row.video_url = "", url
    row.updated_at = utcnow()
    db.session.flush()
    return old


def delete_video(municipality: Municipality) -> str:
    """No video any more; returns the file no longer used ("" if none)."""
    row = page_of(municipality)
    if row is None:
        return ""
    old = row.video_file
    row.video_file, row.video_url = "", ""
    row.updated_at = utcnow()
    db.session.flush()
    return old
