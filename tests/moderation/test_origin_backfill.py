"""Issue 13, "sources cannot collide": entries and items from before the origin columns were
all taken to have come from the platform. Every item is registered at intake by the intake's
actor, so an entry an item refers to that an integration client's service user registered came
in by the ingest API from that client; an entry no item refers to came from a person or a
client through the register. The data migration tells them apart."""

import importlib
from collections.abc import Callable

import pytest
from django.apps import apps
from rest_framework.test import APIClient

from accounts.models import IntegrationClient, User
from accounts.services import system_user
from moderation.models import Item
from moderation.services import moderation_item_intake
from records.models import Record
from records.services import record_register
from tests.moderation.factories import ChannelFactory, normalized
from tests.records.factories import registration_kwargs

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("moderation.migrations.0014_source_origin_backfill")


def test_old_rows_get_the_origin_they_came_by(
    make_integration: Callable[..., tuple[IntegrationClient, str]], registrar: User
) -> None:
    channel = ChannelFactory.create()
    client, token = make_integration("moderation:ingest")
    ingest = APIClient()
    ingest.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = ingest.post(
        "/api/v1/moderation/ingest/",
        {
            "items": [
                {
                    "channel": channel.slug,
                    "external_id": "same-id",
                    "kind": "comment",
                    "event": "created",
                    "occurred_at": "2026-11-30T10:00:00+01:00",
                    "text": "Från e-tjänsten",
                }
            ]
        },
        format="json",
    )
    assert response.json()["results"][0]["outcome"] == "created", response.content
    ingested = Item.objects.get(source_client=client)
    webhook = moderation_item_intake(
        channel=channel, item=normalized(channel, external_id="other-id"), actor=system_user()
    ).item
    letter = record_register(**registration_kwargs(channel, registrar, source_id="brev-1"))
    # As the rows were before the origin columns.
    Item.objects.update(source_client=None)
    Record.objects.update(source_kind="platform", source_client=None)
    Record.history.update(source_kind="platform", source_client=None)

    backfill.origins_backfill(apps, None)

    ingested.refresh_from_db()
    webhook.refresh_from_db()
    assert ingested.source_client == client
    entries = {item.pk: Record.objects.get(pk=item.record_id or 0) for item in (ingested, webhook)}
    assert (entries[ingested.pk].source_kind, entries[ingested.pk].source_client) == (
        "ingest",
        client,
    )
    assert webhook.source_client is None
    assert (entries[webhook.pk].source_kind, entries[webhook.pk].source_client) == (
        "platform",
        None,
    )
    letter.refresh_from_db()
    assert letter.source_kind == "registrar"
    kinds = set(Record.history.filter(id=ingested.record_id).values_list("source_kind", flat=True))
    assert kinds == {"ingest"}
