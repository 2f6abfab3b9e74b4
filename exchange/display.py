"""Text size and contrast: a reader's choice of how pages look, kept in two cookies.

The header offers plain links (``?textsize=200``, ``?contrast=high``): the answer keeps the
choice in a cookie and sends the reader back to the same address without the parameter. No
session and no JavaScript are needed, so guests can use it too, and signed-in people use the
same links (it is a choice of this browser, like zooming, not a setting of the account). The
page then carries the choice as classes on ``<html>`` (``text-200 contrast-high``), rendered on
the server; the stylesheet scales the root font size and swaps the palette.

The default (100 %, standard contrast) is no cookie at all, so most guests still send only the
language cookie. Everything that keeps rendered pages for guests puts ``display_key()`` in its
key: the board's page cache and the header fragment; the WSGI fast path keys on the whole
cookie header and lets these cookies through.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from flask import Flask, current_app, g, has_request_context, redirect, request
from flask_babel import format_percent

__all__ = [
    "CONTRAST_COOKIE",
    "CONTRASTS",
    "DISPLAY_COOKIES",
    "TEXT_SIZE_COOKIE",
    "TEXT_SIZES",
    "display_key",
    "display_url",
]

TEXT_SIZE_COOKIE = "textsize"
CONTRAST_COOKIE = "contrast"
DISPLAY_COOKIES = frozenset((TEXT_SIZE_COOKIE, CONTRAST_COOKIE))
DISPLAY_COOKIE_AGE = timedelta(days=365)

# The first of each is the default: no cookie.
TEXT_SIZES = ("100", "150", "200")
CONTRASTS = ("standard", "high")
_CHOICES = {TEXT_SIZE_COOKIE: TEXT_SIZES, CONTRAST_COOKIE: CONTRASTS}
_DEFAULT = (TEXT_SIZES[0], CONTRASTS[0])


def _chosen(name: str, value: str | None) -> str:
    choices = _CHOICES[name]
    return value if value in choices else choices[0]


def display_key() -> tuple[str, str]:
    """(text size, contrast) of this request: what a cached page's look depends on."""
    if not has_request_context():
        return _DEFAULT
    cookies = request.cookies
    if not cookies:  # the common guest: nothing to parse
        return _DEFAULT
    return (
        _chosen(TEXT_SIZE_COOKIE, cookies.get(TEXT_SIZE_COOKIE)),
        _chosen(CONTRAST_COOKIE, cookies.get(CONTRAST_COOKIE)),
    )


def display_classes(key: tuple[str, str]) -> str:
    """The classes of <html> for (text size, contrast): '' for the default look."""
    size, contrast = key
    classes = []
    if size != TEXT_SIZES[0]:
        classes.append(f"text-{size}")
    if contrast != CONTRASTS[0]:
        classes.append(f"contrast-{contrast}")
    return " ".join(classes)


def display_url(name: str, value: str) -> str:
    """This page's address with ?<name>=<value> (other query arguments kept)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in DISPLAY_COOKIES]
    args.append((name, value))
    return f"{request.path}?{urlencode(args)}"


def text_size_label(size: str) -> str:
    """'150 %' in the reader's locale."""
    return format_percent(int(size) / 100)


def _back_without_choice() -> str:
    """This request's address without the display parameters (a local path, never //host)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in DISPLAY_COOKIES]
    # A path that starts with // would be read as another host.
    path = request.script_root + "/" + request.path.lstrip("/")
    return f"{path}?{urlencode(args)}" if args else path


def init_app(app: Flask) -> None:
    """Keep a ?textsize= / ?contrast= choice in its cookie; offer the state to templates."""
    app.jinja_env.globals["display_url"] = display_url
    app.jinja_env.globals["text_size_label"] = text_size_label
    app.jinja_env.globals["TEXT_SIZES"] = TEXT_SIZES
    app.jinja_env.globals["CONTRASTS"] = CONTRASTS

    @app.before_request
    def display_choice_link():
        if request.method not in ("GET", "HEAD"):
            return None
        asked = [name for name in (TEXT_SIZE_COOKIE, CONTRAST_COOKIE) if name in request.args]
        if not asked:
            return None
        g.display_cookies = {
            name: _chosen(name, request.args.get(name))
            for name in asked
            if request.args.get(name) in _CHOICES[name]
        }
        response = redirect(_back_without_choice(), code=303)
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.after_request
    def set_display_cookies(response):
        for name, value in g.get("display_cookies", {}).items():
            if value == _CHOICES[name][0]:
                # The default look is no cookie: the guest page cache shares it widely.
                if name in request.cookies:
                    response.delete_cookie(name, httponly=True, samesite="Lax")
                continue
            response.set_cookie(
                name,
                value,
                max_age=DISPLAY_COOKIE_AGE,
                secure=current_app.config["SESSION_COOKIE_SECURE"],
                httponly=True,
                samesite="Lax",
            )
        return response

    @app.context_processor
    def display_context():
        key = display_key()
        return {
            "text_size": key[0],
            "contrast": key[1],
            "display_classes": display_classes(key),
        }
