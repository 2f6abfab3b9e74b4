"""Bytes and requests of the board for a first-time and a returning browser (DESIGN.md §10).

    python -m benchmarks.page_weight

Serves the demo data under gunicorn with the production config (static files from the build of
`make static`), then loads the Delbrück board like a browser: the HTML, every stylesheet, script
and image it links, and every font the stylesheets name (all @font-face files: an upper bound, a
browser fetches only the faces a page shows), asking for `Accept-Encoding: br, gzip`. The repeat
visit sends no request for what came with `Cache-Control: immutable` and revalidates the rest.
German (left to right) and Arabic (right to left, with its own font). The HTML is counted as the
app sends it: its compression is the reverse proxy's job (docs/deploy.md); what gzip would make
of it is printed beside. The last line is JSON with the figures.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import socket
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from benchmarks.throughput import _serve

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
BOARD = "/k/delbrueck/"
GOAL_FIRST_VISIT = 150 * 1024
CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")


@dataclass
class Response:
    """What the benchmark needs of one HTTP response."""

    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes  # as sent on the wire (compressed when Content-Encoding says so)

    @property
    def header_bytes(self) -> int:
        """Size of the status line and headers as HTTP/1.1 sends them."""
        return len("HTTP/1.1 200 OK\r\n\r\n") + sum(
            len(f"{name}: {value}\r\n") for name, value in self.headers.items()
        )

    def text(self) -> str:
        """The body decoded (gzip or brotli) as text."""
        encoding = self.headers.get("content-encoding", "")
        data = self.body
        if encoding == "gzip":
            data = gzip.decompress(data)
        elif encoding == "br":
            import brotli  # the test extra has it; only decoding needs it

            data = brotli.decompress(data)
        return data.decode("utf-8")


Fetch = Callable[[str, dict[str, str]], Response]


@dataclass
class Visit:
    """Requests and bytes of one page view."""

    requests: int = 0
    bytes: int = 0
    html_bytes: int = 0
    html_gzip_bytes: int = 0
    by_url: dict[str, int] = field(default_factory=dict)


class _Links(HTMLParser):
    """The subresources a browser loads for a page: stylesheets, scripts, images, icons."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").split()
        if tag == "link" and ({"stylesheet", "icon", "preload"} & set(rel)) and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag in ("script", "img") and attrs.get("src"):
            self.urls.append(attrs["src"])


def _page_resources(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


def _css_resources(css: str) -> list[str]:
    return [u for _, u in CSS_URL.findall(css) if not u.startswith("data:")]


class Browser:
    """A browser's HTTP cache, reduced to what static files and their headers decide."""

    def __init__(self, fetch: Fetch, accept_language: str):
        self.fetch = fetch
        self.headers = {"Accept-Encoding": "br, gzip", "Accept-Language": accept_language}
        self.cache: dict[str, Response] = {}

    def visit(self, url: str) -> Visit:
        """Load url and everything it links, as a browser would; count what goes over the wire."""
        visit = Visit()
        html = self._get(url, visit, is_page=True)
        queue = [urljoin(url, u) for u in _page_resources(html)]
        seen = set()
        while queue:
            resource = queue.pop(0)
            if resource in seen:
                continue
            seen.add(resource)
            body = self._get(resource, visit)
            if urlsplit(resource).path.endswith(".css"):
                queue.extend(urljoin(resource, u) for u in _css_resources(body))
        return visit

    def _get(self, url: str, visit: Visit, is_page: bool = False) -> str:
        cached = self.cache.get(url)
        if cached and not is_page and "immutable" in cached.headers.get("cache-control", ""):
            return cached.text() if _is_text(url) else ""
        headers = dict(self.headers)
        if cached and "etag" in cached.headers:
            headers["If-None-Match"] = cached.headers["etag"]
        response = self.fetch(url, headers)
        if response.status == 304 and cached:
            response = Response(304, response.headers, b"")
            visit.requests += 1
            visit.bytes += response.header_bytes
            visit.by_url[url] = response.header_bytes
            return cached.text() if _is_text(url) else ""
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
        size = response.header_bytes + len(response.body)
        visit.requests += 1
        visit.bytes += size
        visit.by_url[url] = size
        if is_page:
            visit.html_bytes = size
            plain = response.text().encode("utf-8")
            visit.html_gzip_bytes = response.header_bytes + len(gzip.compress(plain, 6))
        self.cache[url] = response
        return response.text() if _is_text(url) or is_page else ""


def _is_text(url: str) -> bool:
    return urlsplit(url).path.endswith((".css", ".js"))


def measure(fetch: Fetch, accept_language: str, page: str = BOARD) -> tuple[Visit, Visit]:
    """First and repeat visit of page by one browser."""
    browser = Browser(fetch, accept_language)
    return browser.visit(page), browser.visit(page)


def http_fetcher(base: str) -> Fetch:
    """A Fetch over real HTTP that keeps cookies and leaves bodies compressed."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def fetch(url: str, headers: dict[str, str]) -> Response:
        request = urllib.request.Request(urljoin(base, url), headers=headers)  # noqa: S310
        try:
            with opener.open(request, timeout=10) as raw:
                return Response(
                    raw.status, {k.lower(): v for k, v in raw.headers.items()}, raw.read()
                )
        except urllib.error.HTTPError as error:
            return Response(error.code, {k.lower(): v for k, v in error.headers.items()}, b"")

    return fetch


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare_database(path: Path) -> None:
    from exchange import create_app
    from exchange.demo import seed_demo
    from exchange.extensions import db

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        seed_demo()
        db.session.commit()
        db.engine.dispose()


def _report(name: str, first: Visit, repeat: Visit) -> dict:
    print(f"{name}: first visit {first.requests} requests, {first.bytes / 1024:.1f} KB")
    for url, size in first.by_url.items():
        print(f"    {size / 1024:7.1f} KB  {urlsplit(url).path}")
    print(
        f"    HTML {first.html_bytes / 1024:.1f} KB as the app sends it, "
        f"{first.html_gzip_bytes / 1024:.1f} KB with the proxy's gzip"
    )
    print(f"{name}: repeat visit {repeat.requests} requests, {repeat.bytes / 1024:.1f} KB")
    return {
        "first_requests": first.requests,
        "first_bytes": first.bytes,
        "first_bytes_html_gzipped": first.bytes - first.html_bytes + first.html_gzip_bytes,
        "repeat_requests": repeat.requests,
        "repeat_bytes": repeat.bytes,
    }


def main() -> None:
    """Serve the demo, load the board in German and Arabic, print bytes and requests."""
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.sqlite3"
        _prepare_database(database)
        env = os.environ | {
            "EXCHANGE_ENV": "production",
            "SECRET_KEY": "benchmark-only",
            "DATABASE_URL": f"sqlite:///{database}",
            "SESSION_COOKIE_SECURE": "0",
            # Production refuses to start without a mail server; the board sends no mail.
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "PUBLIC_BASE_URL": "http://127.0.0.1",
        }
        port = _free_port()
        server = _serve("app:app", port, env, workers=1)
        try:
            base = f"http://127.0.0.1:{port}"
            figures = {  # a new browser (cookies, cache) for each language
                "ltr_de": _report("board, de (ltr)", *measure(http_fetcher(base), "de")),
                "rtl_ar": _report("board, ar (rtl)", *measure(http_fetcher(base), "ar")),
            }
        finally:
            server.terminate()
            server.wait()
    first = figures["ltr_de"]["first_bytes"]
    verdict = "met" if first <= GOAL_FIRST_VISIT else "missed"
    print(
        f"first visit of the board {first / 1024:.1f} KB "
        f"(goal ≤ {GOAL_FIRST_VISIT // 1024} KB: {verdict}); "
        f"repeat visit {figures['ltr_de']['repeat_requests']} request(s) (goal 1)"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
