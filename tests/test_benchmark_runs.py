"""The benchmark script still runs (on tiny data; its timings are not checked here)."""

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
