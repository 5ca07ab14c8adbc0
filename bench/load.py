"""The load generator: runs in its own process, keeps connections alive, and times each request
on the client side. Bounded in requests and time; only loopback addresses."""

import multiprocessing
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx


@dataclass(frozen=True)
class Timing:
    name: str
    requests: int
    errors: int
    median_ms: float
    p95_ms: float
    max_ms: float
    per_second: float

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# A request: a path to GET, or (method, path, body, extra headers).
Call = str | tuple[str, str, bytes, dict[str, str]]


def _send(client: httpx.Client, call: Call) -> httpx.Response:
    if isinstance(call, str):
        return client.get(call)
    method, path, body, headers = call
    return client.request(method, path, content=body, headers=headers)


def _worker(
    base_url: str,
    paths: Sequence[Call],
    headers: dict[str, str],
    count: int,
    expect: int,
    deadline: float,
    out: Any,
) -> None:
    latencies: list[float] = []
    errors = 0
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:
        for i in range(count):
            if time.monotonic() > deadline:
                break
            started = time.perf_counter()
            response = _send(client, paths[i % len(paths)])
            latencies.append((time.perf_counter() - started) * 1000)
            errors += response.status_code != expect
    out.put((latencies, errors))


def run(
    name: str,
    base_url: str,
    paths: Sequence[Call],
    *,
    headers: dict[str, str] | None = None,
    requests: int = 400,
    concurrency: int = 2,
    expect: int = 200,
    warmup: int = 20,
    max_seconds: float = 120,
) -> Timing:
    """Send ``paths`` (round robin) ``requests`` times from ``concurrency`` processes; each
    process takes every ``concurrency``-th call, so calls that must not repeat are not
    repeated when ``requests`` is at most ``len(paths)``."""
    host = urlsplit(base_url).hostname or ""
    if not (host.startswith("127.") or host in {"localhost", "::1"}):
        raise ValueError("The load generator only targets loopback addresses.")
    headers = headers or {}
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:
        for i in range(warmup):
            _send(client, paths[i % len(paths)])
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
    latencies = [ms for lat, _ in results for ms in lat]
    errors = sum(err for _, err in results)
    return Timing(
        name=name,
        requests=len(latencies),
        errors=errors,
        median_ms=round(statistics.median(latencies), 2),
        p95_ms=round(percentile(latencies, 0.95), 2),
        max_ms=round(max(latencies), 2),
        per_second=round(len(latencies) / elapsed, 1),
    )
