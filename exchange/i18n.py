"""Locale selection and the gettext helpers used everywhere."""

from flask import current_app, has_request_context, request, session
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
]


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
