"""Reads of a Kommune's Leichte-Sprache page, and its default text."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from ...extensions import db
from ..models import Municipality
from .models import EasyLanguagePage

DEFAULT_TEXT_TEMPLATE = "easy_language/default_text.txt"


def page_of(municipality: Municipality) -> EasyLanguagePage | None:
    """The Kommune's own row, or None while it uses the default text without check or video."""
    return db.session.scalar(
        select(EasyLanguagePage).where(EasyLanguagePage.municipality_id == municipality.id)
    )


def default_text(municipality: Municipality) -> str:
    """The default text in Leichte Sprache (German only, not translated), in the page's markup."""
    return render_template(DEFAULT_TEXT_TEMPLATE, municipality=municipality)
