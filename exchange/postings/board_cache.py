"""Guests' board pages, rendered once and reused until the Kommune's board changes.

A board page is a whole accessible HTML page, and rendering it costs far more than the two
queries behind it (docs/performance.md). Guests all see the same page for the same address and
language, so it is rendered once and served from memory until something on that board changes:

- every flush that adds, changes or deletes a posting, an Ortsteil or the Kommune itself raises
  ``Municipality.board_version`` in the same transaction, and bulk updates or deletes of
  postings raise it for every Kommune; the version is part of the key, so all workers and
  instances see a change at once;
- postings leave the board when they expire, without a write: the current minute is part of the
  key too, so an expired posting is gone within a minute;
- pages with pending flash messages, and everyone signed in, bypass the cache.

The one per-visitor part of a guest page is the CSRF token of the language form: the stored copy
carries a placeholder, replaced on every hit by the visitor's own token.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from ..municipalities.models import Municipality

PLACEHOLDER = "__csrf_token_of_this_visitor__"


class PageCache:
    """A small thread-safe LRU of rendered pages (one per app and process)."""

    def __init__(self, size: int):
        self.size = size
        self._pages: OrderedDict[tuple, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> str | None:
        """The stored page, or None."""
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: str) -> None:
        """Store a page, dropping the least recently used beyond the size."""
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)


def _cache() -> PageCache | None:
    size = current_app.config.get("BOARD_CACHE_SIZE", 0)
    if not size:
        return None
    return current_app.extensions.setdefault("board_cache", PageCache(size))


def guest_key() -> tuple | None:
    """The cache key for this request, or None when the page must be rendered fresh."""
    if current_user.is_authenticated or session.get("_flashes") or _cache() is None:
        return None
    municipality = g.municipality
    return (
        municipality.id,
        municipality.board_version,
        str(get_locale()),
        request.path,
        tuple(sorted(request.args.items(multi=True))),
        int(time.time() // 60),
    )


def cached(key: tuple | None) -> str | None:
    """The stored page for key with this visitor's CSRF token, or None."""
    if key is None:
        return None
    page = _cache().get(key)
    return None if page is None else page.replace(PLACEHOLDER, generate_csrf())


def store(key: tuple | None, page: str) -> str:
    """Keep a freshly rendered page (without this visitor's token) and return it unchanged."""
    token = g.get("csrf_token")
    if key is not None and token:
        _cache().put(key, page.replace(token, PLACEHOLDER))
    return page


# --- Invalidation --------------------------------------------------------------------------


def _bump(session, municipality_ids=None) -> None:
    table = Municipality.__table__
    statement = update(table).values(board_version=table.c.board_version + 1)
    if municipality_ids is not None:
        statement = statement.where(table.c.id.in_(sorted(municipality_ids)))
    # Core on the connection: no autoflush, no ORM events, same transaction.
    session.connection().execute(statement)


def touch(session, municipality_id: int) -> None:
    """Raise one Kommune's board version, for a Core statement that bypassed the ORM."""
    _bump(session, {municipality_id})


def _after_flush(session, _context) -> None:
    ids = set()
    for obj in [*session.new, *session.dirty, *session.deleted]:
        name = type(obj).__name__
        if name in ("Posting", "District"):
            ids.add(obj.municipality_id)
        elif name == "Municipality" and obj.id is not None:
            ids.add(obj.id)
    ids.discard(None)
    if ids:
        _bump(session, ids)


def _bulk_write(state) -> None:
    if (state.is_update or state.is_delete) and state.bind_mapper is not None:
        if state.bind_mapper.class_.__name__ == "Posting":
            # Which Kommunen a bulk statement touches is unknown here; these are rare.
            _bump(state.session)


def init_app(app) -> None:
    """Register the invalidation hooks once per process."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _bulk_write)
