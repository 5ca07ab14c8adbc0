import pytest

from moderation.platforms import connections
from moderation.platforms.http import RecordingHttpClient


@pytest.fixture
def platform_http(monkeypatch):
    """The HTTP client every channel's adapter is given: records the requests and answers with
    the canned responses the test appends to ``responses``."""
    recorder = RecordingHttpClient()
    monkeypatch.setattr(connections, "http_client_for", lambda channel: recorder)
    return recorder
