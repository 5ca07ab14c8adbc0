"""Facebook Pages and Instagram through Meta's Graph API: the webhook's verify handshake and
signature, the parsing of Page ``feed`` and Instagram ``comments``/``mentions`` deliveries into
NormalizedItems, and the moderation calls (hide, delete, ban, reply)."""

import hashlib
import hmac
import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from moderation.choices import ItemEvent

from .base import Action, ActionResult, HttpClient, ItemKind, NormalizedItem
from .http import (
    header_value,
    request_or_retry,
    response_body,
    retry_after_seconds,
    transient_result,
)
from .timestamps import platform_time

logger = logging.getLogger(__name__)

GRAPH_URL = "https://graph.facebook.com/v21.0"
SIGNATURE_HEADER = "X-Hub-Signature-256"
# Graph API "Rate Limits": app, user, page, custom-rate and Business Use Case (Pages, Instagram).
THROTTLE_CODES = frozenset({4, 17, 32, 613, 80001, 80002})
# Transient server-side errors Graph API asks to retry.
TRANSIENT_CODES = frozenset({1, 2})
USAGE_HEADERS = ("X-Business-Use-Case-Usage", "X-Page-Usage", "X-App-Usage")

FEED_EVENTS: dict[str, ItemEvent] = {
    "add": ItemEvent.CREATED,
    "edited": ItemEvent.EDITED,
    "edit": ItemEvent.EDITED,  # older deliveries say "edit" (restfb#749)
    "remove": ItemEvent.REMOVED,
    "hide": ItemEvent.HIDDEN,
    "unhide": ItemEvent.UNHIDDEN,
}
# A post on the Page's feed arrives with the item naming its type.
POST_ITEMS = frozenset({"post", "status", "photo", "video", "share"})
# The app dashboard's "Test" button sends Instagram payloads for this made-up account.
TEST_ACCOUNT_ID = "0"


class MalformedDeliveryError(ValueError):
    """The body is not a Meta webhook delivery at all (not JSON, or no list of entries)."""


@dataclass
class Delivery:
    """What one POST contained: the items to queue and what was passed over, with the reason."""

    items: list[NormalizedItem] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)


def signature_valid(raw_body: bytes, signature: str | None, secrets: Iterable[str]) -> bool:
    """``X-Hub-Signature-256: sha256=<hex>`` is the HMAC-SHA256 of the raw bytes with an app
    secret (with Instagram Login, the Instagram app's secret), compared in constant time."""
    if not signature or not signature.startswith("sha256="):
        return False
    given = signature.removeprefix("sha256=").encode("utf-8", "surrogateescape")
    valid = False
    for secret in secrets:
        if secret:
            expected = hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest().encode()
            valid |= hmac.compare_digest(expected, given)
    return valid


def handshake(query: Mapping[str, str], verify_token: str) -> tuple[int, str]:
    """Meta's subscription check: echo ``hub.challenge`` when the mode and the token match."""
    given = query.get("hub.verify_token", "")
    if (
        verify_token
        and query.get("hub.mode") == "subscribe"
        and hmac.compare_digest(given.encode(), verify_token.encode())
    ):
        return 200, query.get("hub.challenge", "")
    return 403, ""


def delivery_parse(raw_body: bytes, *, received_at: datetime | None = None) -> Delivery:
    """Every change in a delivery becomes an item or a skipped entry; only a body that is not a
    delivery at all raises ``MalformedDeliveryError``. A change with no time of its own nor of
    its entry is dated when the delivery reached us (``received_at``; default: now), as TF 2:9
    dates a document: it is captured, never dropped for want of a time."""
    arrival = received_at or datetime.now(UTC)
    try:
        payload = json.loads(raw_body)
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
        raise MalformedDeliveryError("The body is not JSON.") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise MalformedDeliveryError("The body has no list of entries.")

    delivery = Delivery()
    obj = payload.get("object")
    for entry in payload["entry"]:
        for change, reason in _changes(obj, entry):
            item = None if reason else _change_item(obj, entry, change, arrival)
            if isinstance(item, NormalizedItem):
                delivery.items.append(item)
                continue
            skipped = {
                "object": obj,
                "entry_id": _str(entry.get("id")) if isinstance(entry, dict) else None,
                "field": change.get("field"),
                "item": _value(change).get("item"),
                "verb": _value(change).get("verb"),
                "reason": reason or item,
            }
            logger.info("Skipped part of a Meta delivery: %s", skipped)
            delivery.skipped.append(skipped)
    return delivery


def _value(change: Mapping[str, Any]) -> Mapping[str, Any]:
    return _mapping(change.get("value"))


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _changes(obj: Any, entry: Any) -> Iterator[tuple[dict[str, Any], str]]:
    """The entry's changes, each with a reason to skip it ("" to parse it)."""
    if not isinstance(entry, dict):
        yield {}, "entry_not_an_object"
        return
    if "changes" in entry:
        changes = entry["changes"] if isinstance(entry["changes"], list) else [None]
    elif "field" in entry:  # Instagram Login examples put one change in the entry itself
        changes = [{"field": entry.get("field"), "value": entry.get("value")}]
    else:
        changes = [{"field": key} for key in entry if key not in ("id", "time", "uid")]
    for change in changes:
        if not isinstance(change, dict):
            yield {}, "change_not_an_object"
        elif obj not in ("page", "instagram"):
            yield change, "unknown_object"
        elif _str(entry.get("id")) is None:
            yield change, "no_account"
        elif str(entry.get("id")) == TEST_ACCOUNT_ID:
            yield change, "dashboard_test"
        elif "value" not in change:
            yield change, "not_subscribed"
        else:
            yield change, ""


def _change_item(
    obj: Any, entry: Mapping[str, Any], change: Mapping[str, Any], arrival: datetime
) -> NormalizedItem | str:
    """The item a change describes, or the reason it describes none."""
    account_id = _str(entry.get("id")) or ""
    entry_time = platform_time(entry.get("time"))
    value = _value(change)
    field_name = change.get("field")
    if obj == "page" and field_name == "feed":
        item = _feed_item(account_id, entry_time, value, arrival)
    elif obj == "instagram" and field_name == "comments":
        item = _instagram_comment(account_id, entry_time or arrival, value)
    elif obj == "instagram" and field_name == "mentions":
        item = _instagram_mention(account_id, entry_time or arrival, value)
    else:
        return "unknown_field"
    return item


def _feed_item(
    account_id: str, entry_time: datetime | None, value: Mapping[str, Any], arrival: datetime
) -> NormalizedItem | str:
    item_type, verb = _text(value.get("item")), _text(value.get("verb"))
    event = FEED_EVENTS.get(verb or "")
    if item_type != "comment" and item_type not in POST_ITEMS:
        return "unknown_item"
    if event is None:
        return "unknown_verb"
    created_time = platform_time(value.get("created_time"))
    # ``add`` is dated when the content reached the Page; a later event needs the later of the
    # two times, since ``created_time`` can repeat the original's (``remove`` often lacks it).
    times = [t for t in (created_time, entry_time) if t is not None] or [arrival]
    occurred_at = (created_time or entry_time or arrival) if verb == "add" else max(times)
    author = _mapping(value.get("from"))
    post_id = _str(value.get("post_id"))
    kind: ItemKind = "post"
    external_id, parent_id, thread_id = post_id, None, None
    permalink = _text(value.get("link")) or f"https://www.facebook.com/{post_id}"
    if item_type == "comment":
        external_id, thread_id = _str(value.get("comment_id")), post_id
        parent_id = _str(value.get("parent_id")) or post_id
        kind = "reply" if parent_id != post_id else "comment"
        comment_number = (external_id or "").split("_")[-1]
        permalink = f"https://www.facebook.com/{post_id}?comment_id={comment_number}"
    if not external_id:
        return "no_id"
    return NormalizedItem(
        platform="facebook",
        account_id=account_id,
        external_id=external_id,
        kind=kind,
        event=event,
        occurred_at=occurred_at,
        text=_text(value.get("message")),
        parent_external_id=parent_id,
        thread_external_id=thread_id,
        # Older deliveries name the author in sender_id/sender_name; some name no one at all.
        author_id=_str(author.get("id", value.get("sender_id"))),
        author_name=_text(author.get("name", value.get("sender_name"))),
        permalink=permalink if post_id else None,
        raw=value,
        media=feed_media(item_type, value),
    )


def feed_media(item_type: str | None, value: Mapping[str, Any]) -> tuple[dict[str, str], ...]:
    """The media a feed change carries: a comment's ``photo`` or ``video``, a post's
    ``photos``, and the ``link`` of a photo or video post (a shared page's link is no media)."""
    found: list[dict[str, str]] = []
    for key, kind in (("photo", "image"), ("video", "video")):
        if isinstance(value.get(key), str):
            found.append({"url": value[key], "kind": kind})
    photos = value.get("photos")
    for url in photos if isinstance(photos, list) else []:
        if isinstance(url, str):
            found.append({"url": url, "kind": "image"})
    if item_type in ("photo", "video") and isinstance(value.get("link"), str) and not found:
        found.append({"url": value["link"], "kind": "image" if item_type == "photo" else "video"})
    return tuple(found)


def _instagram_comment(
    account_id: str, entry_time: datetime, value: Mapping[str, Any]
) -> NormalizedItem | str:
    comment_id = _str(value.get("id"))
    if not comment_id:
        return "no_id"
    author, media = _mapping(value.get("from")), _mapping(value.get("media"))
    media_id, parent_id = _str(media.get("id")), _str(value.get("parent_id"))
    username = _text(author.get("username"))
    # Instagram sends creations only: no verb, and no time but the entry's.
    return NormalizedItem(
        platform="instagram",
        account_id=account_id,
        external_id=comment_id,
        kind="reply" if parent_id else "comment",
        event=ItemEvent.CREATED,
        occurred_at=entry_time,
        text=_text(value.get("text")),
        parent_external_id=parent_id or media_id,
        thread_external_id=media_id,
        author_id=_str(author.get("id")),
        author_name=username,
        author_url=f"https://www.instagram.com/{username}/" if username else None,
        raw=value,
    )


def _instagram_mention(
    account_id: str, entry_time: datetime, value: Mapping[str, Any]
) -> NormalizedItem | str:
    """An @mention names only the comment (or, in a caption, the media); the text must be read
    from the API (``GET /{ig-user-id}?fields=mentioned_comment.comment_id(…)``)."""
    media_id, comment_id = _str(value.get("media_id")), _str(value.get("comment_id"))
    if not (comment_id or media_id):
        return "no_id"
    return NormalizedItem(
        platform="instagram",
        account_id=account_id,
        external_id=comment_id or media_id or "",
        kind="mention",
        event=ItemEvent.CREATED,
        occurred_at=entry_time,
        parent_external_id=media_id if comment_id else None,
        thread_external_id=media_id,
        raw=value,
    )


def _str(value: Any) -> str | None:
    """Ids arrive as strings or (older payloads) numbers; anything else is no id."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value) if value != "" else None


def _text(value: Any) -> str | None:
    """Text exactly as sent (emoji, zero-width and right-to-left characters included)."""
    return value if isinstance(value, str) else None


GraphCall = tuple[str, str, dict[str, str]]


class _GraphAdapter(ABC):
    """What Facebook and Instagram share: Meta pushes, so polling finds nothing new."""

    platform: str
    supported_actions: frozenset[str]
    hide_parameter: str
    reply_edge: str

    def poll(
        self, *, account_id: str, cursor: str | None, http: HttpClient
    ) -> tuple[list[NormalizedItem], str | None]:
        return [], cursor

    def apply(
        self,
        *,
        action: Action,
        account_id: str,
        external_id: str,
        author_id: str | None,
        text: str | None,
        http: HttpClient,
    ) -> ActionResult:
        call = self.graph_call(action, account_id, external_id, author_id, text)
        if isinstance(call, ActionResult):
            return call
        method, path, arguments = call
        in_query = method == "DELETE"
        response = request_or_retry(
            http,
            method,
            f"{GRAPH_URL}/{path}",
            params=arguments if in_query and arguments else None,
            data=None if in_query else arguments,
        )
        if isinstance(response, ActionResult):
            return response
        return graph_result(response, deleting=action == "delete")

    def graph_call(
        self,
        action: Action,
        account_id: str,
        external_id: str,
        author_id: str | None,
        text: str | None,
    ) -> GraphCall | ActionResult:
        """The Graph API request an action is (method, path, parameters), or why there is none."""
        if action in ("hide", "unhide"):
            return "POST", external_id, {self.hide_parameter: str(action == "hide").lower()}
        if action == "delete":
            return "DELETE", external_id, {}
        if action in ("ban", "unban"):
            return self.ban_call(action, account_id, author_id)
        if not text:
            return ActionResult("failed", "A reply needs a text.")
        return "POST", f"{external_id}/{self.reply_edge}", {"message": text}

    @abstractmethod
    def ban_call(
        self, action: Action, account_id: str, author_id: str | None
    ) -> GraphCall | ActionResult:
        """The request that bans or unbans an author, or why the platform has none."""


class FacebookAdapter(_GraphAdapter):
    platform = "facebook"
    supported_actions = frozenset({"hide", "unhide", "delete", "ban", "unban", "reply"})
    hide_parameter = "is_hidden"
    reply_edge = "comments"

    def ban_call(
        self, action: Action, account_id: str, author_id: str | None
    ) -> GraphCall | ActionResult:
        if not author_id:
            return ActionResult("failed", "Meta withheld the author, so no one can be banned.")
        method = "POST" if action == "ban" else "DELETE"
        return method, f"{account_id}/blocked", {"user": author_id}


class InstagramAdapter(_GraphAdapter):
    platform = "instagram"
    supported_actions = frozenset({"hide", "unhide", "delete", "reply"})
    hide_parameter = "hide"  # not Facebook's is_hidden
    reply_edge = "replies"

    def ban_call(
        self, action: Action, account_id: str, author_id: str | None
    ) -> GraphCall | ActionResult:
        return ActionResult(
            "unsupported",
            "Instagram has no API to block or unblock an account: do it from the author's "
            "profile in the Instagram app or on https://www.instagram.com/.",
        )


def graph_result(response: Any, *, deleting: bool = False) -> ActionResult:
    """A Graph API answer as an ActionResult: throttling is a retry with Meta's own wait time,
    and deleting what is already gone counts as done."""
    body = response_body(response)
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    status = response.status_code
    if 200 <= status < 300 and not error:
        if isinstance(body, dict) and body.get("success") is False:
            return ActionResult("failed", "The Graph API answered success=false.", None, status)
        created = body.get("id") if isinstance(body, dict) else None
        return ActionResult("done", str(created or ""), None, status)
    code = error.get("code")
    message = f"Graph API error {code}/{error.get('error_subcode')}: {error.get('message', '')}"
    if status == 429 or code in THROTTLE_CODES:
        return ActionResult("retry", message, graph_wait_seconds(response.headers), status)
    if deleting and (status == 404 or (code == 100 and error.get("error_subcode") == 33)):
        return ActionResult("done", "Already gone from the platform.", None, status)
    if code in TRANSIENT_CODES or error.get("is_transient"):
        return ActionResult("retry", message, None, status)
    return transient_result(response, message) or ActionResult("failed", message, None, status)


def graph_wait_seconds(headers: Mapping[str, str]) -> float | None:
    """``Retry-After``, else the longest ``estimated_time_to_regain_access`` (minutes) in the
    usage headers."""
    seconds = retry_after_seconds(headers)
    if seconds is not None:
        return seconds
    minutes = [m for name in USAGE_HEADERS for m in _regain_minutes(header_value(headers, name))]
    return max(minutes) * 60.0 if minutes else None


def _regain_minutes(raw: str | None) -> Iterator[float]:
    if not raw:
        return
    try:
        stack: list[Any] = [json.loads(raw)]
    except ValueError:
        return
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            wait = node.get("estimated_time_to_regain_access")
            if isinstance(wait, int | float) and wait > 0:
                yield float(wait)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
