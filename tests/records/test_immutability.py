"""The snapshot of a registered entry never changes, and only disposal removes anything."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from records.models import Record, RecordAmendment
from records.services import record_amend, record_register
from tests.factories import ChannelFactory
from tests.records.factories import registration_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(registrar):
    return record_register(**registration_kwargs(ChannelFactory(registered=True), registrar))


@pytest.mark.parametrize(
    ("field", "value"),
    [("text", "changed"), ("raw_payload", {"x": 1}), ("media", [{"url": "x"}]), ("sha256", "0")],
)
def test_model_save_refuses_a_changed_snapshot(record, field, value):
    setattr(record, field, value)
    with pytest.raises(ValidationError):
        record.save()
    record.refresh_from_db()
    assert record.sha256 == record.computed_hash()


@pytest.mark.parametrize("field", ["text", "raw_payload", "media", "sha256"])
def test_queryset_update_refuses_snapshot_columns(record, field):
    with pytest.raises(ValidationError):
        Record.objects.filter(pk=record.pk).update(**{field: "x" if field != "media" else []})


def test_metadata_update_is_allowed_and_kept_in_history(record, registrar):
    from records.services import record_legal_hold_set

    record_legal_hold_set(record=record, hold=True, reason="Tvist", actor=registrar)
    assert record.history.count() == 2
    latest = record.history.first()
    assert latest.legal_hold is True
    assert latest.history_user == registrar
    assert not hasattr(latest, "text")  # the snapshot is not copied into the history


def test_delete_is_refused_on_instance_and_queryset(record):
    with pytest.raises(ValidationError):
        record.delete()
    with pytest.raises(ValidationError):
        Record.objects.all().delete()
    assert Record.objects.count() == 1


def test_amendment_bulk_update_and_delete_are_refused(record, registrar):
    from django.utils import timezone

    record_amend(
        record=record,
        text="ny",
        raw_payload={},
        reason="platform_edit",
        actor=registrar,
        occurred_at=timezone.now(),
    )
    with pytest.raises(ValidationError):
        RecordAmendment.objects.update(text="annan")
    with pytest.raises(ValidationError):
        RecordAmendment.objects.all().delete()
    assert RecordAmendment.objects.get().text == "ny"


@pytest.mark.postgresql  # the trigger exists on PostgreSQL only
def test_trigger_refuses_raw_update_of_an_amendment(record, registrar):
    from django.utils import timezone

    record_amend(
        record=record,
        text="ny",
        raw_payload={},
        reason="platform_edit",
        actor=registrar,
        occurred_at=timezone.now(),
    )
    with (
        pytest.raises(IntegrityError, match="cannot be changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE records_recordamendment SET text = 'annan'")


def test_amendment_cannot_be_changed_or_deleted(record, registrar):
    from django.utils import timezone

    amendment = record_amend(
        record=record,
        text="ny",
        raw_payload={},
        reason="platform_edit",
        actor=registrar,
        occurred_at=timezone.now(),
    )
    amendment.text = "annan"
    with pytest.raises(ValidationError):
        amendment.save()
    with pytest.raises(ValidationError):
        amendment.delete()


@pytest.mark.postgresql  # the trigger exists on PostgreSQL only
@pytest.mark.parametrize("column", ["text", "raw_payload", "media", "sha256"])
def test_trigger_refuses_raw_update_of_snapshot(record, column):
    value = {
        "text": "'x'",
        "raw_payload": "'{}'::jsonb",
        "media": "'[{}]'::jsonb",
        "sha256": "'0'",
    }[column]
    with (
        pytest.raises(IntegrityError, match="cannot be changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE records_record SET {column} = {value} WHERE id = %s", [record.pk])


@pytest.mark.postgresql  # the trigger exists on PostgreSQL only
def test_trigger_allows_raw_update_of_metadata(record):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE records_record SET legal_hold = true WHERE id = %s", [record.pk])
    record.refresh_from_db()
    assert record.legal_hold


@pytest.mark.postgresql  # the trigger exists on PostgreSQL only
def test_trigger_refuses_raw_delete_outside_disposal(record, registrar):
    from django.utils import timezone

    record_amend(
        record=record,
        text="ny",
        raw_payload={},
        reason="platform_edit",
        actor=registrar,
        occurred_at=timezone.now(),
    )
    for table, column in (("records_recordamendment", "record_id"), ("records_record", "id")):
        with (
            pytest.raises(IntegrityError, match="only by disposal"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [record.pk])
    assert Record.objects.filter(pk=record.pk).exists()
    assert RecordAmendment.objects.filter(record=record).exists()


@pytest.mark.postgresql  # the trigger exists on PostgreSQL only
def test_trigger_lets_the_disposal_session_through(record):
    from records.services import disposal_session

    with disposal_session(), connection.cursor() as cursor:
        cursor.execute("UPDATE records_record SET text = '' WHERE id = %s", [record.pk])
    record.refresh_from_db()
    assert record.text == ""
    # Leaving the disposal session switches the guard back on.
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE records_record SET text = 'x' WHERE id = %s", [record.pk])
