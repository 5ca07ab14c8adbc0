"""The erasure of unlawful content: its own path beside disposal, for child abuse material only.
The content goes at once; number, dates, platform ids and the original's hash stay."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from core.exceptions import ApplicationError
from records.choices import RecordStatus, UnlawfulContentBasis
from records.models import Record, RecordAmendment, snapshot_hash
from records.services import (
    disposal_run_approve,
    disposal_run_execute,
    disposal_run_preview,
    erasure_session,
    fixity_audit_run,
    record_amend,
    record_register,
    record_subject_set,
    record_unlawful_content_erase,
)
from tests.factories import ChannelFactory
from tests.records.factories import RetentionClassFactory, registration_kwargs

pytestmark = pytest.mark.django_db
CSAM = UnlawfulContentBasis.CHILD_ABUSE_MATERIAL
SUBJECT = "Kommentar med otillåtet innehåll"
TEXT = "otillåten text 4711"


@pytest.fixture
def record(registrar):
    entry = record_register(
        **registration_kwargs(
            ChannelFactory(registered=True),
            registrar,
            subject=SUBJECT,
            text=TEXT,
            raw_payload={"message": TEXT},
            media=[{"url": "https://cdn.example/4711.jpg"}],
        )
    )
    record_amend(
        record=entry,
        text=TEXT + " redigerad",
        raw_payload={"message": TEXT + " redigerad"},
        reason="platform_edit",
        actor=registrar,
        occurred_at=timezone.now(),
    )
    return entry


def erase(record, actor, **overrides):
    kwargs = {
        "record": record,
        "legal_basis": CSAM,
        "decision_reference": "moderation decision 1 (child-abuse-material)",
        "actor": actor,
    }
    kwargs.update(overrides)
    return record_unlawful_content_erase(**kwargs)


def test_erasure_empties_the_content_and_keeps_the_metadata(record, moderator):
    original = Record.objects.get(pk=record.pk)
    erase(record, moderator)
    erased = Record.objects.get(pk=record.pk)
    assert (erased.text, erased.raw_payload, erased.media) == ("", {}, [])
    assert set(RecordAmendment.objects.values_list("text", flat=True)) == {""}
    assert list(RecordAmendment.objects.values_list("raw_payload", flat=True)) == [{}]
    # Number, dates, platform ids and the hash of the original snapshot stay.
    for field in (
        "number",
        "registered_at",
        "document_date",
        "captured_at",
        "source_id",
        "permalink",
        "counterparty_platform_id",
        "sha256",
        "registration_basis",
    ):
        assert getattr(erased, field) == getattr(original, field), field
    assert erased.sha256 == snapshot_hash(TEXT, {"message": TEXT}, original.media)
    assert RecordAmendment.objects.get().sha256 == snapshot_hash(
        TEXT + " redigerad", {"message": TEXT + " redigerad"}, []
    )
    assert erased.status == RecordStatus.ERASED
    assert erased.content_erased_by == moderator
    assert erased.content_erased_at is not None
    assert erased.content_erasure_basis == CSAM
    assert erased.content_erasure_reference == "moderation decision 1 (child-abuse-material)"
    # A neutral subject, in the history too.
    assert SUBJECT not in (erased.subject, erased.public_subject)
    assert erased.subject == erased.public_subject
    assert not erased.history.filter(subject=SUBJECT).exists()
    assert not erased.history.filter(public_subject=SUBJECT).exists()
    assert erased.history.first().history_user == moderator


def test_registrars_are_told_without_the_content(
    record, moderator, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        erase(record, moderator)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [registrar.email]
    assert record.number in mail.subject
    assert "moderation decision 1" in mail.body
    assert TEXT not in mail.body
    assert SUBJECT not in mail.body


@pytest.mark.parametrize("basis", ["", "gdpr", "disposal", "sensitive"])
def test_only_an_unlawful_content_basis_is_accepted(record, moderator, basis):
    with pytest.raises(ValidationError) as error:
        erase(record, moderator, legal_basis=basis)
    assert "legal_basis" in error.value.message_dict
    assert Record.objects.get(pk=record.pk).text == TEXT


def test_a_decision_reference_is_required(record, moderator):
    with pytest.raises(ValidationError) as error:
        erase(record, moderator, decision_reference="  ")
    assert "decision_reference" in error.value.message_dict


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REGISTRAR, Role.ADMINISTRATOR])
def test_only_moderators_may_erase(record, make_user, role):
    with pytest.raises(PermissionDenied):
        erase(record, make_user(role))
    assert Record.objects.get(pk=record.pk).status == RecordStatus.ACTIVE


def test_an_erased_entry_refuses_a_second_erasure_amendments_and_subject(
    record, moderator, registrar
):
    erase(record, moderator)
    with pytest.raises(ApplicationError):
        erase(record, moderator)
    with pytest.raises(ApplicationError):
        record_amend(
            record=record,
            text="ny",
            raw_payload={},
            reason="platform_edit",
            actor=registrar,
            occurred_at=timezone.now(),
        )
    with pytest.raises(ApplicationError):
        record_subject_set(record=record, subject=SUBJECT, public_subject="", actor=registrar)


def test_the_model_guard_still_refuses_other_changes(record, moderator):
    erase(record, moderator)
    erased = Record.objects.get(pk=record.pk)
    erased._erasure = True  # type: ignore[attr-defined]
    erased.text = "tillbaka"
    with pytest.raises(ValidationError):
        erased.save()
    with pytest.raises(ValidationError):
        Record.objects.filter(pk=record.pk).update(sha256="0")
    with pytest.raises(ValidationError):
        erased.delete()


def test_fixity_skips_erased_entries(record, moderator, registrar):
    erase(record, moderator)
    audit = fixity_audit_run(actor=registrar)
    assert audit.mismatches == []


def test_an_erased_entry_is_disposed_of_when_due(registrar, moderator):
    RetentionClassFactory(code="kort", retention_years=1)
    old = record_register(
        **registration_kwargs(
            ChannelFactory(registered=True),
            registrar,
            retention_class="kort",
            document_date=timezone.now().replace(year=timezone.now().year - 3),
        )
    )
    erase(old, moderator)
    run = disposal_run_approve(run=disposal_run_preview(actor=registrar), actor=registrar)
    disposal_run_execute(run=run, actor=registrar)
    old.refresh_from_db()
    assert old.status == RecordStatus.DISPOSED
    assert old.content_erased_at is not None  # the erasure stays on the tombstone


def test_public_register_and_api_show_number_date_and_neutral_subject(record, moderator, client):
    erase(record, moderator)
    record.refresh_from_db()
    page = client.get(reverse("records:public-register")).content.decode()
    assert record.number in page
    assert record.public_subject == "Innehållet raderat enligt lag"
    assert "<td>Innehållet raderat enligt lag</td>" in " ".join(page.split())
    assert SUBJECT not in page
    assert TEXT not in page
    rows = client.get("/api/v1/records/register/").json()["results"]
    assert [(r["number"], r["subject"]) for r in rows] == [(record.number, record.public_subject)]
    assert SUBJECT not in str(rows)


def test_staff_api_shows_the_erasure(record, moderator, registrar, api_client):
    erase(record, moderator)
    api_client.force_authenticate(registrar)
    data = api_client.get(f"/api/v1/records/entries/{record.pk}/").json()
    assert data["status"] == "erased"
    assert data["content_erasure_basis"] == CSAM
    assert data["number"] == record.number
    assert data["sha256"] == record.sha256


@pytest.mark.postgresql  # the trigger exists on PostgreSQL only
def test_trigger_lets_erasure_only_empty_the_content(record):
    with erasure_session(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE records_record SET text = '', raw_payload = '{}'::jsonb, media = '[]'::jsonb "
            "WHERE id = %s",
            [record.pk],
        )
        cursor.execute(
            "UPDATE records_recordamendment SET text = '', raw_payload = '{}'::jsonb "
            "WHERE record_id = %s",
            [record.pk],
        )
    assert Record.objects.filter(pk=record.pk, text="").exists()
    refused = [
        ("records_record", "text = 'tillbaka'", "id"),
        ("records_record", "sha256 = '0'", "id"),
        ("records_record", "media = '[{}]'::jsonb", "id"),
        ("records_recordamendment", "text = 'tillbaka'", "record_id"),
        ("records_recordamendment", "sha256 = '0'", "record_id"),
        ("records_recordamendment", "occurred_at = now()", "record_id"),
    ]
    for table, change, column in refused:
        with (
            pytest.raises(IntegrityError, match="cannot be changed"),
            transaction.atomic(),
            erasure_session(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"UPDATE {table} SET {change} WHERE {column} = %s", [record.pk])
    for table, column in (("records_recordamendment", "record_id"), ("records_record", "id")):
        with (
            pytest.raises(IntegrityError, match="only by disposal"),
            transaction.atomic(),
            erasure_session(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [record.pk])


@pytest.mark.postgresql  # the trigger exists on PostgreSQL only
def test_trigger_refuses_emptying_outside_the_erasure_session(record):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE records_record SET text = '' WHERE id = %s", [record.pk])
    with erasure_session():
        pass
    # Leaving the session switches the guard back on.
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE records_record SET raw_payload = '{}' WHERE id = %s", [record.pk])


@pytest.mark.postgresql  # the trigger exists on PostgreSQL only
def test_trigger_refuses_changes_to_an_erased_entry(record, moderator):
    erase(record, moderator)
    for change in ("text = 'tillbaka'", "sha256 = '0'"):
        with (
            pytest.raises(IntegrityError, match="cannot be changed"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"UPDATE records_record SET {change} WHERE id = %s", [record.pk])
    with (
        pytest.raises(IntegrityError, match="only by disposal"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM records_record WHERE id = %s", [record.pk])


@pytest.mark.postgresql  # the trigger exists on PostgreSQL only
def test_an_error_inside_the_session_switches_the_guard_back_on(record):
    with transaction.atomic():  # the caller's transaction goes on after the error
        with pytest.raises(IntegrityError), erasure_session(), connection.cursor() as cursor:
            cursor.execute("UPDATE records_record SET sha256 = '0' WHERE id = %s", [record.pk])
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('records.erasure', true)")
            assert cursor.fetchone()[0] in (None, "", "off")
            with pytest.raises(IntegrityError), transaction.atomic():
                cursor.execute("UPDATE records_record SET text = '' WHERE id = %s", [record.pk])


def test_admin_shows_the_erasure_and_keeps_the_neutral_subject(
    client, record, moderator, registrar
):
    erase(record, moderator)
    client.force_login(registrar)
    url = reverse("admin:records_record_change", args=[record.pk])
    page = client.get(url).content.decode()
    assert "Raderat som olagligt innehåll" in page
    assert record.number in page
    assert TEXT not in page
    assert SUBJECT not in page
    history = client.get(reverse("admin:records_record_history", args=[record.pk]))
    assert history.status_code == 200
    assert SUBJECT not in history.content.decode()
