"""The benchmark's own parts that run without a server: the refusal, the generator's
determinism and the row shapes COPY receives."""

import subprocess

import pytest
from django.db.models.fields import NOT_PROVIDED

from bench import generate, report, run
from bench.generate import COLUMNS, Plan

PLAN = Plan(
    channels=[(1, "facebook", "Örebro kommun"), (2, "instagram", "@orebrokommun")],
    item_offset=1,
    record_offset=1,
    author_offset=1,
    decision_offset=1,
    moderator_id=1,
    grounds=[1, 2, 3],
    series_prefix="SOME",
)


@pytest.mark.parametrize("url", ["", "sqlite:///var/db.sqlite3"])
def test_refuses_anything_but_postgresql(url, capsys):
    with pytest.raises(SystemExit) as exited:
        run.refuse_unless_postgresql(url)
    assert "PostgreSQL" in str(exited.value)


def test_postgresql_is_accepted():
    run.refuse_unless_postgresql("postgres://postgres@127.0.0.1:5432/postgres")


def test_same_seed_same_rows_and_another_seed_other_rows():
    first = list(generate._item_rows(PLAN, 60, seed=7))
    assert first == list(generate._item_rows(PLAN, 60, seed=7))
    assert first != list(generate._item_rows(PLAN, 60, seed=8))


def test_rows_fit_their_columns_and_numbers_do_not_repeat():
    rows = [r for r in generate._item_rows(PLAN, 200, seed=3) if r[0] != "series"]
    for table, row in rows:
        assert len(row) == len(COLUMNS[table].split(",")), table
    numbers = [row[1] for table, row in rows if table == "records_record" and row[1]]
    assert numbers
    assert len(numbers) == len(set(numbers))
    items = [row for table, row in rows if table == "moderation_item"]
    assert len(items) == 200
    swedish = [row for row in items if any(letter in row[8] for letter in "åäöÅÄÖ")]
    assert len(swedish) > len(items) / 2


def test_database_url_keeps_the_server_and_names_the_database():
    url = generate.database_url("postgres://postgres@127.0.0.1:5432/other?x=1", "bench_sociala_10")
    assert url == "postgres://postgres@127.0.0.1:5432/bench_sociala_10"


def test_only_benchmark_databases_are_dropped():
    with pytest.raises(ValueError, match="benchmark"):
        generate.database_drop("postgres://postgres@127.0.0.1:5432/postgres", "sociala_medier")


def _timing(figure_p95s, floor_p95s):
    from bench.load import Timing, Window

    windows = tuple(Window(f, g) for f, g in zip(figure_p95s, floor_p95s, strict=True))
    return Timing(
        name="x",
        requests=100,
        errors=0,
        median_ms=5.0,
        p95_ms=max(figure_p95s),
        max_ms=50.0,
        per_second=10.0,
        floor_median_ms=3.0,
        floor_p95_ms=max(floor_p95s),
        windows=windows,
    )


def test_windows_are_the_same_stretch_of_every_load_process():
    from bench.load import _windows

    first = ([1.0] * 10 + [100.0] * 10, [1.0] * 20, 0)
    second = ([2.0] * 10 + [200.0] * 10, [2.0] * 10 + [50.0] * 10, 0)
    early, late = _windows([first, second], 2)
    assert (early.p95_ms, early.floor_p95_ms) == (2.0, 2.0)
    assert (late.p95_ms, late.floor_p95_ms) == (200.0, 50.0)
    assert late.ratio == 4.0


def test_a_figure_is_met_only_when_every_window_met_it():
    from bench.report import latency_row

    steady = latency_row("steady", _timing([9, 9, 9], [4, 4, 4]), ratio=3)
    assert (steady["met"], steady["windows_met"]) == (True, 3)
    # One window over the ratio is enough to miss.
    once = latency_row("once", _timing([9, 9, 14], [4, 4, 4]), ratio=3)
    assert (once["met"], once["windows_met"]) == (False, 2)
    absolute = latency_row("absolute", _timing([40, 60], [5, 5]), ms=50)
    assert (absolute["met"], absolute["windows_met"], absolute["target"]) == (
        False,
        1,
        "p95 ≤ 50 ms",
    )


def test_the_report_carries_measured_numbers_only():
    from bench.report import latency_row, markdown

    results = {
        "command": "make bench SIZE=small",
        "size": "small",
        "seed": 1,
        "commit": "abc1234",
        "started_at": "2026-12-02T06:00:00+00:00",
        "seconds": 12.5,
        "machine": {"cpus": 2, "python": "3.11.7", "postgresql": "15.19"},
        "load_average": {"min": 1.0, "median": 2.0, "max": 3.0, "samples": 4},
        "data": [{"rows": 1000, "generated_at": "x", "seconds": 1.5, "this_run": True}],
        "figures": [latency_row("queue", _timing([9, 12], [4, 4]), ratio=3)],
        "throughput": [{"figure": "t", "measured": "5 items/s", "target": "≥ 1", "met": True}],
        "webhook_steps": [],
        "peers": [{"what": "feed", "median_ms": 1.0, "p95_ms": 2.0, "runs": 3}],
        "growth": [],
        "queries": {"queue": 5},
    }
    text = markdown(results)
    assert "Commit abc1234" in text
    assert "median 2.0, 1.0–3.0 over 4 samples" in text
    row = "| queue | 5.0 ms | 12 ms | 4 ms | 3.0 × (2.25–3.0) | p95 ≤ 3 × floor | yes, 2 of 2"
    assert row in text
    assert "bench/NOTES.md" in text


def test_copy_names_every_column_the_database_requires():
    """A NOT NULL column added to a generated table without it in COPY's list fails the load
    (as platform_connected and in_reply_to_source_id once did)."""
    from django.apps import apps

    for table, columns in COLUMNS.items():
        model = next(
            m for m in apps.get_models(include_auto_created=True) if m._meta.db_table == table
        )
        named = {c.strip().strip('"') for c in columns.split(",")}
        required = {
            f.column
            for f in model._meta.concrete_fields
            if not f.null and not f.primary_key and f.db_default is NOT_PROVIDED
        }
        assert required - named == set(), table


def test_search_growth_is_the_ratio_of_ratios():
    growth = [
        {"rows": 10_000, "search_p95_ms": 10.0, "search_ratio": 1.0},
        {"rows": 1_000_000, "search_p95_ms": 30.0, "search_ratio": 2.0},
    ]
    row = run._search_growth(growth)
    assert row["growth"] == 2.0
    assert row["met"] is False
    growth[-1]["search_ratio"] = 1.4
    assert run._search_growth(growth)["met"] is True


@pytest.mark.postgresql
def test_each_run_measures_a_fresh_copy_of_the_prepared_database():
    import os

    import psycopg

    server = os.environ["DATABASE_URL"]
    name = f"bench_copytest_{os.getpid()}"
    generate.database_drop(server, name)
    generate.database_ensure(server, name)
    try:
        with psycopg.connect(generate.database_url(server, name), autocommit=True) as conn:
            conn.execute("CREATE TABLE rows (n integer)")
            conn.execute("INSERT INTO rows VALUES (1)")
        copy = generate.database_copy(server, name)
        with psycopg.connect(copy, autocommit=True) as conn:
            conn.execute("INSERT INTO rows VALUES (2)")  # a run's writes
        copy = generate.database_copy(server, name)  # the next run
        with psycopg.connect(copy, autocommit=True) as conn:
            assert conn.execute("SELECT n FROM rows").fetchall() == [(1,)]
    finally:
        generate.database_drop(server, f"{name}_run")
        generate.database_drop(server, name)


def test_the_commit_line_does_not_count_the_runs_own_results(tmp_path):
    """A run's result files, rewritten by the run before it, do not make the next run's report
    say "with uncommitted changes"; a change anywhere else does."""

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    plans = tmp_path / "bench" / "results" / "plans"
    plans.mkdir(parents=True)
    (plans / "feed.txt").write_text("a plan\n", encoding="utf-8")
    (tmp_path / "app.py").write_text("# code\n", encoding="utf-8")
    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "one")
    clean = report.commit(tmp_path)
    assert "uncommitted" not in clean

    (plans / "feed.txt").write_text("the next run's plan\n", encoding="utf-8")
    (plans.parent / "latest.md").write_text("figures\n", encoding="utf-8")
    assert report.commit(tmp_path) == clean

    (tmp_path / "app.py").write_text("# changed\n", encoding="utf-8")
    assert report.commit(tmp_path) == f"{clean} with uncommitted changes"
