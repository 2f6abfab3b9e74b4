"""The stored DGS videos: one folder outside the package (under the uploads), MP4 checked by
its bytes, written under a fresh name so that a URL never changes its content."""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from ...errors import ExchangeError
from ...i18n import _

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Room for the form's other fields and the multipart framing around the file.
FORM_OVERHEAD_BYTES = 64 * 1024
_CHUNK = 1024 * 1024
NAME = re.compile(r"[1-9]\d{0,9}-[0-9a-f]{32}\.mp4")


def max_bytes() -> int:
    """The largest video accepted (EASY_LANGUAGE_VIDEO_MAX_BYTES, default 50 MB)."""
    return int(current_app.config.get("EASY_LANGUAGE_VIDEO_MAX_BYTES") or DEFAULT_MAX_BYTES)


def max_megabytes() -> str:
    """The limit in whole or decimal megabytes, for messages."""
    size = max_bytes() / (1024 * 1024)
    return f"{size:.0f}" if size >= 1 else f"{size:.2f}"


def folder() -> Path:
    """EASY_LANGUAGE_VIDEO_FOLDER, else <UPLOAD_FOLDER>/easy-language (part of the backup)."""
    configured = current_app.config.get("EASY_LANGUAGE_VIDEO_FOLDER")
    if configured:
        return Path(configured)
    return Path(current_app.config["UPLOAD_FOLDER"]) / "easy-language"


def looks_like_mp4(head: bytes) -> bool:
    """An ISO base media file (MP4) starts with a box whose type at offset 4 is 'ftyp'."""
    return len(head) >= 8 and head[4:8] == b"ftyp"


def path_of(name: str) -> Path | None:
    """The stored file of that name, or None when the name is not one of ours or is missing."""
    if not NAME.fullmatch(name or ""):
        return None
    path = folder() / name
    return path if path.is_file() else None


def store(stream: BinaryIO, municipality_id: int) -> str:
    """Copy an uploaded MP4 into the folder under a new name; ExchangeError if it is not one.

    Written to a temporary file first and renamed, so a half-written upload is never served.
    """
    limit = max_bytes()
    head = stream.read(12)
    if not looks_like_mp4(head):
        raise ExchangeError(_("The file is not an MP4 video. Please choose an MP4 file."), "video")
    target_folder = folder()
    target_folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target_folder, prefix=".upload-", suffix=".part")
    try:
        size = len(head)
        with os.fdopen(handle, "wb") as out:
            out.write(head)
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ExchangeError(
                        _(
                            "The video is too large. It may be at most %(mb)s MB.",
                            mb=max_megabytes(),
                        ),
                        "video",
                    )
                out.write(chunk)
        name = f"{municipality_id}-{secrets.token_hex(16)}.mp4"
        os.replace(temporary, target_folder / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return name


def remove(name: str) -> None:
    """Delete a stored video (after the commit that stopped using it); unknown names are ignored."""
    path = path_of(name)
    if path is not None:
        path.unlink(missing_ok=True)
