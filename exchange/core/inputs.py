"""Untrusted input made safe once for every request: control characters and bounded integers.

PostgreSQL refuses NUL in text and 32-bit ``Integer`` columns overflow beyond 2**31 - 1; both
would surface as a server error deep in a query. Cleaning here keeps every view and form free
of such checks.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, Request, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError

# NUL and the other C0 controls except tab, LF and CR: never meaningful in a form or query.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The largest value an ``Integer`` column holds on PostgreSQL (int4); SQLite holds more.
DB_INT_MAX = 2**31 - 1
MAX_PAGE = 10_000
# ASCII digits only: str.isdigit() accepts '²' and '٣', which int() then refuses or misreads.
_INTEGER = re.compile(r"[+-]?[0-9]{1,64}", re.ASCII)


def strip_controls(value: str) -> str:
    """value without NUL and the C0 control characters other than tab, CR and LF."""
    return CONTROL_CHARS.sub("", value) if CONTROL_CHARS.search(value) else value


class CleanMultiDict(ImmutableMultiDict):
    """Query arguments and form values with control characters removed from keys and values."""

    def __init__(self, mapping=None):
        if isinstance(mapping, list):
            search = CONTROL_CHARS.search
            if any(
                search(key) or (isinstance(value, str) and search(value)) for key, value in mapping
            ):
                mapping = [
                    (
                        strip_controls(key),
                        strip_controls(value) if isinstance(value, str) else value,
                    )
                    for key, value in mapping
                ]
        super().__init__(mapping)


class CleanRequest(Request):
    """The app's request: args and form are cleaned when parsed (files are left alone)."""

    parameter_storage_class = CleanMultiDict


def parse_int(value, minimum: int, maximum: int) -> int | None:
    """value as an int when it is plain ASCII digits within [minimum, maximum], else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        number = int(value)
    else:
        return None
    return number if minimum <= number <= maximum else None


def int_arg(
    name: str,
    default: int | None = None,
    minimum: int = 1,
    maximum: int = DB_INT_MAX,
    source=None,
) -> int | None:
    """A query argument (or a value of source, e.g. request.form) as a bounded int, else default."""
    values = request.args if source is None else source
    number = parse_int(values.get(name), minimum, maximum)
    return default if number is None else number


def page_arg(name: str = "page") -> int:
    """The requested page number, clamped to 1..MAX_PAGE (garbage means page 1)."""
    raw = (request.args.get(name) or "").strip()
    if not _INTEGER.fullmatch(raw):
        return 1
    return min(max(int(raw), 1), MAX_PAGE)


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` that only matches ASCII digits a database ``Integer`` column can hold."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str):
        """Out of range (or absurdly long) is no match, so the URL is a 404."""
        if len(value) > 18:
            raise ValidationError()
        return super().to_python(value)


class CleanStringConverter(UnicodeConverter):
    """The default path converter, but a segment with control characters matches nothing."""

    def to_python(self, value: str) -> str:
        """Refuse control characters (a NUL would reach the database as part of a slug)."""
        if CONTROL_CHARS.search(value):
            raise ValidationError()
        return value


def init_app(app: Flask) -> None:
    """Install the cleaning request class and the bounded converters (before any blueprint)."""
    app.request_class = CleanRequest
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_map.converters["default"] = CleanStringConverter
    app.url_map.converters["string"] = CleanStringConverter


def safe_next(target: str | None, fallback: str) -> str:
    """Return target when it is a local path, else fallback (no open redirects)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return fallback
