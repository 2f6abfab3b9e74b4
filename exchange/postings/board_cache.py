"""Guests' board pages, rendered once and reused until the Kommune's board changes.

A board page is a whole accessible HTML page, and rendering it costs far more than the two
queries behind it (docs/performance.md). Guests all see the same page for the same address and
language, so it is rendered once and served from memory until something on that board changes:

- every flush that adds, changes or deletes a posting, an Ortsteil or the Kommune itself raises
  ``Municipality.board_version`` in the same transaction, and bulk updates or deletes of
  postings raise it for every Kommune; the version is part of the key, so the worker that
  wrote sees a change at once, and every other worker and instance within
  BOARD_VERSION_RECHECK_SECONDS (below);
- postings leave the board when they expire, without a write: the current minute is part of the
  key too, so an expired posting is gone within a minute;
- pages with pending flash messages, and everyone signed in, bypass the cache.

Guest pages hold nothing of the visitor's (no CSRF token: guests switch language with a link),
so a hit needs no session. It needs no query either: each worker keeps the board version of
every Kommune it served (slug → id, version), forgets it when its own writes raise the version,
and asks the database again after BOARD_VERSION_RECHECK_SECONDS, which is how other workers'
writes reach it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from flask import current_app, g, has_app_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from ..municipalities.models import Municipality
from ..municipalities.tenancy import load_tenant

# Monotonic, and a module attribute so that tests can move it.
clock = time.monotonic
_PENDING = "board_versions_raised"
_ALL = None


class PageCache:
    """A small thread-safe LRU of rendered pages, and the board versions they were built on."""

    def __init__(self, size: int):
        self.size = size
        self._pages: OrderedDict[tuple, str] = OrderedDict()
        self._lock = threading.Lock()
        # slug -> (municipality id, board version, when it was read)
        self._versions: dict[str, tuple[int, int, float]] = {}
        # Raised by every forget: a version read before a write committed is not kept.
        self.generation = 0

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

    def version(self, slug: str, now: float, max_age: float) -> tuple[int, int] | None:
        """The Kommune's (id, board version) read less than max_age ago, or None."""
        with self._lock:
            known = self._versions.get(slug)
        if known is None or now - known[2] >= max_age:
            return None
        return known[0], known[1]

    def remember(self, slug: str, ids: tuple[int, int], generation: int, now: float) -> None:
        """Keep a Kommune's (id, version), unless a write committed since it was read."""
        with self._lock:
            if generation == self.generation:
                self._versions[slug] = (*ids, now)

    def forget(self, municipality_ids: set[int] | None) -> None:
        """Drop the kept versions of these Kommunen (None: of all)."""
        with self._lock:
            self.generation += 1
            if municipality_ids is None:
                self._versions.clear()
            else:
                for slug, known in list(self._versions.items()):
                    if known[0] in municipality_ids:
                        del self._versions[slug]


def _cache() -> PageCache | None:
    size = current_app.config.get("BOARD_CACHE_SIZE", 0)
    if not size:
        return None
    return current_app.extensions.setdefault("board_cache", PageCache(size))


def _board_version(cache: PageCache) -> tuple[int, int]:
    """(id, board version) of this request's Kommune, from memory while fresh enough."""
    slug = g.tenant_slug
    now = clock()
    known = cache.version(slug, now, current_app.config["BOARD_VERSION_RECHECK_SECONDS"])
    if known is not None:
        return known
    generation = cache.generation
    municipality = load_tenant()
    known = (municipality.id, municipality.board_version)
    cache.remember(slug, known, generation, now)
    return known


def guest_key() -> tuple | None:
    """The cache key for this request, or None when the page must be rendered fresh."""
    cache = _cache()
    if cache is None or current_user.is_authenticated or session.get("_flashes"):
        return None
    municipality_id, version = _board_version(cache)
    return (
        municipality_id,
        version,
        str(get_locale()),
        request.path,
        tuple(sorted(request.args.items(multi=True))),
        int(time.time() // 60),
    )


def cached(key: tuple | None) -> str | None:
    """The stored page for key, or None."""
    if key is None:
        return None
    return _cache().get(key)


def store(key: tuple | None, page: str) -> str:
    """Keep a freshly rendered page and return it unchanged."""
    # A page that carries a CSRF token belongs to one visitor: it is never shared.
    if key is not None and not g.get("csrf_token"):
        _cache().put(key, page)
    return page


# --- Invalidation --------------------------------------------------------------------------


def _bump(session, municipality_ids=None) -> None:
    table = Municipality.__table__
    statement = update(table).values(board_version=table.c.board_version + 1)
    if municipality_ids is not None:
        statement = statement.where(table.c.id.in_(sorted(municipality_ids)))
    # Core on the connection: no autoflush, no ORM events, same transaction.
    session.connection().execute(statement)
    pending = session.info.setdefault(_PENDING, set())
    if municipality_ids is None:
        pending.add(_ALL)
    else:
        pending.update(municipality_ids)


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


def _forget_raised(session) -> None:
    # After commit the new versions are visible; after a rollback forgetting costs one query.
    pending = session.info.pop(_PENDING, None)
    if not pending or not has_app_context():
        return
    cache = current_app.extensions.get("board_cache")
    if cache is not None:
        cache.forget(None if _ALL in pending else pending)


def init_app(app) -> None:
    """Register the invalidation hooks once per process."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _bulk_write)
        event.listen(Session, "after_commit", _forget_raised)
        event.listen(Session, "after_rollback", _forget_raised)
