"""Fixtures of the register's tests."""

import threading
from collections.abc import Iterator

import pytest

from tests.records.media_server import CdnServer


@pytest.fixture
def cdn() -> Iterator[CdnServer]:
    server = CdnServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
