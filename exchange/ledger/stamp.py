"""The Kommune's stamp image for its Engagementnachweise: a PNG under the uploads, checked by
its bytes and size, written under a fresh name (like the Leichte-Sprache video)."""

from __future__ import annotations

import base64
import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from ..errors import ExchangeError
from ..i18n import _

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DEFAULT_MAX_BYTES = 300 * 1024
NAME = re.compile(r"[1-9]\d{0,9}-[0-9a-f]{32}\.png")


def max_bytes() -> int:
    """The largest stamp accepted (STAMP_MAX_BYTES, default 300 KB; below the request limit)."""
    return int(current_app.config.get("STAMP_MAX_BYTES") or DEFAULT_MAX_BYTES)


def max_kilobytes() -> int:
    """The limit in whole kilobytes, for messages."""
    return max_bytes() // 1024


def folder() -> Path:
    """<UPLOAD_FOLDER>/stamps (part of the backup)."""
    return Path(current_app.config["UPLOAD_FOLDER"]) / "stamps"


def looks_like_png(head: bytes) -> bool:
    """A PNG starts with its eight-byte signature."""
    return head[:8] == PNG_SIGNATURE


def path_of(name: str) -> Path | None:
    """The stored file of that name, or None when the name is not one of ours or is missing."""
    if not NAME.fullmatch(name or ""):
        return None
    path = folder() / name
    return path if path.is_file() else None


def data_uri(name: str) -> str:
    """The stored stamp as a data: URI for the PDF, or "" without one."""
    path = path_of(name)
    if path is None:
        return ""
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def store(stream: BinaryIO, municipality_id: int) -> str:
    """Copy an uploaded PNG into the folder under a new name; ExchangeError if it is not one."""
    limit = max_bytes()
    data = stream.read(limit + 1)
    if not looks_like_png(data):
        raise ExchangeError(_("The file is not a PNG image. Please choose a PNG file."), "stamp")
    if len(data) > limit:
        raise ExchangeError(
            _("The image is too large. It may be at most %(kb)s KB.", kb=max_kilobytes()),
            "stamp",
        )
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        name = f"{municipality_id}-{secrets.token_hex(16)}.png"
        os.replace(temporary, target / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return name


def remove(name: str) -> None:
    """Delete a stored stamp (after the commit that stopped using it); unknown names are ignored."""
    path = path_of(name)
    if path is not None:
        path.unlink(missing_ok=True)
