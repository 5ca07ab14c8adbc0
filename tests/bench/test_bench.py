"""The benchmark's own parts that run without a server: the refusal, the generator's
determinism and the row shapes COPY receives."""

import pytest

from bench import generate, run
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
