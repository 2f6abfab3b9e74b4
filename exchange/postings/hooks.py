"""Postings' part of the privacy export and erasure (connected when the app is built)."""

from __future__ import annotations

from sqlalchemy import delete, select

from ..accounts.export import rows_of
from ..core import signals
from ..extensions import db
from .models import Posting


@signals.personal_texts.connect
def _her_postings_texts(user, **_kw) -> tuple[list, list]:
    texts = []
    for title, description in db.session.execute(
        select(Posting.title, Posting.description).where(Posting.author_id == user.id)
    ):
        texts += [title, description]
    return [], texts


@signals.account_erasing.connect
def _erase_her_postings(user, **_kw) -> None:
    db.session.execute(delete(Posting).where(Posting.author_id == user.id))


@signals.export_requested.connect
def _export_her_postings(user, **_kw) -> tuple[dict, set]:
    return {"postings": rows_of(Posting.__table__, Posting.author_id == user.id)}, {"posting"}
