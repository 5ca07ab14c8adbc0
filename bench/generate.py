"""The generator: a benchmark database of a given size, built deterministically from a seed and
bulk loaded with PostgreSQL COPY. A meta table remembers the size, seed and generator version,
so a rerun with the same ones reuses the database instead of building it again."""

import hashlib
import json
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from bench import words

GENERATOR_VERSION = 1
THREAD_LENGTH = 20  # a post, then 19 comments and replies
# The newest share of the items is still waiting in the queue; the rest was decided.
OPEN_SHARE = 0.03
HIT_SHARE = 0.1
EPOCH = datetime(2026, 9, 1, tzinfo=UTC)  # the newest generated item; nothing lies ahead
SPAN = timedelta(days=3 * 365)


def database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, "", ""))


def conninfo(url: str) -> str:
    """psycopg understands postgres:// URLs; Django's "postgresql://" spelling too."""
    return url.replace("postgis://", "postgresql://", 1)


def database_ensure(server_url: str, name: str) -> bool:
    """Create the database unless it exists; returns whether it was created."""
    with psycopg.connect(conninfo(database_url(server_url, "postgres")), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
        return True


def database_drop(server_url: str, name: str) -> None:
    if not name.startswith("bench_"):
        raise ValueError("Only benchmark databases are dropped.")
    with psycopg.connect(conninfo(database_url(server_url, "postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_copy(server_url: str, name: str) -> str:
    """A fresh copy of the prepared database ``name`` for one run, named ``<name>_run``; returns
    its URL. A run writes into its copy (intake, registration), so every run starts from the same
    rows, statistics and visibility map as the one before it."""
    copy = f"{name}_run"
    database_drop(server_url, copy)
    with psycopg.connect(conninfo(database_url(server_url, "postgres")), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}" STRATEGY FILE_COPY')
    return database_url(server_url, copy)


def meta_matches(url: str, size: int, seed: int) -> bool:
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_meta (size integer, seed integer, version integer, "
            "generated_at timestamptz, seconds double precision)"
        )
        row = conn.execute("SELECT size, seed, version FROM bench_meta").fetchone()
        return row == (size, seed, GENERATOR_VERSION)


@dataclass
class Loaded:
    """What the generator wrote, and how long each COPY took."""

    rows: dict[str, int]
    copy_seconds: dict[str, float]


# --- the rows --------------------------------------------------------------------------------


def sentence(rng: random.Random) -> str:
    topic = rng.choice(words.TOPICS[: rng.choice((8, 20, len(words.TOPICS)))])
    parts = [
        rng.choice(words.OPENERS),
        topic,
        "i" if rng.random() < 0.6 else "vid",
        rng.choice(words.PLACES),
        rng.choice(words.VERBS) + ".",
    ]
    if rng.random() < 0.5:
        parts += ["Den", rng.choice(words.ADJECTIVES), rng.choice(words.TOPICS), "behövs."]
    parts.append(rng.choice(words.TAILS))
    return " ".join(p for p in parts if p)


def person(rng: random.Random) -> str:
    return f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"


def _fmt(moment: datetime) -> str:
    return moment.isoformat()


@dataclass
class Plan:
    """Ids and references the generator needs from the seeded database."""

    channels: Sequence[tuple[int, str, str]]  # id, platform, name
    item_offset: int
    record_offset: int
    author_offset: int
    decision_offset: int
    moderator_id: int
    grounds: Sequence[int]
    series_prefix: str


def _item_rows(plan: Plan, size: int, seed: int) -> Iterator[tuple[Any, ...]]:
    """Items, versions, hits, grounds, decisions and records, one item at a time, as
    (table, row) pairs; all from one random stream, so the same seed gives the same rows."""
    rng = random.Random(seed)
    authors = max(100, size // 10)
    step = SPAN / size
    start = EPOCH - SPAN
    open_from = int(size * (1 - OPEN_SHARE))
    numbers: dict[int, int] = {}
    for n in range(size):
        pk = plan.item_offset + n
        thread = n // THREAD_LENGTH
        channel_id, _, channel_name = plan.channels[thread % len(plan.channels)]
        external_id = f"b{seed}-{n}"
        post_n = thread * THREAD_LENGTH
        is_post = n == post_n
        kind = "post" if is_post else ("reply" if rng.random() < 0.3 else "comment")
        thread_ext = "" if is_post else f"b{seed}-{post_n}"
        parent_id = "" if is_post else str(plan.item_offset + post_n)
        author = plan.author_offset + min(int(rng.paretovariate(1.2)) - 1, authors - 1)
        if rng.random() < 0.5:
            author = plan.author_offset + rng.randrange(authors)
        text = sentence(rng)
        hit = rng.random() < HIT_SHARE
        if hit:
            flagged = rng.choice(words.FLAGGED)
            text = f"{text} {flagged}"
        moment = start + step * n + timedelta(seconds=rng.randrange(60))
        received = moment + timedelta(seconds=rng.randrange(1, 30))
        raw = json.dumps({"id": external_id, "message": text}, ensure_ascii=False)
        digest = hashlib.sha256(text.encode()).hexdigest()
        priority = rng.choice((1, 2, 4, 10)) if hit else 0
        if n >= open_from:
            state = "escalated" if rng.random() < 0.05 else "new"
        else:
            state = rng.choices(("kept", "hidden", "removed"), (90, 4, 6))[0]
        first_action = "" if state in ("new", "escalated") else _fmt(received + timedelta(hours=1))
        yield (
            "moderation_item",
            (
                pk,
                channel_id,
                external_id,
                kind,
                parent_id,
                thread_ext,
                thread_ext,
                author,
                text,
                "",
                _fmt(moment),
                _fmt(moment),
                _fmt(received),
                raw,
                digest,
                pk,
                False,
                "",
                state == "hidden",
                False,
                "",
                False,
                state,
                "",
                priority,
                _fmt(received + timedelta(hours=4)),
                "",
                "",
                "",
                "",
                first_action,
                first_action if state == "hidden" else "",
                first_action if state == "removed" else "",
                pk,
            ),
        )
        yield (
            "moderation_itemversion",
            (pk, pk, text, raw, digest, _fmt(moment), _fmt(received)),
        )
        if hit:
            ground = plan.grounds[rng.randrange(len(plan.grounds))]
            yield (
                "moderation_detectorhit",
                (pk, "suspect_word", flagged, len(text) - len(flagged), len(text), "", ground),
            )
            yield ("moderation_item_suspected_grounds", (pk, pk, ground))
        if first_action:
            action = {"kept": "keep", "hidden": "hide", "removed": "remove"}[state]
            decision = plan.decision_offset + n
            yield (
                "moderation_decision",
                (
                    decision,
                    channel_id,
                    pk,
                    author,
                    action,
                    "",
                    None,
                    plan.moderator_id,
                    False,
                    True,
                    first_action,
                ),
            )
        registered = state != "kept" or rng.random() < 0.5
        subject = f"{'Inlägg' if is_post else 'Kommentar'} på {channel_name}: {text[:90]}"
        year = moment.year
        number = sequence = ""
        if registered:
            numbers[year] = numbers.get(year, 0) + 1
            sequence = str(numbers[year])
            number = f"{plan.series_prefix} {year}/{numbers[year]:06d}"
        yield (
            "records_record",
            (
                pk,
                number or None,
                plan.series_prefix if registered else "",
                year if registered else None,
                sequence or None,
                channel_id,
                external_id,
                "",
                "drawn_up" if is_post else "incoming",
                _fmt(moment),
                _fmt(received),
                _fmt(received) if registered else None,
                "" if is_post else person(rng),
                "",
                "",
                False,
                subject,
                subject,
                text,
                raw,
                "[]",
                digest,
                "moderated" if state in ("hidden", "removed") else "received",
                "registered" if registered else "kept_in_order",
                "moderated"
                if state in ("hidden", "removed")
                else ("policy_register_all" if registered else "policy_keep_in_order"),
                False,
                "",
                None,
                None,
                None,
                None,
                False,
                "",
                "active",
                None,
                None,
                plan.moderator_id,
                "",
                "",
                "platform",
                "",
            ),
        )
    yield ("series", numbers)


COLUMNS = {
    "moderation_item": (
        "id, channel_id, external_id, kind, parent_id, parent_external_id, thread_external_id, "
        "author_id, text, permalink, platform_time, content_event_at, received_at, raw_payload, "
        "sha256, current_version_id, platform_deleted, platform_deleted_at, platform_hidden, "
        "hidden_pending_review, visibility_event_at, content_withheld, state, "
        "state_before_claim, priority, due_at, due_alert_sent_at, claimed_by_id, claimed_at, "
        "claimed_until, first_action_at, hidden_at, removed_at, record_id"
    ),
    "moderation_itemversion": "id, item_id, text, raw_payload, sha256, platform_time, received_at",
    "moderation_detectorhit": 'version_id, detector, matched, start, "end", detail, ground_id',
    "moderation_item_suspected_grounds": "id, item_id, ground_id",
    "moderation_decision": (
        "id, channel_id, item_id, author_id, action, rationale, reply_template_id, "
        "moderator_id, automated, platform_connected, created_at"
    ),
    "records_record": (
        "id, number, series_prefix, series_year, series_sequence, channel_id, source_id, "
        "permalink, direction, document_date, captured_at, registered_at, counterparty_name, "
        "counterparty_platform_id, counterparty_handle, counterparty_protected, subject, "
        "public_subject, text, raw_payload, media, sha256, registration_reason, "
        "registration_basis, registration_rule, is_secret, secrecy_provision, "
        "secrecy_marked_at, secrecy_marked_by_id, retention_class_id, disposal_due, legal_hold, "
        "legal_hold_reason, status, disposed_at, disposal_run_id, created_by_id, "
        "content_erasure_basis, content_erasure_reference, source_kind, in_reply_to_source_id"
    ),
}
# Empty strings stand for NULL in these columns (text columns keep their empty strings).
NULLABLE = {
    "moderation_item": {4, 7, 17, 20, 26, 27, 28, 29, 30, 31, 32},
}


def _clean(table: str, row: tuple[Any, ...]) -> tuple[Any, ...]:
    nullable = NULLABLE.get(table)
    if not nullable:
        return row
    return tuple(None if i in nullable and v == "" else v for i, v in enumerate(row))


def load(url: str, plan: Plan, size: int, seed: int, chunk: int = 50_000) -> Loaded:
    """COPY every generated row in one transaction (the foreign keys are deferred): the rows
    are made a chunk at a time, then each table's part of the chunk is one COPY."""
    authors = max(100, size // 10)
    rng = random.Random(seed + 1)
    copy_seconds: dict[str, float] = dict.fromkeys(("moderation_platformaccount", *COLUMNS), 0.0)
    rows: dict[str, int] = dict.fromkeys(copy_seconds, 0)
    series: dict[int, int] = {}
    with psycopg.connect(conninfo(url)) as conn, conn.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL DEFERRED")
        started = time.perf_counter()
        with cur.copy(
            "COPY moderation_platformaccount (id, platform, external_id, name, profile_url, "
            "first_seen_at, last_seen_at) FROM STDIN"
        ) as copy:
            platforms = sorted({p for _, p, _ in plan.channels})
            for k in range(authors):
                copy.write_row(
                    (
                        plan.author_offset + k,
                        platforms[k % len(platforms)],
                        f"bench-author-{k}",
                        person(rng),
                        "",
                        EPOCH - SPAN,
                        EPOCH,
                    )
                )
        copy_seconds["moderation_platformaccount"] = time.perf_counter() - started
        rows["moderation_platformaccount"] = authors
        buffers: dict[str, list[tuple[Any, ...]]] = {table: [] for table in COLUMNS}

        def flush() -> None:
            for table, columns in COLUMNS.items():
                began = time.perf_counter()
                with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in buffers[table]:
                        copy.write_row(row)
                copy_seconds[table] += time.perf_counter() - began
                rows[table] += len(buffers[table])
                buffers[table].clear()

        for table, row in _item_rows(plan, size, seed):
            if table == "series":
                series = row
                continue
            buffers[table].append(_clean(table, row))
            if len(buffers["moderation_item"]) >= chunk:
                flush()
        flush()
        for year, last in series.items():
            cur.execute(
                "INSERT INTO records_seriescounter (prefix, year, last_number) VALUES (%s, %s, %s) "
                "ON CONFLICT (prefix, year) DO UPDATE SET last_number = "
                "records_seriescounter.last_number + EXCLUDED.last_number",
                [plan.series_prefix, year, last],
            )
        for table in (*COLUMNS, "moderation_platformaccount"):
            cur.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence({name}, 'id'), "
                    "(SELECT max(id) FROM {table}))"
                ).format(name=sql.Literal(table), table=sql.Identifier(table))
            )
    return Loaded(rows=rows, copy_seconds={k: round(v, 2) for k, v in copy_seconds.items()})


def copy_floor(url: str, plan: Plan, rows: int, seed: int, batch: int = 1000) -> list[float]:
    """PostgreSQL's own bulk load of the same rows (items and their register entries), into
    temporary tables shaped like the real ones: rows per second for each batch."""
    generated = [
        r for r in _item_rows(plan, rows, seed) if r[0] in ("moderation_item", "records_record")
    ]
    per_second: list[float] = []
    with psycopg.connect(conninfo(url)) as conn, conn.cursor() as cur:
        for table in ("moderation_item", "records_record"):
            cur.execute(
                f"CREATE TEMP TABLE floor_{table} (LIKE {table} INCLUDING DEFAULTS "
                "INCLUDING INDEXES) ON COMMIT DROP"
            )
        for start in range(0, len(generated), batch * 2):
            chunk = generated[start : start + batch * 2]
            began = time.perf_counter()
            for table in ("moderation_item", "records_record"):
                with cur.copy(f"COPY floor_{table} ({COLUMNS[table]}) FROM STDIN") as copy:
                    for name, row in chunk:
                        if name == table:
                            copy.write_row(_clean(table, row))
            per_second.append(len(chunk) / 2 / (time.perf_counter() - began))
        conn.rollback()
    return per_second
