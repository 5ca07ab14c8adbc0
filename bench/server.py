"""The server under test: gunicorn with the production settings on loopback, and a Celery worker,
as separate processes whose peak memory (VmHWM) is read from /proc."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# One key for every process of a run: the bench stores no platform tokens, but production
# settings require the key.
CREDENTIALS_KEY = Fernet.generate_key().decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_env(database_url: str, broker_url: str, cache_url: str) -> dict[str, str]:
    """The production settings, on loopback without TLS. The throttles stay in the stack but
    with rates a benchmark does not reach; the Meta secret is the bench's own, to sign with."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "CHANNEL_CREDENTIALS_KEY": CREDENTIALS_KEY,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CACHE_URL": cache_url,
        "LOG_LEVEL": "WARNING",
        "META_APP_SECRET": "bench-meta-app-secret",
        "META_VERIFY_TOKEN": "bench-meta-verify-token",
        "API_THROTTLE_ANON": "1000000/min",
        "API_THROTTLE_USER": "1000000/min",
        "API_THROTTLE_CLIENT": "1000000/min",
    }


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a process and its children, the largest one (MB)."""
    pids = [pid, *_children(pid)]
    peaks = []
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except FileNotFoundError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return round(max(peaks, default=0.0), 1)


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return []
    result = [int(c) for c in found]
    for child in list(result):
        result.extend(_children(child))
    return result


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 2) -> Iterator[tuple[str, int]]:
    port = free_port()
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/healthz", proc)
        yield base, proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


@contextmanager
def celery_worker(env: dict[str, str], concurrency: int = 1) -> Iterator[int]:
    command = [
        str(BIN / "celery"),
        "-A",
        "config",
        "worker",
        f"--concurrency={concurrency}",
        "--loglevel=WARNING",
    ]
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
    )
    try:
        time.sleep(3)
        yield proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def _wait_until_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(120):
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited at start")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /healthz")
