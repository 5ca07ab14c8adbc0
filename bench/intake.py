"""The write figures: registration by concurrent processes, intake's queries per item, and
intake end to end through the webhook at a fixed offered rate, stepped up until it falls behind."""

import contextlib
import hashlib
import hmac
import json
import multiprocessing
import os
import statistics
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg

from bench import load, server

ITEMS_PER_DELIVERY = 50
REGISTRATION_WORKERS = 8
PAGE = "bench-page"
INTAKE_QUERIES = "intake of a delivery of 50 new items (moderation_items_intake), per item"


def broker() -> str:
    return os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/9")


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
    with LockWaits() as waits:
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
        "lock_wait_share": waits.share(),
    }


class LockWaits:
    """How much of the database's busy time goes to waiting for a lock: every 5 ms, the
    backends of this database that are running a statement, and how many of them wait for a
    lock (the series counter's row, for registration)."""

    def __init__(self) -> None:
        self.active = 0
        self.waiting = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        from django.db import connection

        from bench.generate import conninfo

        url = os.environ["DATABASE_URL"]
        with psycopg.connect(conninfo(url), autocommit=True) as conn:
            while not self._stop.wait(0.005):
                row = conn.execute(
                    "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), count(*) "
                    "FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
                    "AND pid <> pg_backend_pid()",
                    [connection.settings_dict["NAME"]],
                ).fetchone()
                if row:
                    self.waiting += row[0]
                    self.active += row[1]

    def __enter__(self) -> "LockWaits":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def share(self) -> float | None:
        return round(self.waiting / self.active, 3) if self.active else None


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


def meta_delivery(
    page_id: str, run: str, start: int, count: int, secret: str, media_url: str = ""
) -> tuple[bytes, str]:
    """A signed Page ``feed`` delivery of ``count`` new comments; with ``media_url``, one
    comment in ten carries an image at that address (``photo``, as Meta sends it)."""
    import random

    from bench.generate import person, sentence

    rng = random.Random(start)
    now = int(time.time()) - 60
    changes = []
    for n in range(start, start + count):
        post = f"{page_id}_post{run}{n // 20}"
        fan = rng.randrange(5000)
        value: dict[str, Any] = {
            "item": "comment",
            "verb": "add",
            "post_id": post,
            "comment_id": f"{post}_c{run}{n}",
            "parent_id": post,
            "created_time": now,
            "message": sentence(rng),
            # An author keeps one name, as on the platform.
            "from": {"id": f"bench-fan-{fan}", "name": person(random.Random(fan))},
        }
        if media_url and n % 10 == 0:
            value["photo"] = f"{media_url}?n={run}{n}"
        changes.append({"field": "feed", "value": value})
    body = json.dumps(
        {"object": "page", "entry": [{"id": page_id, "time": now, "changes": changes}]},
        ensure_ascii=False,
    ).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, signature


def purge_broker() -> None:
    import redis

    redis.Redis.from_url(broker()).flushdb()


def _paced_sender(
    base_url: str, calls: list[load.Call], interval: float, start_at: float, out: Any
) -> None:
    """Send each call at its time (``interval`` apart from ``start_at``); a call whose time has
    passed goes at once, and how late the sender was is reported."""
    statuses: dict[int, int] = {}
    latest = 0.0
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for k, call in enumerate(calls):
            due = start_at + k * interval
            wait = due - time.time()
            if wait > 0:
                time.sleep(wait)
            latest = max(latest, -wait)
            status = load.send(client, call).status_code
            statuses[status] = statuses.get(status, 0) + 1
    out.put((statuses, latest))


def webhook_step(
    base_url: str,
    run: str,
    rate: int,
    seconds: float,
    secret: str,
    senders: int = 2,
    media_url: str = "",
) -> dict[str, Any]:
    """Signed Meta deliveries of 50 new comments to /hooks/meta/ at ``rate`` items/s for
    ``seconds``; then up to 10 s for what was sent to be stored. Counts the items stored with
    their register entries (per the channel's policy) from the first delivery sent."""
    from django.db.models import Max

    from moderation.models import Item
    from records.models import Record

    deliveries = max(senders, round(rate * seconds / ITEMS_PER_DELIVERY))
    prefix = f"{PAGE}_post{run}r{rate}s"
    calls: list[load.Call] = []
    for d in range(deliveries):
        body, signature = meta_delivery(
            PAGE, f"{run}r{rate}s", d * ITEMS_PER_DELIVERY, ITEMS_PER_DELIVERY, secret, media_url
        )
        headers = {"X-Hub-Signature-256": signature, "Content-Type": "application/json"}
        calls.append(("POST", "/hooks/meta/", body, headers))
    item_floor = Item.objects.aggregate(top=Max("pk"))["top"] or 0
    record_floor = Record.objects.aggregate(top=Max("pk"))["top"] or 0
    interval = ITEMS_PER_DELIVERY / rate * senders  # each sender takes every senders-th call

    def stored() -> int:
        return Item.objects.filter(pk__gt=item_floor, external_id__startswith=prefix).count()

    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    start_at = time.time() + 2  # the senders have started by then
    procs = [
        ctx.Process(
            target=_paced_sender,
            args=(base_url, calls[k::senders], interval, start_at + k * interval / senders, queue),
        )
        for k in range(senders)
    ]
    for proc in procs:
        proc.start()
    results = [queue.get() for _ in procs]
    for proc in procs:
        proc.join()
    sent_seconds = time.time() - start_at
    at_end = stored()
    deadline = time.time() + 10
    count = at_end
    while count < deliveries * ITEMS_PER_DELIVERY and time.time() < deadline:
        time.sleep(0.5)
        count = stored()
    drained = time.time() - start_at
    statuses: dict[int, int] = {}
    for found, _late in results:
        for status, n in found.items():
            statuses[status] = statuses.get(status, 0) + n
    records = Record.objects.filter(pk__gt=record_floor, source_id__startswith=prefix).count()
    expected = deliveries * ITEMS_PER_DELIVERY
    return {
        "offered_per_second": rate,
        "seconds": round(sent_seconds, 1),
        "sender_late_s": round(max(late for _s, late in results), 2),
        "responses": {str(k): v for k, v in sorted(statuses.items())},
        "items_expected": expected,
        "items_stored_when_sent": at_end,
        "items_stored": count,
        "register_entries": records,
        "stored_per_second": round(count / drained, 1),
        "kept_up": count == expected and at_end >= 0.95 * expected,
    }


def webhook_sustained(
    env: dict[str, str], base_url: str, run: str, rates: list[int], seconds: float, secret: str
) -> dict[str, Any]:
    """Intake end to end through the webhook and a Celery worker of two processes, at each
    offered rate in turn until one is not kept up with."""
    from channels_app.models import Channel

    Channel.objects.filter(slug="facebook-orebro-kommun").update(platform_account_id=PAGE)
    steps = []
    with server.celery_worker(env, concurrency=2) as worker_pid:
        webhook_step(base_url, f"{run}w", 100, 2, secret)  # both worker processes warm
        for rate in rates:
            steps.append(webhook_step(base_url, run, rate, seconds, secret))
            if not steps[-1]["kept_up"]:
                break
        rss = server.peak_rss_mb(worker_pid)
    kept = [s["offered_per_second"] for s in steps if s["kept_up"]]
    return {
        "steps": steps,
        "sustained_per_second": max(kept, default=0),
        "celery_peak_rss_mb": rss,
    }


@contextlib.contextmanager
def media_cdn() -> Iterator[str]:
    """A local stand-in for the platform's CDN serving one JPEG of about 60 kB (a phone photo
    scaled down as Meta serves it), on loopback; yields its address."""
    import io
    import random
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from PIL import Image

    rng = random.Random(20261128)
    picture = Image.frombytes("RGB", (240, 240), bytes(rng.randrange(256) for _ in range(172800)))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    jpeg = buffer.getvalue()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(jpeg)))
            self.end_headers()
            self.wfile.write(jpeg)

    cdn = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    cdn.daemon_threads = True
    thread = threading.Thread(target=cdn.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{cdn.server_address[1]}/bild.jpg"
    finally:
        cdn.shutdown()
        cdn.server_close()


def webhook_with_media(
    env: dict[str, str], base_url: str, run: str, rate: int, seconds: float, secret: str
) -> dict[str, Any]:
    """Intake end to end as ``webhook_sustained``, at one offered rate, with one image in ten
    items: the step's figures, and how long after the first delivery every image was fetched,
    checked, hashed and stored (up to 60 s more)."""
    from django.db.models import Count

    from channels_app.models import Channel
    from records.models import RecordMedia

    Channel.objects.filter(slug="facebook-orebro-kommun").update(platform_account_id=PAGE)
    # The stand-in CDN is plain http on loopback, not one of the platforms' hosts.
    worker_env = {**env, "RECORDS_MEDIA_HTTPS_ONLY": "false", "RECORDS_MEDIA_HOSTS": "127.0.0.1"}
    prefix = f"{PAGE}_post{run}mr{rate}s"
    # A rate intake fell behind at leaves deliveries in the broker; this row is not theirs.
    purge_broker()
    with media_cdn() as url, server.celery_worker(worker_env, concurrency=2):
        started = time.time()
        step = webhook_step(base_url, f"{run}m", rate, seconds, secret, media_url=url)
        expected = step["items_expected"] // 10
        media = RecordMedia.objects.filter(record__source_id__startswith=prefix)
        deadline = time.time() + 60
        while media.filter(status="stored").count() < expected and time.time() < deadline:
            time.sleep(0.5)
        stored_after = time.time() - started
    statuses = dict(media.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        **step,
        "media_expected": expected,
        "media_by_status": statuses,
        "media_all_stored_s": round(stored_after, 1),
    }
