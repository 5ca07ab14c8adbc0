"""Capture first at the door: ``/hooks/meta/`` stores the verified delivery byte for byte in
the inbox before it answers 200; the worker takes it from there, and the periodic sweep takes
what no worker took (broker down, worker crash, a bug fixed later). One event the register
cannot hold is refused on its own, with its reason; the others come in."""

import json
import logging
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery_app import app
from config.schedule import BEAT_SCHEDULE
from moderation.models import ChannelConnection, Item, WebhookDelivery
from moderation.platforms import capture, tasks
from tests.celery_broker import broker_at, closed_port, real_worker
from tests.factories import ChannelFactory
from tests.moderation.platforms.recorded import meta_post

pytestmark = pytest.mark.usefixtures("meta_settings")

PAGE = "104857600000001"
POST = f"{PAGE}_2233445566"


@pytest.fixture
def page(db):
    return ChannelFactory.create(connected=True, platform="facebook", platform_account_id=PAGE)


def comment(number: int, *, time_: int | None = 1764000000, **value: object) -> dict:
    change = {
        "item": "comment",
        "verb": "add",
        "comment_id": f"2233445566_{number}",
        "post_id": POST,
        "parent_id": POST,
        "from": {"id": f"600{number}", "name": "Anna Andersson"},
        "message": f"Kommentar {number} 🙂\u200f",
        **({"created_time": time_} if time_ is not None else {}),
    }
    change.update(value)
    return {"field": "feed", "value": change}


def delivery(*changes: dict, entry_time: int | None = 1764000000) -> bytes:
    entry: dict[str, object] = {"id": PAGE, "changes": list(changes)}
    if entry_time is not None:
        entry["time"] = entry_time
    # ensure_ascii: NUL and lone surrogates travel as \u escapes, as Meta sends them.
    return json.dumps({"object": "page", "entry": [entry]}).encode()


def queued_ids() -> set[str]:
    return set(Item.objects.values_list("external_id", flat=True))


HOSTILE = {"NUL": "a\x00b", "lone high surrogate": f"a{chr(0xD800)}b", "lone low": chr(0xDFFF)}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("character", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize(
    "field", ["message", "from.name", "from.id", "comment_id", "link", "extra key"]
)
def test_one_event_the_register_cannot_hold_is_refused_alone(client, page, field, character):
    bad = comment(2)
    if field == "from.name":
        bad["value"]["from"]["name"] = character
    elif field == "from.id":
        bad["value"]["from"]["id"] = character
    elif field == "extra key":
        bad["value"][f"nyckel{character}"] = {"djup": [character]}
    else:
        bad["value"][field] = character
    body = delivery(comment(1), bad, comment(3))
    response = meta_post(client, body)
    assert response.status_code == 200
    assert queued_ids() == {"2233445566_1", "2233445566_3"}
    (row,) = WebhookDelivery.objects.all()
    assert bytes(row.body) == body  # the refused event is kept as it came, in the delivery
    assert row.processed_at is not None
    error = ChannelConnection.objects.get(channel=page).last_error
    assert "tecken" in error


@pytest.mark.django_db(transaction=True)
def test_a_delivery_taken_in_whole_keeps_no_copy_of_the_comments(client, page):
    """The items and their register entries hold each event (and disposal reaches them): the
    inbox empties its bytes once every event is in the queue."""
    assert meta_post(client, delivery(comment(1), comment(2))).status_code == 200
    (row,) = WebhookDelivery.objects.all()
    assert row.processed_at is not None
    assert bytes(row.body) == b""
    assert queued_ids() == {"2233445566_1", "2233445566_2"}


@pytest.mark.django_db(transaction=True)
def test_text_is_stored_exactly_as_received(client, page):
    text = (
        "ä😍\u200bشكرا\u200f Örebro\u2067עברית\u2069 \U0001f3f3\ufe0f\u200d\U0001f308 " + "x" * 10
    )
    assert meta_post(client, delivery(comment(1, message=text))).status_code == 200
    assert Item.objects.get().text == text


@pytest.mark.django_db(transaction=True)
def test_a_comment_without_any_time_is_captured_with_its_arrival_time(client, page):
    before = timezone.now()
    response = meta_post(client, delivery(comment(1, time_=None), entry_time=None))
    assert response.status_code == 200
    assert response.json() == {"received": 1, "skipped": 0}
    item = Item.objects.get()
    row = WebhookDelivery.objects.get()
    assert before <= row.received_at <= timezone.now()
    assert item.platform_time == row.received_at
    assert item.record is not None
    assert item.record.document_date == row.received_at


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_webhook_answers_200_and_the_sweep_brings_it_in(
    client, page, monkeypatch, caplog, time_machine
):
    caplog.set_level(logging.WARNING)
    body = delivery(comment(1), comment(2))
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0", monkeypatch):
        response = meta_post(client, body)
    assert response.status_code == 200
    assert "broker is unavailable" in caplog.text
    (row,) = WebhookDelivery.objects.all()
    assert (bytes(row.body), row.processed_at) == (body, None)
    assert not Item.objects.exists()

    assert tasks.webhook_deliveries_sweep.apply().get() == 0  # the task may still come
    time_machine.move_to(timezone.now() + timedelta(minutes=3))
    assert tasks.webhook_deliveries_sweep.apply().get() == 1
    assert queued_ids() == {"2233445566_1", "2233445566_2"}
    row.refresh_from_db()
    assert row.processed_at is not None
    assert tasks.webhook_deliveries_sweep.apply().get() == 0  # nothing is taken twice


@pytest.mark.django_db(transaction=True)
def test_a_failing_intake_leaves_the_delivery_for_the_sweep(
    client, page, monkeypatch, caplog, time_machine
):
    """A worker crash or a bug: the delivery stays in the inbox with the error, and the sweep
    takes it again once the cause is gone."""
    real = capture.platform_items_receive

    def broken(**kwargs):
        raise RuntimeError("a bug in the intake")

    monkeypatch.setattr(capture, "platform_items_receive", broken)
    response = meta_post(client, delivery(comment(1)))
    assert response.status_code == 200
    row = WebhookDelivery.objects.get()
    assert (row.processed_at, row.attempts) == (None, 1)
    assert "a bug in the intake" in row.last_error
    assert not Item.objects.exists()

    monkeypatch.setattr(capture, "platform_items_receive", real)
    time_machine.move_to(timezone.now() + timedelta(minutes=3))
    assert tasks.webhook_deliveries_sweep.apply().get() == 1
    assert queued_ids() == {"2233445566_1"}
    row.refresh_from_db()
    assert (row.attempts, row.last_error) == (2, "")


@pytest.mark.django_db(transaction=True)
def test_a_replayed_delivery_changes_nothing(client, page, time_machine):
    body = delivery(comment(1))
    meta_post(client, body)
    meta_post(client, body)
    assert Item.objects.count() == 1
    assert WebhookDelivery.objects.count() == 2
    assert Item.objects.get().versions.count() == 1


def test_the_sweep_is_in_the_beat_schedule():
    entry = BEAT_SCHEDULE["moderation-webhook-inbox-sweep"]
    assert entry["task"] == tasks.webhook_deliveries_sweep.name
    app.loader.import_default_modules()
    assert tasks.webhook_deliveries_sweep.name in app.tasks


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_takes_the_delivery_from_the_inbox(client, page, monkeypatch):
    with real_worker(monkeypatch):
        assert (
            meta_post(client, delivery(comment(1), comment(2, message="a\x00b"))).status_code == 200
        )
        for _ in range(600):  # at most a minute: the CI machine may be loaded
            if WebhookDelivery.objects.filter(processed_at__isnull=False).exists():
                break
            time.sleep(0.1)
    assert queued_ids() == {"2233445566_1"}
    assert WebhookDelivery.objects.get().processed_at is not None
