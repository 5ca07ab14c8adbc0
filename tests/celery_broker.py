"""Tasks sent to a real broker in a test, and a real worker taking them. Each pytest-xdist
worker has its own keys on the broker (``global_keyprefix``), so a Celery worker started by
one test process never takes the tasks of a test running at the same time in another, whose
database it does not see."""

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery_app import app


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reset_broker_pools() -> None:
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Tasks really go to the broker at ``url`` (not run eagerly) until the block ends, under
    this test process's own keys."""
    keys = ("broker_url", "task_always_eager", "broker_transport_options")
    saved = {key: app.conf[key] for key in keys}
    prefix = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}:"
    with monkeypatch.context() as patch:
        patch.setenv("CELERY_BROKER_URL", url)  # Celery reads it before its own setting
        app.conf.update(
            broker_url=url,
            task_always_eager=False,
            broker_transport_options={"global_keyprefix": prefix},
        )
        _reset_broker_pools()
        try:
            yield url
        finally:
            app.conf.update(saved)
            _reset_broker_pools()


@contextmanager
def real_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A Celery worker (one process) on the configured broker, taking this test process's
    tasks until the block ends."""
    with (
        broker_at(os.environ["CELERY_BROKER_URL"], monkeypatch),
        start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10),
    ):
        yield
