"""LinkedIn organisation pages through the Community Management API: comments on the page's
recent posts are polled (``socialActions/{post}/comments``); a comment can be deleted, and
everything else must be done on LinkedIn by hand."""

import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

from django.conf import settings

from moderation.choices import ItemEvent

from .base import Action, ActionResult, HttpClient, HttpResponse, NormalizedItem
from .http import read_json, request_or_retry, response_body, transient_result
from .timestamps import platform_time

API_URL = "https://api.linkedin.com/rest"
POSTS_PER_POLL = 20
COMMENTS_PER_PAGE = 100
MAX_COMMENT_PAGES = 10
# Posts are read one after another, so a comment can land on a post already read while a later
# one is being read; the next poll looks this far back (the queue ignores repeats).
OVERLAP_MS = 5 * 60 * 1000


def urn(value: str) -> str:
    """A URN as Rest.li 2.0 wants it in a path or query: every reserved character encoded."""
    return quote(value, safe="")


def comment_parts(comment_urn: str) -> tuple[str, str] | None:
    """``urn:li:comment:(urn:li:activity:7…,7…)`` -> (post URN, comment id)."""
    prefix = "urn:li:comment:("
    if not (comment_urn.startswith(prefix) and comment_urn.endswith(")")):
        return None
    post, _, comment_id = comment_urn[len(prefix) : -1].rpartition(",")
    return (post, comment_id) if post and comment_id else None


def post_link(post_urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{post_urn}/"


class LinkedInAdapter:
    platform = "linkedin"
    supported_actions = frozenset({"delete"})

    def poll(
        self, *, account_id: str, cursor: str | None, http: HttpClient
    ) -> tuple[list[NormalizedItem], str | None]:
        """Comments on the organisation's most recently changed posts that were created or
        edited after the cursor (the newest ``lastModified`` time seen, in milliseconds, less
        an overlap). Any refusal raises ``PollDeferredError`` and leaves the cursor as it was,
        so nothing is missed."""
        since = int(json.loads(cursor)["since_ms"]) if cursor else None
        newest = since
        items: list[NormalizedItem] = []
        posts = read_json(
            http,
            f"{API_URL}/posts?author={urn(account_id)}&q=author&count={POSTS_PER_POLL}"
            "&sortBy=LAST_MODIFIED",
            action_result,
            headers=api_headers(),
        )
        for post in posts.get("elements") or []:
            post_urn = post.get("id")
            if not isinstance(post_urn, str):
                continue
            # The organisation's own post, drawn up by it, comes before what answers it.
            changed = _number(post.get("lastModifiedAt")) or _number(post.get("createdAt"))
            if changed is not None:
                newest = max(newest or changed, changed)
                if since is None or changed > since:
                    items.append(_post_item(post, account_id, post_urn, changed))
            for comment in _post_comments(http, post_urn):
                changed = _millis(comment, "lastModified") or _millis(comment, "created")
                if changed is None:
                    continue
                newest = max(newest or changed, changed)
                if since is None or changed > since:
                    items.append(_comment_item(comment, account_id, post_urn, changed))
        if newest is None:
            return items, cursor
        return items, json.dumps({"since_ms": max(newest - OVERLAP_MS, since or 0)})

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
        parts = comment_parts(external_id)
        if parts is None:
            return ActionResult("failed", f"Not a LinkedIn comment URN: {external_id}")
        post_urn, comment_id = parts
        if action != "delete":
            return ActionResult(
                "unsupported",
                f"LinkedIn has no API to {action} a comment: do it on the post "
                f"({post_link(post_urn)}) signed in as a page administrator.",
            )
        response = request_or_retry(
            http,
            "DELETE",
            f"{API_URL}/socialActions/{urn(post_urn)}/comments/{comment_id}?actor={urn(account_id)}",
            headers=api_headers(),
        )
        if isinstance(response, ActionResult):
            return response
        return action_result(response, deleting=True)


def api_headers() -> dict[str, str]:
    return {
        "LinkedIn-Version": settings.LINKEDIN_API_VERSION,
        "X-Restli-Protocol-Version": "2.0.0",
    }


def _post_comments(http: HttpClient, post_urn: str) -> Iterator[Mapping[str, Any]]:
    start = 0
    for _ in range(MAX_COMMENT_PAGES):
        page = read_json(
            http,
            f"{API_URL}/socialActions/{urn(post_urn)}/comments"
            f"?start={start}&count={COMMENTS_PER_PAGE}",
            action_result,
            headers=api_headers(),
        )
        elements = page.get("elements") or []
        yield from elements
        total = (page.get("paging") or {}).get("total")
        start += len(elements)
        if not elements or not isinstance(total, int) or start >= total:
            return


def _comment_item(
    comment: Mapping[str, Any], account_id: str, post_urn: str, changed: int
) -> NormalizedItem:
    created = _millis(comment, "created")
    parent = comment.get("parentComment")
    thread = comment.get("object") or post_urn
    return NormalizedItem(
        platform="linkedin",
        account_id=account_id,
        external_id=str(comment.get("commentUrn") or comment.get("id")),
        kind="reply" if parent else "comment",
        event=ItemEvent.EDITED if created is not None and changed > created else ItemEvent.CREATED,
        occurred_at=_datetime(changed),
        published_at=_datetime(created) if created is not None else None,
        text=(comment.get("message") or {}).get("text"),
        parent_external_id=parent or thread,
        thread_external_id=thread,
        author_id=comment.get("actor"),
        permalink=post_link(thread),
        raw=comment,
        media=comment_media(comment),
    )


def comment_media(comment: Mapping[str, Any]) -> tuple[dict[str, str], ...]:
    """The images a comment carries: its ``content`` entries of type IMAGE, each by its address
    on LinkedIn's CDN. An image sent without an address (only its ``entity`` URN) is listed all
    the same, with no address, so the entry notes it as not fetched."""
    content = comment.get("content")
    return tuple(
        {"url": entry["url"] if isinstance(entry.get("url"), str) else "", "kind": "image"}
        for entry in (content if isinstance(content, list) else [])
        if isinstance(entry, Mapping) and entry.get("type") == "IMAGE"
    )


def _post_item(
    post: Mapping[str, Any], account_id: str, post_urn: str, changed: int
) -> NormalizedItem:
    created = _number(post.get("publishedAt")) or _number(post.get("createdAt"))
    return NormalizedItem(
        platform="linkedin",
        account_id=account_id,
        external_id=post_urn,
        kind="post",
        event=ItemEvent.EDITED if created is not None and changed > created else ItemEvent.CREATED,
        occurred_at=_datetime(changed),
        published_at=_datetime(created) if created is not None else None,
        text=post.get("commentary") if isinstance(post.get("commentary"), str) else None,
        thread_external_id=post_urn,
        author_id=post.get("author") if isinstance(post.get("author"), str) else None,
        permalink=post_link(post_urn),
        raw=post,
    )


def _millis(comment: Mapping[str, Any], name: str) -> int | None:
    return _number((comment.get(name) or {}).get("time"))


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _datetime(millis: int) -> datetime:
    moment = platform_time(millis)
    assert moment is not None  # an int is always a time
    return moment


def action_result(response: HttpResponse, *, deleting: bool = False) -> ActionResult:
    status = response.status_code
    if 200 <= status < 300:
        return ActionResult("done", "", None, status)
    if deleting and status in (404, 410):
        return ActionResult("done", "Already gone from the platform.", None, status)
    body = response_body(response)
    message = body.get("message", "") if isinstance(body, dict) else ""
    detail = f"LinkedIn error {status}: {message}"
    return transient_result(response, detail) or ActionResult("failed", detail, None, status)
