"""The registry of adapters, the webhook inbox's hand-over after commit, and the worker that
takes a delivery into the queue."""

import json
import time

import pytest

from moderation.models import Item
from moderation.platforms import meta, tasks
from moderation.platforms.base import NormalizedItem, PlatformAdapter
from moderation.platforms.inbox import webhook_delivery_receive
from moderation.platforms.registry import ADAPTERS, adapter_for
from tests.celery_broker import real_worker
from tests.factories import ChannelFactory
from tests.moderation.platforms.recorded import payload_bytes


def an_item() -> NormalizedItem:
    return meta.delivery_parse(payload_bytes("meta/facebook_comment_escaped_unicode.json")).items[0]


@pytest.mark.parametrize("platform", ["facebook", "instagram", "linkedin", "youtube"])
def test_every_channel_platform_with_comments_has_an_adapter(platform):
    adapter: PlatformAdapter = adapter_for(platform)
    assert adapter.platform == platform
    assert adapter.supported_actions <= {"hide", "unhide", "delete", "ban", "unban", "reply"}


def test_the_registry_covers_the_channel_platforms_except_podcasts():
    from channels_app.choices import ChannelPlatform

    assert set(ADAPTERS) == set(ChannelPlatform.values) - {"podcast"}


def test_an_unknown_platform_is_a_lookup_error():
    with pytest.raises(LookupError, match="podcast"):
        adapter_for("podcast")


def test_an_item_survives_the_celery_message_exactly():
    item = an_item()
    message = json.loads(json.dumps(item.to_payload()))  # the json serializer's round trip
    assert NormalizedItem.from_payload(message) == item
    assert NormalizedItem.from_payload(message).event_key == item.event_key


@pytest.mark.django_db
def test_a_stored_delivery_is_dispatched_once_after_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    from accounts.services import system_user

    sent: list[tuple] = []
    monkeypatch.setattr(tasks.webhook_delivery_process, "delay", lambda *args: sent.append(args))
    body = payload_bytes("meta/facebook_comment_add.json")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        delivery = webhook_delivery_receive(source="meta", body=body, actor=system_user())
    assert (len(callbacks), sent) == (1, [])
    callbacks[0]()
    assert sent == [(delivery.pk,)]


def test_the_worker_loads_the_task_through_celery_imports():
    from config.celery_app import app

    app.loader.import_default_modules()
    assert tasks.webhook_delivery_process.name in app.tasks
    assert "moderation.platforms.tasks" in app.conf.imports


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_hands_the_items_to_the_intake(monkeypatch):
    from accounts.services import system_user

    channel = ChannelFactory.create(
        connected=True, platform="facebook", platform_account_id="104857600000001"
    )
    with real_worker(monkeypatch):
        # The webhook's door: the delivery stored, the task dispatched after the commit.
        webhook_delivery_receive(
            source="meta",
            body=payload_bytes("meta/facebook_comment_escaped_unicode.json"),
            actor=system_user(),
        )
        for _ in range(600):  # at most a minute: the CI machine may be loaded
            if Item.objects.exists():
                break
            time.sleep(0.1)
    item = Item.objects.get()
    assert (item.channel, item.text) == (channel, an_item().text)
