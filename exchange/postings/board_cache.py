"""Guests' board pages, rendered once and reused until the Kommune's board changes.

A board page is a whole accessible HTML page, and rendering it costs far more than the two
queries behind it (docs/performance.md). Guests all see the same page for the same address and
language, so it is rendered once and served from memory until something on that board changes:

- every flush that adds, changes or deletes a posting, an Ortsteil or the Kommune itself, or
  blocks or unblocks an account (her postings leave or come back), raises
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

A hit does not even need Flask: ``GuestFastPath`` sits in front of the app at the WSGI level and
answers a repeated guest request for a board page from memory, with the status, headers and
body the app itself sent for exactly the same request (address, query string, cookie header,
Accept-Language, host and scheme), as long as the board version and the minute it was built on
are still current. Everything else – and the first request of each kind, every version check
and every request carrying any cookie but the language, text size and contrast – goes through
the app as before. The text size and contrast change the page (classes on <html>, the header's
control), so they are part of the page key as well as of the cookie header.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict

from flask import current_app, g, has_app_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import event, inspect, update
from sqlalchemy.orm import Session
from werkzeug.http import parse_cookie

from ..display import DISPLAY_COOKIES, display_key
from ..i18n import LANGUAGE_COOKIE
from ..logging import REQUEST_ID_HEADER, request_id_for
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
        self._pages: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()
        # slug -> (municipality id, board version, when it was read)
        self._versions: dict[str, tuple[int, int, float]] = {}
        # Raised by every forget: a version read before a write committed is not kept.
        self.generation = 0

    def get(self, key: tuple) -> bytes | None:
        """The stored page, or None."""
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: bytes) -> None:
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


def minute() -> int:
    """The current minute (part of every key: expired postings leave within a minute)."""
    return int(time.time() // 60)


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
        minute(),
        display_key(),
    )


def cached(key: tuple | None) -> bytes | None:
    """The stored page for key (UTF-8), or None."""
    if key is None:
        return None
    page = _cache().get(key)
    if page is not None:
        request.environ[_SHARED] = key
    return page


def store(key: tuple | None, page: str) -> str | bytes:
    """Keep a freshly rendered page; return it (encoded when it is kept)."""
    # A page that carries a CSRF token belongs to one visitor: it is never shared.
    if key is None or g.get("csrf_token"):
        return page
    body = page.encode()
    _cache().put(key, body)
    request.environ[_SHARED] = key
    return body


# --- The WSGI fast path ----------------------------------------------------------------------

# Set in the WSGI environ by the board view when its answer is the shared guest page of a key.
_SHARED = "exchange.board_cache.key"
# The board's address, /k/<slug>/; anything unusual in the slug goes the normal way.
# Cookies a shared guest page may vary by (the raw cookie header is part of the answer's key).
_GUEST_COOKIES = frozenset({LANGUAGE_COOKIE, *DISPLAY_COOKIES})
_BOARD_PATH = re.compile(r"/k/([A-Za-z0-9_-]{1,100})/")


class GuestFastPath:
    """WSGI middleware: repeated guest board requests answered without entering Flask.

    The app answers the first request of each kind; when the board view says its page is the
    shared guest page (``_SHARED``) and the answer is a 200 without Set-Cookie, the status,
    headers and body are kept under everything of the request that the answer can depend on.
    A request that matches them is answered the same way (with its own X-Request-ID) while
    the Kommune's board version known to this worker is fresh and unchanged and the minute
    is the same – the conditions under which the app would serve the same cached page.
    """

    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self._answers: OrderedDict[tuple, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def _request_key(self, environ) -> tuple | None:
        if environ.get("REQUEST_METHOD") != "GET":
            return None
        match = _BOARD_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if match is None:
            return None
        cookie = environ.get("HTTP_COOKIE", "")
        # Only the language and look cookies: no session, no sign-in, nothing of the visitor's.
        if cookie and not parse_cookie(cookie).keys() <= _GUEST_COOKIES:
            return None
        return (
            match.group(1),
            environ.get("QUERY_STRING", ""),
            cookie,
            environ.get("HTTP_ACCEPT_LANGUAGE", ""),
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST", ""),
            environ.get("SCRIPT_NAME", ""),
        )

    def __call__(self, environ, start_response):
        size = self.app.config.get("BOARD_CACHE_SIZE", 0)
        key = self._request_key(environ) if size else None
        if key is None:
            return self.wsgi_app(environ, start_response)
        with self._lock:
            answer = self._answers.get(key)
        if answer is not None:
            page_key, status, headers, id_index, body = answer
            cache = self.app.extensions.get("board_cache")
            recheck = self.app.config["BOARD_VERSION_RECHECK_SECONDS"]
            if (
                cache is not None
                and page_key[5] == minute()
                and cache.version(key[0], clock(), recheck) == page_key[:2]
            ):
                headers = list(headers)
                incoming = environ.get("HTTP_X_REQUEST_ID", "")
                headers.insert(id_index, (REQUEST_ID_HEADER, request_id_for(incoming)))
                start_response(status, headers)
                return [body]
        return self._through_app(key, size, environ, start_response)

    def _through_app(self, key: tuple, size: int, environ, start_response):
        seen = []

        def capture(status, headers, exc_info=None):
            seen[:] = [status, headers]
            return start_response(status, headers, exc_info)

        app_iter = self.wsgi_app(environ, capture)
        page_key = environ.get(_SHARED)
        if page_key is None or not seen or not seen[0].startswith("200 "):
            return app_iter
        status, headers = seen
        names = [name.lower() for name, _value in headers]
        if "set-cookie" in names or names.count(REQUEST_ID_HEADER.lower()) != 1:
            return app_iter
        try:
            body = b"".join(app_iter)
        finally:
            close = getattr(app_iter, "close", None)
            if close is not None:
                close()
        id_index = names.index(REQUEST_ID_HEADER.lower())
        kept = [pair for i, pair in enumerate(headers) if i != id_index]
        with self._lock:
            self._answers[key] = (page_key, status, kept, id_index, body)
            self._answers.move_to_end(key)
            while len(self._answers) > size:
                self._answers.popitem(last=False)
        return [body]


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
        elif name == "User" and _blocking_changed(obj):
            # Blocking takes her postings off the board, unblocking brings them back; she
            # posts in her own Kommune only.
            ids.add(obj.municipality_id)
    ids.discard(None)
    if ids:
        _bump(session, ids)


def _blocking_changed(user) -> bool:
    # In after_flush the attribute history of the flush is still there.
    return inspect(user).attrs.is_blocked.history.has_changes()


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
    """Put the fast path in front of the app; register the invalidation hooks once per process."""
    app.wsgi_app = GuestFastPath(app, app.wsgi_app)
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _bulk_write)
        event.listen(Session, "after_commit", _forget_raised)
        event.listen(Session, "after_rollback", _forget_raised)
