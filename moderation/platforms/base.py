"""The contract between the platforms and the queue: what an adapter turns a delivery or a polled
page into (NormalizedItem), the HTTP client it is given (injectable, so tests record requests
offline), and what an outbound action comes back as (ActionResult)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

ItemKind = Literal["post", "comment", "reply", "message", "mention"]
ItemEvent = Literal["created", "edited", "removed", "hidden", "unhidden"]
Action = Literal["hide", "unhide", "delete", "ban", "unban", "reply"]


@dataclass(frozen=True)
class NormalizedItem:
    """One event about one piece of content, as every platform's adapter reports it."""

    platform: str
    account_id: str  # the page/channel/organisation id the content reached
    external_id: str  # the platform's id of the content; unique per channel
    kind: ItemKind
    event: ItemEvent
    occurred_at: datetime  # the platform's time of the event (TF 2:9: when it reached us)
    text: str | None = None
    parent_external_id: str | None = None
    thread_external_id: str | None = None
    author_id: str | None = None  # None when the platform withholds the author
    author_name: str | None = None
    author_url: str | None = None
    permalink: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ActionResult:
    """``done``: the platform did it; ``retry``: try again after ``retry_after`` seconds;
    ``failed``: it never will (``detail`` says why); ``unsupported``: a person must act on the
    platform by hand."""

    outcome: Literal["done", "retry", "failed", "unsupported"]
    detail: str = ""
    retry_after: float | None = None
    status_code: int | None = None


class HttpResponse(Protocol):
    status_code: int
    headers: Mapping[str, str]

    def json(self) -> Any: ...


class HttpClient(Protocol):
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
    ) -> HttpResponse: ...


class PlatformAdapter(Protocol):
    platform: str
    supported_actions: frozenset[str]

    def poll(
        self, *, account_id: str, cursor: str | None, http: HttpClient
    ) -> tuple[Iterable[NormalizedItem], str | None]: ...

    def apply(
        self,
        *,
        action: Action,
        external_id: str,
        author_id: str | None,
        text: str | None,
        http: HttpClient,
    ) -> ActionResult: ...
