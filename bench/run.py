"""`make bench`: builds (or reuses) benchmark databases on the PostgreSQL server DATABASE_URL
names, then measures through gunicorn on loopback, with the load generator in other processes,
against floors measured in the same run, and writes bench/results/latest.{json,md} and the
query plans in bench/results/plans/.

    python -m bench.run --size small|large [--seed N]
"""

import argparse
import hashlib
import hmac
import json
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench import detectors, generate, load, server

RESULTS = Path(__file__).resolve().parent / "results"
PLANS = RESULTS / "plans"
# The growth steps; the last is the full size every figure is measured at.
SIZES = {"small": [1_000, 10_000], "large": [10_000, 100_000, 1_000_000]}
SEARCHES = [
    "snöröjning",
    "cykelbana Vivalla",
    "biblioteket",
    "förskolan Brickebacken",
    "trasig lekplats",
    "parkering Tybble",
    "äldreboendet",
    "busshållplats mörk",
]
QUEUE_STATES = ["new", "escalated", "kept", "hidden", "removed"]
REGISTRATION_WORKERS = 8
NOTES = [
    "The two cores are shared with other work (load average about 4 during these runs), so "
    "every latency is set against the floor measured in the same run.",
    "The end-to-end intake figure sends the webhook's own Celery task "
    "(moderation.platforms.tasks.platform_items_intake), one delivery's items per task, for a "
    "Facebook channel whose platform account id is the bench's page; the broker is emptied after "
    "the HTTP figure, whose deliveries name the same page.",
    "Intake makes a register entry for every item per the channel's records policy (the "
    "seeded channels: register what is moderated, keep the rest in order); a tenth of the "
    "deliveries is sent twice and stores nothing new.",
    "Real intake gives each entry the subject '<kind> on <channel>'; the generator writes "
    "subjects with the first words of the text, as a registrar's corrected subject reads, so "
    "the full-text search has words to find.",
]
# Why a figure misses its target, as the plans and profiles of these runs show.
REASONS = {
    "moderation queue": (
        "not the database: the query is an index scan on item_queue_by_channel taking well "
        "under a millisecond at every size (plans/queue_new.txt, queue_kept.txt). The list is "
        "built from plain rows (one values() query for the page, one each for its grounds and "
        "hits), the same JSON as ItemSerializer without a model instance or a DRF field per "
        "value. In-process at 1,000,000 a request takes about 12 ms of CPU against the "
        "floor's 3: authentication and throttles as the floor (~2.3 ms), the filter's "
        "validation with its channel lookup (~1.9), the page's query (~2.2), its grounds and "
        "hits (~1.9), the rows (~1.0) and JSON (~0.3 for 48 KB, the C encoder already) — "
        "Django's per-query work, not one hot spot. Through gunicorn the figure falls either "
        "side of 3 × from run to run (3.11 ×, 2.04 ×) on two cores shared with the load "
        "generator and the other workers."
    ),
    "item page": (
        "the moderators' page renders the item with its thread, author history and hits "
        "and also the queue of up to 200 items beside it. The rows are plain values with "
        "their labels, link and flags worked out once per page, the decisions join only what "
        "is shown (23 queries, the slowest under a millisecond; plans/item_page.txt): about "
        "60 ms of CPU in-process at 1,000,000 (was about 100, and 250 before the rows read "
        "only their columns). What is left is Django's template rendering of the 200 rows "
        "(~20 ms: their due times, excerpts and labels), the filter form (~6 ms) and the "
        "item's context (~10 ms of queries). A shorter list beside the item would change what "
        "moderators see and step through with j/k and bulk decisions, so it is left to the "
        "product owner."
    ),
    "public register search via API": (
        "the subject's Swedish vector is a stored generated column with its own GIN index "
        "(records migration 0006), so no entry's vector is recomputed and PostgreSQL costs the "
        "match as the cheap test it is: it filters the newest entries along the primary key "
        "when matches are dense and takes them from the GIN index when they are few. "
        "In-process at 1,000,000: a common word 5–11 ms, two words 17–21 ms, of which the "
        "query walks ~20,000 entries in about 10 ms (plans/search_api.txt, "
        "search_api_two_words.txt). What is left is the request cycle on the shared CPU."
    ),
    "public register search page": (
        "the page reads the same stored vector as the API (one query fewer than before: no "
        "planner estimate first). Its count for the pager (capped at 1,000) keeps the list's "
        "order, so PostgreSQL reads the entries as the page does: for a common word it walks "
        "the newest ones (2 ms, plans/search_page.txt; the sparsest of the common words about "
        "18 ms), for two words it sorts the GIN index's matches (6 ms, "
        "search_page_two_words.txt). In-process at 1,000,000 the page takes 9–33 ms (was "
        "17–222 ms). What is left is template rendering on the shared CPU; where PostgreSQL "
        'overestimates the matches of two middling words ("tack hej", ~5,000 entries) the '
        "count can still walk ~110,000 entries (100–150 ms)."
    ),
    "item detail": (
        "five queries of under a millisecond each (plans/item_api.txt), built from the same "
        "plain rows as the queue (about 8 ms of CPU in-process, was about 12 with "
        "ItemDetailSerializer); before, the figure fell either side of 3 × (2.96 ×, 3.04 ×, "
        "2.35 ×)."
    ),
    "public front page": (
        "six small queries (plans/front_page.txt); what is left is template rendering on the "
        "shared CPU."
    ),
    "podcast feed, 1,000 episodes, uncached": (
        "two queries and a cached body (plans/feed.txt); what is left is gzip of the ~1 MB "
        "feed on every request and the shared CPU."
    ),
    "podcast feed, 304": (
        "two small queries and a cache read; its median is about the floor's own median on "
        "this machine: the trivial authenticated view itself, through the same gunicorn and "
        "the same Python load generator, does not answer within 5 ms here."
    ),
    "intake end to end": (
        "a delivery's new items are taken in together (moderation_items_intake): items, first "
        "versions, detector hits, suggested grounds, register entries and their history in one "
        "INSERT each, the entries and parents linked by one UPDATE each — under one query an "
        "item, was 29. Per delivery of 50, in-process on the 1,000,000-item database: ~40 ms in "
        "PostgreSQL (the inserts into tables of 1,000,000 rows with their indexes, the "
        "register's generated search vector and GIN index, the commit) and ~75 ms in Python "
        "(Django building and binding ~250 rows: model instances, full_clean of each item and "
        "entry, psycopg quoting the UNNEST arrays; the detectors' Swedish normalisation). "
        "With two worker processes and PostgreSQL sharing two cores that is the figure; "
        "2,000/s would need a path around the ORM (COPY), which would also bypass the model "
        "validation and history the register relies on."
    ),
    "registration": (
        "every registered entry takes its number from the series counter in one upsert that "
        "locks the counter's row until COMMIT — the price of gap-free numbering — so one entry "
        "per transaction serialises the eight workers on that row, and with eight processes "
        "on two cores the holder is often waiting for a core. Taken as intake takes them, a "
        "delivery's entries per transaction with their numbers at once, the same eight "
        "workers register well above the target, still without a gap or a duplicate."
    ),
}
ITEMS_PER_DELIVERY = 50
INTAKE_QUERIES = "intake of a delivery of 50 new items (moderation_items_intake), per item"


def refuse_unless_postgresql(url: str) -> None:
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "make bench measures PostgreSQL only: set DATABASE_URL to a PostgreSQL server, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench SIZE=small\n"
            "It creates its own bench_sociala_<size> databases on that server. "
            f"Not measured: {url.split(':', 1)[0] or '(no DATABASE_URL)'}."
        )


def prepare(url: str, size: int, seed: int) -> dict[str, Any]:
    """Migrate, seed and generate one database in a child process (one Django per database)."""
    env = {**server.production_env(url, broker(), cache()), "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "bench.prepare", str(size), str(seed)],
        cwd=server.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        sys.exit(f"Preparing {url.rsplit('/', 1)[-1]} failed.")
    line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH-PREPARED "))
    return dict(json.loads(line.removeprefix("BENCH-PREPARED ")))


def broker() -> str:
    return os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/9")


def cache() -> str:
    return os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/10")


# --- figures ---------------------------------------------------------------------------------


def figure(
    name: str,
    timing: load.Timing | None,
    *,
    floor: float | None,
    target: str,
    met: bool | None,
    **extra: Any,
) -> dict[str, Any]:
    row: dict[str, Any] = {"figure": name, "target": target, "met": met}
    if timing is not None:
        row.update(timing.as_dict())
        row.pop("name", None)
    if floor:
        row["floor_p95_ms"] = floor
        if timing is not None:
            row["ratio"] = round(timing.p95_ms / floor, 2)
    row.update(extra)
    return row


def queue_paths(channel: int, page_size: int = 50) -> list[str]:
    return [
        f"/api/v1/moderation/items/?channel={channel}&state={s}&page_size={page_size}"
        for s in QUEUE_STATES
    ]


def search_paths() -> list[str]:
    return [f"/api/v1/records/register/?q={q}" for q in SEARCHES]


def search_page_paths() -> list[str]:
    return [f"/diarium/?q={q}" for q in SEARCHES]


# --- in-process: query counts and plans --------------------------------------------------------


@contextmanager
def database(name: str) -> Iterator[None]:
    """Point Django's connection at another benchmark database for a while."""
    from django.db import connection

    before = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = before


def queries(path: str, headers: dict[str, str], **client_kwargs: Any) -> tuple[int, Any]:
    """The number of queries one request makes in-process, and the slowest of them."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", **client_kwargs)
    client.get(path, headers=headers)  # warm: the token's last use, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    assert response.status_code in (200, 304), (path, response.status_code)
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]), default=None)
    return len(captured.captured_queries), slowest


def explain(name: str, sql: str, note: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    PLANS.mkdir(parents=True, exist_ok=True)
    text = f"-- {note}\n-- {connection.settings_dict['NAME']}\n{sql}\n\n{plan}\n"
    (PLANS / f"{name}.txt").write_text(text)
    return plan.splitlines()[-1]


def moderator_session() -> str:
    """A moderator with two-factor enabled (as production requires), signed in: the cookie."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group
    from django.test import Client

    from accounts.models import User

    user, _ = User.objects.get_or_create(
        email="bench-moderator@orebro.se", defaults={"name": "Bench Moderator", "is_staff": True}
    )
    user.groups.set(Group.objects.filter(name="moderator"))
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "bench"}}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client.cookies["sessionid"].value


# --- writes ----------------------------------------------------------------------------------


def _register_worker(
    run: str, worker: int, count: int, batch: int, channel_id: int, ready: Any, go: Any, out: Any
) -> None:
    import django

    django.setup()
    from accounts.services import system_user
    from channels_app.models import Channel
    from records.services import Registration, records_register

    channel = Channel.objects.get(pk=channel_id)
    actor = system_user()
    ready.release()
    go.wait()
    began = time.perf_counter()
    latencies = []
    for start in range(0, count, batch):
        started = time.perf_counter()
        records_register(
            registrations=[
                Registration(
                    channel=channel,
                    source_id=f"reg-{run}-{batch}-{worker}-{n}",
                    document_date=datetime.now(UTC) - timedelta(minutes=5),
                    direction="incoming",
                    subject="",
                    text=f"Hej! Fråga nummer {n} om snöröjningen i Vivalla.",
                    raw_payload={"id": n},
                    reason="moderated",
                )
                for n in range(start, min(start + batch, count))
            ],
            actor=actor,
        )
        latencies.append((time.perf_counter() - started) * 1000)
    out.put((began, time.perf_counter(), latencies))


def registration(run: str, per_worker: int, batch: int, channel_id: int) -> dict[str, Any]:
    """REGISTRATION_WORKERS processes register at once, ``batch`` entries per transaction (timed
    from when all are ready, so process start-up is left out); then every number is checked
    for gaps and duplicates. Latencies are per transaction."""
    from records.models import Record

    ctx = multiprocessing.get_context("spawn")
    out, ready, go = ctx.Queue(), ctx.Semaphore(0), ctx.Event()
    procs = [
        ctx.Process(
            target=_register_worker,
            args=(run, w, per_worker, batch, channel_id, ready, go, out),
        )
        for w in range(REGISTRATION_WORKERS)
    ]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.acquire()
    go.set()
    done = [out.get() for _ in procs]
    for proc in procs:
        proc.join()
    elapsed = max(end for _, end, _ in done) - min(began for began, _, _ in done)
    latencies = [ms for _, _, lat in done for ms in lat]
    rows = list(
        Record.objects.filter(source_id__startswith=f"reg-{run}-{batch}-")
        .order_by("series_year", "series_sequence")
        .values_list("series_year", "series_sequence", "number")
    )
    sequences = [int(s or 0) for _, s, _ in rows]
    years = {y for y, _, _ in rows}
    expected = REGISTRATION_WORKERS * per_worker
    contiguous = (
        bool(sequences)
        and len(years) == 1
        and sequences == list(range(sequences[0], sequences[0] + len(sequences)))
    )
    return {
        "entries": len(rows),
        "expected": expected,
        "no_duplicate": len({n for _, _, n in rows}) == len(rows),
        "no_gap": contiguous and len(rows) == expected,
        "per_second": round(len(rows) / elapsed, 1),
        "median_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(load.percentile(latencies, 0.95), 2),
    }


def intake_queries(channel_id: int, run: str) -> float:
    """Queries per item when a Meta delivery of new items is taken in (in-process)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.services import system_user
    from channels_app.models import Channel
    from moderation.platforms import meta
    from moderation.services import moderation_items_intake

    channel, actor = Channel.objects.get(pk=channel_id), system_user()
    warm, _ = meta_delivery("bench-page", f"qw{run}", 0, 1, "")
    moderation_items_intake(channel=channel, items=meta.delivery_parse(warm).items, actor=actor)
    body, _ = meta_delivery("bench-page", f"q{run}", 0, ITEMS_PER_DELIVERY, "")
    with CaptureQueriesContext(connection) as captured:
        moderation_items_intake(channel=channel, items=meta.delivery_parse(body).items, actor=actor)
    return round(len(captured.captured_queries) / ITEMS_PER_DELIVERY, 2)


def meta_delivery(page_id: str, run: str, start: int, count: int, secret: str) -> tuple[bytes, str]:
    """A signed Page ``feed`` delivery of ``count`` new comments."""
    import random

    from bench.generate import person, sentence

    rng = random.Random(start)
    now = int(time.time()) - 60
    changes = []
    for n in range(start, start + count):
        post = f"{page_id}_post{run}{n // 20}"
        fan = rng.randrange(5000)
        changes.append(
            {
                "field": "feed",
                "value": {
                    "item": "comment",
                    "verb": "add",
                    "post_id": post,
                    "comment_id": f"{post}_c{run}{n}",
                    "parent_id": post,
                    "created_time": now,
                    "message": sentence(rng),
                    # An author keeps one name, as on the platform.
                    "from": {"id": f"bench-fan-{fan}", "name": person(random.Random(fan))},
                },
            }
        )
    body = json.dumps(
        {"object": "page", "entry": [{"id": page_id, "time": now, "changes": changes}]},
        ensure_ascii=False,
    ).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, signature


def purge_broker() -> None:
    import redis

    redis.Redis.from_url(broker()).flushdb()


def intake_end_to_end(
    env: dict[str, str], run: str, deliveries: int, secret: str
) -> dict[str, Any]:
    """The intake work a delivery hands to Celery — the real task, through Redis and a worker —
    for the Facebook page "bench-page": items/s from the first task sent to the last item stored,
    a tenth of the deliveries sent twice (replays)."""
    from django.db.models import Max

    from channels_app.models import Channel
    from moderation.models import Item
    from moderation.platforms import meta
    from moderation.platforms.tasks import platform_items_intake
    from records.models import Record

    Channel.objects.filter(slug="facebook-orebro-kommun").update(platform_account_id="bench-page")
    payloads = []
    for d in range(deliveries):
        body, _ = meta_delivery(
            "bench-page", f"e{run}", d * ITEMS_PER_DELIVERY, ITEMS_PER_DELIVERY, secret
        )
        payloads.append([i.to_payload() for i in meta.delivery_parse(body).items])
    replays = payloads[::10]
    expected = deliveries * ITEMS_PER_DELIVERY
    prefix = f"bench-page_post{'e' + run}"
    # Progress is counted above the highest keys before the run (a primary-key range): a
    # prefix match on the platform id would scan the whole table at every look.
    item_floor = Item.objects.aggregate(top=Max("pk"))["top"] or 0
    record_floor = Record.objects.aggregate(top=Max("pk"))["top"] or 0
    with server.celery_worker(env, concurrency=2) as worker_pid:
        # Warm up: both worker processes have taken a task before the clock starts.
        warm = f"bench-page_postw{run}"
        for w in range(2):
            body, _ = meta_delivery("bench-page", f"w{run}", w * 2, 2, secret)
            platform_items_intake.delay(
                "bench-page", [i.to_payload() for i in meta.delivery_parse(body).items]
            )
        deadline = time.monotonic() + 120
        while Item.objects.filter(pk__gt=item_floor, external_id__startswith=warm).count() < 4:
            if time.monotonic() > deadline:
                raise RuntimeError("The Celery worker took no task in two minutes.")
            time.sleep(0.2)
        started = time.perf_counter()
        for k, batch in enumerate(payloads):
            platform_items_intake.delay("bench-page", batch)
            if k % 10 == 9:
                platform_items_intake.delay("bench-page", replays[k // 10])
        deadline = time.monotonic() + 900
        stored = 0
        while time.monotonic() < deadline:
            stored = Item.objects.filter(pk__gt=item_floor, external_id__startswith=prefix).count()
            if stored >= expected:
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        rss = server.peak_rss_mb(worker_pid)
    records = Record.objects.filter(pk__gt=record_floor, source_id__startswith=prefix).count()
    return {
        "items": stored,
        "expected": expected,
        "replayed_deliveries": len(replays),
        "records": records,
        "per_second": round(stored / elapsed, 1),
        "celery_peak_rss_mb": rss,
    }


# --- the run ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--size", choices=sorted(SIZES), default="large")
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument(
        "--markdown-only", action="store_true", help="rewrite latest.md from latest.json"
    )
    args = parser.parse_args(argv)
    if args.markdown_only:
        write(json.loads((RESULTS / "latest.json").read_text()))
        return
    server_url = os.environ.get("DATABASE_URL", "")
    refuse_unless_postgresql(server_url)
    steps = SIZES[args.size]
    full = steps[-1]
    small = args.size == "small"
    requests = 200 if small else 400
    run = str(int(time.time()))
    began = time.perf_counter()
    results: dict[str, Any] = {
        "command": f"make bench SIZE={args.size}",
        "size": args.size,
        "seed": args.seed,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "figures": [],
        "growth": [],
        "queries": {},
        "notes": NOTES,
    }
    for stale in PLANS.glob("*.txt"):
        stale.unlink()
    prepared: dict[int, dict[str, Any]] = {}
    for n in steps:
        name = f"bench_sociala_{n}"
        url = generate.database_url(server_url, name)
        if not generate.database_ensure(server_url, name) and not generate.meta_matches(
            url, n, args.seed
        ):
            print(f"bench: {name} was made with another size, seed or generator: rebuilt")
            generate.database_drop(server_url, name)
            generate.database_ensure(server_url, name)
        print(f"bench: preparing {name}", flush=True)
        prepared[n] = prepare(url, n, args.seed)
        if prepared[n].get("generated"):
            print(f"bench: generated {name}: {prepared[n]['copy_seconds']}", flush=True)
    main_url = generate.database_url(server_url, f"bench_sociala_{full}")
    env = server.production_env(main_url, broker(), cache())
    # Production serves hashed static files from the manifest, as gunicorn will.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=server.ROOT,
        env=env,
        check=True,
    )
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        results["machine"]["postgresql"] = cursor.fetchone()[0]
    # The detectors' evaluation set: no database, also alone as python -m bench.detectors.
    results["detectors"] = detectors.evaluate()
    detectors.write(results["detectors"])
    info = prepared[full]
    token = {"Authorization": f"Bearer {info['token']}"}
    figures: list[dict[str, Any]] = results["figures"]

    # Floor 1: PostgreSQL's own COPY of the same rows, in batches of 1,000 items + entries.
    from bench.generate import Plan

    plan = Plan(**info["plan"])
    copy_rates = generate.copy_floor(main_url, plan, min(full, 20_000), args.seed + 7)
    copy_median = statistics.median(copy_rates)
    figures.append(
        {
            "figure": "floor: COPY of items and register entries (rows/s per batch of 1,000)",
            "median_per_second": round(copy_median),
            "p95_per_second": round(load.percentile(copy_rates, 0.05)),
            "target": "floor",
            "met": None,
        }
    )

    # Query counts and plans, in-process, for the same requests.
    session = moderator_session()
    item_page = f"/admin/moderation/item/queue/{info['item']}/?channel={info['channel']}&state=new"
    cookie = {"Cookie": f"sessionid={session}"}
    for label, path, headers, plan_name in (
        ("queue page_size=10", queue_paths(info["channel"], 10)[0], token, None),
        ("queue page_size=50", queue_paths(info["channel"], 50)[0], token, "queue_new"),
        ("queue page_size=200", queue_paths(info["channel"], 200)[0], token, None),
        ("queue page_size=50, state=kept", queue_paths(info["channel"])[2], token, "queue_kept"),
        ("item detail (API)", f"/api/v1/moderation/items/{info['item']}/", token, "item_api"),
        ("item page (thread, author history, hits)", item_page, cookie, "item_page"),
        ("register search (API)", search_paths()[0], {}, "search_api"),
        ("register search, two words (API)", search_paths()[1], {}, "search_api_two_words"),
        ("register search (public page)", search_page_paths()[0], {}, "search_page"),
        (
            "register search, two words (public page)",
            search_page_paths()[1],
            {},
            "search_page_two_words",
        ),
        ("podcast feed (1,000 episodes)", f"/poddar/{info['show']}/feed.xml", {}, "feed"),
        ("front page", "/", {}, "front_page"),
    ):
        count, slowest = queries(path, headers)
        results["queries"][label] = count
        if slowest is not None and plan_name:
            results.setdefault("slowest_query_ms", {})[label] = round(
                float(slowest["time"]) * 1000, 2
            )
            explain(plan_name, slowest["sql"], f"the slowest query of GET {path}")
    # The queue's queries at every data size (same request, each database).
    for n in steps[:-1]:
        with database(f"bench_sociala_{n}"):
            other = prepared[n]
            count, _ = queries(
                queue_paths(other["channel"], 50)[0], {"Authorization": f"Bearer {other['token']}"}
            )
            results["queries"][f"queue page_size=50 at {n:,} items"] = count
    results["queries"][f"queue page_size=50 at {full:,} items"] = results["queries"][
        "queue page_size=50"
    ]
    results["queries"][INTAKE_QUERIES] = intake_queries(info["channel"], run)
    connection.close()

    with server.gunicorn(env) as (base, web_pid):
        print(f"bench: measuring at {full:,} through {base}", flush=True)
        floor = load.run("floor", base, ["/api/v1/accounts/me/"], headers=token, requests=requests)
        figures.append(
            figure(
                "floor: GET /api/v1/accounts/me/ (integration token)",
                floor,
                floor=None,
                target="floor",
                met=None,
            )
        )
        f95 = floor.p95_ms
        feed_path = f"/poddar/{info['show']}/feed.xml"
        etag = httpx.get(base + feed_path).headers.get("ETag", "")
        q = results["queries"]
        timed: dict[str, load.Timing] = {}
        # name, figure, calls, headers, requests, expected status, p95 limit, target, extra
        for key, label, paths, headers, count, expect, limit, target, extra in (
            ("queue", f"moderation queue via API, 50 items, by channel and state, at {full:,}",
             queue_paths(info["channel"]), token, requests, 200, 3 * f95, "p95 ≤ 3 × floor",
             {"queries": q["queue page_size=50"]}),
            ("detail", "item detail via API (hits, decisions)",
             [f"/api/v1/moderation/items/{info['item']}/"], token, requests, 200, 3 * f95,
             "p95 ≤ 3 × floor", {}),
            ("item page", "item page for moderators (thread, author history, hits, queue of 200)",
             [item_page], cookie, requests // 2, 200, 3 * f95, "p95 ≤ 3 × floor", {}),
            ("search", f"public register search via API (Swedish full text) at {full:,}",
             search_paths(), {}, requests, 200, 100, "p95 ≤ 100 ms", {}),
            ("search page", f"public register search page /diarium/ at {full:,}",
             search_page_paths(), {}, requests // 2, 200, 100, "p95 ≤ 100 ms", {}),
            ("feed", "podcast feed, 1,000 episodes, uncached", [feed_path], {}, requests // 2,
             200, 50, "p95 ≤ 50 ms", {"queries": q["podcast feed (1,000 episodes)"]}),
            ("feed 304", "podcast feed, 304 Not Modified", [feed_path], {"If-None-Match": etag},
             requests // 2, 304, 5, "p95 ≤ 5 ms", {}),
            ("front page", "public front page /", ["/"], {}, requests, 200, 3 * f95,
             "p95 ≤ 3 × floor", {"queries": q["front page"]}),
        ):  # fmt: skip
            timing = load.run(key, base, paths, headers=headers, requests=count, expect=expect)
            timed[key] = timing
            figures.append(
                figure(label, timing, floor=f95, target=target, met=timing.p95_ms <= limit, **extra)
            )
        queue, search = timed["queue"], timed["search"]

        # Intake, HTTP side: signed deliveries to /hooks/meta/, a tenth sent twice.
        secret = settings.META_APP_SECRET
        deliveries = 40 if small else 200
        calls: list[load.Call] = []
        for d in range(deliveries):
            body, signature = meta_delivery(
                "bench-page", f"h{run}", d * ITEMS_PER_DELIVERY, ITEMS_PER_DELIVERY, secret
            )
            call = (
                "POST",
                "/hooks/meta/",
                body,
                {"X-Hub-Signature-256": signature, "Content-Type": "application/json"},
            )
            calls.append(call)
            if d % 10 == 9:
                calls.append(call)
        hook = load.run("webhook", base, calls, requests=len(calls), warmup=0)
        purge_broker()  # main's task for these is not the bench's concern; see the note
        figures.append(
            figure(
                "intake HTTP: signed Meta deliveries of 50 items to /hooks/meta/",
                hook,
                floor=f95,
                target="≥ 2,000 items/s",
                met=hook.per_second * ITEMS_PER_DELIVERY >= 2000,
                items_per_second=round(hook.per_second * ITEMS_PER_DELIVERY),
                ratio_to_copy=round(hook.per_second * ITEMS_PER_DELIVERY / copy_median, 3),
            )
        )
        # Intake end to end: the same deliveries' items through Redis and a Celery worker.
        e2e = intake_end_to_end(env, run, 10 if small else 40, secret)
        figures.append(
            {
                "figure": "intake end to end: Celery worker (2 processes) storing items, "
                "detectors, authors, register entries per policy, replays",
                "target": "≥ 2,000 items/s",
                "met": e2e["per_second"] >= 2000,
                "ratio_to_copy": round(e2e["per_second"] / copy_median, 4),
                "queries_per_item": results["queries"][INTAKE_QUERIES],
                **e2e,
            }
        )
        for batch, label, per_worker in (
            (1, "one entry per transaction", 25 if small else 100),
            (
                ITEMS_PER_DELIVERY,
                "a delivery's 50 per transaction, as intake",
                100 if small else 500,
            ),
        ):
            reg = registration(run, per_worker, batch, info["channel"])
            figures.append(
                {
                    "figure": f"registration, {REGISTRATION_WORKERS} concurrent processes, "
                    f"{label} (records.services.records_register)",
                    "target": "≥ 500 entries/s, no gap, no duplicate",
                    "met": reg["per_second"] >= 500 and reg["no_gap"] and reg["no_duplicate"],
                    **reg,
                }
            )
        web_rss = server.peak_rss_mb(web_pid)
    figures.append(
        {
            "figure": "peak RSS of a gunicorn web worker",
            "peak_mb": web_rss,
            "target": "≤ 300 MB",
            "met": web_rss <= 300,
        }
    )
    figures.append(
        {
            "figure": "peak RSS of a Celery worker process",
            "peak_mb": e2e["celery_peak_rss_mb"],
            "target": "≤ 300 MB",
            "met": e2e["celery_peak_rss_mb"] <= 300,
        }
    )

    # Growth: the queue and the search at every size, each against its own floor.
    for n in steps:
        other = prepared[n]
        other_env = server.production_env(
            generate.database_url(server_url, f"bench_sociala_{n}"), broker(), cache()
        )
        other_token = {"Authorization": f"Bearer {other['token']}"}
        if n == full:
            rows = (floor, queue, search)
        else:
            with server.gunicorn(other_env) as (base, _):
                rows = (
                    load.run(
                        "floor",
                        base,
                        ["/api/v1/accounts/me/"],
                        headers=other_token,
                        requests=requests,
                    ),
                    load.run(
                        "queue",
                        base,
                        queue_paths(other["channel"]),
                        headers=other_token,
                        requests=requests,
                    ),
                    load.run("search", base, search_paths(), requests=requests),
                )
        results["growth"].append(
            {
                "rows": n,
                "floor_p95_ms": rows[0].p95_ms,
                "queue_median_ms": rows[1].median_ms,
                "queue_p95_ms": rows[1].p95_ms,
                "search_median_ms": rows[2].median_ms,
                "search_p95_ms": rows[2].p95_ms,
                "queue_queries": results["queries"].get(f"queue page_size=50 at {n:,} items"),
            }
        )
    results["seconds"] = round(time.perf_counter() - began, 1)
    write(results)


def _shortfall(row: dict[str, Any]) -> str:
    target = row["target"]
    if "entries" in row:
        return f"{row['per_second']:,} entries/s against {target.split(',')[0]}"
    if "items" in row:
        return f"{row['per_second']:,} items/s against {target}"
    if "items_per_second" in row:
        return f"{row['items_per_second']:,} items/s against {target}"
    if "× floor" in target and row.get("ratio"):
        return f"p95 {row['p95_ms']} ms = {row['ratio']} × the floor, target {target}"
    if "p95_ms" in row:
        return f"p95 {row['p95_ms']} ms against {target}"
    return target


def _cell(value: Any) -> str:
    return "–" if value is None else str(value)


def write(results: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    lines = [
        f"# `{results['command']}` — {results['started_at']}",
        "",
        f"{results['machine']['cpus']} CPUs, PostgreSQL {results['machine'].get('postgresql')}, "
        f"Python {results['machine']['python']}; seed {results['seed']}; {results['seconds']} s.",
        "",
        "| figure | median | p95 | floor (p95) | ratio | target | met? |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in results["figures"]:
        if "median_ms" in row:
            median, p95 = f"{row['median_ms']} ms", f"{row['p95_ms']} ms"
        elif "median_per_second" in row:
            median, p95 = f"{row['median_per_second']:,}/s", f"{row['p95_per_second']:,}/s"
        elif "peak_mb" in row:
            median, p95 = f"{row['peak_mb']} MB", "–"
        else:
            median, p95 = "–", "–"
        extra = []
        if "items_per_second" in row:
            extra.append(f"{row['items_per_second']:,} items/s")
        if row.get("per_second") and "items" in row:
            extra.append(
                f"{row['per_second']:,} items/s overall ({row['items']:,} items, "
                f"{row['records']:,} register entries, {row['queries_per_item']} queries/item)"
            )
        if "entries" in row:
            extra.append(
                f"{row['per_second']:,} entries/s, gap-free {row['no_gap']}, "
                f"no duplicate {row['no_duplicate']}"
            )
        if "ratio_to_copy" in row:
            extra.append(f"{row['ratio_to_copy']} × COPY")
        if "queries" in row:
            extra.append(f"{row['queries']} queries")
        ratio = [f"{row['ratio']} ×"] if row.get("ratio") else []
        met = {True: "yes", False: "**no**", None: "–"}[row["met"]]
        lines.append(
            f"| {row['figure']} | {median} | {p95} | {_cell(row.get('floor_p95_ms'))} | "
            f"{' · '.join(ratio + extra) or '–'} | {row['target']} | {met} |"
        )
    lines += [
        "",
        "Growth (same requests, each size its own database):",
        "",
        "| rows | floor p95 | queue median | queue p95 | queries | search median | search p95 |",
        "|---|---|---|---|---|---|---|",
    ]
    for g in results["growth"]:
        lines.append(
            f"| {g['rows']:,} | {g['floor_p95_ms']} ms | {g['queue_median_ms']} ms | "
            f"{g['queue_p95_ms']} ms | {g['queue_queries']} | {g['search_median_ms']} ms | "
            f"{g['search_p95_ms']} ms |"
        )
    lines += ["", "Queries per request (in-process, CaptureQueriesContext):", ""]
    lines += [f"- {k}: {v}" for k, v in results["queries"].items()]
    unmet = [row for row in results["figures"] if row["met"] is False]
    if unmet:
        lines += ["", "## Not met: by how much, and why (plans in plans/)", ""]
    for row in unmet:
        reason = next((text for key, text in REASONS.items() if row["figure"].startswith(key)), "")
        lines.append(f"- **{row['figure']}** ({_shortfall(row)}): {reason}")
    if "detectors" in results:
        lines += ["", *detectors.markdown(results["detectors"])]
    lines += ["", "## Notes", "", *[f"- {n}" for n in results.get("notes") or NOTES]]
    (RESULTS / "latest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
