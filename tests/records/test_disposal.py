"""Retention, disposal runs (preview, approval, execution, report), legal hold, erasure requests,
and the fixity audit."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from accounts.choices import Role
from core.exceptions import ApplicationError
from records.choices import DisposalRunStatus, RecordStatus
from records.models import DisposalRun, FixityAudit, Record
from records.services import (
    disposal_run_approve,
    disposal_run_execute,
    disposal_run_preview,
    disposal_session,
    erasure_request_answer,
    fixity_audit_run,
    record_amend,
    record_legal_hold_set,
    record_register,
    record_retention_set,
)
from tests.factories import ChannelFactory
from tests.records.factories import RetentionClassFactory, registration_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_records(registrar):
    RetentionClassFactory(code="kort", retention_years=1, decision_reference="KS 2026/17")
    channel = ChannelFactory(registered=True)
    three_years_ago = timezone.now() - timedelta(days=3 * 366)
    return [
        record_register(
            **registration_kwargs(
                channel,
                registrar,
                document_date=three_years_ago,
                retention_class="kort",
                subject=f"Kommentar {n}",
                text=f"Anna skrev {n}",
            )
        )
        for n in range(3)
    ]


def test_preview_lists_due_entries_and_skips_legal_hold(old_records, registrar):
    record_legal_hold_set(record=old_records[0], hold=True, reason="Tvist", actor=registrar)
    young = record_register(
        **registration_kwargs(ChannelFactory(registered=True), registrar, retention_class="kort")
    )
    run = disposal_run_preview(actor=registrar)
    assert set(run.records.all()) == set(old_records[1:])
    assert young not in run.records.all()
    assert run.skipped == [
        {
            "record": old_records[0].pk,
            "number": old_records[0].number,
            "subject": "Kommentar 0",
            "reason": "Tvist",
        }
    ]


def test_explicit_run_with_entry_under_legal_hold_is_refused(old_records, registrar):
    record_legal_hold_set(record=old_records[0], hold=True, reason="Tvist", actor=registrar)
    with pytest.raises(ValidationError) as excinfo:
        disposal_run_preview(actor=registrar, records=old_records)
    assert old_records[0].number in str(excinfo.value)
    assert DisposalRun.objects.count() == 0


def test_explicit_run_with_entry_not_due_is_refused(registrar):
    young = record_register(**registration_kwargs(ChannelFactory(registered=True), registrar))
    with pytest.raises(ValidationError):
        disposal_run_preview(actor=registrar, records=[young])
    assert DisposalRun.objects.count() == 0


def test_execute_erases_content_and_keeps_tombstone(old_records, registrar):
    record = old_records[1]
    record_amend(
        record=record,
        text="Anna ändrade",
        raw_payload={"m": "x"},
        reason="platform_edit",
        actor=registrar,
        occurred_at=timezone.now(),
    )
    run = disposal_run_preview(actor=registrar)
    with pytest.raises(ApplicationError):
        disposal_run_execute(run=run, actor=registrar)
    disposal_run_approve(run=run, actor=registrar)
    # A hold placed after approval still blocks.
    record_legal_hold_set(record=old_records[2], hold=True, reason="JO-ärende", actor=registrar)
    run = disposal_run_execute(run=run, actor=registrar)
    assert run.status == DisposalRunStatus.EXECUTED
    record.refresh_from_db()
    assert record.status == RecordStatus.DISPOSED
    assert (record.text, record.raw_payload, record.media) == ("", {}, [])
    assert record.counterparty_name == ""
    assert record.subject == record.public_subject
    assert record.number
    assert record.sha256
    assert record.document_date
    assert record.disposal_run == run
    assert record.amendments.get().text == ""
    assert not record.history.filter(subject__contains="Anna").exists()
    assert record.number in run.report
    assert "KS 2026/17" in run.report
    assert "JO-ärende" in run.report
    held = Record.objects.get(pk=old_records[2].pk)
    assert held.status == RecordStatus.ACTIVE
    assert held.text == "Anna skrev 2"


def test_disposal_needs_approval_permission(old_records, registrar, make_user):
    run = disposal_run_preview(actor=registrar)
    with pytest.raises(PermissionDenied):
        disposal_run_approve(run=run, actor=make_user(Role.MODERATOR))


def test_retention_set_with_unknown_class_is_refused(registrar):
    record = record_register(**registration_kwargs(ChannelFactory(registered=True), registrar))
    with pytest.raises(ValidationError):
        record_retention_set(record=record, retention_class="finns-inte", actor=registrar)
    record.refresh_from_db()
    assert record.retention_class is None


def test_legal_hold_needs_reason(registrar):
    record = record_register(**registration_kwargs(ChannelFactory(registered=True), registrar))
    with pytest.raises(ValidationError):
        record_legal_hold_set(record=record, hold=True, reason=" ", actor=registrar)


def test_erasure_request_answered_with_archiving_exception(old_records, registrar):
    answer = erasure_request_answer(
        requester="Anna Andersson",
        description="Mina kommentarer",
        records=old_records,
        actor=registrar,
    )
    assert "17" in answer.answer
    assert old_records[0].number in answer.answer


def test_fixity_audit_finds_a_changed_snapshot(old_records, registrar):
    audit = fixity_audit_run(actor=registrar)
    assert audit.checked == 3
    assert audit.mismatches == []
    with disposal_session(), connection.cursor() as cursor:
        # Simulate corruption below the application: raw SQL past every guard.
        cursor.execute(
            "UPDATE records_record SET text = 'förfalskad' WHERE id = %s", [old_records[0].pk]
        )
    audit = fixity_audit_run(actor=registrar)
    assert audit.mismatches == [{"record": old_records[0].pk, "number": old_records[0].number}]
    assert FixityAudit.objects.count() == 2
    assert len(mail.outbox) == 1
    assert registrar.email in mail.outbox[0].to
