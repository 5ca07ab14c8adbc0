"""Retention and disposal (Arkivlagen 10 §): retention classes, legal holds, and disposal runs
from preview through approval to execution."""

from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import permission_require
from core.actors import model_save
from core.exceptions import ApplicationError
from records.choices import ContentRemoval, DisposalRunStatus, RecordStatus
from records.lifecycle import content_copies_remove
from records.models import ERASED_ON_DISPOSAL, DisposalRun, Record, RetentionClass
from records.retention import disposal_due_compute
from records.selectors import record_disposal_candidates
from records.services.common import amendments_empty, guard_session, record_locked
from records.services.registration import retention_classes_get


def retention_class_save(*, retention_class: RetentionClass, actor: User) -> RetentionClass:
    """Create or change a retention class of the information management plan."""
    permission_require(
        actor,
        "records.change_retentionclass" if retention_class.pk else "records.add_retentionclass",
    )
    retention_class.full_clean()
    return model_save(retention_class, actor)


@transaction.atomic
def record_legal_hold_set(*, record: Record, hold: bool, reason: str = "", actor: User) -> Record:
    """Place or lift a legal hold (gallringsstopp); while it holds, disposal skips the entry."""
    permission_require(actor, "records.change_record")
    if hold and not reason.strip():
        raise ValidationError({"legal_hold_reason": _("A legal hold needs its reason.")})
    record = record_locked(record)
    record.legal_hold = hold
    record.legal_hold_reason = reason.strip() if hold else ""
    model_save(record, actor, update_fields=["legal_hold", "legal_hold_reason"])
    return record


@transaction.atomic
def record_retention_set(*, record: Record, retention_class: str, actor: User) -> Record:
    """Give an entry its retention class (by code); the disposal date follows from it."""
    permission_require(actor, "records.change_record")
    retention = (
        retention_classes_get([retention_class])[retention_class] if retention_class else None
    )
    if retention is None:
        raise ValidationError({"retention_class": _("Choose a retention class.")})
    record = record_locked(record)
    record.retention_class = retention
    record.disposal_due = disposal_due_compute(record.document_date, retention)
    model_save(record, actor, update_fields=["retention_class", "disposal_due"])
    return record


def record_public_label(record: Record) -> str:
    """How an entry is named to a person (disposal runs, answers): its number and public
    subject, never its internal id."""
    return f"{record.number} {record.public_subject}" if record.number else record.public_subject


@transaction.atomic
def disposal_run_preview(
    *, actor: User, cutoff: date | None = None, records: list[Record] | None = None
) -> DisposalRun:
    """A disposal run to review: every entry due on or before ``cutoff`` (today by default),
    entries on legal hold listed as skipped. A later cutoff previews what will be due by then;
    such a run is approved only once its cutoff has come. Given explicit ``records``, an entry
    on legal hold or not yet due refuses the run."""
    permission_require(actor, "records.add_disposalrun")
    cutoff = cutoff or timezone.localdate()
    skipped: list[dict[str, Any]] = []
    if records is not None:
        chosen = list(Record.objects.filter(pk__in=[r.pk for r in records]))
        held = [record_public_label(r) for r in chosen if r.legal_hold]
        if held:
            raise ValidationError(
                {"records": _("Under legal hold, cannot be disposed of: %s.") % "; ".join(held)}
            )
        due_ids = set(record_disposal_candidates(cutoff).values_list("pk", flat=True))
        not_due = [record_public_label(r) for r in chosen if r.pk not in due_ids]
        if not_due:
            raise ValidationError({"records": _("Not due for disposal: %s.") % "; ".join(not_due)})
    else:
        candidates = list(record_disposal_candidates(cutoff).order_by("document_date", "pk"))
        chosen = [r for r in candidates if not r.legal_hold]
        skipped = [_skipped(r, r.legal_hold_reason) for r in candidates if r.legal_hold]
    if not chosen:
        raise ValidationError(_("No entries are due for disposal."))
    run = DisposalRun(cutoff=cutoff, skipped=skipped, created_by=actor)
    model_save(run, actor)
    run.records.set(chosen)
    return run


@transaction.atomic
def disposal_run_approve(*, run: DisposalRun, actor: User) -> DisposalRun:
    permission_require(actor, "records.approve_disposalrun")
    run = DisposalRun.objects.select_for_update().get(pk=run.pk)
    if run.status != DisposalRunStatus.PREVIEWED:
        raise ApplicationError(_("Only a previewed run can be approved."), code="not_previewed")
    if run.cutoff > timezone.localdate():
        raise ValidationError(
            _("Disposal cannot anticipate the retention period: approve the run on or after %s.")
            % run.cutoff.isoformat()
        )
    run.status = DisposalRunStatus.APPROVED
    run.approved_at = timezone.now()
    run.approved_by = actor
    model_save(run, actor, update_fields=["status", "approved_at", "approved_by"])
    return run


def disposal_session() -> AbstractContextManager[None]:
    """Within it, the database trigger accepts the erasure of snapshots and deletion."""
    return guard_session("records.disposal")


def _skipped(record: Record, reason: str) -> dict[str, Any]:
    """How a run lists an entry it leaves alone, and why."""
    return {
        "record": record.pk,
        "number": record.number or "",
        "subject": record.public_subject,
        "reason": reason,
    }


def _disposal_erase(
    run: DisposalRun, actor: User, now: datetime
) -> tuple[list[Record], list[dict[str, Any]]]:
    disposed: list[Record] = []
    skipped = list(run.skipped)
    for record in (
        run.records.select_for_update(of=("self",)).select_related("retention_class").order_by("pk")
    ):
        if record.legal_hold or record.is_disposed:
            skipped.append(
                _skipped(record, record.legal_hold_reason or record.get_status_display())
            )
            continue
        disposed.append(record)
    # The copies go first, while the entries still say what they quote.
    content_copies_remove(records=disposed, reason=ContentRemoval.DISPOSAL, actor=actor)
    for record in disposed:
        record._disposal = True  # type: ignore[attr-defined]
        record.text, record.raw_payload, record.media = "", {}, []
        record.subject = record.public_subject
        for field in ERASED_ON_DISPOSAL:
            setattr(record, field, "")
        record.status = RecordStatus.DISPOSED
        record.disposed_at = now
        record.disposal_run = run
        model_save(record, actor)
        amendments_empty(record, "_disposal")
        record.history.update(subject=record.public_subject)
    return disposed, skipped


@transaction.atomic
def disposal_run_execute(*, run: DisposalRun, actor: User) -> DisposalRun:
    """Erase the content of every approved entry (Arkivlagen 10 §) and keep its tombstone:
    number, dates, public subject, hash and this run with its decision. An entry put on legal
    hold after approval is skipped. The run's report lists both."""
    permission_require(actor, "records.approve_disposalrun")
    run = DisposalRun.objects.select_for_update().get(pk=run.pk)
    if run.status != DisposalRunStatus.APPROVED:
        raise ApplicationError(_("Approve the run before executing it."), code="not_approved")
    now = timezone.now()
    with disposal_session():
        disposed, skipped = _disposal_erase(run, actor, now)
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Disposal run %(id)s, executed %(when)s by %(who)s")
            % {
                "id": run.pk,
                "when": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
                "who": actor.name or actor.email,
            },
            "",
        ]
        lines.append(_("Disposed of (%d):") % len(disposed))
        lines += [
            "\t".join(
                (
                    r.number or "",
                    f"{timezone.localtime(r.document_date):%Y-%m-%d}",
                    r.public_subject,
                    r.sha256,
                    r.retention_class.decision_reference if r.retention_class else "",
                )
            )
            for r in disposed
        ]
        lines += ["", _("Skipped (%d):") % len(skipped)]
        lines += ["\t".join((s["number"], s.get("subject", ""), s["reason"])) for s in skipped]
    run.status = DisposalRunStatus.EXECUTED
    run.executed_at = now
    run.skipped = skipped
    run.report = "\n".join(lines) + "\n"
    model_save(run, actor, update_fields=["status", "executed_at", "skipped", "report"])
    return run
