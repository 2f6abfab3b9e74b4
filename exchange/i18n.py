"""Locale selection and the gettext helpers used everywhere."""

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

__all__ = ["_", "_l", "ngettext", "per_locale", "select_locale", "text_direction"]


def select_locale() -> str:
    """Pick the locale: user setting, then ?lang=, then the session, then Accept-Language."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the command line: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    asked = request.args.get("lang")
    if asked in languages:
        session["lang"] = asked
        return asked
    if session.get("lang") in languages:
        return session["lang"]
    return (
        request.accept_languages.best_match(list(languages))
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def text_direction(locale: str) -> str:
    """Return 'rtl' for right-to-left languages, else 'ltr'."""
    return "rtl" if locale in current_app.config["RTL_LANGUAGES"] else "ltr"


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
