"""Matching's answers to lower layers' signals (connected when the app is built)."""

from __future__ import annotations

from ..core import signals
from .cards import match_cards
from .notify import notify_about
from .queries import matches_for


@signals.posting_published.connect
def _tell_whom_it_fits(posting, **_kw) -> None:
    notify_about(posting)


@signals.posting_page.connect
def _matches_on_page(posting, is_author, **_kw) -> dict:
    if not is_author:
        return {}
    return {"matches": match_cards(matches_for(posting), posting.municipality.slug)}
