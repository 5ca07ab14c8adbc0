"""Every write to the public-records register: registration, amendments, secrecy, requests
for public documents, retention and disposal, fixity audits."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import permission_require
from channels_app.choices import ChannelRecordsPolicy
from channels_app.models import Channel
from config.exceptions import ApplicationError
from records.choices import (
    AmendmentKind,
    RecordDirection,
    RegistrationBasis,
    RegistrationReason,
    RegistrationRule,
)
from records.masking import mask_personal_data
from records.models import (
    Record,
    RecordAmendment,
    RetentionClass,
    SeriesCounter,
    snapshot_hash,
)

BASIS_RANK = {
    RegistrationBasis.LITTLE_IMPORTANCE: 0,
    RegistrationBasis.KEPT_IN_ORDER: 1,
    RegistrationBasis.REGISTERED: 2,
}
REASON_RANK = {
    RegistrationReason.RECEIVED: 0,
    RegistrationReason.MODERATED: 1,
    RegistrationReason.SENSITIVE: 2,
}
POLICY_BASIS = {
    ChannelRecordsPolicy.REGISTER_ALL: (
        RegistrationBasis.REGISTERED,
        RegistrationRule.POLICY_REGISTER_ALL,
    ),
    ChannelRecordsPolicy.REGISTER_MODERATED: (
        RegistrationBasis.KEPT_IN_ORDER,
        RegistrationRule.POLICY_REGISTER_MODERATED,
    ),
    ChannelRecordsPolicy.KEEP_IN_ORDER: (
        RegistrationBasis.KEPT_IN_ORDER,
        RegistrationRule.POLICY_KEEP_IN_ORDER,
    ),
}


def registration_basis_decide(
    *, channel: Channel, direction: str, reason: str, text: str, media: list[dict]
) -> tuple[str, str]:
    """The registration basis (OSL 5:1) and the rule that decided it. Sensitive and moderated
    items are always registered, as are our own publications; what merely arrived follows the
    channel's records policy, and an item with neither text nor media is of little importance."""
    if reason == RegistrationReason.SENSITIVE:
        return RegistrationBasis.REGISTERED, RegistrationRule.SENSITIVE
    if reason == RegistrationReason.MODERATED:
        return RegistrationBasis.REGISTERED, RegistrationRule.MODERATED
    if direction == RecordDirection.DRAWN_UP:
        return RegistrationBasis.REGISTERED, RegistrationRule.DRAWN_UP
    if not text.strip() and not media:
        return RegistrationBasis.LITTLE_IMPORTANCE, RegistrationRule.NO_CONTENT
    return POLICY_BASIS[ChannelRecordsPolicy(channel.records_policy)]


def _number_allocate(record: Record) -> None:
    """Take the next number in the series of the registration year. The counter row is locked
    until the transaction ends, so a concurrent registration waits: no number is shared, and
    a rolled-back registration gives its number back."""
    prefix = settings.RECORDS_SERIES_PREFIX
    registered_at = record.registered_at or timezone.now()
    year = timezone.localtime(registered_at).year
    SeriesCounter.objects.bulk_create(
        [SeriesCounter(prefix=prefix, year=year)], ignore_conflicts=True
    )
    counter = SeriesCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    record.series_prefix = prefix
    record.series_year = year
    record.series_sequence = counter.last_number
    record.number = f"{prefix} {year}/{counter.last_number:06d}"


def _retention_class_get(code: str) -> RetentionClass | None:
    code = code or settings.RECORDS_DEFAULT_RETENTION_CLASS
    if not code:
        return None
    found = RetentionClass.objects.filter(code=code).first()
    if found is None:
        raise ValidationError({"retention_class": _("Unknown retention class: %s.") % code})
    return found


def disposal_due_compute(document_date: datetime, retention: RetentionClass | None) -> date | None:
    if retention is None or retention.retention_years is None:
        return None
    day = timezone.localtime(document_date).date()
    try:
        return day.replace(year=day.year + retention.retention_years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + retention.retention_years, day=28)


def _subject_default(subject: str, text: str) -> str:
    subject = " ".join(subject.split())
    if subject:
        return subject[:500]
    words = " ".join(text.split())
    if len(words) > 120:
        words = words[:119].rstrip() + "…"
    return words or _("Media without text")


def _record_upgrade(record: Record, *, basis: str, rule: str, reason: str) -> Record:
    """A later, stronger reason raises the registration basis of an existing entry."""
    old = (
        BASIS_RANK[RegistrationBasis(record.registration_basis)],
        REASON_RANK[RegistrationReason(record.registration_reason)],
    )
    new = (BASIS_RANK[RegistrationBasis(basis)], REASON_RANK[RegistrationReason(reason)])
    if new <= old:
        return record
    record.registration_reason = reason
    record.registration_rule = rule
    fields = ["registration_reason", "registration_rule"]
    if (
        BASIS_RANK[RegistrationBasis(basis)]
        > BASIS_RANK[RegistrationBasis(record.registration_basis)]
    ):
        record.registration_basis = basis
        fields.append("registration_basis")
        if basis == RegistrationBasis.REGISTERED and record.number is None:
            record.registered_at = timezone.now()
            _number_allocate(record)
            fields += ["registered_at", "number", "series_prefix", "series_year", "series_sequence"]
    record.save(update_fields=fields)
    return record


@transaction.atomic
def record_register(
    *,
    channel: Channel,
    source_id: str,
    document_date: datetime,
    direction: str,
    subject: str,
    text: str,
    raw_payload: dict,
    reason: str,
    actor: User,
    counterparty_name: str = "",
    counterparty_platform_id: str = "",
    counterparty_handle: str = "",
    permalink: str = "",
    media: list[dict] | None = None,
    counterparty_protected: bool = False,
    retention_class: str = "",
) -> Record:
    """Register (or keep in order) a document that reached an account or that we published.

    Always returns the entry, never None: its ``registration_basis`` says whether it is
    registered (and then has a ``number``), kept in order (OSL 5:1 3rd para.) or of little
    importance (4th para.), and ``registration_rule`` says which rule decided it (see
    ``registration_basis_decide``). The document date is the platform's time, not ours.

    Idempotent on (channel, source_id): the same source registered again returns the first
    entry unchanged, except that a stronger reason (sensitive > moderated > received) upgrades
    its basis and reason, and gives it a number if it becomes registered. The snapshot is
    never replaced: use ``record_amend`` for edits. ``retention_class`` is a class code
    (default: the RECORDS_DEFAULT_RETENTION_CLASS setting).
    """
    permission_require(actor, "records.add_record")
    media = list(media or [])
    errors: dict[str, str] = {}
    if not isinstance(channel, Channel) or channel.pk is None:
        errors["channel"] = _("A register entry needs a channel.")
    if document_date is None:
        errors["document_date"] = _("A register entry needs its document date.")
    elif timezone.is_naive(document_date):
        errors["document_date"] = _("The document date must include its time zone.")
    elif document_date > timezone.now() + timedelta(minutes=5):
        errors["document_date"] = _("The document date cannot be in the future.")
    if not str(source_id or "").strip():
        errors["source_id"] = _("A register entry needs the platform object id.")
    if direction not in RecordDirection.values:
        errors["direction"] = _("Unknown direction: %s.") % direction
    if reason not in RegistrationReason.values:
        errors["reason"] = _("Unknown registration reason: %s.") % reason
    if not isinstance(raw_payload, dict):
        errors["raw_payload"] = _("The raw payload must be a JSON object.")
    if not all(isinstance(item, dict) for item in media):
        errors["media"] = _("Each media item must be a JSON object.")
    if errors:
        raise ValidationError(errors)
    retention = _retention_class_get(retention_class)
    source_id = str(source_id).strip()
    basis, rule = registration_basis_decide(
        channel=channel, direction=direction, reason=reason, text=text, media=media
    )

    existing = (
        Record.objects.select_for_update().filter(channel=channel, source_id=source_id).first()
    )
    if existing is not None:
        return _record_upgrade(existing, basis=basis, rule=rule, reason=reason)

    subject = _subject_default(subject, text)
    record = Record(
        channel=channel,
        source_id=source_id,
        permalink=permalink,
        direction=direction,
        document_date=document_date,
        counterparty_name=counterparty_name,
        counterparty_platform_id=counterparty_platform_id,
        counterparty_handle=counterparty_handle,
        counterparty_protected=counterparty_protected,
        subject=subject,
        public_subject=mask_personal_data(subject),
        text=text,
        raw_payload=raw_payload,
        media=media,
        sha256=snapshot_hash(text, raw_payload, media),
        registration_reason=reason,
        registration_basis=basis,
        registration_rule=rule,
        retention_class=retention,
        disposal_due=disposal_due_compute(document_date, retention),
        created_by=actor,
    )
    record.full_clean(exclude=["number"], validate_constraints=False)
    try:
        with transaction.atomic():
            if basis == RegistrationBasis.REGISTERED:
                record.registered_at = timezone.now()
                _number_allocate(record)
            record.save()
    except IntegrityError:
        # The same source was registered concurrently: return that entry.
        existing = Record.objects.select_for_update().get(channel=channel, source_id=source_id)
        return _record_upgrade(existing, basis=basis, rule=rule, reason=reason)
    return record


@transaction.atomic
def record_amend(
    *,
    record: Record,
    text: str,
    raw_payload: dict,
    reason: str,
    actor: User,
    occurred_at: datetime,
    note: str = "",
) -> RecordAmendment:
    """Append a platform edit or a correction to an entry; its snapshot stays as registered.

    ``reason`` is an ``AmendmentKind`` (platform_edit / correction); ``note`` explains it and
    is required for a correction."""
    permission_require(actor, "records.add_recordamendment")
    errors: dict[str, str] = {}
    if reason not in AmendmentKind.values:
        errors["reason"] = _("Unknown kind of amendment: %s.") % reason
    if occurred_at is None or timezone.is_naive(occurred_at):
        errors["occurred_at"] = _("The time of the amendment must include its time zone.")
    elif occurred_at > timezone.now() + timedelta(minutes=5):
        errors["occurred_at"] = _("The time of the amendment cannot be in the future.")
    if not isinstance(raw_payload, dict):
        errors["raw_payload"] = _("The raw payload must be a JSON object.")
    if reason == AmendmentKind.CORRECTION and not note.strip():
        errors["note"] = _("A correction must say what is corrected and why.")
    if errors:
        raise ValidationError(errors)
    record = Record.objects.select_for_update().get(pk=record.pk)
    if record.is_disposed:
        raise ApplicationError(_("The entry has been disposed of."), code="disposed")
    amendment = RecordAmendment(
        record=record,
        kind=reason,
        text=text,
        raw_payload=raw_payload,
        sha256=snapshot_hash(text, raw_payload, []),
        reason=note.strip() or str(AmendmentKind(reason).label),
        occurred_at=occurred_at,
        created_by=actor,
    )
    amendment.full_clean()
    amendment.save()
    return amendment


def _disposal_session_on() -> None:
    """Let the database trigger accept this transaction's erasure of snapshots."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL records.disposal = 'on'")
