"""``/hooks/meta/`` over real HTTP requests: handshake, signature, size and shape checks, and
the hand-over of the parsed items to the real queue after commit (Celery runs eagerly)."""

import json
import logging

import pytest
from django.db import DatabaseError
from django.urls import reverse
from kombu.exceptions import OperationalError

from moderation.models import ChannelConnection, Item, WebhookDelivery
from moderation.platforms import tasks
from moderation.platforms.views import MAX_BODY_BYTES
from tests.factories import ChannelFactory
from tests.moderation.platforms.recorded import (
    TEST_VERIFY_TOKEN,
    payload_bytes,
    sign,
)

pytestmark = pytest.mark.usefixtures("meta_settings")

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


FACEBOOK_PAGE = "104857600000001"
INSTAGRAM_ACCOUNT = "17841400000000001"


@pytest.fixture
def meta_channels(db):
    """The Facebook page and the Instagram account the recorded deliveries are for."""
    return {
        "facebook": ChannelFactory.create(
            connected=True, platform="facebook", platform_account_id=FACEBOOK_PAGE
        ),
        "instagram": ChannelFactory.create(
            connected=True, platform="instagram", platform_account_id=INSTAGRAM_ACCOUNT
        ),
    }


def queued() -> list[Item]:
    """What reached the queue, oldest first."""
    return list(Item.objects.select_related("channel", "author").order_by("pk"))


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
    name, client, meta_channels, django_capture_on_commit_callbacks
):
    body = payload_bytes(f"meta/{name}.json")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(client, body)
        assert queued() == []  # nothing before commit
    assert response.status_code == 200
    assert response.json() == {"received": 1, "skipped": 0}
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the task runs (eagerly in tests)
    (queued_item,) = queued()
    change = json.loads(body)["entry"][0]["changes"][0]["value"]
    platform = "instagram" if name.startswith("instagram") else "facebook"
    assert queued_item.channel == meta_channels[platform]
    assert queued_item.external_id in {
        change.get("comment_id"),
        change.get("id"),
        change.get("post_id"),
        change.get("media_id"),
    }
    assert queued_item.raw_payload == change  # survives the Celery message intact
    assert ChannelConnection.objects.get(channel=queued_item.channel).last_delivery_at


@pytest.mark.django_db
def test_text_survives_the_whole_path_exactly(
    client, meta_channels, django_capture_on_commit_callbacks
):
    body = payload_bytes("meta/facebook_comment_escaped_unicode.json")
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, body).status_code == 200
    (item,) = queued()
    assert item.text == "ä😍\u200bشكرا\u200f  Örebro\u2067עברית\u2069 🇸🇪"
    assert item.versions.get().text == item.text


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["facebook_unknown", "instagram_dashboard_test"])
def test_skipped_deliveries_are_answered_200_and_queue_nothing(
    name, client, meta_channels, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(client, payload_bytes(f"meta/{name}.json"))
    assert response.status_code == 200
    assert response.json()["received"] == 0
    assert response.json()["skipped"] >= 1
    assert (callbacks, queued()) == ([], [])


@pytest.mark.django_db
def test_a_batch_for_two_pages_reaches_each_page(
    client, meta_channels, django_capture_on_commit_callbacks
):
    first = json.loads(payload_bytes("meta/facebook_comment_add.json"))
    other = json.loads(payload_bytes("meta/facebook_post_add.json"))["entry"][0]
    other["id"] = "104857600000002"
    first["entry"].append(other)
    second = ChannelFactory.create(
        connected=True, platform="facebook", platform_account_id="104857600000002"
    )
    body = json.dumps(first).encode()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert post(client, body).json() == {"received": 2, "skipped": 0}
    assert len(callbacks) == 1  # one task per delivery, each page's items to its channel
    assert [item.channel for item in queued()] == [meta_channels["facebook"], second]


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
    signature, client, meta_channels, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.WARNING)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(client, payload_bytes("meta/facebook_comment_add.json"), signature)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "invalid_signature"
    assert (callbacks, queued()) == ([], [])
    assert "bad or missing signature" in caplog.text
    assert "Anna" not in caplog.text
    assert "återvinningscentralen" not in caplog.text


@pytest.mark.django_db
def test_no_secret_configured_accepts_no_delivery(client, settings, meta_channels):
    settings.META_APP_SECRET = ""
    body = payload_bytes("meta/facebook_comment_add.json")
    assert post(client, body, sign(body, "")).status_code == 403


@pytest.mark.django_db
def test_the_instagram_app_secret_is_accepted_too(client, settings, meta_channels):
    settings.INSTAGRAM_APP_SECRET = "instagram-login-secret"
    body = payload_bytes("meta/instagram_comment.json")
    assert post(client, body, sign(body, "instagram-login-secret")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", [b"not json", b"[]", b'{"object": "page"}', b"\xff\xfe\x00", b"[" * 500_000]
)
def test_a_signed_body_that_is_not_a_delivery_is_400(body, client, meta_channels):
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed"
    assert queued() == []


@pytest.mark.django_db
def test_a_body_over_one_megabyte_is_413_with_the_json_error(client, meta_channels):
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
    assert queued() == []


@pytest.mark.django_db
def test_a_body_longer_than_its_content_length_claims_is_cut_and_refused(client, meta_channels):
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
    client, meta_channels, django_capture_on_commit_callbacks
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
    assert Item.objects.count() == 1000


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_answers_200_with_the_delivery_kept(client, monkeypatch, caplog):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    caplog.set_level(logging.WARNING)
    monkeypatch.setattr(tasks.webhook_delivery_process, "delay", broker_down)
    body = payload_bytes("meta/facebook_comment_add.json")
    response = post(client, body)  # autocommit: the on-commit dispatch runs at once
    assert response.status_code == 200
    assert "broker is unavailable" in caplog.text
    assert bytes(WebhookDelivery.objects.get(processed_at__isnull=True).body) == body


@pytest.mark.django_db(transaction=True)
def test_a_delivery_that_cannot_be_stored_answers_503_so_meta_sends_again(
    client, monkeypatch, caplog
):
    def database_down(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr(WebhookDelivery.objects, "create", database_down)
    response = post(client, payload_bytes("meta/facebook_comment_add.json"))
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
def test_odd_signed_deliveries_never_give_a_500(body, client, meta_channels):
    assert post(client, body).status_code in (200, 400)


def deliver_all(client, names: list[str]) -> None:
    """POST each recorded delivery, with each request's commit running its task (eagerly)."""
    for name in names:
        response = post(client, payload_bytes(f"meta/{name}.json"))
        assert response.status_code == 200, (name, response.content)


@pytest.mark.django_db(transaction=True)
def test_replaying_every_recorded_delivery_fills_the_queue(client, meta_channels):
    deliver_all(client, EVERY_DELIVERY)  # autocommit: each delivery's task runs on its commit
    items = {item.external_id: item for item in queued()}
    comment = items["2233445566_7788990011"]
    # add, edited, remove, hide, unhide: the latest platform state wins.
    assert comment.text == "När öppnar återvinningscentralen på lördag? 🙂"
    assert comment.platform_deleted
    assert comment.versions.count() == 2
    assert comment.author is not None
    assert comment.author.name == "Anna Andersson"
    platforms = {item.channel.platform for item in items.values()}
    assert platforms == {"facebook", "instagram"}
    assert all(item.state == "new" and item.record_id for item in items.values())


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_delivery_changes_nothing(client, meta_channels):
    deliver_all(client, ["facebook_comment_add", "facebook_comment_edited"])
    before = [(i.pk, i.text, i.sha256, i.versions.count()) for i in queued()]
    deliver_all(client, ["facebook_comment_add", "facebook_comment_edited"])
    assert [(i.pk, i.text, i.sha256, i.versions.count()) for i in queued()] == before


@pytest.mark.django_db(transaction=True)
def test_an_edit_before_its_add_ends_in_the_edited_text(client, meta_channels):
    deliver_all(client, ["facebook_comment_edited", "facebook_comment_add"])
    (item,) = queued()
    assert item.text == "När öppnar återvinningscentralen på lördag? 🙂"
    assert item.versions.count() == 2
    assert item.platform_time.timestamp() == 1764000000  # when it first reached the page


@pytest.mark.django_db(transaction=True)
def test_a_remove_before_its_edit_ends_removed(client, meta_channels):
    deliver_all(client, ["facebook_comment_remove", "facebook_comment_edited"])
    (item,) = queued()
    assert item.platform_deleted
    assert item.text == "När öppnar återvinningscentralen på lördag? 🙂"


@pytest.mark.django_db(transaction=True)
def test_a_comment_without_from_is_stored_with_an_unknown_author(client, meta_channels):
    deliver_all(client, ["facebook_comment_without_from"])
    (item,) = queued()
    assert item.author is None


@pytest.mark.django_db(transaction=True)
def test_a_delivery_for_an_unknown_page_is_logged_and_dropped(client, meta_channels, caplog):
    meta_channels["facebook"].platform_account_id = ""
    meta_channels["facebook"].save()
    caplog.set_level(logging.WARNING)
    response = post(client, payload_bytes("meta/facebook_comment_add.json"))
    assert response.status_code == 200
    assert queued() == []
    assert "no channel has that platform account id" in caplog.text
    assert "återvinningscentralen" not in caplog.text
