"""Requests per second under gunicorn: the board against a bare Flask "hello" app (DESIGN.md §10).

    python -m benchmarks.throughput              # 15 s per run
    python -m benchmarks.throughput --seconds 5  # a quicker look

Both apps run under gunicorn with 2 sync workers, one after the other, on the same machine and
in the same run, loaded by wrk (Debian package `wrk`; 2 threads, 8 connections) or, where wrk is
missing, by a Python client with 8 threads (slower, so the ratio then flatters the board). The
board is the demo data's Delbrück board (about 30 postings), page 1, with the production config
on a SQLite file. The last line is JSON with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


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


def _serve(target: str, port: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn with fixed arguments
        [GUNICORN, "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", target],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()  # noqa: S310
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"{target} did not start")


def _wrk(url: str, seconds: int) -> float:
    out = subprocess.run(  # noqa: S603
        [shutil.which("wrk"), "-t2", "-c8", f"-d{seconds}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise RuntimeError(f"{url}: {non_2xx.group(1)} failed responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _python_client(url: str, seconds: int) -> float:
    done = []
    stop = time.monotonic() + seconds

    def worker():
        n = 0
        while time.monotonic() < stop:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
                response.read()
                if response.status != 200:
                    raise RuntimeError(f"{url}: status {response.status}")
            n += 1
        done.append(n)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / seconds


def _measure(target: str, path: str, env: dict, seconds: int) -> float:
    port = _free_port()
    process = _serve(target, port, env)
    try:
        url = f"http://127.0.0.1:{port}{path}"
        load = _wrk if shutil.which("wrk") else _python_client
        load(url, 2)  # warm-up
        return load(url, seconds)
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    """Run both apps and print requests per second and their ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
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
        }
        hello = _measure("benchmarks.hello:app", "/", env, args.seconds)
        board = _measure("app:app", "/k/delbrueck/", env, args.seconds)
    client = "wrk -t2 -c8" if shutil.which("wrk") else "python, 8 threads"
    print(f"load generator: {client}; gunicorn 2 sync workers; {args.seconds} s each")
    print(f"hello app      {hello:8.1f} requests/s")
    print(f"board (demo)   {board:8.1f} requests/s")
    print(f"board ÷ hello  {board / hello:8.1%}   (goal ≥ 40 %)")
    print(
        json.dumps(
            {
                "hello_rps": round(hello, 1),
                "board_rps": round(board, 1),
                "board_share_of_hello": round(board / hello, 3),
                "client": client,
            }
        )
    )


if __name__ == "__main__":
    main()
