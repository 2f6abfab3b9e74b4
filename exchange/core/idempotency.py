"""Forms that create something are done once: a re-sent form leads to what it created.

A create form carries a random token, generated when the form is rendered
(``IdempotentFormMixin``). The view claims the token before it creates anything
(``replayed``); the claim is a row in ``idempotency_key``, written in the same transaction as
the created object and finished with the created object's address (``remember``). So:

- a form sent again after its first sending was committed (the reply was lost, the worker was
  killed, the user pressed reload or went back) finds its row and is redirected to the result;
- two sendings at the same moment (a double click) queue on the row's unique key: the second
  waits until the first commits and is then redirected, or goes ahead when the first rolled
  back (a refused form can be corrected and sent again with the same token);
- nothing is claimed for a form that fails validation.

Old rows are deleted by ``prune`` (part of ``flask exchange daily``).
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from flask import flash, redirect
from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import HiddenField

from ..extensions import db
from ..i18n import _
from ..timeutil import UTCDateTime, utcnow

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
# Long enough for any re-send by a person; a form older than this simply creates again.
KEEP_DAYS = 7


class IdempotencyKey(db.Model):
    """A create form's token, claimed by a user, and where its result lives."""

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("user_id", "token"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(64))
    # Set in the same transaction as the created object; NULL only while that one is open.
    result_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


def new_token() -> str:
    """A fresh random token for one rendering of a create form."""
    return secrets.token_urlsafe(16)


class IdempotentFormMixin:
    """Adds the hidden idempotency token to a FlaskForm that creates something."""

    idempotency_token = HiddenField(default=new_token)

    def idempotency_key(self) -> str | None:
        """The submitted token when it is well-formed, else None (then nothing is deduplicated)."""
        # The submitted value only: the field's default is a fresh token when none was sent.
        raw = self.idempotency_token.raw_data
        token = raw[0] if raw else None
        return token if isinstance(token, str) and TOKEN_PATTERN.fullmatch(token) else None


def insert_unless_exists(model, **values) -> int | None:
    """INSERT … ON CONFLICT DO NOTHING; the new row's id, or None when a unique key was taken.

    On PostgreSQL the statement waits for a concurrent transaction holding the same key and
    sees its outcome; on SQLite the write lock orders the two. No savepoint is needed, which
    matters on SQLite, where pysqlite would let a first SAVEPOINT open (and its RELEASE commit)
    the transaction.
    """
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    statement = insert(model).values(**values).on_conflict_do_nothing().returning(model.id)
    return db.session.execute(statement).scalar()


def claim(user_id: int, token: str | None) -> str | None:
    """Claim token for user in this transaction; the earlier result's URL when it was used."""
    if token is None:
        return None
    if insert_unless_exists(IdempotencyKey, user_id=user_id, token=token, created_at=utcnow()):
        return None
    url = db.session.scalar(
        select(IdempotencyKey.result_url).where(
            IdempotencyKey.user_id == user_id, IdempotencyKey.token == token
        )
    )
    return url or ""


def replayed(form: IdempotentFormMixin, user, fallback: str):
    """For a view: a redirect to what this form created before, or None after claiming it."""
    url = claim(user.id, form.idempotency_key())
    if url is None:
        return None
    # Nothing was written; end the transaction so that the write lock is released at once.
    db.session.rollback()
    flash(_("This form had already been sent. Here is what it created."), "info")
    return redirect(url or fallback)


def remember(form: IdempotentFormMixin, user, url: str) -> None:
    """Store where the result of form lives (same transaction as the result)."""
    token = form.idempotency_key()
    if token is None:
        return
    db.session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.user_id == user.id, IdempotencyKey.token == token)
        .values(result_url=url[:500])
        .execution_options(synchronize_session=False)
    )


def prune(now: datetime | None = None) -> int:
    """Delete tokens older than KEEP_DAYS; the number deleted. Never commits."""
    cutoff = (now or utcnow()) - timedelta(days=KEEP_DAYS)
    result = db.session.execute(
        delete(IdempotencyKey)
        .where(IdempotencyKey.created_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
