"""The register's lifecycle reaches moderation's copies: disposal and the erasure of unlawful
content empty the item, its versions, what detectors quoted and notes' quotations, in the same
transaction as the register entry; an entry is found by its own origin, so no other source can
take it over or have it erased."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import system_user
from channels_app.choices import ChannelRecordsPolicy
from moderation import services
from moderation.models import DetectorHit, Item, ItemVersion, Note, PlatformAccount
from records.choices import RecordStatus, UnlawfulContentBasis
from records.models import Record
from records.services import (
    disposal_run_approve,
    disposal_run_execute,
    disposal_run_preview,
    record_retention_set,
    record_unlawful_content_erase,
)
from tests.factories import ChannelFactory
from tests.moderation.factories import normalized
from tests.records.factories import RetentionClassFactory

pytestmark = pytest.mark.django_db

PHONE = "070-123 45 67"  # the phone detector quotes it in a detector hit
TEXT = f"Ring mig på {PHONE}, jag heter Kalle"


@pytest.fixture
def channel(db):
    return ChannelFactory.create(connected=True, records_policy=ChannelRecordsPolicy.REGISTER_ALL)


@pytest.fixture
def old_item(intake, moderator):
    """An item three years old, edited once, with a note that quotes it."""
    then = timezone.now() - timedelta(days=3 * 366)
    item = intake(text=TEXT, external_id="gammal-1", occurred_at=then)
    intake(text=f"{TEXT}!", external_id="gammal-1", occurred_at=then + timedelta(hours=1))
    services.note_create(text=f"Han skrev: {TEXT}", item=item, actor=moderator)
    return Item.objects.get(pk=item.pk)


def _assert_content_gone(item: Item) -> None:
    item.refresh_from_db()
    assert item.text == ""
    assert item.raw_payload == {}
    assert item.content_withheld
    assert list(ItemVersion.objects.filter(item=item).values_list("text", "raw_payload")) == [
        ("", {}),
        ("", {}),
    ]
    assert not DetectorHit.objects.filter(version__item=item).exclude(matched="").exists()
    assert not Note.objects.filter(text__contains=PHONE).exists()


def test_disposal_empties_the_item_its_versions_notes_and_author(old_item, registrar):
    RetentionClassFactory.create(code="kort", retention_years=1)
    record_retention_set(record=old_item.record, retention_class="kort", actor=registrar)
    run = disposal_run_preview(actor=registrar)
    disposal_run_approve(run=run, actor=registrar)
    disposal_run_execute(run=run, actor=registrar)
    assert Record.objects.get(pk=old_item.record_id).status == RecordStatus.DISPOSED
    _assert_content_gone(old_item)
    assert old_item.permalink == ""
    author = PlatformAccount.objects.get(pk=old_item.author_id)
    assert (author.name, author.profile_url) == ("", "")
    assert author.external_id != "100001"


def test_disposal_keeps_an_author_who_wrote_other_items(old_item, intake, registrar):
    intake(text="Tack för svaret", external_id="ny-1")
    RetentionClassFactory.create(code="kort", retention_years=1)
    record_retention_set(record=old_item.record, retention_class="kort", actor=registrar)
    run = disposal_run_preview(actor=registrar)
    disposal_run_approve(run=run, actor=registrar)
    disposal_run_execute(run=run, actor=registrar)
    author = PlatformAccount.objects.get(pk=old_item.author_id)
    assert (author.external_id, author.name) == ("100001", "Anna Andersson")


def test_unlawful_content_erased_in_the_register_leaves_no_moderation_copy(old_item, registrar):
    registrar.user_permissions.add(
        *registrar.groups.model.permissions.field.related_model.objects.filter(
            codename="erase_unlawful_content"
        )
    )
    registrar = type(registrar).objects.get(pk=registrar.pk)
    record_unlawful_content_erase(
        record=old_item.record,
        legal_basis=UnlawfulContentBasis.CHILD_ABUSE_MATERIAL,
        decision_reference="Beslut 2026-11-30",
        actor=registrar,
    )
    _assert_content_gone(old_item)


def test_an_ingest_client_cannot_take_over_a_registrars_entry(
    channel, registrar, moderator, token_client, client
):
    client.force_login(registrar)
    when = timezone.localtime(timezone.now() - timedelta(hours=1))
    response = client.post(
        reverse("admin:records_record_add"),
        {
            "channel": channel.pk,
            "source_id": "123_456",
            "direction": "incoming",
            "document_date_0": when.strftime("%Y-%m-%d"),
            "document_date_1": when.strftime("%H:%M:%S"),
            "subject": "Synpunkt via e-post",
            "text": "Registratorns post",
            "reason": "received",
        },
    )
    assert response.status_code == 302
    entry = Record.objects.get(source_id="123_456")
    ingest = token_client("moderation:ingest")
    response = ingest.post(
        "/api/v1/moderation/ingest/",
        {
            "items": [
                {
                    "channel": channel.slug,
                    "external_id": "123_456",
                    "kind": "comment",
                    "event": "created",
                    "occurred_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
                    "text": "Otillåtet innehåll",
                }
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    item = Item.objects.get(pk=response.json()["results"][0]["item"])
    assert item.record_id != entry.pk
    services.item_claim(item=item, actor=moderator)
    services.item_decide(
        item=item,
        action="remove",
        ground_codes=["child-abuse-material"],
        rationale="Olagligt",
        actor=moderator,
    )
    entry.refresh_from_db()
    assert entry.status == RecordStatus.ACTIVE
    assert entry.text == "Registratorns post"
    item.refresh_from_db()
    assert item.record is not None
    assert item.record.status == RecordStatus.ERASED


def test_each_origin_keeps_its_own_items_replies_and_entries(channel, make_integration):
    first, _token = make_integration("moderation:ingest")
    second, _token = make_integration("moderation:ingest")
    actor = system_user()
    post = normalized(channel, external_id="p-1", text="Inlägg")
    reply = normalized(channel, external_id="r-1", text="Svar", parent_external_id="p-1")
    platform = services.moderation_item_intake(channel=channel, item=post, actor=actor).item
    ingested = [
        services.moderation_items_intake(
            channel=channel, items=[post, reply], actor=client.user, client=client
        )
        for client in (first, second)
    ]
    again = services.moderation_item_intake(
        channel=channel, item=post, actor=first.user, client=first
    )
    assert again.item.pk == ingested[0][0].item.pk
    posts = {platform.pk, ingested[0][0].item.pk, ingested[1][0].item.pk}
    assert len(posts) == 3
    for (post_result, reply_result), client in zip(ingested, (first, second), strict=True):
        assert Item.objects.get(pk=reply_result.item.pk).parent_id == post_result.item.pk
        record = Item.objects.select_related("record").get(pk=post_result.item.pk).record
        assert record is not None
        assert (record.source_kind, record.source_client_id) == ("ingest", client.pk)
    assert len(set(Item.objects.filter(pk__in=posts).values_list("record_id", flat=True))) == 3


def test_the_register_api_keeps_a_clients_entries_apart(channel, token_client):
    api = token_client("records:write")
    body = {
        "channel": channel.slug,
        "source_id": "123_456",
        "document_date": (timezone.now() - timedelta(hours=1)).isoformat(),
        "direction": "incoming",
        "subject": "Synpunkt",
        "text": "Via API",
        "raw_payload": {},
        "reason": "received",
    }
    created = api.post("/api/v1/records/entries/", body, format="json")
    assert created.status_code == 201, created.content
    entry = Record.objects.get(source_id="123_456")
    assert entry.source_kind == "api"
    assert entry.source_client is not None
    platform = services.moderation_item_intake(
        channel=channel, item=normalized(channel, external_id="123_456"), actor=system_user()
    ).item
    assert platform.record_id != entry.pk
