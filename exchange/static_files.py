"""Static files through WhiteNoise: fingerprinted names cached for a year, gzip/brotli variants."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, has_request_context, request, url_for
from whitenoise import WhiteNoise

from .static_build import HASHED_NAME, MANIFEST, file_hash

ONE_YEAR = 365 * 24 * 60 * 60


class StaticFiles(WhiteNoise):
    """WhiteNoise with a one-year lifetime for immutable files (its own default is ten)."""

    FOREVER = ONE_YEAR


def add_headers(headers, path: str, url: str) -> None:
    """Security headers Flask's after_request would add, for the files WhiteNoise answers."""
    headers["X-Content-Type-Options"] = "nosniff"


def is_fingerprinted(path: str, url: str) -> bool:
    """A name with a content hash never changes content: browsers may keep it for good."""
    return bool(HASHED_NAME.search(url))


def init_app(app: Flask) -> None:
    """Serve /static/ from the build (make static) when there is one, else from the sources."""
    build_dir = Path(app.config.get("STATIC_BUILD_DIR") or Path(app.root_path) / "static_build")
    manifest_path = build_dir / MANIFEST
    # Debug mode serves the sources, so an edited stylesheet shows without `make static`.
    use_build = manifest_path.is_file() and not app.debug
    manifest = json.loads(manifest_path.read_text("utf-8"))["paths"] if use_build else None
    app.extensions["static_manifest"] = manifest
    app.wsgi_app = StaticFiles(
        app.wsgi_app,
        root=str(build_dir if use_build else app.static_folder),
        prefix=app.static_url_path.strip("/") + "/",
        max_age=60,
        immutable_file_test=is_fingerprinted,
        add_headers_function=add_headers,
        autorefresh=app.debug,
    )
    app.jinja_env.globals["static_url"] = static_url


def static_url(filename: str) -> str:
    """URL of a static file under its fingerprinted name (or with ?v=<hash> without a build)."""
    manifest = current_app.extensions["static_manifest"]
    if manifest is not None and filename in manifest:
        # Fingerprinted names never change while the app runs: one url_for per script root.
        known = current_app.extensions.setdefault("static_urls", {})
        key = (request.script_root if has_request_context() else None, filename)
        url = known.get(key)
        if url is None:
            url = known[key] = url_for("static", filename=manifest[filename])
        return url
    path = Path(current_app.static_folder) / filename
    return url_for("static", filename=filename, v=_source_hash(path, path.stat().st_mtime_ns))


@lru_cache(maxsize=256)
def _source_hash(path: Path, mtime_ns: int) -> str:
    """Fingerprint of a source file; the mtime in the key lets an edited file get a new one."""
    return file_hash(path.read_bytes())
