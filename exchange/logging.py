"""Logging set up in one place: a request id on every record, and no personal data in any.

Every record of the app's logger passes one filter that stamps the request id and rewrites the
record so that it cannot carry personal data: exception tracebacks keep their frames and types
but lose their values (SQL parameters, database error details), and e-mail addresses and phone
numbers left in a message are masked. Handlers (ours, gunicorn's, pytest's) all see the
cleaned record.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import traceback
import uuid

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler, wsgi_errors_stream
from sqlalchemy.exc import StatementError

REQUEST_ID_HEADER = "X-Request-ID"
# What proxies and load balancers send (UUIDs, hex, base64url); nothing that could forge a log
# line or smuggle text into it.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,99}")
LOG_FORMAT = "[%(asctime)s] %(levelname)s %(name)s [request %(request_id)s] %(message)s"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# German phone numbers start with 0 or +; ids, dates and times do not.
_PHONE = re.compile(r"(?<![\w.])(?:\+|0)\d(?:[ /()-]{0,2}\d){5,}")
_MAX_MESSAGE = 500
# Loggers of libraries that may be handed personal data: rate-limit keys can be e-mail
# addresses; gunicorn's error log shows what escapes the app.
OTHER_LOGGERS = ("flask-limiter", "gunicorn.error")
_MAX_STATEMENT = 1000


def current_request_id() -> str:
    """This request's id: the caller's X-Request-ID when it looks safe, else a new one."""
    if not has_request_context():
        return "-"
    request_id = g.get("request_id")
    if request_id is None:
        request_id = g.request_id = request_id_for(request.headers.get(REQUEST_ID_HEADER, ""))
    return request_id


def request_id_for(incoming: str) -> str:
    """The caller's X-Request-ID when it looks safe, else a new random one."""
    return incoming if SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def redact(text: str) -> str:
    """Mask e-mail addresses and phone numbers in text."""
    return _PHONE.sub("[phone]", _EMAIL.sub("[e-mail]", text))


def _describe(error: BaseException) -> str:
    name = f"{type(error).__module__}.{type(error).__qualname__}"
    if isinstance(error, StatementError):
        # str(error) would add the parameters and the driver's detail ("Key (email)=(…)").
        parts = [name]
        orig = error.orig
        if orig is not None:
            parts.append(f"({type(orig).__module__}.{type(orig).__qualname__})")
            diag = getattr(orig, "diag", None)
            if diag is not None:  # psycopg: the names involved, never the values
                for key in ("sqlstate", "constraint_name", "table_name", "column_name"):
                    value = getattr(diag, key, None)
                    if value:
                        parts.append(f"{key}={value}")
            elif isinstance(orig, sqlite3.Error):
                # SQLite names the constraint or column ("UNIQUE constraint failed: t.c").
                parts.append(redact(str(orig).splitlines()[0] if str(orig) else "")[:_MAX_MESSAGE])
        statement = (error.statement or "")[:_MAX_STATEMENT]
        return " ".join(parts) + f"\n[SQL: {statement}] [parameters hidden]"
    message = redact(str(error))[:_MAX_MESSAGE]
    return f"{name}: {message}" if message else name


def safe_exception_text(error: BaseException) -> str:
    """A traceback of error with its frames and types, without values that may be personal."""
    lines = ["Traceback (most recent call last):\n"]
    lines += traceback.format_list(traceback.extract_tb(error.__traceback__))
    lines.append(_describe(error))
    cause = error.__cause__ or error.__context__
    if cause is not None and cause is not getattr(error, "orig", None):
        lines.append(f"\n(while handling {type(cause).__module__}.{type(cause).__qualname__})")
    return "".join(lines)


class PrivacyFilter(logging.Filter):
    """Stamp the request id and strip values that may be personal from a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite record in place; never drops it."""
        record.request_id = current_request_id()
        if getattr(record, "privacy_checked", False):
            return True
        record.privacy_checked = True
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = safe_exception_text(record.exc_info[1])
            record.exc_info = None
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken log call must not break the request
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        return True


class _Handler(logging.StreamHandler):
    """The app's own handler (marked so that creating the app again does not add a second)."""


def init_app(app: Flask) -> None:
    """Attach the filter to the app's (and some libraries') loggers; log format; the header."""
    logger = app.logger
    for each in (logger, *map(logging.getLogger, OTHER_LOGGERS)):
        for existing in list(each.filters):
            if isinstance(existing, PrivacyFilter):
                each.removeFilter(existing)
        each.addFilter(PrivacyFilter())
    logger.removeHandler(default_handler)
    for existing in list(logger.handlers):
        if isinstance(existing, _Handler):
            logger.removeHandler(existing)
    if not logger.handlers:  # a deployment's own logging configuration wins
        handler = _Handler(wsgi_errors_stream)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.addFilter(PrivacyFilter())
        logger.addHandler(handler)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.DEBUG if app.debug else logging.INFO)

    @app.before_request
    def assign_request_id():
        current_request_id()

    @app.after_request
    def send_request_id(response):
        response.headers[REQUEST_ID_HEADER] = current_request_id()
        return response
