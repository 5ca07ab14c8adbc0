"""YouTube: polling comment threads with a stored cursor, and setModerationStatus in batches."""

import json
from datetime import UTC, datetime

import pytest

from moderation.platforms import youtube
from moderation.platforms.base import PollDeferredError
from moderation.platforms.http import CannedResponse, RecordingHttpClient
from moderation.platforms.youtube import API_URL, YouTubeAdapter
from tests.moderation.platforms.recorded import canned, payload_json

CHANNEL = "UCorebroKommun00"


def page(name: str) -> CannedResponse:
    return CannedResponse(200, {}, payload_json(f"youtube/{name}.json"))


def first_scan() -> list[CannedResponse]:
    """A scan from the start: held comments on two pages (one thread needs its replies read),
    no likely spam, nothing published."""
    names = ["threads_page1", "replies", "threads_page2", "threads_empty", "threads_empty"]
    return [page(f"comment_{name}") for name in names]


def poll(cursor, *answers):
    http = RecordingHttpClient(*answers)
    items, new_cursor = YouTubeAdapter().poll(account_id=CHANNEL, cursor=cursor, http=http)
    assert http.responses == [], "every canned answer was asked for"
    return list(items), new_cursor, http.requests


def test_the_first_poll_reads_every_page_and_every_reply():
    items, cursor, requests = poll(None, *first_scan())
    assert [i.external_id for i in items] == [
        "UgzOrebro0004",
        "UgzOrebro0003",
        "UgzOrebro0003.AAAreply0001",
        "UgzOrebro0003.AAAreply0002",
        "UgzOrebro0001",
        "UgzOrebro0000",
    ]
    first = requests[0]
    assert (first.method, first.url) == ("GET", f"{API_URL}/commentThreads")
    assert first.params == {
        "part": "snippet,replies",
        "allThreadsRelatedToChannelId": CHANNEL,
        "moderationStatus": "heldForReview",
        "order": "time",
        "textFormat": "plainText",
        "maxResults": 100,
    }
    assert requests[1].params["parentId"] == "UgzOrebro0003"
    assert requests[2].params["pageToken"] == "CDIQAA"
    assert [r.params.get("moderationStatus") for r in requests[3:]] == ["likelySpam", "published"]
    assert json.loads(cursor)["heldForReview"] == {"since": "2026-11-24T09:00:00+00:00"}


def test_comments_become_normalized_items():
    items, _, _ = poll(None, *first_scan())
    by_id = {i.external_id: i for i in items}
    top = by_id["UgzOrebro0001"]
    assert (top.platform, top.account_id, top.kind, top.event) == (
        "youtube",
        CHANNEL,
        "comment",
        "created",
    )
    assert top.text == "Bra info om snöröjningen 👍"
    assert (top.author_id, top.author_name) == ("UCerikL0000", "@erik_l")
    assert top.occurred_at == datetime(2026, 11, 24, 8, 15, tzinfo=UTC)
    assert top.permalink == "https://www.youtube.com/watch?v=kf7Xb0rebro&lc=UgzOrebro0001"
    reply = by_id["UgzOrebro0003.AAAreply0002"]
    assert (reply.kind, reply.parent_external_id, reply.thread_external_id) == (
        "reply",
        "UgzOrebro0003",
        "UgzOrebro0003",
    )
    edited = by_id["UgzOrebro0000"]
    assert (edited.event, edited.occurred_at) == ("edited", datetime(2026, 11, 24, 7, tzinfo=UTC))
    assert by_id["UgzOrebro0004"].text == "Snöröjningen på Rudbecksgatan är klar 👏\u200b"
    assert by_id["UgzOrebro0003"].text == "متى تفتح المكتبة؟ När öppnar biblioteket?"


def test_a_poll_resumes_from_its_cursor_after_a_restart(monkeypatch):
    monkeypatch.setattr(youtube, "PAGES_PER_SCAN", 1)
    first, cursor, _ = poll(
        None,
        page("comment_threads_page1"),
        page("comment_replies"),
        page("comment_threads_empty"),
        page("comment_threads_empty"),
    )
    assert json.loads(cursor)["heldForReview"]["page_token"] == "CDIQAA"
    stored = json.loads(json.dumps(cursor))  # as a database column would keep it

    # A new process: only the stored cursor survives.
    monkeypatch.setattr(youtube, "PAGES_PER_SCAN", 5)
    second, cursor, requests = poll(
        stored,
        page("comment_threads_page2"),
        page("comment_threads_empty"),
        page("comment_threads_empty"),
    )
    assert requests[0].params["pageToken"] == "CDIQAA"
    third, cursor, _ = poll(
        cursor,
        page("comment_threads_page1_later"),
        page("comment_threads_page2"),
        page("comment_threads_empty"),
        page("comment_threads_empty"),
    )
    ids = [i.external_id for i in first + second + third]
    assert len(ids) == len(set(ids)) == 7  # nothing twice, nothing missed
    assert [i.external_id for i in third] == ["UgzOrebro0005"]
    assert json.loads(cursor)["heldForReview"] == {"since": "2026-11-24T10:00:00+00:00"}


def test_a_poll_with_nothing_new_stops_at_the_first_page():
    cursor = json.dumps(
        {s: {"since": "2026-11-24T09:00:00+00:00"} for s in youtube.POLLED_STATUSES}
    )
    items, new_cursor, requests = poll(
        cursor,
        page("comment_threads_page1"),
        page("comment_replies"),
        page("comment_threads_empty"),
        page("comment_threads_empty"),
    )
    assert items == []
    assert len(requests) == 4
    assert json.loads(new_cursor) == json.loads(cursor)


def test_quota_exceeded_on_the_first_request_defers_the_poll():
    with pytest.raises(PollDeferredError) as refused:
        poll(None, canned("responses/youtube_quota_exceeded.json"))
    assert 0 < (refused.value.retry_after or 0) <= 25 * 3600  # until midnight Pacific time


def test_quota_exceeded_mid_poll_keeps_what_was_read_and_where():
    items, cursor, _ = poll(
        None,
        page("comment_threads_page1"),
        page("comment_replies"),
        canned("responses/youtube_quota_exceeded.json"),
    )
    assert len(items) == 4
    assert json.loads(cursor)["heldForReview"]["page_token"] == "CDIQAA"


def moderate(action, ids, *answers):
    http = RecordingHttpClient(*answers)
    results = YouTubeAdapter().apply_batch(
        action=action, account_id=CHANNEL, external_ids=ids, http=http
    )
    return results, http.requests


@pytest.mark.parametrize(
    ("action", "params"),
    [
        ("hide", {"moderationStatus": "heldForReview"}),
        ("unhide", {"moderationStatus": "published"}),
        ("delete", {"moderationStatus": "rejected"}),
        ("ban", {"moderationStatus": "rejected", "banAuthor": "true"}),
    ],
)
def test_set_moderation_status_requests(action, params):
    results, requests = moderate(
        action, ["UgzOrebro0001"], canned("responses/youtube_no_content.json")
    )
    assert [(r.method, r.url, r.params) for r in requests] == [
        ("POST", f"{API_URL}/comments/setModerationStatus", {"id": "UgzOrebro0001", **params})
    ]
    assert [r.outcome for r in results] == ["done"]


def test_ids_go_fifty_to_a_call():
    ids = [f"Ugz{n:04d}" for n in range(120)]
    answers = [canned("responses/youtube_no_content.json") for _ in range(3)]
    results, requests = moderate("delete", ids, *answers)
    assert [len(r.params["id"].split(",")) for r in requests] == [50, 50, 20]
    assert ",".join(r.params["id"] for r in requests) == ",".join(ids)
    assert len(results) == 120
    assert all("banAuthor" not in r.params for r in requests)


def test_quota_exceeded_is_a_retry_for_the_whole_batch():
    results, _ = moderate("hide", ["a", "b"], canned("responses/youtube_quota_exceeded.json"))
    assert {r.outcome for r in results} == {"retry"}
    assert (results[0].retry_after or 0) > 0


def test_processing_failure_fails_for_good():
    results, _ = moderate("delete", ["a"], canned("responses/youtube_processing_failure.json"))
    assert results[0].outcome == "failed"
    assert "processingFailure" in results[0].detail


def test_a_server_error_is_a_retry():
    results, _ = moderate("hide", ["a"], canned("responses/server_error_500.json"))
    assert results[0].outcome == "retry"


def test_unban_has_no_api_and_links_to_studio():
    results, requests = moderate("unban", ["a"])
    assert requests == []
    assert results[0].outcome == "unsupported"
    assert f"https://studio.youtube.com/channel/{CHANNEL}/" in results[0].detail


def test_a_reply_goes_to_the_top_level_comment():
    http = RecordingHttpClient(CannedResponse(200, {}, {"id": "UgzOrebro0003.new"}))
    result = YouTubeAdapter().apply(
        action="reply",
        account_id=CHANNEL,
        external_id="UgzOrebro0003.AAAreply0001",
        author_id=None,
        text="Välkommen!",
        http=http,
    )
    assert result.outcome == "done"
    (request,) = http.requests
    assert (request.method, request.url, request.params) == (
        "POST",
        f"{API_URL}/comments",
        {"part": "snippet"},
    )
    assert request.json == {"snippet": {"parentId": "UgzOrebro0003", "textOriginal": "Välkommen!"}}
