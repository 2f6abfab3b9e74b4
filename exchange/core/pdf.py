"""PDFs from templates with WeasyPrint: letters to post (DIN 5008) and print-outs.

Nothing is fetched from the network: the only resources a PDF may load are files under the
app's static folder (the vendored fonts), named by ``file:`` URLs (``static_file_url``), and
PNG images the view itself put inline as ``data:image/png;base64,`` URLs (a Kommune's stamp).
Any other URL, http(s) above all, is refused, so a name or text typed by a resident can never
make the server fetch something.
"""

from __future__ import annotations

import base64
import functools
import io
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from flask import current_app, make_response, render_template

INLINE_PNG = "data:image/png;base64,"


def static_file_url(filename: str) -> str:
    """The ``file:`` URL of a file in the static folder, for a PDF template's @font-face."""
    return (Path(current_app.static_folder) / filename).resolve().as_uri()


def inside(root: Path, url: str) -> bool:
    """Whether url is a ``file:`` URL of a file under root (no other scheme, no way out)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    return _path(url).is_relative_to(root.resolve())


def _path(file_url: str) -> Path:
    return Path(url2pathname(unquote(urlsplit(file_url).path))).resolve()


@functools.lru_cache(maxsize=16)
def _sfnt(path: Path, mtime_ns: int) -> bytes:
    """A WOFF2 font unpacked to TrueType, once per process and file version."""
    from fontTools.ttLib import woff2

    out = io.BytesIO()
    with path.open("rb") as packed:
        woff2.decompress(packed, out)
    return out.getvalue()


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        """WeasyPrint's fetcher limited to the static folder's files."""

        def __init__(self, root: Path):
            super().__init__(allowed_protocols=("file",), allow_redirects=False)
            self.root = root

        def fetch(self, url, headers=None):
            if url.startswith(INLINE_PNG):
                # Inline bytes: nothing is fetched from anywhere.
                body = base64.b64decode(url[len(INLINE_PNG) :], validate=True)
                return URLFetcherResponse(url, body, {"Content-Type": "image/png"})
            if not inside(self.root, url):
                raise ValueError(f"Only the app's static files can be used in a PDF: {url}")
            path = _path(url)
            if path.suffix == ".woff2":
                # WeasyPrint would unpack each WOFF2 face for every PDF, in pure Python: five
                # sixths of a letter's CPU time. Unpacked once, they cost nothing more.
                return URLFetcherResponse(url, _sfnt(path, path.stat().st_mtime_ns))
            return super().fetch(url, headers)

    return StaticFilesOnly


def url_fetcher():
    """A WeasyPrint URL fetcher that refuses everything but the static folder's files."""
    return _fetcher_class()(Path(current_app.static_folder))


def render_pdf(html: str) -> bytes:
    """The PDF of a rendered print template (``@page`` CSS sets size and margins)."""
    # Imported on the first PDF, not at start: WeasyPrint and Pango cost every worker about
    # half a second of CPU and tens of MB, and most workers never print a letter.
    import weasyprint

    document = weasyprint.HTML(
        string=html, base_url=static_file_url("") + "/", url_fetcher=url_fetcher()
    )
    return document.write_pdf()


def pdf_response(template: str, filename: str, **context):
    """A no-store download of a print template as PDF (letters carry personal data and codes).

    The template gets ``file_url`` (``static_file_url``) for its fonts."""
    html = render_template(template, file_url=static_file_url, **context)
    response = make_response(render_pdf(html))
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
