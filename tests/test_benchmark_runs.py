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
