"""``/hooks/meta/`` over real HTTP requests: handshake, signature, size and shape checks, and
the hand-over of the parsed items to the queue after commit."""

import json
import logging
import sys
import types

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from accounts.services import system_user
from moderation.platforms import tasks
from moderation.platforms.views import MAX_BODY_BYTES
from tests.moderation.platforms.recorded import (
    TEST_SECRET,
    TEST_VERIFY_TOKEN,
    payload_bytes,
    sign,
)

URL = "/hooks/meta/"
SECRET_TEXT = "När öppnar återvinningscentralen?"

EVERY_DELIVERY = [
    "facebook_comment_add",
    "facebook_comment_edited",
    "facebook_comment_remove",
    "facebook_comment_hide",
    "facebook_comment_unhide",
    "facebook_reply_add",
    "facebook_post_add",
    "facebook_comment_without_from",
    "facebook_comment_sender_id",
    "facebook_comment_escaped_unicode",
    "instagram_comment",
    "instagram_reply",
    "instagram_mention",
]


@pytest.fixture(autouse=True)
def meta_settings(settings):
    settings.META_APP_SECRET = TEST_SECRET
    settings.META_VERIFY_TOKEN = TEST_VERIFY_TOKEN
    settings.INSTAGRAM_APP_SECRET = ""


@pytest.fixture
def intake(monkeypatch):
    """The queue's intake service as the moderation branch will provide it: records its calls."""
    calls: list[dict] = []
    module = types.ModuleType("moderation.services")

    def moderation_item_intake(*, channel_account_id, items, actor):
        calls.append({"account": channel_account_id, "items": items, "actor": actor})

    module.moderation_item_intake = moderation_item_intake  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "moderation.services", module)
    return calls


def post(client, body: bytes, signature: str | None = "sign", **extra):
    headers = dict(extra)
    if signature == "sign":
        signature = sign(body)
    if signature is not None:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature
    return client.generic("POST", URL, body, content_type="application/json", **headers)


def test_the_url_name():
    assert reverse("hooks:meta") == URL


def test_the_handshake_echoes_the_challenge(client):
    response = client.get(
        URL,
        {"hub.mode": "subscribe", "hub.verify_token": TEST_VERIFY_TOKEN, "hub.challenge": "15"},
    )
    assert response.status_code == 200
    assert response.content == b"15"
    assert response["Content-Type"].startswith("text/plain")


def test_a_wrong_verify_token_is_forbidden(client):
    response = client.get(
        URL, {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "15"}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_no_verify_token_configured_refuses_every_handshake(client, settings):
    settings.META_VERIFY_TOKEN = ""
    response = client.get(
        URL, {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}
    )
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", EVERY_DELIVERY)
def test_every_recorded_delivery_reaches_the_queue_after_commit(
    name, client, intake, django_capture_on_commit_callbacks
):
    body = payload_bytes(f"meta/{name}.json")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(client, body)
        assert intake == []  # nothing before commit
    assert response.status_code == 200
    assert response.json() == {"received": 1, "skipped": 0}
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the task runs (eagerly in tests)
    (call,) = intake
    (item,) = call["items"]
    entry = json.loads(body)["entry"][0]
    assert call["account"] == item.account_id == entry["id"]
    assert item.platform == ("instagram" if name.startswith("instagram") else "facebook")
    assert item.raw == entry["changes"][0]["value"]  # survives the Celery message intact
    assert call["actor"] == system_user()


@pytest.mark.django_db
def test_text_survives_the_whole_path_exactly(client, intake, django_capture_on_commit_callbacks):
    body = payload_bytes("meta/facebook_comment_escaped_unicode.json")
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, body).status_code == 200
    assert intake[0]["items"][0].text == "ä😍\u200bشكرا\u200f  Örebro\u2067עברית\u2069 🇸🇪"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["facebook_unknown", "instagram_dashboard_test", "facebook_own_reply"]
)
def test_skipped_deliveries_are_answered_200_and_queue_nothing(
    name, client, intake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(client, payload_bytes(f"meta/{name}.json"))
    assert response.status_code == 200
    assert response.json()["received"] == 0
    assert response.json()["skipped"] >= 1
    assert (callbacks, intake) == ([], [])


@pytest.mark.django_db
def test_a_batch_for_two_pages_is_handed_over_per_page(
    client, intake, django_capture_on_commit_callbacks
):
    first = json.loads(payload_bytes("meta/facebook_comment_add.json"))
    other = json.loads(payload_bytes("meta/facebook_post_add.json"))["entry"][0]
    other["id"] = "104857600000002"
    first["entry"].append(other)
    body = json.dumps(first).encode()
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, body).json() == {"received": 2, "skipped": 0}
    assert [c["account"] for c in intake] == ["104857600000001", "104857600000002"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "signature",
    [
        None,
        "sha256=" + "0" * 64,
        "sha1=0123456789abcdef0123456789abcdef01234567",
        "sha256=not-hex",
        sign(b"another body"),
        sign(payload_bytes("meta/facebook_comment_add.json"), "wrong-secret"),
    ],
)
def test_a_bad_or_missing_signature_is_403_logged_without_the_body(
    signature, client, intake, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.WARNING)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(client, payload_bytes("meta/facebook_comment_add.json"), signature)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "invalid_signature"
    assert (callbacks, intake) == ([], [])
    assert "bad or missing signature" in caplog.text
    assert "Anna" not in caplog.text
    assert "återvinningscentralen" not in caplog.text


@pytest.mark.django_db
def test_no_secret_configured_accepts_no_delivery(client, settings, intake):
    settings.META_APP_SECRET = ""
    body = payload_bytes("meta/facebook_comment_add.json")
    assert post(client, body, sign(body, "")).status_code == 403


@pytest.mark.django_db
def test_the_instagram_app_secret_is_accepted_too(client, settings, intake):
    settings.INSTAGRAM_APP_SECRET = "instagram-login-secret"
    body = payload_bytes("meta/instagram_comment.json")
    assert post(client, body, sign(body, "instagram-login-secret")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", [b"not json", b"[]", b'{"object": "page"}', b"\xff\xfe\x00", b"[" * 500_000]
)
def test_a_signed_body_that_is_not_a_delivery_is_400(body, client, intake):
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed"
    assert intake == []


@pytest.mark.django_db
def test_a_body_over_one_megabyte_is_413_with_the_json_error(client, intake):
    body = json.dumps({"object": "page", "entry": [], "pad": "x" * MAX_BODY_BYTES}).encode()
    response = post(client, body)
    assert response.status_code == 413
    assert response.json() == {
        "error": {
            "code": "too_large",
            "message": response.json()["error"]["message"],
            "details": {},
        }
    }
    assert intake == []


@pytest.mark.django_db
def test_a_body_longer_than_its_content_length_claims_is_cut_and_refused(client, intake):
    body = payload_bytes("meta/facebook_comment_add.json")
    response = client.generic(
        "POST",
        URL,
        body,
        content_type="application/json",
        CONTENT_LENGTH="20",
        HTTP_X_HUB_SIGNATURE_256=sign(body),
    )
    assert response.status_code == 403  # only the declared bytes are read, and they are unsigned


@pytest.mark.django_db
def test_a_thousand_change_batch_under_the_limit_is_accepted(
    client, intake, django_capture_on_commit_callbacks
):
    delivery = json.loads(payload_bytes("meta/facebook_comment_add.json"))
    change = delivery["entry"][0]["changes"][0]
    delivery["entry"][0]["changes"] = [
        {**change, "value": {**change["value"], "comment_id": f"2233445566_{n}"}}
        for n in range(1000)
    ]
    body = json.dumps(delivery).encode()
    assert len(body) < MAX_BODY_BYTES
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, body).json() == {"received": 1000, "skipped": 0}
    assert len(intake[0]["items"]) == 1000


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_answers_503_so_meta_sends_again(client, monkeypatch, caplog):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.platform_items_intake, "delay", broker_down)
    body = payload_bytes("meta/facebook_comment_add.json")
    response = post(client, body)  # autocommit: the on-commit dispatch runs at once
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
    assert "Meta will send it again" in caplog.text


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_other_methods_are_not_allowed(method, client):
    assert client.generic(method, URL).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        b'{"object":"page","entry":[null,1,"x",{"id":null,"changes":[{"value":null}]}]}',
        b'{"object":"page","entry":[{"id":"1","time":1e309,"changes":[{"field":"feed",'
        b'"value":{"item":"comment","verb":"add","comment_id":"1_2","created_time":-1e20}}]}]}',
        b'{"object":"instagram","entry":[{"id":"1","time":1764000000,"changes":[{"field":'
        b'"comments","value":{"id":{"nested":1},"from":"x","media":[1]}}]}]}',
        b'{"object":"page","entry":[{"id":"1","time":true,"changes":[{"field":"feed","value":'
        b'{"item":"status","verb":"add","post_id":"1_2","from":{"id":"1"}}}]}]}',
        b'{"object":"page","entry":[{"id":"1","time":1,"changes":[{"field":"feed","value":'
        b'{"item":["comment"],"verb":{"add":1},"from":[]}}]}]}',
    ],
)
def test_odd_signed_deliveries_never_give_a_500(body, client, intake):
    assert post(client, body).status_code in (200, 400)
