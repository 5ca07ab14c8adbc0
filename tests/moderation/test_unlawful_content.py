"""Child abuse material removed by a moderator leaves no copy anywhere in the database: not in
moderation's tables, not in the register entry made at intake, not in any history table. The
entry stays with its number, dates and hash, marked erased."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.choices import Role
from channels_app.choices import ChannelRecordsPolicy
from moderation import services
from moderation.models import Item
from moderation.services import workflow
from records.choices import RecordStatus, UnlawfulContentBasis
from records.models import Record
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

CANARY = "CANARY-5e1f0b7d"
PHONE = "070-123 45 67"  # found by the phone detector, so a detector hit quotes the content
TEXT = f"Beskrivning {CANARY} ring {PHONE}"
CSAM = "child-abuse-material"
TEXT_TYPES = (models.CharField, models.TextField, models.JSONField)


def columns_holding(*needles: str) -> set[str]:
    """Every ``table.column`` of every model in the project (historical tables and many-to-many
    tables included) whose text, character or JSON value contains one of ``needles``."""
    found = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        for field in meta.concrete_fields:
            if not isinstance(field, TEXT_TYPES):
                continue
            rows = model._base_manager.annotate(scanned=Cast(field.name, models.TextField()))
            for needle in needles:
                if rows.filter(scanned__contains=needle).exists():
                    found.add(f"{meta.db_table}.{field.column}")
    return found


@pytest.fixture
def channel(db):
    """A channel that registers everything at intake: the entry holds the content at once."""
    return ChannelFactory.create(connected=True, records_policy=ChannelRecordsPolicy.REGISTER_ALL)


@pytest.fixture
def item(intake, channel, moderator):
    item = intake(text=TEXT, external_id="csam-1")
    # An edit on the platform: a second version, and an amendment of the register entry.
    intake(text=f"{TEXT} (redigerad)", external_id="csam-1", occurred_at=timezone.now())
    services.note_create(
        text=f"Anmäls till polisen. Texten var: {TEXT}", item=item, actor=moderator
    )
    return Item.objects.get(pk=item.pk)


@pytest.fixture
def other_moderator(make_user):
    return make_user(Role.MODERATOR)


def test_the_scan_finds_the_content_before_removal(item):
    found = columns_holding(CANARY, PHONE)
    assert {
        "moderation_item.text",
        "moderation_item.raw_payload",
        "moderation_itemversion.text",
        "moderation_itemversion.raw_payload",
        "moderation_detectorhit.matched",
        "moderation_note.text",
        "records_record.text",
        "records_record.raw_payload",
        "records_recordamendment.text",
        "records_recordamendment.raw_payload",
    } <= found
    record = Record.objects.get()
    assert record.number
    assert record.status == RecordStatus.ACTIVE


def assert_erased(record: Record, *, moderator) -> None:
    assert columns_holding(CANARY, PHONE) == set()
    record.refresh_from_db()
    assert record.number
    assert record.registered_at
    assert record.document_date
    assert record.sha256
    assert record.sha256 != record.computed_hash()
    assert record.status == RecordStatus.ERASED
    assert record.content_erasure_basis == UnlawfulContentBasis.CHILD_ABUSE_MATERIAL
    assert record.content_erased_by == moderator
    assert record.source_id == "csam-1"


def test_removal_erases_the_content_everywhere(
    item, moderator, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    original = Record.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.item_decide(
            item=item, action="remove", ground_codes=[CSAM], actor=moderator
        )
    record = Record.objects.get()
    assert_erased(record, moderator=moderator)
    assert (record.number, record.sha256, record.document_date) == (
        original.number,
        original.sha256,
        original.document_date,
    )
    assert record.content_erasure_reference == f"moderation decision {decision.pk} ({CSAM})"
    assert record.counterparty_platform_id == original.counterparty_platform_id
    item.refresh_from_db()
    assert item.content_withheld
    assert item.external_id == "csam-1"
    assert item.record == record
    assert "[" in item.notes.get().text  # the note is kept, its quotation replaced
    assert [m.to for m in mailoutbox if record.number in m.subject] == [[registrar.email]]


def test_a_later_platform_event_brings_nothing_back(item, intake, moderator):
    services.item_decide(item=item, action="remove", ground_codes=[CSAM], actor=moderator)
    later = timezone.now() + timedelta(seconds=1)
    intake(text=f"{TEXT} igen", external_id="csam-1", occurred_at=later)
    intake(text=f"{TEXT} igen", external_id="csam-1", occurred_at=later, event="removed")
    assert columns_holding(CANARY, PHONE) == set()


def test_bulk_removal_erases_every_item(intake, channel, moderator):
    first = intake(text=TEXT, external_id="csam-1")
    second = intake(text=f"Annan {CANARY}", external_id="csam-2")
    assert len(columns_holding(CANARY)) > 0
    services.items_decide_bulk(
        items=[first, second], action="remove", ground_codes=[CSAM], actor=moderator
    )
    assert columns_holding(CANARY, PHONE) == set()
    assert set(Record.objects.values_list("status", flat=True)) == {RecordStatus.ERASED}
    assert Record.objects.filter(number__isnull=False).count() == 2


def test_ordinary_removal_keeps_the_register_content(item, moderator):
    services.item_decide(item=item, action="remove", ground_codes=["harassment"], actor=moderator)
    record = Record.objects.get()
    assert record.status == RecordStatus.ACTIVE
    assert CANARY in record.text
    assert record.sha256 == record.computed_hash()
    assert "records_record.text" in columns_holding(CANARY)
    assert "moderation_item.text" in columns_holding(CANARY)


def test_removal_on_reconsideration_erases(item, moderator, other_moderator):
    decision = services.item_decide(
        item=item, action="remove", ground_codes=["harassment"], actor=moderator
    )
    assert CANARY in Record.objects.get().text
    services.decision_reconsider(
        decision=decision,
        outcome="changed",
        rationale="Fel grund: materialet är barnpornografi.",
        actor=other_moderator,
    )
    services.item_decide(item=item, action="remove", ground_codes=[CSAM], actor=other_moderator)
    assert_erased(Record.objects.get(), moderator=other_moderator)


def test_child_abuse_material_is_removed_not_hidden(item, moderator):
    with pytest.raises(ValidationError):
        services.item_decide(item=item, action="hide", ground_codes=[CSAM], actor=moderator)
    assert Record.objects.get().status == RecordStatus.ACTIVE


def test_a_removal_refused_midway_leaves_the_entry_untouched(item, moderator, monkeypatch):
    """The erasure runs in the decision's transaction: if it fails, nothing is decided."""

    def fail(**kwargs):
        raise ValidationError("refused")

    monkeypatch.setattr(workflow, "record_unlawful_content_erase", fail)
    with pytest.raises(ValidationError):
        services.item_decide(item=item, action="remove", ground_codes=[CSAM], actor=moderator)
    item.refresh_from_db()
    assert not item.content_withheld
    assert CANARY in item.text
    assert not item.decisions.exists()


def test_a_bulk_removal_refused_midway_erases_nothing_and_tells_nobody(
    intake,
    channel,
    moderator,
    registrar,
    monkeypatch,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    first = intake(text=TEXT, external_id="csam-1")
    second = intake(text=f"Annan {CANARY}", external_id="csam-2")
    real = workflow.record_unlawful_content_erase
    calls = []

    def erase_then_fail(**kwargs):
        calls.append(kwargs["record"].source_id)
        if len(calls) == 2:
            raise ValidationError("refused")
        return real(**kwargs)

    monkeypatch.setattr(workflow, "record_unlawful_content_erase", erase_then_fail)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.items_decide_bulk(
            items=[first, second], action="remove", ground_codes=[CSAM], actor=moderator
        )
    assert calls == ["csam-1", "csam-2"]
    assert set(Record.objects.values_list("status", flat=True)) == {RecordStatus.ACTIVE}
    assert CANARY in Record.objects.get(source_id="csam-1").text
    assert mailoutbox == []
