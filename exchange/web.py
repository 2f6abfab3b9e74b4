"""Request-wide wiring: sessions, template context, security headers, mail after commit."""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Flask, abort, current_app, g, has_request_context, request, session, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from . import display, i18n
from .accounts import sessions
from .accounts.models import User
from .accounts.vocab import STAFF_ROLES, Role
from .admin import acting
from .admin.proxies.forms import CONSENT_METHODS
from .core.idempotency import new_token
from .display import DISPLAY_COOKIES, display_key
from .extensions import db, login_manager
from .i18n import LANGUAGE_COOKIE, _l, bound_gettext, text_direction
from .mail.services import deliver_pending
from .matching.describe import describe, describe_search
from .notifications.queries import header_counts
from .postings import categories, vocab
from .postings.contact_mask import mask_contacts, mask_text
from .timeutil import utcnow

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)

SECURITY_HEADERS = tuple(
    (name, name.lower(), value)
    for name, value in (
        ("Content-Security-Policy", CSP),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "geolocation=(), camera=(), microphone=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    )
)


def init_app(app: Flask) -> None:
    """Register loaders, context processors, filters and after-request hooks."""
    _guest_caching(app)  # first: after-request hooks run last-registered first, so it sees all
    i18n.init_app(app)
    display.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    # "basic": a changed IP (mobile networks) marks the session non-fresh instead of ending it.
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(identity: str):

        # Runs only when the request carries a sign-in cookie: guests cost no query.
        found = sessions.load(identity)
        if found is None:
            return None
        user, row = found
        g.user_session_id = row.id
        if sessions.needs_touch(row):
            g.touch_user_session = True
        return acting.resolve(user, lambda proxy_id: db.session.get(User, proxy_id))

    @app.after_request
    def touch_user_session(response):
        if g.get("touch_user_session"):
            # After the view's own commit; like deliver_mail, leftovers are abandoned.
            db.session.rollback()
            sessions.touch(g.user_session_id)
            db.session.commit()
        return response

    @app.before_request
    def own_account_pages_are_not_for_proxies():

        if request.endpoint in acting.FORBIDDEN_WHILE_ACTING and acting.acting_for():
            abort(403)

    # Globals (not context) so that imported macros see them too.
    app.jinja_env.globals.update(
        CATEGORY_BY_KEY=categories.CATEGORY_BY_KEY,
        KINDS=categories.KINDS,
        KIND_SHORT=categories.KIND_SHORT,
        DIRECTIONS=categories.DIRECTIONS,
        TIMINGS=categories.TIMINGS,
        STATUSES=categories.STATUSES,
        # The closed vocabularies: templates compare with these, never with a bare string.
        Status=vocab.Status,
        OPEN_STATUSES=vocab.OPEN_STATUSES,
        ACTIVE_STATUSES=vocab.ACTIVE_STATUSES,
        EDITABLE_STATUSES=vocab.EDITABLE_STATUSES,
        Direction=vocab.Direction,
        Kind=vocab.Kind,
        Timing=vocab.Timing,
        Role=Role,
        STAFF_ROLES=STAFF_ROLES,
        format_date=format_date,
        format_datetime=format_datetime,
        describe_match=describe,
        describe_search=describe_search,
        CONSENT_METHODS=CONSENT_METHODS,
        new_idempotency_token=new_token,
    )

    app.jinja_env.globals["shell_urls"] = shell_urls
    # A posting's text as others see it: phone numbers and e-mail addresses hidden.
    app.jinja_env.filters["mask_contacts"] = mask_contacts
    app.jinja_env.filters["mask_text"] = mask_text
    app.jinja_env.globals["guest_fragment"] = guest_fragment

    @app.context_processor
    def template_context():
        locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
        unread = new_matches = 0
        real = acting_for = None
        if has_request_context() and current_user.is_authenticated:
            unread, new_matches = header_counts(current_user)
            real, acting_for = acting.real_user(), acting.acting_for()
        return {
            "locale": locale,
            "direction": text_direction(locale),
            "languages": current_app.config["LANGUAGES"],
            "municipality": g.get("municipality"),
            "unread_count": unread,
            "new_match_count": new_matches,
            "real_user": real,
            "now_date": utcnow(),
            "acting_for": acting_for,
            **bound_gettext(),
        }

    @app.after_request
    def security_headers(response):
        headers = response.headers
        # Like headers.setdefault, without a KeyError raised per missing header.
        present = {name.lower() for name in headers.keys()}
        for name, lower, value in SECURITY_HEADERS:
            if lower not in present:
                headers.add(name, value)
        if request.is_secure and "strict-transport-security" not in present:
            headers.add("Strict-Transport-Security", "max-age=31536000")
        # Pages of signed-in users are private; an immutable response (theme.css) is the same
        # for everyone and stays cacheable.
        if current_user and current_user.is_authenticated and not response.cache_control.immutable:
            headers["Cache-Control"] = "no-store"
        return response

    @app.after_request
    def deliver_mail(response):
        if g.get("outbox_dirty") and current_app.config["MAIL_SEND_AFTER_REQUEST"]:
            # The view has committed; anything still pending in the session is abandoned.
            db.session.rollback()
            deliver_pending()
        return response


# The page shell's links: the same for every visitor of a Kommune (addresses only, nothing of
# anybody's), so they are built once per Kommune and script root instead of ~20 url_for a page.
_GLOBAL_LINKS = {
    "home": ("pages.home", {}),
    "mine": ("postings_me.mine", {}),
    "matches": ("matching.mine", {}),
    "inbox": ("messaging.inbox", {}),
    "profile": ("accounts.profile", {}),
    "logout": ("accounts.logout", {}),
    "set_language": ("pages.set_language", {}),
    "login": ("accounts.login", {}),
    "register": ("accounts.register", {}),
    "operator": ("operator.municipalities", {}),
    "imprint": ("pages.imprint", {}),
    "privacy": ("pages.privacy", {}),
    "terms": ("pages.terms", {}),
    "conduct": ("pages.conduct", {}),
    "accessibility": ("pages.accessibility", {}),
    "easy_language": ("easy_language_platform.page", {}),
}
_KOMMUNE_LINKS = {
    "board": "postings.board",
    "create": "postings.create",
    "imprint": "municipalities.imprint",
    "privacy": "municipalities.privacy",
    "terms": "municipalities.terms",
    "conduct": "municipalities.conduct",
    "accessibility": "municipalities.accessibility",
    "easy_language": "easy_language.page",
}
_SHELL_URLS_MAX = 4096


def shell_urls(slug: str | None = None) -> dict[str, str]:
    """The shell's links (url_for's own results), for a Kommune's slug or for none."""
    cache = current_app.extensions.setdefault("shell_urls", {})
    key = (request.script_root if has_request_context() else None, slug)
    urls = cache.get(key)
    if urls is None:
        urls = {
            name: url_for(endpoint, **values) for name, (endpoint, values) in _GLOBAL_LINKS.items()
        }
        if slug is not None:
            urls.update(
                {name: url_for(endpoint, slug=slug) for name, endpoint in _KOMMUNE_LINKS.items()}
            )
        if len(cache) < _SHELL_URLS_MAX:
            cache[key] = urls
    return urls


class _Fragments:
    """A small thread-safe LRU of rendered layout fragments."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[tuple, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Markup | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple, value: Markup) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)


GUEST_FRAGMENTS_SIZE = 2048


@pass_context
def guest_fragment(context, name: str) -> Markup:
    """The layout partial name rendered for a guest, once per everything a guest's copy shows.

    A guest's header and footer differ only by language, Kommune (slug, name, phone and office
    hours), this page's address (the language links), the text size and contrast chosen (the
    header shows which) and the script root; nothing of the visitor's is in them.
    Signed-in pages never come here: they include the partial (their header is theirs).
    """
    municipality = context.get("municipality")
    key = (
        name,
        context.get("locale"),
        request.script_root,
        request.path,
        request.query_string,
        municipality.slug if municipality else None,
        municipality.name if municipality else None,
        # The footer's town hall contact.
        municipality.phone if municipality else None,
        municipality.office_hours if municipality else None,
        display_key(),
    )
    fragments = current_app.extensions.get("guest_fragments")
    if fragments is None:
        fragments = current_app.extensions.setdefault(
            "guest_fragments", _Fragments(GUEST_FRAGMENTS_SIZE)
        )
    html = fragments.get(key)
    if html is None:
        template = context.environment.get_template(name)
        html = Markup(template.render(context.get_all()))  # noqa: S704 - our own template's output
        fragments.put(key, html)
    return html


_SHAREABLE_COOKIES = frozenset({LANGUAGE_COOKIE, *DISPLAY_COOKIES})


def _guest_caching(app: Flask) -> None:
    """Guest pages vary by language; a reader without a session may be cached by anyone."""

    @app.after_request
    def guest_cache_headers(response):
        if response.mimetype != "text/html":
            return response
        # One pass over the names instead of a KeyError raised per missing header.
        present = {name.lower() for name in response.headers.keys()}
        # The language comes from the lang cookie or Accept-Language; sign-in from the cookie.
        if "vary" in present:
            response.vary.update(("Cookie", "Accept-Language"))
        else:  # the common case, without parsing a header set
            response.headers.add("Vary", "Cookie, Accept-Language")
        if current_user.is_authenticated or "cache-control" in present:
            return response
        max_age = current_app.config.get("GUEST_PAGE_MAX_AGE", 0)
        shareable = (
            max_age
            and request.method in ("GET", "HEAD")
            and response.status_code == 200
            # Nothing of this visitor's is in the page: no session, no cookie but the language
            # and the look (text size, contrast), which Vary: Cookie keeps apart.
            and set(request.cookies) <= _SHAREABLE_COOKIES
            and not session.modified
            and "set-cookie" not in present
            and not g.get("language_cookie")
        )
        response.headers.add(
            "Cache-Control", f"public, max-age={max_age}" if shareable else "private"
        )
        return response
