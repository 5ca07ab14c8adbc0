"""The contract between the platforms and the queue: what an adapter turns a delivery or a polled
page into (NormalizedItem), the HTTP client it is given (injectable, so tests record requests
offline), and what an outbound action comes back as (ActionResult)."""

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from moderation.choices import ItemEvent

ItemKind = Literal["post", "comment", "reply", "message", "mention"]
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
    # When the content first existed on the platform, where the platform says so apart from the
    # event's time: an edit seen before its content was (the document date, TF 2:9).
    published_at: datetime | None = None
    # Sent as the channel's own content by a client with the right to speak for it (ingest).
    own: bool = False
    # The images, videos and attachments it carries, each {"url": …, "kind": image/video/
    # attachment}: fetched after capture (records.media), since platform links expire.
    media: tuple[dict[str, str], ...] = ()

    @property
    def is_own(self) -> bool:
        """The channel's own content: drawn up by the municipality, not received (TF 2:10)."""
        return self.own or (bool(self.author_id) and self.author_id == self.account_id)

    @property
    def existed_since(self) -> datetime:
        """The earliest time the content is known to have existed on the platform."""
        if self.published_at is None:
            return self.occurred_at
        return min(self.published_at, self.occurred_at)

    @property
    def event_key(self) -> str:
        """The same event delivered twice has the same key (Meta feed events carry no event id)."""
        text_hash = hashlib.sha256((self.text or "").encode()).hexdigest()
        parts = (self.platform, self.account_id, self.external_id, self.kind, self.event)
        source = "|".join((*parts, self.occurred_at.isoformat(), text_hash))
        return hashlib.sha256(source.encode()).hexdigest()

    def to_payload(self) -> dict[str, Any]:
        """A JSON-safe dict for a Celery message; ``from_payload`` turns it back."""
        payload = asdict(self)
        payload["occurred_at"] = self.occurred_at.isoformat()
        payload["published_at"] = self.published_at.isoformat() if self.published_at else None
        payload["raw"] = dict(self.raw)
        payload["media"] = [dict(entry) for entry in self.media]
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> "NormalizedItem":
        published = payload.get("published_at")
        return cls(
            **{
                **payload,
                "occurred_at": datetime.fromisoformat(payload["occurred_at"]),
                "published_at": datetime.fromisoformat(published) if published else None,
                "media": tuple(payload.get("media") or ()),
            }
        )


@dataclass(frozen=True)
class ActionResult:
    """``done``: the platform did it; ``retry``: try again after ``retry_after`` seconds;
    ``failed``: it never will (``detail`` says why); ``unsupported``: a person must act on the
    platform by hand (``detail`` says how, with a link). A ``retry`` without ``retry_after``
    means the platform gave no hint: the sender uses its own back-off."""

    outcome: Literal["done", "retry", "failed", "unsupported"]
    detail: str = ""
    retry_after: float | None = None
    status_code: int | None = None


class HttpTransportError(Exception):
    """The platform could not be reached or did not answer in time (worth another try)."""


class PollDeferredError(Exception):
    """The platform refused the first request of a poll (quota, rate limit, outage): poll again
    after ``retry_after`` seconds (None: use your own back-off). The cursor is unchanged."""

    def __init__(self, detail: str, retry_after: float | None = None):
        super().__init__(detail)
        self.retry_after = retry_after


class HttpResponse(Protocol):
    status_code: int

    @property
    def headers(self) -> Mapping[str, str]: ...

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
        content: bytes | None = None,
    ) -> HttpResponse:
        """Raises ``HttpTransportError`` when no answer came; any HTTP status is returned.
        ``content`` is a body sent as given (a signed body must arrive byte for byte)."""
        ...


class PlatformAdapter(Protocol):
    platform: str
    supported_actions: frozenset[str]

    def poll(
        self, *, account_id: str, cursor: str | None, http: HttpClient
    ) -> tuple[Iterable[NormalizedItem], str | None]:
        """New items since ``cursor`` and the cursor to store for the next poll; raises
        ``PollDeferredError`` when the platform refuses (the stored cursor stays valid)."""
        ...

    def apply(
        self,
        *,
        action: Action,
        account_id: str,  # the page/channel/organisation the content is on (bans need it)
        external_id: str,
        author_id: str | None,
        text: str | None,
        http: HttpClient,
    ) -> ActionResult: ...
