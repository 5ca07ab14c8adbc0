"""The load generator: runs in its own processes, keeps connections alive, and times each request
on the client side. Every figure's requests are interleaved with requests to the floor (the
cheapest authenticated view), so both are measured in the same moments; the run is cut into
windows, and each window has its own figure and floor percentiles. Bounded in requests and
time; only loopback addresses."""

import multiprocessing
import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


@dataclass(frozen=True)
class Window:
    """One stretch of a run: the figure's and the floor's latencies in the same moments."""

    p95_ms: float
    floor_p95_ms: float

    @property
    def ratio(self) -> float:
        return round(self.p95_ms / self.floor_p95_ms, 2)


@dataclass(frozen=True)
class Timing:
    name: str
    requests: int
    errors: int
    median_ms: float
    p95_ms: float
    max_ms: float
    per_second: float  # the figure's requests; with a floor, its requests came in between
    floor_median_ms: float | None
    floor_p95_ms: float | None
    windows: tuple[Window, ...]

    @property
    def ratio(self) -> float | None:
        """The figure's p95 over the floor's p95 of the same requests' moments."""
        return round(self.p95_ms / self.floor_p95_ms, 2) if self.floor_p95_ms else None

    def windows_within(self, *, ms: float | None = None, ratio: float | None = None) -> int:
        """In how many windows the figure met a limit in milliseconds or a ratio to the floor."""
        return sum(
            (ms is None or w.p95_ms <= ms) and (ratio is None or w.ratio <= ratio)
            for w in self.windows
        )

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row.pop("name")
        row["ratio"] = self.ratio
        row["windows"] = [{**asdict(w), "ratio": w.ratio} for w in self.windows]
        return row


# A request: a path to GET, or (method, path, body, extra headers).
Call = str | tuple[str, str, bytes, dict[str, str]]


@dataclass(frozen=True)
class Floor:
    """The floor request sent between the figure's own, with its own headers."""

    call: Call
    headers: dict[str, str]


def send(client: httpx.Client, call: Call) -> httpx.Response:
    if isinstance(call, str):
        return client.get(call)
    method, path, body, headers = call
    return client.request(method, path, content=body, headers=headers)


def _timed(client: httpx.Client, call: Call) -> tuple[float, int]:
    started = time.perf_counter()
    status = send(client, call).status_code
    return (time.perf_counter() - started) * 1000, status


def _worker(
    base_url: str,
    paths: Sequence[Call],
    headers: dict[str, str],
    floor: Floor | None,
    count: int,
    expect: int,
    deadline: float,
    out: Any,
) -> None:
    latencies: list[float] = []
    floor_latencies: list[float] = []
    errors = 0
    with (
        httpx.Client(base_url=base_url, headers=headers, timeout=30) as client,
        httpx.Client(base_url=base_url, headers=floor.headers if floor else {}) as floor_client,
    ):
        for i in range(count):
            if time.monotonic() > deadline:
                break
            ms, status = _timed(client, paths[i % len(paths)])
            latencies.append(ms)
            errors += status != expect
            if floor is not None:
                floor_ms, floor_status = _timed(floor_client, floor.call)
                floor_latencies.append(floor_ms)
                errors += floor_status != 200
    out.put((latencies, floor_latencies, errors))


def _windows(
    results: list[tuple[list[float], list[float], int]], windows: int
) -> tuple[Window, ...]:
    """Each worker's run cut into ``windows`` stretches of equal length; stretch k of every
    worker is window k (the workers run side by side)."""
    found = []
    for k in range(windows):
        figure: list[float] = []
        floor: list[float] = []
        for latencies, floor_latencies, _errors in results:
            n = len(latencies)
            figure += latencies[k * n // windows : (k + 1) * n // windows]
            floor += floor_latencies[k * n // windows : (k + 1) * n // windows]
        if figure and floor:
            found.append(
                Window(round(percentile(figure, 0.95), 2), round(percentile(floor, 0.95), 2))
            )
    return tuple(found)


def run(
    name: str,
    base_url: str,
    paths: Sequence[Call],
    *,
    floor: Floor | None,
    headers: dict[str, str] | None = None,
    requests: int = 400,
    windows: int = 5,
    concurrency: int = 2,
    expect: int = 200,
    warmup: int = 20,
    max_seconds: float = 240,
) -> Timing:
    """Send ``paths`` (round robin) ``requests`` times from ``concurrency`` processes, each
    followed by the floor's request where there is one (a throughput figure has none); each
    process takes every ``concurrency``-th call, so calls
    that must not repeat are not repeated when ``requests`` is at most ``len(paths)``."""
    host = urlsplit(base_url).hostname or ""
    if not (host.startswith("127.") or host in {"localhost", "::1"}):
        raise ValueError("The load generator only targets loopback addresses.")
    headers = headers or {}
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:
        for i in range(warmup):
            send(client, paths[i % len(paths)])
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    deadline = time.monotonic() + max_seconds
    per_worker = max(1, requests // concurrency)
    procs = [
        ctx.Process(
            target=_worker,
            args=(
                base_url,
                paths[k::concurrency] or paths,
                headers,
                floor,
                per_worker,
                expect,
                deadline,
                queue,
            ),
        )
        for k in range(concurrency)
    ]
    started = time.perf_counter()
    for proc in procs:
        proc.start()
    results = [queue.get() for _ in procs]
    elapsed = time.perf_counter() - started
    for proc in procs:
        proc.join()
    latencies = [ms for lat, _, _ in results for ms in lat]
    floor_latencies = [ms for _, lat, _ in results for ms in lat]
    return Timing(
        name=name,
        requests=len(latencies),
        errors=sum(err for _, _, err in results),
        median_ms=round(statistics.median(latencies), 2),
        p95_ms=round(percentile(latencies, 0.95), 2),
        max_ms=round(max(latencies), 2),
        per_second=round(len(latencies) / elapsed, 1),
        floor_median_ms=round(statistics.median(floor_latencies), 2) if floor else None,
        floor_p95_ms=round(percentile(floor_latencies, 0.95), 2) if floor else None,
        windows=_windows(results, windows) if floor else (),
    )
