"""The HTTP client the adapters are given: ``HttpxClient`` talks to the platforms (bounded
timeouts, credentials only in headers, never logged); ``RecordingHttpClient`` records every
request and answers from canned responses, so tests run without a network."""

import email.utils
import json as jsonlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from .base import ActionResult, HttpClient, HttpResponse, HttpTransportError, PollDeferredError

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5.0


class HttpxClient:
    """One client per channel: ``bearer_token`` is that channel's access token."""

    def __init__(self, *, bearer_token: str = "", transport: httpx.BaseTransport | None = None):
        headers = {"User-Agent": "sociala-medier-orebro/1.0"}
        if bearer_token:
            headers["Authorization"] = f"Bearer {bearer_token}"
        self._client = httpx.Client(headers=headers, transport=transport, follow_redirects=False)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 10,
        content: bytes | None = None,
    ) -> HttpResponse:
        try:
            return self._client.request(
                method,
                url,
                params=params,
                data=data,
                json=json,
                content=content,
                headers=headers,
                timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT)),
            )
        except httpx.HTTPError as exc:
            # The URL carries no secret (tokens travel in a header), so it may be logged.
            logger.warning("No answer from %s %s: %s", method, url, type(exc).__name__)
            raise HttpTransportError(f"{method} {url}: {type(exc).__name__}") from exc

    def close(self) -> None:
        self._client.close()


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    url: str
    params: dict[str, Any] | None
    data: dict[str, Any] | None
    json: Any
    headers: dict[str, str] | None
    content: bytes | None = None


@dataclass
class CannedResponse:
    """An answer as a platform gave it: status, headers and a JSON body (None: empty body)."""

    status_code: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None

    @classmethod
    def from_file(cls, path: Path) -> "CannedResponse":
        """A recorded answer: ``{"status": 429, "headers": {...}, "body": {...}}``."""
        recorded = jsonlib.loads(path.read_text(encoding="utf-8"))
        return cls(recorded["status"], recorded.get("headers", {}), recorded.get("body"))

    def json(self) -> Any:
        if self.body is None:
            raise ValueError("The response has no body.")
        return self.body


class RecordingHttpClient:
    """Answers each request with the next canned response, in order, and keeps every request;
    an exception in the list is raised instead (a network failure)."""

    def __init__(self, *responses: CannedResponse | Exception):
        self.responses = list(responses)
        self.requests: list[RecordedRequest] = []

    def request(self, method: str, url: str, **arguments: Any) -> HttpResponse:
        def copy(name: str) -> Any:
            value = arguments.get(name)
            return dict(value) if value is not None else None

        recorded = (copy("params"), copy("data"), arguments.get("json"), copy("headers"))
        self.requests.append(RecordedRequest(method, url, *recorded, arguments.get("content")))
        if not self.responses:
            raise AssertionError(f"No canned response left for {method} {url}")
        answer = self.responses.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def response_body(response: HttpResponse) -> Any:
    """The JSON body, or None when there is none or it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """``Retry-After`` as seconds: either a number of seconds or an HTTP date."""
    value = header_value(headers, "Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name, whatever its case (canned headers are a plain dict)."""
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def request_or_retry(
    http: HttpClient, method: str, url: str, **arguments: Any
) -> HttpResponse | ActionResult:
    """The platform's answer, or a ``retry`` when none came."""
    try:
        return http.request(method, url, **arguments)
    except HttpTransportError as exc:
        return ActionResult("retry", str(exc))


def request_done(
    http: HttpClient,
    classify: Callable[[HttpResponse], ActionResult],
    method: str,
    url: str,
    **arguments: Any,
) -> HttpResponse | ActionResult:
    """The platform's answer when it did what was asked; otherwise why not: a ``retry`` when
    no answer came, or its answer as ``classify`` reads it (the platform's own message)."""
    response = request_or_retry(http, method, url, **arguments)
    if isinstance(response, ActionResult):
        return response
    result = classify(response)
    return response if result.outcome == "done" else result


def read_json(
    http: HttpClient, url: str, classify: Callable[[HttpResponse], ActionResult], **arguments: Any
) -> Mapping[str, Any]:
    """A polling GET: the JSON object answered, or ``PollDeferredError`` saying why there is
    none (``classify`` turns the platform's answer into an ActionResult)."""
    response = request_done(http, classify, "GET", url, **arguments)
    if isinstance(response, ActionResult):
        raise PollDeferredError(response.detail, response.retry_after)
    body = response_body(response)
    return body if isinstance(body, dict) else {}


def transient_result(response: HttpResponse, detail: str) -> ActionResult | None:
    """What every platform's 429 and 5xx mean: try again (after ``Retry-After`` if given)."""
    if response.status_code == 429 or response.status_code >= 500:
        wait = retry_after_seconds(response.headers)
        return ActionResult("retry", detail, wait, response.status_code)
    return None
