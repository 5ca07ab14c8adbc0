"""LinkedIn: polling the organisation's post comments; deletion; everything else by hand."""

import json
from datetime import UTC, datetime

import pytest

from moderation.platforms.base import PollDeferredError
from moderation.platforms.http import CannedResponse, RecordingHttpClient
from moderation.platforms.linkedin import API_URL, OVERLAP_MS, LinkedInAdapter, comment_parts
from tests.moderation.platforms.recorded import canned, payload_json

ORG = "urn:li:organization:1000001"
POST = "urn:li:activity:7259999999999999999"
OTHER_POST = "urn:li:activity:7258888888888888888"
COMMENT = f"urn:li:comment:({POST},7260000000000000002)"


def page(name: str) -> CannedResponse:
    return CannedResponse(200, {}, payload_json(f"linkedin/{name}.json"))


def poll(cursor, *answers):
    http = RecordingHttpClient(*answers)
    items, new_cursor = LinkedInAdapter().poll(account_id=ORG, cursor=cursor, http=http)
    return list(items), new_cursor, http.requests


def test_a_poll_reads_the_posts_and_their_comments(settings):
    settings.LINKEDIN_API_VERSION = "202610"
    items, cursor, requests = poll(
        None, page("posts_page"), page("comments_page"), page("comments_empty")
    )
    assert [r.url for r in requests] == [
        f"{API_URL}/posts?author=urn%3Ali%3Aorganization%3A1000001&q=author&count=20"
        "&sortBy=LAST_MODIFIED",
        f"{API_URL}/socialActions/urn%3Ali%3Aactivity%3A7259999999999999999/comments"
        "?start=0&count=100",
        f"{API_URL}/socialActions/urn%3Ali%3Aactivity%3A7258888888888888888/comments"
        "?start=0&count=100",
    ]
    assert requests[0].headers == {
        "LinkedIn-Version": "202610",
        "X-Restli-Protocol-Version": "2.0.0",
    }
    # The organisation's own posts and its own answer come too, as its own (drawn up).
    assert [i.external_id for i in items] == [
        POST,
        f"urn:li:comment:({POST},7260000000000000001)",
        COMMENT,
        f"urn:li:comment:({POST},7260000000000000003)",
        OTHER_POST,
    ]
    post, first, edited, answer, _other = items
    assert [i.is_own for i in items] == [True, False, False, True, True]
    assert (post.kind, post.event, post.text) == (
        "post",
        "created",
        "Nu öppnar vi Örebros nya simhall!",
    )
    assert post.existed_since == datetime.fromtimestamp(1764000000, tz=UTC)
    assert (answer.kind, answer.text) == ("reply", "Öppet 06–21 alla dagar.")
    assert (first.platform, first.account_id, first.kind, first.event) == (
        "linkedin",
        ORG,
        "comment",
        "created",
    )
    assert first.text == "Tack för infon!"
    assert first.author_id == "urn:li:person:AbC123xyz"
    assert first.occurred_at == datetime.fromtimestamp(1764000200, tz=UTC)
    assert first.permalink == f"https://www.linkedin.com/feed/update/{POST}/"
    assert (edited.event, edited.text) == ("edited", "Vilka öppettider gäller? ⏰")
    assert edited.occurred_at == datetime.fromtimestamp(1764000900, tz=UTC)
    assert json.loads(cursor) == {"since_ms": 1764000950000 - OVERLAP_MS}


def test_the_next_poll_skips_what_is_older_than_the_cursor():
    cursor = json.dumps({"since_ms": 1764000500000})
    items, new_cursor, _ = poll(
        cursor, page("posts_page"), page("comments_page"), page("comments_empty")
    )
    assert [i.external_id for i in items] == [
        COMMENT,
        f"urn:li:comment:({POST},7260000000000000003)",
    ]
    assert json.loads(new_cursor) == {"since_ms": 1764000950000 - OVERLAP_MS}


def test_a_throttled_poll_is_deferred_and_keeps_the_cursor():
    with pytest.raises(PollDeferredError) as refused:
        poll('{"since_ms": 1}', canned("responses/linkedin_429.json"))
    assert refused.value.retry_after == 30.0


def test_delete_sends_the_documented_request():
    http = RecordingHttpClient(canned("responses/linkedin_no_content.json"))
    result = LinkedInAdapter().apply(
        action="delete", account_id=ORG, external_id=COMMENT, author_id=None, text=None, http=http
    )
    assert result.outcome == "done"
    (request,) = http.requests
    assert request.method == "DELETE"
    assert request.url == (
        f"{API_URL}/socialActions/urn%3Ali%3Aactivity%3A7259999999999999999/comments/"
        "7260000000000000002?actor=urn%3Ali%3Aorganization%3A1000001"
    )


def test_deleting_a_comment_already_gone_is_done():
    http = RecordingHttpClient(CannedResponse(404, {}, {"status": 404, "message": "Not found"}))
    result = LinkedInAdapter().apply(
        action="delete", account_id=ORG, external_id=COMMENT, author_id=None, text=None, http=http
    )
    assert result.outcome == "done"


@pytest.mark.parametrize("action", ["hide", "unhide", "ban", "unban", "reply"])
def test_everything_else_is_done_by_hand_on_the_post(action):
    http = RecordingHttpClient()
    result = LinkedInAdapter().apply(
        action=action, account_id=ORG, external_id=COMMENT, author_id=None, text="x", http=http
    )
    assert result.outcome == "unsupported"
    assert f"https://www.linkedin.com/feed/update/{POST}/" in result.detail
    assert http.requests == []


def test_comment_urns():
    assert comment_parts(COMMENT) == (POST, "7260000000000000002")
    assert comment_parts("urn:li:share:1") is None
