"""Locale selection, the guests' language cookie and the gettext helpers used everywhere.

Order (DESIGN §7): the language link (``?lang=``; a guest's choice is kept in the ``lang``
cookie, a signed-in person's in their saved setting), then the user's setting, then
Accept-Language, then German. A guest's choice lives in a cookie, not the session, so that
reading pages never needs a session and guest pages can be cached per language.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale, get_translations, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

__all__ = [
    "_",
    "_l",
    "bound_gettext",
    "ngettext",
    "per_locale",
    "select_locale",
    "text_direction",
    "language_url",
    "remember_language",
    "without_language_link",
]

LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_AGE = timedelta(days=365)


def _known(code: str | None) -> str | None:
    return code if code in current_app.config["LANGUAGES"] else None


def select_locale() -> str:
    """Pick the locale: ?lang=, the user's setting or a guest's cookie, Accept-Language, German."""
    if not has_request_context():  # the command line: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    # For a signed-in person a link shows this page only; their setting changes by POST.
    asked = _known(request.args.get(LANGUAGE_COOKIE))
    if asked:
        return asked
    if current_user and current_user.is_authenticated and _known(current_user.locale):
        return current_user.locale
    remembered = _known(request.cookies.get(LANGUAGE_COOKIE))
    if remembered:
        return remembered
    return (
        request.accept_languages.best_match(list(current_app.config["LANGUAGES"]))
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def text_direction(locale: str) -> str:
    """Return 'rtl' for right-to-left languages, else 'ltr'."""
    return "rtl" if locale in current_app.config["RTL_LANGUAGES"] else "ltr"


def language_url(code: str) -> str:
    """This page's address with ?lang=code (the other query arguments kept)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != LANGUAGE_COOKIE]
    args.append((LANGUAGE_COOKIE, code))
    return f"{request.path}?{urlencode(args)}"


def without_language_link(url: str) -> str:
    """url without its ?lang= (after saving a language, a link's choice must not win)."""
    parts = urlsplit(url)
    args = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(parts._replace(query=urlencode(args)))


def remember_language(code: str) -> None:
    """Keep code in the language cookie with this response (only if it changes)."""
    if _known(code) and request.cookies.get(LANGUAGE_COOKIE) != code:
        g.language_cookie = code


def init_app(app: Flask) -> None:
    """Remember a guest's ?lang= choice in a cookie and offer language_url to templates."""
    app.jinja_env.globals["language_url"] = language_url

    @app.before_request
    def guest_language_link():
        # A guest's link choice is kept; a signed-in person's GET changes nothing.
        asked = request.args.get(LANGUAGE_COOKIE)
        if asked and request.method in ("GET", "HEAD") and not current_user.is_authenticated:
            remember_language(asked)

    @app.after_request
    def set_language_cookie(response):
        code = g.get("language_cookie")
        if code:
            response.set_cookie(
                LANGUAGE_COOKIE,
                code,
                max_age=LANGUAGE_COOKIE_AGE,
                secure=current_app.config["SESSION_COOKIE_SECURE"],
                httponly=True,
                samesite="Lax",
            )
        return response


def per_locale(build):
    """Cache build()'s result per locale: for tables of translated constant labels only."""
    cache: dict[str, object] = {}

    def cached():
        locale = str(get_locale())
        try:
            return cache[locale]
        except KeyError:
            value = cache[locale] = build()
            return value

    cached.cache_clear = cache.clear
    return cached


def bound_gettext() -> dict:
    """Jinja's gettext and ngettext bound to this request's catalog, for the template context.

    Flask-Babel's template callables look up the request, the locale and the catalog through
    context-local proxies on every string (a hundred per page); these look it up once per
    render. They behave like Jinja's new-style gettext: with autoescape the translation is
    markup and the values are escaped into it.
    """
    translations = get_translations()
    single, plural = translations.ugettext, translations.ungettext

    @pass_context
    def gettext(context, string, **variables):
        text = single(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 - a translation is trusted, like Jinja's own gettext
        return text % variables

    @pass_context
    def ngettext(context, singular, plural_form, num, **variables):
        variables.setdefault("num", num)
        text = plural(singular, plural_form, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 - as above
        return text % variables

    return {"gettext": gettext, "ngettext": ngettext}
