"""Outbound Graph API calls: the exact requests, and what each answer means for the sender."""

import pytest

from moderation.platforms.base import ActionResult, HttpTransportError
from moderation.platforms.http import RecordedRequest, RecordingHttpClient
from moderation.platforms.meta import GRAPH_URL, FacebookAdapter, InstagramAdapter
from tests.moderation.platforms.recorded import canned

PAGE = "104857600000001"
COMMENT = "2233445566_7788990011"
AUTHOR = "6001234567890"


def apply(adapter, action, *answers, author_id=AUTHOR, text=None, external_id=COMMENT):
    http = RecordingHttpClient(*answers)
    result = adapter.apply(
        action=action,
        account_id=PAGE,
        external_id=external_id,
        author_id=author_id,
        text=text,
        http=http,
    )
    return result, http.requests


@pytest.mark.parametrize(
    ("action", "text", "expected"),
    [
        (
            "hide",
            None,
            RecordedRequest(
                "POST", f"{GRAPH_URL}/{COMMENT}", None, {"is_hidden": "true"}, None, None
            ),
        ),
        (
            "unhide",
            None,
            RecordedRequest(
                "POST", f"{GRAPH_URL}/{COMMENT}", None, {"is_hidden": "false"}, None, None
            ),
        ),
        (
            "delete",
            None,
            RecordedRequest("DELETE", f"{GRAPH_URL}/{COMMENT}", None, None, None, None),
        ),
        (
            "ban",
            None,
            RecordedRequest(
                "POST", f"{GRAPH_URL}/{PAGE}/blocked", None, {"user": AUTHOR}, None, None
            ),
        ),
        (
            "unban",
            None,
            RecordedRequest(
                "DELETE", f"{GRAPH_URL}/{PAGE}/blocked", {"user": AUTHOR}, None, None, None
            ),
        ),
        (
            "reply",
            "Hej! Vi öppnar 10 🙂",
            RecordedRequest(
                "POST",
                f"{GRAPH_URL}/{COMMENT}/comments",
                None,
                {"message": "Hej! Vi öppnar 10 🙂"},
                None,
                None,
            ),
        ),
    ],
)
def test_facebook_sends_the_documented_request(action, text, expected):
    result, requests = apply(
        FacebookAdapter(), action, canned("responses/meta_success.json"), text=text
    )
    assert requests == [expected]
    assert result.outcome == "done"


def test_a_reply_reports_the_new_comment_id():
    result, _ = apply(
        FacebookAdapter(), "reply", canned("responses/meta_reply_created.json"), text="Tack!"
    )
    assert result == ActionResult("done", "2233445566_7788990300", None, 200)


@pytest.mark.parametrize(
    ("action", "text", "method", "path", "data"),
    [
        ("hide", None, "POST", "17890000000000001", {"hide": "true"}),
        ("unhide", None, "POST", "17890000000000001", {"hide": "false"}),
        ("delete", None, "DELETE", "17890000000000001", None),
        ("reply", "Tack!", "POST", "17890000000000001/replies", {"message": "Tack!"}),
    ],
)
def test_instagram_sends_the_documented_request(action, text, method, path, data):
    result, requests = apply(
        InstagramAdapter(),
        action,
        canned("responses/meta_success.json"),
        text=text,
        external_id="17890000000000001",
    )
    assert [(r.method, r.url, r.data) for r in requests] == [(method, f"{GRAPH_URL}/{path}", data)]
    assert result.outcome == "done"


@pytest.mark.parametrize("action", ["ban", "unban"])
def test_instagram_cannot_ban_and_says_how_to_do_it_by_hand(action):
    result, requests = apply(InstagramAdapter(), action)
    assert requests == []
    assert result.outcome == "unsupported"
    assert "https://www.instagram.com/" in result.detail
    assert action not in InstagramAdapter.supported_actions


def test_a_ban_needs_a_known_author():
    result, requests = apply(FacebookAdapter(), "ban", author_id=None)
    assert (result.outcome, requests) == ("failed", [])


def test_a_reply_needs_a_text():
    result, requests = apply(FacebookAdapter(), "reply", text="")
    assert (result.outcome, requests) == ("failed", [])


def test_429_with_retry_after_is_a_retry_after_that_many_seconds():
    result, _ = apply(FacebookAdapter(), "hide", canned("responses/meta_429_retry_after.json"))
    assert (result.outcome, result.retry_after, result.status_code) == ("retry", 120.0, 429)
    assert "(#4)" in result.detail


def test_a_business_use_case_throttle_waits_the_estimated_minutes():
    result, _ = apply(FacebookAdapter(), "hide", canned("responses/meta_buc_throttle.json"))
    assert (result.outcome, result.retry_after) == ("retry", 7 * 60.0)


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001])
def test_every_throttle_code_is_a_retry(code):
    from moderation.platforms.http import CannedResponse

    answer = CannedResponse(400, {}, {"error": {"code": code, "message": "limit"}})
    result, _ = apply(FacebookAdapter(), "delete", answer)
    assert (result.outcome, result.retry_after) == ("retry", None)


def test_deleting_what_is_already_gone_is_done():
    result, _ = apply(FacebookAdapter(), "delete", canned("responses/meta_delete_not_found.json"))
    assert result.outcome == "done"


def test_hiding_what_is_gone_is_a_failure():
    result, _ = apply(FacebookAdapter(), "hide", canned("responses/meta_delete_not_found.json"))
    assert result.outcome == "failed"
    assert "100/33" in result.detail


def test_a_permission_error_fails_for_good():
    result, _ = apply(FacebookAdapter(), "hide", canned("responses/meta_permission_error.json"))
    assert (result.outcome, result.status_code) == ("failed", 403)


def test_a_server_error_is_a_retry():
    result, _ = apply(FacebookAdapter(), "hide", canned("responses/server_error_500.json"))
    assert (result.outcome, result.status_code) == ("retry", 500)


def test_no_answer_is_a_retry():
    result, _ = apply(FacebookAdapter(), "hide", HttpTransportError("POST ...: ConnectTimeout"))
    assert result.outcome == "retry"
    assert "ConnectTimeout" in result.detail


def test_meta_pushes_so_a_poll_finds_nothing():
    items, cursor = FacebookAdapter().poll(account_id=PAGE, cursor="c", http=RecordingHttpClient())
    assert (list(items), cursor) == ([], "c")
