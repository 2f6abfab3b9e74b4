"""The README's production recipe, run as written: from nothing to the new admin signed in."""

# An empty PostgreSQL database, a fresh virtualenv outside the checkout with the package built
# from a clean copy of the sources and installed non-editable, a real SMTP server, gunicorn, and
# HTTP with a cookie jar.

from __future__ import annotations

import io
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextContainer

from tests.conftest import MailSink, free_port

CHECKOUT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("DEPLOY_TEST_POSTGRES", "postgresql://postgres@127.0.0.1/postgres")
REDIS_URL = "redis://127.0.0.1:6379/14"  # a database number of its own


def recipe() -> str:
    """The sh block between the production-recipe comments of README.md."""
    readme = (CHECKOUT / "README.md").read_text(encoding="utf-8")
    block = re.search(
        r"<!-- production-recipe -->\s*```sh\n(.*?)```\s*<!-- /production-recipe -->",
        readme,
        re.S,
    )
    assert block, "README.md lost its production recipe block"
    return block.group(1)


def substitute(script: str, values: dict[str, str], port: int) -> tuple[str, str]:
    """(setup commands, gunicorn command) with the test's values in the export lines."""
    lines = script.rstrip("\n").split("\n")
    for name, value in values.items():
        pattern = re.compile(rf"^export {name}=.*$")
        hits = [i for i, line in enumerate(lines) if pattern.match(line)]
        assert len(hits) == 1, f"the recipe must export {name} once"
        lines[hits[0]] = f"export {name}={shlex.quote(value)}"
    server = lines.pop()
    assert "gunicorn" in server and "127.0.0.1:8000" in server, "the recipe ends with gunicorn"
    return "\n".join(lines) + "\n", server.replace("127.0.0.1:8000", f"127.0.0.1:{port}")


def copy_source(target: Path) -> None:
    """The checkout's files as a release would carry them (no venv, no .mo, no instance)."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=CHECKOUT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = CHECKOUT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


@pytest.fixture
def database():
    """A fresh PostgreSQL database with a random name, dropped afterwards."""
    psycopg = pytest.importorskip("psycopg")
    name = f"deploy_recipe_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {error}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def smtp_server():
    """A real SMTP server for MAIL_SERVER/MAIL_PORT."""
    from aiosmtpd.controller import Controller

    port = free_port()
    controller = Controller(MailSink(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


def redis_or_memory() -> str:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception:
        return "memory://"
    return REDIS_URL


def clean_environment() -> dict[str, str]:
    """This process's environment without anything that points into the checkout."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EXCHANGE_", "FLASK_", "MAIL_", "VIRTUAL_ENV", "PYTHON"))
        and key not in {"DATABASE_URL", "TEST_DATABASE_URL", "SECRET_KEY", "UPLOAD_FOLDER"}
    }
    venv_bin = str(CHECKOUT / ".venv" / "bin")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    return env


def wait_for(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    """Until url answers 200, or fail when the server died or the time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn exited"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local
                if response.status == 200:
                    return
        except OSError:  # refused while gunicorn starts, or a worker still importing
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {seconds} s")


class Browser:
    """HTTP with a cookie jar, as a browser would sign in."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str):
        response = self.opener.open(self.base + path, timeout=10)
        return response, response.read().decode()

    def post(self, path: str, fields: dict):
        data = urllib.parse.urlencode(fields).encode()
        response = self.opener.open(self.base + path, data=data, timeout=10)
        return response, response.read().decode()


@pytest.mark.slow
def test_the_readme_recipe_installs_a_kommune_from_nothing(tmp_path, database, smtp_server):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    source = tmp_path / "src"
    copy_source(source)
    values = {
        "SRC": str(source),
        "EXCHANGE_INSTANCE_PATH": str(tmp_path / "instance"),
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "DATABASE_URL": database,
        "RATELIMIT_STORAGE_URI": redis_or_memory(),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_server),
        "MAIL_USE_TLS": "0",
        "MAIL_USERNAME": "",
        "MAIL_PASSWORD": "",
        "PUBLIC_BASE_URL": base,
    }
    setup, server = substitute(recipe(), values, port)
    env = clean_environment()
    # No TLS proxy in front here: cookies must travel over plain HTTP.
    env["SESSION_COOKIE_SECURE"] = "0"
    workdir = tmp_path / "srv"
    workdir.mkdir()
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", setup + "export -p > environment.sh\n"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Kommune Delbrück created" in done.stdout

    # The package runs from the venv's site-packages, not from the checkout or its copy.
    located = subprocess.run(
        ["venv/bin/python", "-c", "import exchange; print(exchange.__file__)"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert located.startswith(str(workdir / "venv")) and "site-packages" in located

    gunicorn = subprocess.Popen(
        ["bash", "-c", f". ./environment.sh && exec {server}"],
        cwd=workdir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(base + "/healthz", gunicorn)
        admin = Browser(base)
        _, form = admin.get("/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
        assert token, form[:2000]
        response, page = admin.post(
            "/login",
            {
                "csrf_token": token.group(1),
                "email": "rathaus@delbrueck.example",
                "password": "Tulpe-Geige-Nebelhorn-58",
            },
        )
        assert response.status == 200 and "/login" not in response.url
        response, page = admin.get("/k/delbrueck/admin/")
        assert response.url == base + "/k/delbrueck/admin/"
        heading = r"<h1[^>]*>Übersicht für die Verwaltung – Delbrück</h1>"
        assert re.search(heading, page), page[:2000]

        # A letter as PDF from the installed package: WeasyPrint on the system's Pango, the
        # wheel's print template and its vendored fonts.
        _, form = admin.get("/k/delbrueck/admin/proxies/new")
        fields = dict(re.findall(r'<input[^>]*name="([^"]+)" type="hidden" value="([^"]*)"', form))
        assert {"csrf_token", "idempotency_token"} <= set(fields), form[:2000]
        response, page = admin.post(
            "/k/delbrueck/admin/proxies/new",
            fields
            | {
                "display_name": "Gertrud Schäfer",
                "postal_address": "Hagener Straße 12\n33129 Delbrück",
                "postcode": "33129",
                "consent_on": "2026-11-02",
                "consent_method": "in_person",
                "consent_by": "Heike Amt",
            },
        )
        proxy_page = re.search(r"/k/delbrueck/admin/proxies/(\d+)$", response.url)
        assert proxy_page, page[:2000]
        pdf = admin.opener.open(f"{base}{proxy_page.group(0)}/sheet.pdf", timeout=60)
        body = pdf.read()
        assert pdf.headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF-")
        (page,) = extract_pages(io.BytesIO(body))
        chars = [
            c for box in page if isinstance(box, LTTextContainer) for line in box for c in line
        ]
        text = "".join(c.get_text() for c in chars)
        assert "Gertrud Schäfer" in text and "Vermittlungsblatt" in text
        # The shipped font, embedded.
        assert {c.fontname.partition("+")[2] for c in chars if isinstance(c, LTChar)} <= {
            "Fira-Sans",
            "Fira-Sans-Semi-Bold",
            "Fira-Sans-Bold",
        }

        # The wheel's static files and compiled translations.
        guest = Browser(base)
        response, board = guest.get("/k/delbrueck/")
        assert "Anmelden" in board  # German, the default: only there when the .mo is shipped
        # Fingerprinted by the wheel's static build, so browsers keep it for a year.
        stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', board).group(1)
        css, body = guest.get(stylesheet)
        assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
        assert "immutable" in css.headers["Cache-Control"]
        assert len(body) > 1000
        _, english = guest.get("/k/delbrueck/?lang=en")
        assert "Sign in" in english and "Anmelden" not in english
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
