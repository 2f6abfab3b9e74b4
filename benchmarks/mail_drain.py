"""Drain queued mail with two `flask exchange send-mail --watch` workers (issue 8, E2).

    python -m benchmarks.mail_drain                 # 10,000 mails: SQLite file, then PostgreSQL
    python -m benchmarks.mail_drain --mails 1000 --no-postgres

Queues the mails in a fresh database (a SQLite file in a temporary folder; then PostgreSQL in
its own database, BENCH_MAIL_DATABASE_URL or `bench_mail` on 127.0.0.1, created when missing and
skipped when the server is unreachable), starts a local aiosmtpd server that records every
Message-ID, and runs two worker processes with the production config against it. It stops by
itself once every mail has arrived (or after --timeout seconds), then waits a moment more for
late duplicates. Prints per database: seconds from starting the workers to the last mail,
mails per second, delivered, duplicates, missing; the last line is JSON with all figures.
Goal: 10,000 mails in at most 300 s, none twice, none missing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1/bench_mail"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    """aiosmtpd handler that counts the Message-IDs it accepts."""

    def __init__(self):
        self.lock = threading.Lock()
        self.seen: dict[bytes, int] = {}
        self.total = 0
        self.last_at = 0.0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        match = MESSAGE_ID.search(envelope.content)
        key = match.group(1) if match else b"?"
        with self.lock:
            self.seen[key] = self.seen.get(key, 0) + 1
            self.total += 1
            self.last_at = time.monotonic()
        return "250 OK"


def worker_env(database_url: str, smtp_port: int) -> dict:
    """Environment for a worker process: the production config, SMTP on localhost."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "TEST_DATABASE"))}
    env.update(
        EXCHANGE_ENV="production",
        SECRET_KEY="benchmark-only-secret",  # noqa: S106 - a throw-away database
        DATABASE_URL=database_url,
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_port),
        PUBLIC_BASE_URL="http://127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    return env


def start_worker(database_url: str, smtp_port: int, *args: str, log=None) -> subprocess.Popen:
    """`flask exchange send-mail --watch` as its own process, as systemd would run it."""
    command = [sys.executable, "-m", "flask", "--app", "app", "exchange", "send-mail", "--watch"]
    return subprocess.Popen(  # noqa: S603 - our own interpreter with fixed arguments
        [*command, *args],
        cwd=ROOT,
        env=worker_env(database_url, smtp_port),
        stdout=log or subprocess.DEVNULL,
        stderr=log or subprocess.DEVNULL,
    )


def queue_mails(database_url: str, count: int) -> None:
    """A fresh outbox schema with ``count`` mails due now."""
    from sqlalchemy import insert

    from exchange import create_app
    from exchange.extensions import db
    from exchange.mail.models import OutboxEmail
    from exchange.timeutil import utcnow

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        now = utcnow()
        rows = [
            {
                "recipient": f"person{n}@example.org",
                "subject": f"Neue Nachricht {n}",
                "body": f"Hallo,\n\nSie haben eine neue Nachricht ({n}).\n",
                "locale": "de",
                "created_at": now,
                "next_attempt_at": now,
                "attempts": 0,
                "is_secret": False,
            }
            for n in range(count)
        ]
        for start in range(0, count, 2000):
            db.session.execute(insert(OutboxEmail), rows[start : start + 2000])
        db.session.commit()
        db.engine.dispose()


def unsent(database_url: str) -> int:
    """Mails the database still holds as not sent."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        count = connection.execute(
            text("SELECT count(*) FROM outbox_email WHERE sent_at IS NULL")
        ).scalar()
    engine.dispose()
    return count


def drain(
    database_url: str, mails: int, workers: int = 2, timeout: float = 600, interval: float = 1
) -> dict:
    """Queue, drain with ``workers`` processes, and count what arrived."""
    from aiosmtpd.controller import Controller

    queue_mails(database_url, mails)
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    started = time.monotonic()
    processes = [
        start_worker(database_url, port, "--interval", str(interval)) for _ in range(workers)
    ]
    try:
        while len(recorder.seen) < mails and time.monotonic() - started < timeout:
            if all(p.poll() is not None for p in processes):
                break
            time.sleep(0.1)
        time.sleep(1.5)  # a late duplicate would arrive now
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        controller.stop()
    elapsed = (recorder.last_at or time.monotonic()) - started
    delivered = len(recorder.seen)
    return {
        "database": database_url.split(":", 1)[0].split("+", 1)[0],
        "mails": mails,
        "workers": workers,
        "elapsed_s": round(elapsed, 2),
        "mails_per_s": round(delivered / elapsed, 1) if elapsed > 0 else 0.0,
        "delivered": delivered,
        "duplicates": recorder.total - delivered,
        "missing": mails - delivered,
        "unsent_in_database": unsent(database_url),
    }


def postgres_url(url: str) -> str | None:
    """The benchmark's own PostgreSQL database (created when missing), or None if unreachable."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": target.database},
            ).scalar()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    except OperationalError:
        return None
    finally:
        admin.dispose()
    return url


def main() -> None:
    """Run the drain on SQLite and, when reachable, PostgreSQL; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--no-postgres", action="store_true")
    options = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        sqlite = f"sqlite:///{Path(folder) / 'mail.sqlite3'}"
        results.append(drain(sqlite, options.mails, options.workers, options.timeout))
    if not options.no_postgres:
        url = postgres_url(os.environ.get("BENCH_MAIL_DATABASE_URL", DEFAULT_POSTGRES))
        if url is None:
            print("PostgreSQL not reachable: skipped")
        else:
            results.append(drain(url, options.mails, options.workers, options.timeout))
    for r in results:
        print(
            f"{r['database']:<10} {r['mails']} mails, {r['workers']} workers: "
            f"{r['elapsed_s']} s, {r['mails_per_s']} mails/s, delivered {r['delivered']}, "
            f"duplicates {r['duplicates']}, missing {r['missing']}"
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
