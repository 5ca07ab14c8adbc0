"""Disposal and the erasure of unlawful content leave the content nowhere in the database.

A unique canary is planted through the real doors (the Meta webhook, an edit it delivers, the
ingestion API and an edit sent there, a note, a registrar's own entry and a registrar's
correction), then disposed of by an approved disposal run or, separately, erased as unlawful.
Then every column of every table the database has is scanned, found by introspection (the
historical tables, many-to-many tables and, on PostgreSQL, the generated search column
included): a new model or column is scanned without anyone listing it."""

import json
from collections.abc import Iterator
from datetime import timedelta
from uuid import uuid4

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from channels_app.choices import ChannelRecordsPolicy
from moderation import seed as moderation_seed
from moderation.models import Item
from records.choices import RecordStatus, UnlawfulContentBasis
from records.models import DisposalRun, Record, RetentionDefault
from records.services import record_unlawful_content_erase
from tests.factories import ChannelFactory
from tests.moderation.platforms.recorded import (
    meta_post,
    payload_json,
)
from tests.records.factories import RetentionClassFactory

pytestmark = [
    pytest.mark.django_db(transaction=False),
    pytest.mark.usefixtures("meta_settings"),
]

FACEBOOK_PAGE = "104857600000001"
# Two years ago: due under a one-year class. The webhook carries its own (platform) time.
LONG_AGO = timezone.now() - timedelta(days=2 * 366)


@pytest.fixture
def canary() -> str:
    """Lower-case letters and digits: the same token in a text, a JSON value and a tsvector."""
    return f"kanarie{uuid4().hex[:16]}"


@pytest.fixture
def channel(db):
    moderation_seed._grounds()
    channel = ChannelFactory.create(
        connected=True,
        platform="facebook",
        platform_account_id=FACEBOOK_PAGE,
        records_policy=ChannelRecordsPolicy.REGISTER_ALL,
    )
    short = RetentionClassFactory.create(code="kort", retention_years=1)
    RetentionDefault.objects.create(channel=channel, registration_basis="", retention_class=short)
    return channel


# --- the scan ---------------------------------------------------------------------------------


def scanned_columns() -> Iterator[tuple[str, str, bool]]:
    """Every (table, column, binary?) the database has, as its introspection reports them."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                binary = connection.vendor == "postgresql" and column.type_code == 17  # bytea
                yield table, column.name, binary


def columns_holding(needle: str) -> set[str]:
    """Every ``table.column`` whose value, read as text (or bytes), contains ``needle``."""
    found = set()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column, binary in scanned_columns():
            if binary:
                condition = f"position(convert_to(%s, 'UTF8') in {quote(column)}) > 0"
                value = needle
            else:
                condition = f"lower(CAST({quote(column)} AS TEXT)) LIKE %s"
                value = f"%{needle.lower()}%"
            cursor.execute(
                f"SELECT 1 FROM {quote(table)} WHERE {condition} LIMIT 1",
                [value],
            )
            if cursor.fetchone():
                found.add(f"{table}.{column}")
    return found


def test_the_scan_covers_every_model_table_and_column():
    tables = {table for table, _column, _binary in scanned_columns()}
    columns = {f"{table}.{column}" for table, column, _binary in scanned_columns()}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        assert meta.db_table in tables
        for field in meta.concrete_fields:
            assert f"{meta.db_table}.{field.column}" in columns
    if connection.vendor == "postgresql":
        assert "records_record.public_subject_search" in columns


# --- planting through the real doors ---------------------------------------------------------


def _webhook(client, capture_on_commit, canary: str, *, with_author: bool) -> None:
    """A comment and its edit delivered to /hooks/meta/, two years ago."""
    for name, offset in (("facebook_comment_add", 0), ("facebook_comment_edited", 600)):
        body = payload_json(f"meta/{name}.json")
        change = body["entry"][0]["changes"][0]["value"]
        when = int(LONG_AGO.timestamp()) + offset
        body["entry"][0]["time"] = when
        change["created_time"] = int(LONG_AGO.timestamp())
        change["message"] = f"Kommentar {canary} nummer {offset}"
        if with_author:
            change["from"]["name"] = f"Anna {canary}"
        raw = json.dumps(body).encode()
        with capture_on_commit(execute=True):  # the hand-over to the queue runs after commit
            response = meta_post(client, raw)
        assert response.status_code == 200, response.content


def _ingest(token_client, channel, canary: str, *, with_author: bool) -> None:
    """An item another system pushes, and its edit."""
    ingest = token_client("moderation:ingest")
    for offset in (0, 600):
        entry = {
            "channel": channel.slug,
            "external_id": "2233445566_7788990011",  # the same id the webhook item has
            "kind": "comment",
            "event": "created" if offset == 0 else "edited",
            "occurred_at": (LONG_AGO + timedelta(seconds=offset)).isoformat(),
            "text": f"Via e-tjänsten {canary} {offset}",
            "raw": {"message": canary, "offset": offset},
        }
        if with_author:
            entry |= {"author_id": f"id-{canary}", "author_name": f"Bo {canary}"}
        response = ingest.post("/api/v1/moderation/ingest/", {"items": [entry]}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["results"][0]["outcome"] != "rejected", response.content


def _registrar_entry(client, channel, registrar, canary: str, *, subject: str) -> Record:
    """An entry a registrar registers in admin, and a correction through the API."""
    client.force_login(registrar)
    when = timezone.localtime(LONG_AGO)
    response = client.post(
        reverse("admin:records_record_add"),
        {
            "channel": channel.pk,
            "source_id": "2233445566_7788990011",
            "direction": "incoming",
            "document_date_0": when.strftime("%Y-%m-%d"),
            "document_date_1": when.strftime("%H:%M:%S"),
            "subject": subject,
            "text": f"Brev om {canary}",
            "reason": "received",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Record.objects.get(source_kind="registrar")
    api = APIClient()
    api.force_authenticate(registrar)
    response = api.post(
        f"/api/v1/records/entries/{entry.pk}/amend/",
        {
            "text": f"Rättad text {canary}",
            "raw_payload": {"rättelse": canary},
            "reason": "correction",
            "occurred_at": (LONG_AGO + timedelta(hours=1)).isoformat(),
            "note": f"Stavfel i brevet rättat: ”{canary}”.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return entry


def _notes(moderator) -> None:
    api = APIClient()
    api.force_authenticate(moderator)
    items = list(Item.objects.order_by("pk"))
    for item, other in zip(items, reversed(items), strict=True):
        # Pasted without quotation marks into a note on the other item (records.quoting).
        response = api.post(
            "/api/v1/moderation/notes/",
            {"item": other.pk, "text": f"Samma som {item.text} och mer"},
            format="json",
        )
        assert response.status_code == 201, response.content
    for item in items:
        response = api.post(
            "/api/v1/moderation/notes/",
            {"item": item.pk, "text": f"Skrev: {item.text}"},
            format="json",
        )
        assert response.status_code == 201, response.content
        if item.author_id:
            response = api.post(
                "/api/v1/moderation/notes/",
                {"author": item.author_id, "text": f"Författaren skrev {item.text}"},
                format="json",
            )
            assert response.status_code == 201, response.content


def _decisions(moderator, second, canary: str) -> None:
    """Decisions, blocks, the author's request for reconsideration and its answer, each free
    text quoting the item (a whole line, or a word in quotation marks)."""
    api, other = APIClient(), APIClient()
    api.force_authenticate(moderator)
    other.force_authenticate(second)
    for item in Item.objects.all():
        assert api.post(f"/api/v1/moderation/items/{item.pk}/claim/").status_code == 200
        response = api.post(
            f"/api/v1/moderation/items/{item.pk}/decide/",
            {"action": "hide", "grounds": ["harassment"], "rationale": f"Dold:\n{item.text}"},
            format="json",
        )
        assert response.status_code == 201, response.content
        decision = response.json()["id"]
        if item.author is not None and not item.author.external_id.endswith(canary):
            # A blocked author's platform id stays (the block needs it): the ingested item's
            # author, whose id holds the canary, is not blocked.
            response = api.post(
                "/api/v1/moderation/blocks/",
                {
                    "author": item.author_id,
                    "channel": item.channel_id,
                    "grounds": ["harassment"],
                    "rationale": f"Skrev ”{canary}” två gånger.",
                    "item": item.pk,
                },
                format="json",
            )
            assert response.status_code == 201, response.content
        if item.permalink:
            public = Client()
            form = public.get("/insyn/omprovning/").content.decode()
            token = form.split('name="token" value="')[1].split('"')[0]
            asked = public.post(
                "/insyn/omprovning/",
                {
                    "permalink": item.permalink,
                    "reason": f"Jag skrev bara ”{canary}”, inget mer.",
                    "contact": "",
                    "token": token,
                },
            )
            assert asked.status_code in (200, 302), asked.content
        response = other.post(
            f"/api/v1/moderation/items/{item.pk}/reconsider/",
            {
                "decision": decision,
                "outcome": "upheld",
                "rationale": f"Citatet '{canary}' är kränkande.",
            },
            format="json",
        )
        assert response.status_code == 201, response.content


def _requests(client, registrar, entry: Record, canary: str) -> None:
    """A request for the entry quoting it, and a GDPR erasure request quoting it."""
    api = APIClient()
    api.force_authenticate(registrar)
    response = api.post(
        "/api/v1/records/access-requests/",
        {"scope": f"Brevet där det står ”{canary}”", "records": [entry.pk]},
        format="json",
    )
    assert response.status_code == 201, response.content
    client.force_login(registrar)
    response = client.post(
        reverse("admin:records_erasurerequest_add"),
        {
            "requester": "Anna Andersson",
            "description": f"Radera mitt brev om ”{canary}”.",
            "records": [entry.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def plant(
    client,
    token_client,
    channel,
    registrar,
    moderator,
    make_user,
    django_capture_on_commit_callbacks,
):
    """Plant ``canary`` through every door; returns the registrar's own entry."""

    def run(canary: str, *, subject: str, with_author: bool) -> Record:
        _webhook(client, django_capture_on_commit_callbacks, canary, with_author=with_author)
        _ingest(token_client, channel, canary, with_author=with_author)
        _notes(moderator)
        _decisions(moderator, make_user("moderator"), canary)
        entry = _registrar_entry(client, channel, registrar, canary, subject=subject)
        _requests(client, registrar, entry, canary)
        # Three documents with one source id by three doors: two items, three entries.
        assert Item.objects.count() == 2
        assert Record.objects.count() == 3
        return entry

    return run


CONTENT_COLUMNS = {
    # Free text that quotes the content, in documents of their own that are kept.
    "moderation_decision.rationale",
    "moderation_reconsideration.rationale",
    "records_recordamendment.reason",
    "records_accessrequest.scope",
    "records_historicalaccessrequest.scope",
    "records_erasurerequest.description",
    # The content and its copies.
    "moderation_item.text",
    "moderation_item.raw_payload",
    "moderation_itemversion.text",
    "moderation_itemversion.raw_payload",
    "moderation_note.text",
    "records_record.text",
    "records_record.raw_payload",
    "records_recordamendment.text",
    "records_recordamendment.raw_payload",
}


# --- disposal -------------------------------------------------------------------------------


def test_disposal_leaves_the_canary_nowhere(client, plant, registrar, canary):
    plant(canary, subject="Brev om parkering", with_author=True)
    before = columns_holding(canary)
    assert before >= CONTENT_COLUMNS | {
        "moderation_platformaccount.name",
        "records_record.counterparty_name",
        "moderation_block.rationale",
        "moderation_historicalblock.rationale",
        "moderation_reconsiderationrequest.reason",
    }
    client.force_login(registrar)
    response = client.post(
        reverse("admin:records_disposalrun_add"), {"cutoff": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    run = DisposalRun.objects.get()
    changelist = reverse("admin:records_disposalrun_changelist")
    for action in ("approve", "execute"):
        client.post(changelist, {"action": action, "_selected_action": [run.pk]})
    assert set(Record.objects.values_list("status", flat=True)) == {RecordStatus.DISPOSED}
    assert columns_holding(canary) == set()


# --- erasure of unlawful content ------------------------------------------------------------


def test_erasure_leaves_the_canary_nowhere(plant, moderator, canary):
    # The counterparty is kept on erasure (evidence): the canary is planted in the content, and
    # in the subject, which erasure replaces (and with it the search column).
    entry = plant(canary, subject=f"Brev om {canary}", with_author=False)
    before = columns_holding(canary)
    assert before >= CONTENT_COLUMNS | {
        "records_record.subject",
        "records_record.public_subject",
        "records_historicalrecord.subject",
    }
    if connection.vendor == "postgresql":
        assert "records_record.public_subject_search" in before
    api = APIClient()
    api.force_authenticate(moderator)
    for item in Item.objects.all():
        assert api.post(f"/api/v1/moderation/items/{item.pk}/claim/").status_code == 200
        response = api.post(
            f"/api/v1/moderation/items/{item.pk}/decide/",
            {"action": "remove", "grounds": ["child-abuse-material"]},
            format="json",
        )
        assert response.status_code == 201, response.content
    record_unlawful_content_erase(
        record=entry,
        legal_basis=UnlawfulContentBasis.CHILD_ABUSE_MATERIAL,
        decision_reference="Beslut om radering",
        actor=moderator,
    )
    assert set(Record.objects.values_list("status", flat=True)) == {RecordStatus.ERASED}
    assert columns_holding(canary) == set()


def test_the_scan_finds_a_copy_left_behind(client, plant, registrar, canary, monkeypatch):
    """The companion: with moderation's holder taken away, disposal leaves the item's copy."""
    from records import lifecycle

    monkeypatch.setattr(lifecycle, "_holders", [])
    plant(canary, subject="Brev om parkering", with_author=False)
    client.force_login(registrar)
    client.post(
        reverse("admin:records_disposalrun_add"), {"cutoff": timezone.localdate().isoformat()}
    )
    run = DisposalRun.objects.get()
    changelist = reverse("admin:records_disposalrun_changelist")
    for action in ("approve", "execute"):
        client.post(changelist, {"action": action, "_selected_action": [run.pk]})
    assert {"moderation_item.text", "moderation_itemversion.text"} <= columns_holding(canary)


def test_the_scan_finds_words_pasted_on_another_item(client, plant, registrar, canary, monkeypatch):
    """The companion for unmarked quotations: without records.quoting's scrub, disposal leaves
    the words of one item pasted into a note on the other."""
    from moderation import lifecycle as moderation_lifecycle
    from records import lifecycle

    monkeypatch.setattr(lifecycle, "quotations_scrub_everywhere", lambda texts: None)
    monkeypatch.setattr(moderation_lifecycle, "quotations_scrub_everywhere", lambda texts: None)
    plant(canary, subject="Brev om parkering", with_author=False)
    client.force_login(registrar)
    client.post(
        reverse("admin:records_disposalrun_add"), {"cutoff": timezone.localdate().isoformat()}
    )
    run = DisposalRun.objects.get()
    changelist = reverse("admin:records_disposalrun_changelist")
    for action in ("approve", "execute"):
        client.post(changelist, {"action": action, "_selected_action": [run.pk]})
    assert columns_holding(canary) == {"moderation_note.text"}
