"""Outages: with the broker down, what people and platforms send is still stored and nothing
answers 500; with the database gone, /healthz says 503 and requests fail cleanly, writing
nothing half-way."""

import logging
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from accounts.choices import Role
from accounts.models import User
from accounts.services import system_user, user_invite
from moderation import services as moderation_services
from moderation.models import Decision, Item, PlatformAction
from records.forms import form_token_issue
from records.models import AccessRequest, Record
from tests.celery_broker import broker_at, closed_port, real_worker
from tests.factories import ChannelFactory
from tests.moderation.factories import normalized
from tests.security.postgres import server_connect


@pytest.fixture
def broker_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The broker refuses connections for the whole test."""
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0", monkeypatch) as url:
        yield url


@pytest.mark.django_db(transaction=True)
def test_healthz_names_the_broker_when_it_is_down(broker_down: str, client: object) -> None:
    response = client.get("/healthz")  # type: ignore[attr-defined]
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "broker": False}


@pytest.mark.django_db(transaction=True)
def test_the_public_request_form_stores_the_request_with_the_broker_down(
    broker_down: str, client: object, caplog: pytest.LogCaptureFixture
) -> None:
    """The form's notification task cannot be queued; the request is stored and the person
    sees the receipt, not an error (before: delay_on_commit raised from the commit: 500)."""
    data = {"scope": "Beslut om snöröjning 2026", "contact": "", "token": form_token_issue()}
    with caplog.at_level(logging.WARNING, logger="core.dispatch"):
        response = client.post(reverse("records:access-request"), data)  # type: ignore[attr-defined]
    assert response.status_code == 302
    assert AccessRequest.objects.get().scope == "Beslut om snöröjning 2026"
    assert "broker is unavailable" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_an_invitation_is_stored_with_the_broker_down(broker_down: str) -> None:
    from moderation import seed

    seed._grounds()
    admin = User.objects.create_user(email="admin@orebro.se", password="x" * 16)
    admin.groups.add(*admin.groups.model.objects.filter(name=Role.ADMINISTRATOR))
    user_invite(email="ny@orebro.se", name="Ny", roles=[Role.EDITOR], actor=admin)
    assert User.objects.filter(email="ny@orebro.se").exists()


@pytest.mark.django_db(transaction=True)
def test_intake_and_decisions_are_stored_with_the_broker_down(
    broker_down: str, api_client: object
) -> None:
    from moderation import seed

    seed._grounds()
    channel = ChannelFactory.create(connected=True)
    item = moderation_services.moderation_item_intake(
        channel=channel,
        item=normalized(channel, text="Kommentar under avbrottet"),
        actor=system_user(),
    ).item
    moderator = User.objects.create_user(email="mod@orebro.se", password="x" * 16)
    moderator.groups.add(*moderator.groups.model.objects.filter(name=Role.MODERATOR))
    api_client.force_authenticate(moderator)  # type: ignore[attr-defined]
    url = f"/api/v1/moderation/items/{item.pk}/"
    assert api_client.post(url + "claim/").status_code == 200  # type: ignore[attr-defined]
    response = api_client.post(  # type: ignore[attr-defined]
        url + "decide/",
        {"action": "hide", "grounds": ["harassment"], "rationale": "Kränkande."},
        format="json",
    )
    assert response.status_code in (200, 201), response.content
    assert Item.objects.get().state == "hidden"
    assert Decision.objects.get().action == "hide"
    assert Record.objects.filter(source_id=item.external_id).exists()


PAGE = "104857600000001"
COMMENTS = ["2233445566_1", "2233445566_2", "2233445566_3"]


@pytest.mark.django_db(transaction=True)
def test_platform_actions_wait_in_the_outbox_and_all_go_out_when_the_broker_returns(
    platform_http: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three hides during a broker outage: each decision is stored, each platform action waits
    in the outbox. When the broker is back the periodic sweep goes through it (with Redis: a
    real worker takes the task from Redis) and every action is sent, each exactly once."""
    from moderation import seed
    from moderation.platforms import tasks
    from tests.moderation.platforms.recorded import canned

    seed._grounds()
    channel = ChannelFactory.create(connected=True, platform="facebook", platform_account_id=PAGE)
    moderator = User.objects.create_user(email="mod@orebro.se", password="x" * 16)
    moderator.groups.add(*moderator.groups.model.objects.filter(name=Role.MODERATOR))
    items = [
        moderation_services.moderation_item_intake(
            channel=channel, item=normalized(channel, external_id=external_id), actor=system_user()
        ).item
        for external_id in COMMENTS
    ]
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0", monkeypatch):
        for item in items:
            moderation_services.item_decide(
                item=item, action="hide", ground_codes=["harassment"], actor=moderator
            )
    assert Decision.objects.count() == 3
    assert sorted(PlatformAction.objects.values_list("state", flat=True)) == ["pending"] * 3
    assert platform_http.requests == []

    platform_http.responses.extend(canned("responses/meta_success.json") for _ in COMMENTS)
    redis_url = os.environ.get("CELERY_BROKER_URL", "")
    if redis_url.startswith("redis://"):
        with real_worker(monkeypatch):
            tasks.platform_actions_sweep.delay()
            for _ in range(600):  # at most a minute: the CI machine may be loaded
                if not PlatformAction.objects.filter(state="pending").exists():
                    break
                time.sleep(0.1)
    else:
        tasks.platform_actions_sweep.apply()  # the embedded broker has no worker here: run it
    assert sorted(PlatformAction.objects.values_list("state", flat=True)) == ["sent"] * 3
    sent = sorted(request.url.rsplit("/", 1)[1] for request in platform_http.requests)
    assert sent == sorted(COMMENTS)
    assert tasks.platform_actions_sweep() == 0  # nothing is sent twice


def _terminate(pid: int) -> None:
    """End one server connection from another, as a database restart or failover does."""
    with server_connect() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.postgresql  # ends real server connections
@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_while_the_database_is_unreachable(client: object) -> None:
    assert client.get("/healthz").json()["checks"]["database"] is True  # type: ignore[attr-defined]
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = closed_port()
    try:
        response = client.get("/healthz")  # type: ignore[attr-defined]
        assert response.status_code == 503
        assert response.json()["checks"]["database"] is False
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    # The database is back: the next request connects again.
    assert client.get("/healthz").json()["checks"]["database"] is True  # type: ignore[attr-defined]


@pytest.mark.postgresql  # ends real server connections
@pytest.mark.django_db(transaction=True)
def test_a_registration_cut_off_by_a_restart_writes_nothing(registrar: User) -> None:
    """The connection dies after the entry's first INSERT and before the request finishes:
    the API answers 503 in the error format and the register holds no trace of it."""
    from rest_framework.test import APIClient

    channel = ChannelFactory.create(connected=True)

    def cut(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        if sql.startswith('INSERT INTO "records_record" '):
            _terminate(connection.connection.info.backend_pid)
        return result

    api = APIClient()
    api.force_authenticate(registrar)
    body = {
        "channel": channel.slug,
        "source_id": "avbrott-1",
        "document_date": "2026-03-02T10:00:00+01:00",
        "direction": "incoming",
        "subject": "Fråga",
        "text": "Hur söker jag bygglov?",
        "raw_payload": {"id": "avbrott-1"},
        "reason": "received",
    }
    with connection.execute_wrapper(cut):
        response = api.post("/api/v1/records/entries/", body, format="json")
    assert response.status_code == 503, response.content
    assert response.json()["error"]["code"] == "unavailable"
    connection.close()
    assert not Record.objects.filter(source_id="avbrott-1").exists()
    assert not Record.history.filter(source_id="avbrott-1").exists()
    # And the same registration succeeds once the database is back.
    assert api.post("/api/v1/records/entries/", body, format="json").status_code == 201
