"""Pages per second under gunicorn beside a bare Flask "hello", on the 100k data (DESIGN.md §10).

    python -m benchmarks.throughput                  # 100k postings, 3 rounds of 5 s per page
    python -m benchmarks.throughput --rounds 5 --seconds 10
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432 python -m benchmarks.throughput
                                                     # the same on PostgreSQL (own database)

Builds the synthetic data of benchmarks/matching.py (10,000 postings first, for the growth
figure, then 100,000 with 50,000 users in 400 Kommunen), measures the board query against its
raw SQL there, then serves it with the production config and compiled translations under
gunicorn (2 sync workers): the bare Flask app, the app with its guest page cache, and the app
with the cache switched off. Each round loads every page in turn with wrk (2 threads,
8 connections; a Python client when wrk is missing), so the apps are interleaved and share the
machine's state; the table gives medians over the rounds and the ratio to "hello". In-process
(Flask test client, same data) it counts the SQL queries of each page with a
before_cursor_execute listener and times a request in CPU time of its thread (so other work
on a shared machine does not count), split into SQL and Python.
The last line is JSON with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
SECRET = "benchmark-only"  # noqa: S105 - a throwaway key for local servers


@dataclass
class Page:
    """One page to load: its label, which server, its path and whether it is signed in."""

    key: str
    label: str
    server: str  # "cached" (guest page cache on) or "fresh" (cache off)
    path: str
    signed_in: bool = False


def pages_for(fixture: dict) -> list[Page]:
    """The pages the issue asks for, on the fixture's Kommune, posting and user."""
    slug = fixture["slug"]
    board = f"/k/{slug}/"
    search = f"/k/{slug}/?q=Posting&category=garden&radius=10"
    return [
        Page("guest_board_cached", "guest board, page cache", "cached", board),
        Page("guest_board", "guest board, uncached", "fresh", board),
        Page("signed_in_board", "signed-in board: radius+category+text", "fresh", search, True),
        Page(
            "posting",
            "posting page, signed in",
            "fresh",
            f"/k/{slug}/postings/{fixture['posting_id']}",
            True,
        ),
        Page("matches", "matches page, signed in", "fresh", "/me/matches", True),
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _overrides(url: str, cache: bool = True) -> dict:
    """The production settings the gunicorn servers get from their environment."""
    return {
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": url,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "PUBLIC_BASE_URL": "http://127.0.0.1",
        "BOARD_CACHE_SIZE": 512 if cache else 0,
    }


def production_app(url: str, cache: bool = True):
    """The production app, in-process, on the benchmark database."""
    from config.settings import ProductionConfig
    from exchange import create_app

    return create_app(ProductionConfig, _overrides(url, cache))


def prepare_fixture(app) -> dict:
    """A signed-in resident with postings, a posting of someone else, and their cookie."""
    from flask import session
    from flask_login import login_user
    from sqlalchemy import func, select

    from exchange.accounts import sessions
    from exchange.accounts.models import User
    from exchange.extensions import db
    from exchange.municipalities.models import Municipality
    from exchange.postings.models import Posting

    with app.app_context():
        # The Kommune with the most postings, and its most active author.
        kommune_id = db.session.execute(
            select(Posting.municipality_id)
            .group_by(Posting.municipality_id)
            .order_by(func.count().desc(), Posting.municipality_id)
            .limit(1)
        ).scalar_one()
        author_id = db.session.execute(
            select(Posting.author_id)
            .where(Posting.municipality_id == kommune_id)
            .group_by(Posting.author_id)
            .order_by(func.count().desc(), Posting.author_id)
            .limit(1)
        ).scalar_one()
        posting_id = db.session.scalar(
            select(Posting.id)
            .where(Posting.municipality_id == kommune_id, Posting.author_id != author_id)
            .order_by(Posting.id)
            .limit(1)
        )
        user = db.session.get(User, author_id)
        sessions.open_session(user, "benchmark")
        db.session.commit()
        slug = db.session.get(Municipality, kommune_id).slug
        with app.test_request_context("/"):
            login_user(user)
            cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
        db.session.remove()
    return {
        "slug": slug,
        "posting_id": posting_id,
        "user_id": author_id,
        "cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}",
    }


def in_process(app, fixture: dict, runs: int = 30) -> dict:
    """Queries per request and median render time (total, SQL, Python) of each page."""
    from sqlalchemy import event

    from exchange.extensions import db

    figures = {}
    with app.app_context():
        engine = db.engine
    # CPU time of this thread, not wall time: on a shared machine waiting for a core would
    # count as rendering. On SQLite the queries run in this thread and are counted as SQL.
    state = {"count": 0, "sql": 0.0, "started": 0.0}

    def before(*_args):
        state["count"] += 1
        state["started"] = time.thread_time()

    def after(*_args):
        state["sql"] += time.thread_time() - state["started"]

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        for page in pages_for(fixture):
            app.config["BOARD_CACHE_SIZE"] = 512 if page.server == "cached" else 0
            client = app.test_client(use_cookies=False)
            headers = {"Cookie": fixture["cookie"]} if page.signed_in else {}
            for _ in range(3):  # warm-up: templates compiled, cache filled
                response = client.get(page.path, headers=headers)
                if response.status_code != 200:
                    raise RuntimeError(f"{page.path}: status {response.status_code}")
            walls, totals, sqls, counts = [], [], [], []
            for _ in range(runs):
                state.update(count=0, sql=0.0)
                started, cpu = time.perf_counter(), time.thread_time()
                client.get(page.path, headers=headers)
                totals.append(time.thread_time() - cpu)
                walls.append(time.perf_counter() - started)
                sqls.append(state["sql"])
                counts.append(state["count"])
            figures[page.key] = {
                "queries": max(counts),
                "wall_ms": round(statistics.median(walls) * 1000, 2),
                "render_ms": round(statistics.median(totals) * 1000, 2),
                "sql_ms": round(statistics.median(sqls) * 1000, 2),
                "python_ms": round(
                    statistics.median(t - s for t, s in zip(totals, sqls, strict=True)) * 1000, 2
                ),
            }
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
        app.config["BOARD_CACHE_SIZE"] = 512
    return figures


def _serve(target: str, port: int, env: dict, workers: int = 2) -> subprocess.Popen:
    """gunicorn serving target on port; returns once the start page answers."""
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn with fixed arguments
        [GUNICORN, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning", target],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()  # noqa: S310
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"{target} did not start")


def _wrk(url: str, seconds: int, headers: dict) -> float:
    command = [shutil.which("wrk"), "-t2", "-c8", f"-d{seconds}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(  # noqa: S603
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise RuntimeError(f"{url}: {non_2xx.group(1)} failed responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _python_client(url: str, seconds: int, headers: dict) -> float:
    done = []
    stop = time.monotonic() + seconds

    def worker():
        n = 0
        while time.monotonic() < stop:
            request = urllib.request.Request(url, headers=headers)  # noqa: S310
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
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


def under_gunicorn(url: str, fixture: dict, rounds: int, seconds: int) -> dict:
    """Median requests per second of hello and of every page over interleaved rounds."""
    base = os.environ | {
        "EXCHANGE_ENV": "production",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": url,
        "SESSION_COOKIE_SECURE": "0",
        # Production refuses to start without a mail server; these pages send no mail.
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "PUBLIC_BASE_URL": "http://127.0.0.1",
    }
    servers = {
        "hello": ("benchmarks.hello:app", base),
        "cached": ("app:app", base | {"BOARD_CACHE_SIZE": "512"}),
        "fresh": ("app:app", base | {"BOARD_CACHE_SIZE": "0"}),
    }
    ports, processes = {}, []
    load = _wrk if shutil.which("wrk") else _python_client
    try:
        for name, (target, env) in servers.items():
            ports[name] = _free_port()
            processes.append(_serve(target, ports[name], env))
        jobs = [("hello", "hello", "/", {})] + [
            (
                page.key,
                page.server,
                page.path,
                {"Cookie": fixture["cookie"]} if page.signed_in else {},
            )
            for page in pages_for(fixture)
        ]
        for _key, server, path, headers in jobs:  # warm-up
            load(f"http://127.0.0.1:{ports[server]}{path}", 1, headers)
        results: dict[str, list[float]] = {key: [] for key, *_ in jobs}
        ratios: dict[str, list[float]] = {key: [] for key, *_ in jobs}
        for _ in range(rounds):
            hello = None
            for key, server, path, headers in jobs:
                rps = load(f"http://127.0.0.1:{ports[server]}{path}", seconds, headers)
                results[key].append(rps)
                hello = rps if key == "hello" else hello
                ratios[key].append(rps / hello)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
    return {
        key: {
            "rps": round(statistics.median(values), 1),
            "share_of_hello": round(statistics.median(ratios[key]), 4),
        }
        for key, values in results.items()
    }


def _postgres_database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://{server.split('://', 1)[1]}/{name}"


def _drop_postgres(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(url: str, postings: int, rounds: int, seconds: int) -> dict:
    """Build, measure the queries, then the pages in-process and under gunicorn."""
    from benchmarks.matching import build, measure
    from exchange import create_app

    small = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    build(small, postings // 10, postings // 20, 400)
    little = measure(small)
    build(small, postings, postings // 2, 400)
    large = measure(small)
    with small.app_context():
        from exchange.extensions import db

        db.engine.dispose()
    app = production_app(url)
    fixture = prepare_fixture(app)
    renders = in_process(app, fixture)
    with app.app_context():
        from exchange.extensions import db

        db.engine.dispose()
    served = under_gunicorn(url, fixture, rounds, seconds)
    return {
        "postings": postings,
        "queries": large,
        "board_vs_raw": round(large["board_p95_ms"] / large["raw_p95_ms"], 2),
        "growth": round(large["board_p95_ms"] / little["board_p95_ms"], 2),
        "pages": {key: renders.get(key, {}) | served[key] for key in served},
    }


def _mark(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(name: str, result: dict, rounds: int, seconds: int) -> None:
    """Print one database's table with each goal marked met or missed."""
    client = "wrk -t2 -c8" if shutil.which("wrk") else "python client, 8 threads"
    print(
        f"\n{name}: {result['postings']:,} postings; gunicorn -w 2; {client}; "
        f"median of {rounds} interleaved rounds of {seconds} s"
    )
    header = (
        f"{'page':40} {'req/s':>8} {'÷ hello':>8} {'queries':>7} "
        f"{'CPU':>8} {'SQL':>7} {'Python':>7}  goals"
    )
    print(header)
    print("-" * len(header))
    for key, page in result["pages"].items():
        label = next(
            (p.label for p in pages_for({"slug": "", "posting_id": 0}) if p.key == key), key
        )
        share = page["share_of_hello"]
        if key == "hello":
            print(f"{'bare Flask hello':40} {page['rps']:8.1f} {'100 %':>8}")
            continue
        goal = 0.40 if key == "guest_board_cached" else 0.10
        goals = f"≥ {goal:.0%}: {_mark(share >= goal)}"
        if key != "guest_board_cached":
            goals += f"; Python ≤ 2 ms: {_mark(page['python_ms'] <= 2.0)}"
        print(
            f"{label:40} {page['rps']:8.1f} {share:8.1%} {page['queries']:7d} "
            f"{page['render_ms']:6.2f}ms {page['sql_ms']:5.2f}ms {page['python_ms']:5.2f}ms"
            f"  {goals}"
        )
    q = result["queries"]
    print(
        f"board query p95 {q['board_p95_ms']} ms, raw SQL p95 {q['raw_p95_ms']} ms: "
        f"{result['board_vs_raw']}× (≤ 2×: {_mark(result['board_vs_raw'] <= 2)}); "
        f"growth 10k → 100k {result['growth']}× (≤ 1.5×: {_mark(result['growth'] <= 1.5)}); "
        f"matches p95 {q['match_p95_ms']} ms"
    )


def main() -> None:
    """Run on SQLite (and PostgreSQL with DATABASE_URL) and print the tables and one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        results["sqlite"] = run(url, args.postings, args.rounds, args.seconds)
    report("SQLite", results["sqlite"], args.rounds, args.seconds)
    server = os.environ.get("DATABASE_URL")
    if server and not args.sqlite_only:
        server = server.replace("+psycopg", "")
        server = server.rsplit("/", 1)[0] if server.count("/") > 2 else server
        name = "bench_throughput"
        url = _postgres_database(server, name)
        try:
            results["postgresql"] = run(url, args.postings, args.rounds, args.seconds)
        finally:
            _drop_postgres(server, name)
        report("PostgreSQL", results["postgresql"], args.rounds, args.seconds)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
