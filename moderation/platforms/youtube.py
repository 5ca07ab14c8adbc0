"""YouTube through the Data API v3: comments are polled (YouTube pushes nothing) with a cursor
the caller stores, and moderated with ``comments.setModerationStatus`` in batches of 50."""

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from moderation.choices import ItemEvent

from .base import Action, ActionResult, HttpClient, HttpResponse, NormalizedItem, PollDeferredError
from .http import read_json, request_or_retry, response_body, transient_result
from .timestamps import platform_time

API_URL = "https://www.googleapis.com/youtube/v3"
# The filter takes one status per call and defaults to published; held comments matter most.
POLLED_STATUSES = ("heldForReview", "likelySpam", "published")
PAGES_PER_SCAN = 5  # per status and poll, so one long scan does not starve the others
BATCH_SIZE = 50  # setModerationStatus takes at most 50 ids
RETRY_REASONS = frozenset({"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded"})
GONE_REASONS = frozenset({"commentNotFound", "notFound"})
MODERATION_STATUS: dict[str, str] = {
    "hide": "heldForReview",
    "unhide": "published",
    "delete": "rejected",  # comments.delete is for the comment's author only
    "ban": "rejected",
}
# The daily quota resets at midnight Pacific time.
QUOTA_ZONE = ZoneInfo("America/Los_Angeles")


class YouTubeAdapter:
    platform = "youtube"
    supported_actions = frozenset({"hide", "unhide", "delete", "ban", "reply"})

    def poll(
        self, *, account_id: str, cursor: str | None, http: HttpClient
    ) -> tuple[list[NormalizedItem], str | None]:
        """New and edited comments on the channel since ``cursor``, and the cursor to store.

        The cursor keeps, per moderation status, the newest ``updatedAt`` of the last complete
        scan (``since``) and, while a scan spans several polls, the next page token and the
        newest time seen so far. A scan reads newest first and ends at the first page with no
        activity after ``since``; ``since`` moves only when a scan ends, so an interrupted poll
        misses nothing and a resumed one continues where it stopped. YouTube reports edits only
        as a newer ``updatedAt`` and deletions only by absence: a poll with ``cursor=None``
        rescans everything (the queue ignores events it already has).
        """
        state = json.loads(cursor) if cursor else {}
        items: list[NormalizedItem] = []
        seen: set[tuple[str, str]] = set()
        pages = 0
        for status in POLLED_STATUSES:
            scan = dict(state.get(status) or {})
            for _ in range(PAGES_PER_SCAN):
                page_items: list[NormalizedItem] = []
                try:
                    page = self._threads_page(http, account_id, status, scan.get("page_token"))
                    scan, finished = _scan_step(scan, page, page_items, seen, account_id, http)
                except PollDeferredError:
                    if pages == 0:
                        raise
                    return items, json.dumps(state, sort_keys=True)  # the rest next time
                pages += 1
                items.extend(page_items)
                state[status] = scan
                if finished:
                    break
        return items, json.dumps(state, sort_keys=True)

    def _threads_page(
        self, http: HttpClient, channel_id: str, status: str, page_token: str | None
    ) -> Mapping[str, Any]:
        params = {
            "part": "snippet,replies",
            "allThreadsRelatedToChannelId": channel_id,
            "moderationStatus": status,
            "order": "time",
            "textFormat": "plainText",
            "maxResults": 100,
        }
        if page_token:
            params["pageToken"] = page_token
        return read_json(http, f"{API_URL}/commentThreads", action_result, params=params)

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
        if action == "reply":
            return self._reply(external_id, text, http)
        return self.apply_batch(
            action=action, account_id=account_id, external_ids=[external_id], http=http
        )[0]

    def apply_batch(
        self, *, action: Action, account_id: str, external_ids: Sequence[str], http: HttpClient
    ) -> list[ActionResult]:
        """One result per id, in order; up to 50 ids share one ``setModerationStatus`` call
        (50 quota units each)."""
        status = MODERATION_STATUS.get(action)
        if status is None:
            studio = f"https://studio.youtube.com/channel/{account_id}/comments/inbox"
            detail = (
                f"YouTube has no API to {action} that: do it in YouTube Studio ({studio}), "
                "under Settings, Community, Hidden users."
            )
            return [ActionResult("unsupported", detail)] * len(external_ids)
        results: list[ActionResult] = []
        for start in range(0, len(external_ids), BATCH_SIZE):
            batch = external_ids[start : start + BATCH_SIZE]
            params = {"id": ",".join(batch), "moderationStatus": status}
            if action == "ban":  # banAuthor is only valid together with rejected
                params["banAuthor"] = "true"
            response = request_or_retry(
                http, "POST", f"{API_URL}/comments/setModerationStatus", params=params
            )
            if not isinstance(response, ActionResult):
                response = action_result(response, deleting=status == "rejected")
            results.extend([response] * len(batch))
        return results

    def _reply(self, external_id: str, text: str | None, http: HttpClient) -> ActionResult:
        if not text:
            return ActionResult("failed", "A reply needs a text.")
        # A reply's id is "<top-level id>.<reply id>"; YouTube threads replies one level deep.
        parent_id = external_id.split(".")[0]
        body = {"snippet": {"parentId": parent_id, "textOriginal": text}}
        response = request_or_retry(
            http, "POST", f"{API_URL}/comments", params={"part": "snippet"}, json=body
        )
        if isinstance(response, ActionResult):
            return response
        result = action_result(response)
        body = response_body(response)
        created = body.get("id") if isinstance(body, dict) else None
        if result.outcome == "done" and isinstance(created, str):
            # The reply's id, so its entry is the one the next poll finds (it is our own).
            return ActionResult("done", created, None, result.status_code)
        return result


def _scan_step(
    scan: dict[str, Any],
    page: Mapping[str, Any],
    items: list[NormalizedItem],
    seen: set[tuple[str, str]],
    channel_id: str,
    http: HttpClient,
) -> tuple[dict[str, Any], bool]:
    """Collect one page's new items; the scan's next state and whether it has ended."""
    since = platform_time(scan.get("since"))
    newest = platform_time(scan.get("newest")) or since
    page_has_news = False
    for thread in page.get("items") or []:
        for comment in _thread_comments(thread, http):
            snippet = comment.get("snippet") or {}
            updated = platform_time(snippet.get("updatedAt") or snippet.get("publishedAt"))
            if updated is None:
                continue
            newest = max(newest, updated) if newest else updated
            key = (str(comment.get("id")), updated.isoformat())
            if (since is None or updated > since) and key not in seen:
                seen.add(key)
                page_has_news = True
                items.append(_comment_item(comment, thread, channel_id, updated))
    token = page.get("nextPageToken")
    if not token or (since is not None and not page_has_news):
        return {"since": _iso(newest)}, True
    return {"since": _iso(since), "page_token": token, "newest": _iso(newest)}, False


def _thread_comments(thread: Mapping[str, Any], http: HttpClient) -> Iterator[Mapping[str, Any]]:
    """The top-level comment and every reply; a thread lists only a few replies itself."""
    snippet = thread.get("snippet") or {}
    top = snippet.get("topLevelComment")
    if top:
        yield top
    replies = (thread.get("replies") or {}).get("comments") or []
    if snippet.get("totalReplyCount", 0) <= len(replies):
        yield from replies
        return
    token = None
    while True:
        params: dict[str, Any] = {
            "part": "snippet",
            "parentId": thread.get("id"),
            "textFormat": "plainText",
            "maxResults": 100,
        }
        if token:
            params["pageToken"] = token
        page = read_json(http, f"{API_URL}/comments", action_result, params=params)
        yield from page.get("items") or []
        token = page.get("nextPageToken")
        if not token:
            return


def _comment_item(
    comment: Mapping[str, Any], thread: Mapping[str, Any], channel_id: str, updated: datetime
) -> NormalizedItem:
    snippet = comment.get("snippet") or {}
    parent_id = snippet.get("parentId")
    video_id = snippet.get("videoId") or (thread.get("snippet") or {}).get("videoId")
    comment_id = str(comment.get("id"))
    published = platform_time(snippet.get("publishedAt"))
    return NormalizedItem(
        platform="youtube",
        account_id=channel_id,
        external_id=comment_id,
        kind="reply" if parent_id else "comment",
        event=ItemEvent.EDITED if published and updated > published else ItemEvent.CREATED,
        occurred_at=updated,
        published_at=published,
        # textOriginal is only guaranteed to the comment's author.
        text=snippet.get("textOriginal") or snippet.get("textDisplay"),
        parent_external_id=parent_id or video_id,
        thread_external_id=str(thread.get("id")),
        author_id=(snippet.get("authorChannelId") or {}).get("value"),
        author_name=snippet.get("authorDisplayName"),
        author_url=snippet.get("authorChannelUrl"),
        permalink=f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}"
        if video_id
        else None,
        raw=comment,
    )


def action_result(response: HttpResponse, *, deleting: bool = False) -> ActionResult:
    """A Data API answer: quota and rate limits are retries (the quota until it resets)."""
    status = response.status_code
    if 200 <= status < 300:
        return ActionResult("done", "", None, status)
    body = response_body(response)
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    reasons = {e.get("reason") for e in error.get("errors") or [] if isinstance(e, dict)}
    detail = f"YouTube error {status} {sorted(str(r) for r in reasons)}: {error.get('message', '')}"
    if "quotaExceeded" in reasons:
        return ActionResult("retry", detail, _seconds_to_quota_reset(), status)
    if reasons & RETRY_REASONS:
        return ActionResult("retry", detail, None, status)
    if deleting and (status == 404 or reasons & GONE_REASONS):
        return ActionResult("done", "Already gone from the platform.", None, status)
    return transient_result(response, detail) or ActionResult("failed", detail, None, status)


def _seconds_to_quota_reset() -> float:
    now = datetime.now(QUOTA_ZONE)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - now).total_seconds()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
