"""The real HTTP client against a small server on the loopback interface (no other network)."""

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from moderation.platforms.base import ActionResult, HttpTransportError
from moderation.platforms.http import (
    CannedResponse,
    HttpxClient,
    RecordingHttpClient,
    request_done,
    retry_after_seconds,
)
from moderation.platforms.linkedin import action_result as linkedin_result


class Handler(BaseHTTPRequestHandler):
    seen: list[dict] = []

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        Handler.seen.append(
            {
                "method": self.command,
                "path": self.path,
                "authorization": self.headers.get("Authorization"),
                "content_type": self.headers.get("Content-Type"),
                "body": self.rfile.read(length).decode(),
            }
        )
        if self.path.startswith("/slow"):
            time.sleep(0.6)
        status, headers, body = 200, {}, json.dumps({"success": True})
        if self.path.startswith("/throttled"):
            status, headers = 429, {"Retry-After": "42"}
            body = json.dumps({"error": {"code": 4}})
        payload = body.encode()
        try:
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout test)

    do_GET = do_POST = do_DELETE = _answer  # noqa: N815 (http.server's names)


@pytest.fixture
def server() -> Iterator[str]:
    Handler.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_form_post_with_the_channel_token(server):
    client = HttpxClient(bearer_token="page-token")
    response = client.request("POST", f"{server}/2233445566_7788990011", data={"is_hidden": "true"})
    client.close()
    assert (response.status_code, response.json()) == (200, {"success": True})
    (seen,) = Handler.seen
    assert seen["method"] == "POST"
    assert seen["path"] == "/2233445566_7788990011"
    assert seen["authorization"] == "Bearer page-token"
    assert seen["content_type"] == "application/x-www-form-urlencoded"
    assert seen["body"] == "is_hidden=true"


def test_query_parameters_and_json(server):
    client = HttpxClient()
    client.request("DELETE", f"{server}/blocked", params={"user": "6001"})
    client.request("POST", f"{server}/comments", params={"part": "snippet"}, json={"a": "ä"})
    assert [s["path"] for s in Handler.seen] == ["/blocked?user=6001", "/comments?part=snippet"]
    assert Handler.seen[0]["authorization"] is None
    assert json.loads(Handler.seen[1]["body"]) == {"a": "ä"}


def test_an_answer_keeps_its_status_and_headers(server):
    response = HttpxClient().request("GET", f"{server}/throttled")
    assert response.status_code == 429
    assert retry_after_seconds(response.headers) == 42.0


def test_a_timeout_is_a_transport_error(server):
    with pytest.raises(HttpTransportError, match="ReadTimeout"):
        HttpxClient().request("GET", f"{server}/slow", timeout=0.2)


def test_a_closed_port_is_a_transport_error(server):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(HttpTransportError, match="ConnectError"):
        HttpxClient().request("GET", f"http://127.0.0.1:{port}/", timeout=1)


def test_retry_after_as_seconds_or_a_date():
    assert retry_after_seconds({"retry-after": "120"}) == 120.0
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    assert 80 <= (retry_after_seconds({"Retry-After": later}) or 0) <= 90
    assert retry_after_seconds({"Retry-After": "soon"}) is None
    assert retry_after_seconds({}) is None


def test_the_recording_client_replays_in_order_and_refuses_to_invent():
    http = RecordingHttpClient(CannedResponse(201, {}, {"id": "1"}))
    assert http.request("POST", "https://example.test/a", data={"x": "1"}).json() == {"id": "1"}
    assert [(r.method, r.url, r.data) for r in http.requests] == [
        ("POST", "https://example.test/a", {"x": "1"})
    ]
    with pytest.raises(AssertionError, match="No canned response"):
        http.request("GET", "https://example.test/b")


def test_a_facebook_hide_over_real_http(server, monkeypatch):
    from moderation.platforms import meta

    monkeypatch.setattr(meta, "GRAPH_URL", server)
    client = HttpxClient(bearer_token="page-token")
    result = meta.FacebookAdapter().apply(
        action="hide",
        account_id="104857600000001",
        external_id="2233445566_7788990011",
        author_id="6001234567890",
        text=None,
        http=client,
    )
    assert result.outcome == "done"
    (seen,) = Handler.seen
    assert (seen["method"], seen["path"], seen["body"]) == (
        "POST",
        "/2233445566_7788990011",
        "is_hidden=true",
    )
    assert seen["authorization"] == "Bearer page-token"

    throttled = meta.FacebookAdapter().apply(
        action="delete",
        account_id="104857600000001",
        external_id="throttled",
        author_id=None,
        text=None,
        http=client,
    )
    assert (throttled.outcome, throttled.retry_after) == ("retry", 42.0)


def test_a_request_done_gives_the_answer_or_why_not():
    """The answer when the platform did it; otherwise the platform's reading of its refusal,
    or a retry when no answer came."""
    refusal = CannedResponse(403, body={"message": "Ingen behörighet"})
    http = RecordingHttpClient(
        CannedResponse(201, {"x-restli-id": "urn:li:share:1"}),
        refusal,
        HttpTransportError("POST https://api.linkedin.com/rest/posts: ConnectTimeout"),
    )
    done = request_done(http, linkedin_result, "POST", "https://api.linkedin.com/rest/posts")
    assert isinstance(done, CannedResponse)
    assert done.status_code == 201
    refused = request_done(http, linkedin_result, "POST", "https://api.linkedin.com/rest/posts")
    assert refused == ActionResult("failed", "LinkedIn error 403: Ingen behörighet", None, 403)
    unanswered = request_done(http, linkedin_result, "POST", "https://api.linkedin.com/rest/posts")
    assert unanswered == ActionResult(
        "retry", "POST https://api.linkedin.com/rest/posts: ConnectTimeout"
    )
