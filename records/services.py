"""Every write to the public-records register: registration, amendments, secrecy, requests
for public documents, retention and disposal, fixity audits."""

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.permissions import permission_require
from channels_app.choices import ChannelRecordsPolicy
from channels_app.models import Channel
from core.dispatch import dispatch_on_commit
from core.exceptions import ApplicationError
from core.workdays import next_working_day
from records.access import SECRET_PERMISSION
from records.choices import (
    AmendmentKind,
    ContentRemoval,
    DisposalRunStatus,
    RecordDirection,
    RecordSource,
    RecordStatus,
    RegistrationBasis,
    RegistrationReason,
    RegistrationRule,
    RequestDecision,
    RequestIntake,
    RequestStatus,
    UnlawfulContentBasis,
)
from records.delivery import delivery_build
from records.lifecycle import content_copies_remove
from records.masking import mask_personal_data
from records.models import (
    ERASED_CONTENT,
    ERASED_ON_DISPOSAL,
    AccessRequest,
    DisposalRun,
    ErasureRequest,
    FixityAudit,
    Record,
    RecordAmendment,
    RetentionClass,
    SecretAccessLog,
    SeriesCounter,
    snapshot_hash,
)
from records.retention import (
    RetentionDefaults,
    disposal_due_compute,
    retention_choose,
    retention_defaults_get,
    retention_follow,
)
from records.selectors import record_disposal_candidates

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


def _numbers_take(count: int, registered_at: datetime) -> tuple[str, int, int]:
    """Take the next ``count`` numbers in the series of the registration year, in one statement
    that creates the counter or adds to it and locks its row until the transaction ends: a
    concurrent registration waits, no number is shared, and a rolled-back registration gives
    its numbers back. Returns the prefix, the year and the first number taken."""
    prefix = settings.RECORDS_SERIES_PREFIX
    year = timezone.localtime(registered_at).year
    table = connection.ops.quote_name(SeriesCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, year, last_number) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (prefix, year) DO UPDATE SET last_number = {table}.last_number + "
            "EXCLUDED.last_number RETURNING last_number",
            [prefix, year, count],
        )
        last = int(cursor.fetchone()[0])
    return prefix, year, last - count + 1


def _numbers_allocate(records: Sequence[Record]) -> None:
    """Number the entries in the order given, registered now."""
    if not records:
        return
    registered_at = timezone.now()
    prefix, year, first = _numbers_take(len(records), registered_at)
    for sequence, record in enumerate(records, start=first):
        record.registered_at = registered_at
        record.series_prefix, record.series_year, record.series_sequence = prefix, year, sequence
        record.number = f"{prefix} {year}/{sequence:06d}"


def _subject_default(subject: str, text: str) -> str:
    subject = " ".join(subject.split())
    if subject:
        return subject[:500]
    words = " ".join(text.split())
    if len(words) > 120:
        words = words[:119].rstrip() + "…"
    return words or _("Media without text")


def _record_upgrade(
    record: Record, *, basis: str, rule: str, reason: str, defaults: RetentionDefaults
) -> Record:
    """A later, stronger reason raises the registration basis of an existing entry."""
    if record.is_disposed:
        return record
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
        fields += retention_follow(record, basis, defaults)
        record.registration_basis = basis
        fields.append("registration_basis")
        if basis == RegistrationBasis.REGISTERED and record.number is None:
            _numbers_allocate([record])
            fields += ["registered_at", "number", "series_prefix", "series_year", "series_sequence"]
    record.save(update_fields=fields)
    return record


def registration_validate(
    *,
    channel: Any,
    source_id: str,
    document_date: Any,
    direction: str,
    reason: str,
    raw_payload: Any,
    media: list[Any],
) -> None:
    """Refuse a registration with bad input (no side effects; admin forms call it too)."""
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


@dataclass(frozen=True)
class Registration:
    """One document to register or keep in order (see ``records_register``). The document date
    is the platform's time, not ours; ``retention_class`` is a class code (default: the
    RECORDS_DEFAULT_RETENTION_CLASS setting)."""

    channel: Channel
    source_id: str
    document_date: datetime
    direction: str
    subject: str
    text: str
    raw_payload: dict
    reason: str
    counterparty_name: str = ""
    counterparty_platform_id: str = ""
    counterparty_handle: str = ""
    permalink: str = ""
    media: list[dict] = dataclass_field(default_factory=list)
    counterparty_protected: bool = False
    retention_class: str = ""
    source_kind: str = RecordSource.PLATFORM
    source_client_id: int | None = None
    in_reply_to_id: int | None = None  # the entry a reply from the channel answers

    @property
    def key(self) -> tuple[int, str, int | None, str]:
        """The entry's origin: channel, path, client (ingest and API) and source id."""
        return (self.channel.pk, self.source_kind, self.source_client_id, self.source_id.strip())


def _retention_classes_get(codes: Iterable[str]) -> dict[str, RetentionClass | None]:
    """The retention class of each code ("" for the default), in one query."""
    wanted = {code: code or settings.RECORDS_DEFAULT_RETENTION_CLASS for code in set(codes)}
    found = {rc.code: rc for rc in RetentionClass.objects.filter(code__in=wanted.values())}
    unknown = sorted(c for c in wanted.values() if c and c not in found)
    if unknown:
        raise ValidationError({"retention_class": _("Unknown retention class: %s.") % unknown[0]})
    return {code: found.get(target) for code, target in wanted.items()}


def _basis(entry: Registration) -> tuple[str, str]:
    return registration_basis_decide(
        channel=entry.channel,
        direction=entry.direction,
        reason=entry.reason,
        text=entry.text,
        media=list(entry.media),
    )


def _record_build(
    entry: Registration,
    retention: RetentionClass | None,
    defaults: RetentionDefaults,
    actor: User,
) -> Record:
    media = list(entry.media)
    basis, rule = _basis(entry)
    retention = retention_choose(
        channel_id=entry.channel.pk,
        basis=basis,
        named=retention if entry.retention_class else None,
        fallback=retention,
        defaults=defaults,
    )
    subject = _subject_default(entry.subject, entry.text)
    record = Record(
        channel=entry.channel,
        source_id=str(entry.source_id).strip(),
        source_kind=entry.source_kind,
        source_client_id=entry.source_client_id,
        permalink=entry.permalink,
        in_reply_to_id=entry.in_reply_to_id,
        direction=entry.direction,
        document_date=entry.document_date,
        counterparty_name=entry.counterparty_name,
        counterparty_platform_id=entry.counterparty_platform_id,
        counterparty_handle=entry.counterparty_handle,
        counterparty_protected=entry.counterparty_protected,
        subject=subject,
        public_subject=mask_personal_data(subject),
        text=entry.text,
        raw_payload=entry.raw_payload,
        media=media,
        sha256=snapshot_hash(entry.text, entry.raw_payload, media),
        registration_reason=entry.reason,
        registration_basis=basis,
        registration_rule=rule,
        retention_class=retention,
        disposal_due=disposal_due_compute(entry.document_date, retention),
        created_by=actor,
    )
    # The related rows are given as instances: no query to prove they exist.
    record.full_clean(
        exclude=["number", "channel", "retention_class", "created_by", "in_reply_to"],
        validate_constraints=False,
    )
    return record


@transaction.atomic
def records_register(*, registrations: Sequence[Registration], actor: User) -> list[Record]:
    """Register (or keep in order) documents that reached an account or that we published;
    returns their entries in the order given, never None. Bad input in any of them refuses
    them all, naming the problem.

    An entry's ``registration_basis`` says whether it is registered (and then has a
    ``number``), kept in order (OSL 5:1 3rd para.) or of little importance (4th para.), and
    ``registration_rule`` says which rule decided it (see ``registration_basis_decide``).

    Idempotent on the origin (channel, ``source_kind``, ``source_client_id`` and source id;
    the same id sent by another path is another entry): a source registered again returns its
    first entry unchanged, except that a stronger reason (sensitive > moderated > received)
    upgrades its basis and reason, and gives it a number if it becomes registered. The
    snapshot is never replaced: use ``record_amend`` for edits. New entries are stored
    together, and the numbers they need are taken at once, last, so the series is locked as
    briefly as can be. An entry's retention class is the one named, else the registrars'
    default for its channel and basis (``RetentionDefault``)."""
    permission_require(actor, "records.add_record")
    for entry in registrations:
        registration_validate(
            channel=entry.channel,
            source_id=entry.source_id,
            document_date=entry.document_date,
            direction=entry.direction,
            reason=entry.reason,
            raw_payload=entry.raw_payload,
            media=list(entry.media),
        )
    retention = _retention_classes_get(entry.retention_class for entry in registrations)
    keys = [entry.key for entry in registrations]
    defaults = retention_defaults_get(key[0] for key in keys)
    stored = {
        _record_key(record): record
        for record in Record.objects.select_for_update().filter(
            channel_id__in={key[0] for key in keys},
            source_kind__in={key[1] for key in keys},
            source_id__in={key[3] for key in keys},
        )
    }
    new: dict[tuple[int, str, int | None, str], Record] = {}
    creators = set()  # the registrations that make a new entry; the rest may upgrade one
    for index, (key, entry) in enumerate(zip(keys, registrations, strict=True)):
        if key not in stored and key not in new:
            new[key] = _record_build(entry, retention[entry.retention_class], defaults, actor)
            creators.add(index)
    try:
        with transaction.atomic():
            _records_create(list(new.values()), actor)
    except IntegrityError:
        if len(registrations) > 1:
            # Another transaction registered one of these sources first; which is not known.
            return [records_register(registrations=[e], actor=actor)[0] for e in registrations]
        # The same source was registered concurrently: that entry is the answer.
        stored[keys[0]] = Record.objects.select_for_update().get(
            channel_id=keys[0][0],
            source_kind=keys[0][1],
            source_client_id=keys[0][2],
            source_id=keys[0][3],
        )
        new.clear()
        creators.clear()
    stored.update(new)
    results = []
    for index, (key, entry) in enumerate(zip(keys, registrations, strict=True)):
        if index not in creators:
            basis, rule = _basis(entry)
            stored[key] = _record_upgrade(
                stored[key], basis=basis, rule=rule, reason=entry.reason, defaults=defaults
            )
        results.append(stored[key])
    return results


def _record_key(record: Record) -> tuple[int, str, int | None, str]:
    return (record.channel_id, record.source_kind, record.source_client_id, record.source_id)


def _records_create(records: list[Record], actor: User) -> None:
    """Store new entries with their first history rows; the registered ones are numbered
    just before they are stored, so the series stays locked only for the inserts."""
    if not records:
        return
    _numbers_allocate([r for r in records if r.registration_basis == RegistrationBasis.REGISTERED])
    Record.objects.bulk_create(records)
    Record.history.bulk_history_create(records, default_user=actor)
    for record in records:
        record.snapshot_loaded()


def record_register(*, actor: User, **fields: Any) -> Record:
    """One registration: ``records_register`` with one ``Registration`` (its fields by name)."""
    return records_register(registrations=[Registration(**fields)], actor=actor)[0]


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
    _content_require(record)
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


def _content_require(record: Record) -> None:
    if not record.has_content:
        raise ApplicationError(
            _("The content of the entry has been erased as unlawful."), code="content_erased"
        )


def _locked(record: Record) -> Record:
    locked = Record.objects.select_for_update().get(pk=record.pk)
    if locked.is_disposed:
        raise ApplicationError(_("The entry has been disposed of."), code="disposed")
    return locked


def _history_save(instance: Any, actor: User, fields: list[str]) -> None:
    instance._history_user = actor
    instance.save(update_fields=fields)


PROVISION_PATTERN = re.compile(r"\d+\s*kap\.?\s*\d+\s*[a-z]?\s*§", re.IGNORECASE)


def provision_validate(provision: str, field: str) -> str:
    provision = " ".join((provision or "").split())
    if not provision:
        raise ValidationError({field: _("Secrecy needs the OSL provision.")})
    if not PROVISION_PATTERN.search(provision) or len(provision) > 200:
        raise ValidationError(
            {field: _("Give the provision as chapter and section, e.g. “OSL 26 kap. 1 §”.")}
        )
    return provision


def retention_class_save(*, retention_class: RetentionClass, actor: User) -> RetentionClass:
    """Create or change a retention class of the information management plan."""
    permission_require(
        actor,
        "records.change_retentionclass" if retention_class.pk else "records.add_retentionclass",
    )
    retention_class.full_clean()
    retention_class._history_user = actor  # type: ignore[attr-defined]
    retention_class.save()
    return retention_class


def _secrecy_set(record: Record, *, secret: bool, provision: str, actor: User) -> Record:
    record = _locked(record)
    record.is_secret = secret
    record.secrecy_provision = provision
    record.secrecy_marked_at = timezone.now()
    record.secrecy_marked_by = actor
    fields = ["is_secret", "secrecy_provision", "secrecy_marked_at", "secrecy_marked_by"]
    if secret and not record.is_registered:
        # OSL 5:1: a secret document is always registered, whatever kept it in order before.
        defaults = retention_defaults_get([record.channel_id])
        fields += retention_follow(record, RegistrationBasis.REGISTERED, defaults)
        record.registration_basis = RegistrationBasis.REGISTERED
        record.registration_rule = RegistrationRule.SECRET
        _numbers_allocate([record])
        fields += [
            "registration_basis",
            "registration_rule",
            "registered_at",
            "number",
            "series_prefix",
            "series_year",
            "series_sequence",
        ]
    _history_save(record, actor, fields)
    return record


@transaction.atomic
def record_secrecy_mark(*, record: Record, provision: str, actor: User) -> Record:
    """Mark an entry secret (OSL 5:5): the provision, the date and who marked it."""
    permission_require(actor, "records.mark_secret_record")
    provision = provision_validate(provision, "secrecy_provision")
    return _secrecy_set(record, secret=True, provision=provision, actor=actor)


@transaction.atomic
def record_secrecy_unmark(*, record: Record, actor: User) -> Record:
    """Remove the secrecy marking; the history keeps the earlier marking, its date and who."""
    permission_require(actor, "records.mark_secret_record")
    if not Record.objects.filter(pk=record.pk, is_secret=True).exists():
        raise ApplicationError(_("The entry is not marked secret."), code="not_secret")
    return _secrecy_set(record, secret=False, provision="", actor=actor)


@transaction.atomic
def record_legal_hold_set(*, record: Record, hold: bool, reason: str = "", actor: User) -> Record:
    """Place or lift a legal hold (gallringsstopp); while it holds, disposal skips the entry."""
    permission_require(actor, "records.change_record")
    if hold and not reason.strip():
        raise ValidationError({"legal_hold_reason": _("A legal hold needs its reason.")})
    record = _locked(record)
    record.legal_hold = hold
    record.legal_hold_reason = reason.strip() if hold else ""
    _history_save(record, actor, ["legal_hold", "legal_hold_reason"])
    return record


@transaction.atomic
def record_retention_set(*, record: Record, retention_class: str, actor: User) -> Record:
    """Give an entry its retention class (by code); the disposal date follows from it."""
    permission_require(actor, "records.change_record")
    retention = (
        _retention_classes_get([retention_class])[retention_class] if retention_class else None
    )
    if retention is None:
        raise ValidationError({"retention_class": _("Choose a retention class.")})
    record = _locked(record)
    record.retention_class = retention
    record.disposal_due = disposal_due_compute(record.document_date, retention)
    _history_save(record, actor, ["retention_class", "disposal_due"])
    return record


@transaction.atomic
def record_subject_set(*, record: Record, subject: str, public_subject: str, actor: User) -> Record:
    """Correct the description (metadata, with history); the public subject is masked again."""
    permission_require(actor, "records.change_record")
    subject = " ".join(subject.split())
    if not subject:
        raise ValidationError({"subject": _("The subject cannot be empty.")})
    record = _locked(record)
    _content_require(record)
    record.subject = subject[:500]
    record.public_subject = mask_personal_data(" ".join(public_subject.split()) or subject)[:500]
    _history_save(record, actor, ["subject", "public_subject"])
    return record


# Requests for public documents -------------------------------------------------------------


def _registrars() -> list[str]:
    from accounts.choices import Role

    return list(
        User.objects.filter(groups__name=Role.REGISTRAR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _access_request_create(
    *,
    intake: str,
    scope: str,
    requester: str,
    contact: str,
    actor: User | None,
    form_nonce: str | None = None,
) -> AccessRequest:
    scope = scope.strip()
    if not scope:
        raise ValidationError({"scope": _("Say which documents you want.")})
    received_at = timezone.now()
    request = AccessRequest(
        intake=intake,
        received_at=received_at,
        due_on=next_working_day(timezone.localtime(received_at).date()),
        scope=scope,
        requester=requester.strip(),
        contact=contact.strip(),
        form_nonce=form_nonce,
        created_by=actor,
    )
    request.full_clean()
    if actor is not None:
        request._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as error:  # the same form token posted twice at the same moment
        raise ValidationError(
            _("This form has already been sent. Reload the page to send again.")
        ) from error
    return request


@transaction.atomic
def access_request_create(
    *,
    scope: str,
    actor: User,
    requester: str = "",
    contact: str = "",
    records: list[Record] | None = None,
) -> AccessRequest:
    """A request a registrar received (by phone, at the desk, by e-mail)."""
    permission_require(actor, "records.add_accessrequest")
    request = _access_request_create(
        intake=RequestIntake.REGISTRAR,
        scope=scope,
        requester=requester,
        contact=contact,
        actor=actor,
    )
    if records:
        request.records.set(records)
    return request


@transaction.atomic
def access_request_submit(*, scope: str, contact: str, form_nonce: str) -> AccessRequest:
    """A request from the public form: anyone may make it, anonymously (TF 2:18); the form's
    one-time nonce refuses a repeated or forged post."""
    if not form_nonce or AccessRequest.objects.filter(form_nonce=form_nonce).exists():
        raise ValidationError(_("This form has already been sent. Reload the page to send again."))
    created = _access_request_create(
        intake=RequestIntake.PUBLIC_FORM,
        scope=scope,
        requester="",
        contact=contact,
        actor=None,
        form_nonce=form_nonce,
    )
    from records.tasks import access_request_notify

    # Registrars also get the daily alert of due requests: an outage loses no request.
    dispatch_on_commit(access_request_notify, created.pk)
    return created


# Registrars hear of each request from the public form at once, up to this many in the window;
# past it, the rest wait for the digest (records.tasks.access_requests_digest, every 15 minutes).
NOTICES_PER_WINDOW = 3
NOTICE_WINDOW = timedelta(minutes=15)


def _access_request_link(request: AccessRequest) -> str:
    return f"{settings.SITE_URL}/admin/records/accessrequest/{request.pk}/change/"


@transaction.atomic
def access_request_received_notify(*, request: AccessRequest, actor: User) -> int:
    """Tell the registrars at once that a request came in through the public form (handling is
    urgent: TF 2:15–16), unless many came lately: then the digest tells them of all in one mail.
    Returns the number of recipients."""
    permission_require(actor, "records.view_accessrequest")
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    now = timezone.now()
    recently_told = AccessRequest.objects.filter(
        intake=RequestIntake.PUBLIC_FORM, notified_at__gte=now - NOTICE_WINDOW
    ).count()
    if request.notified_at is not None or recently_told >= NOTICES_PER_WINDOW:
        return 0
    recipients = _registrars()
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            send_mail(
                subject=_("New request for public documents, due %s") % request.due_on.isoformat(),
                message=request.scope[:2000] + "\n\n" + _access_request_link(request),
                from_email=None,
                recipient_list=recipients,
            )
    request.notified_at = now
    request.save(update_fields=["notified_at"])
    return len(recipients)


@transaction.atomic
def access_requests_digest_send(*, actor: User) -> int:
    """One mail to the registrars listing every request from the public form not yet told of;
    returns how many it listed."""
    permission_require(actor, "records.view_accessrequest")
    waiting = list(
        AccessRequest.objects.select_for_update()
        .filter(intake=RequestIntake.PUBLIC_FORM, notified_at__isnull=True)
        .order_by("received_at")
    )
    if not waiting:
        return 0
    recipients = _registrars()
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            entries = [
                _("Request %(id)s, received %(received)s, due %(due)s:")
                % {
                    "id": request.pk,
                    "received": formats.date_format(
                        timezone.localtime(request.received_at), "DATETIME_FORMAT"
                    ),
                    "due": request.due_on.isoformat(),
                }
                + f"\n{request.scope[:300]}\n{_access_request_link(request)}"
                for request in waiting
            ]
            send_mail(
                subject=_("%(count)s new requests for public documents") % {"count": len(waiting)},
                message="\n\n".join(entries),
                from_email=None,
                recipient_list=recipients,
            )
    AccessRequest.objects.filter(pk__in=[r.pk for r in waiting]).update(notified_at=timezone.now())
    return len(waiting)


@transaction.atomic
def access_request_records_set(
    *, request: AccessRequest, records: list[Record], actor: User
) -> AccessRequest:
    permission_require(actor, "records.change_accessrequest")
    if request.status != RequestStatus.RECEIVED:
        raise ApplicationError(_("The request has already been decided."), code="decided")
    request.records.set(records)
    return request


APPEAL_NOTICE = _(
    "You may appeal against this decision to the Administrative Court of Appeal "
    "(kammarrätten). Send the appeal in writing to Örebro kommun within three weeks from the "
    "day you received the decision; say which decision you appeal against and how you want it "
    "changed. The municipality forwards the appeal to the court."
)


@transaction.atomic
def access_request_decide(
    *,
    request: AccessRequest,
    decision: str,
    actor: User,
    provision: str = "",
    reason: str = "",
    masked_terms: list[str] | None = None,
) -> AccessRequest:
    """Decide a request: release, partial release with masking, or refusal. Partial release
    and refusal cite the OSL provision and carry an appeal notice. A partial release masks
    personal data and, besides, each of ``masked_terms`` (e.g. names)."""
    permission_require(actor, "records.change_accessrequest")
    if decision not in RequestDecision.values:
        raise ValidationError({"decision": _("Unknown decision: %s.") % decision})
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.RECEIVED and not access_request_secret_since_decision(
        request
    ):
        raise ApplicationError(_("The request has already been decided."), code="decided")
    if decision != RequestDecision.RELEASE:
        provision = provision_validate(provision, "decision_provision")
    elif not request.records.exists():
        raise ValidationError({"records": _("Link the entries to release first.")})
    if decision == RequestDecision.PARTIAL and not request.records.exists():
        raise ValidationError({"records": _("Link the entries to release first.")})
    if decision == RequestDecision.RELEASE and request.records.filter(is_secret=True).exists():
        # OSL: a document marked secret is released only after a secrecy review, i.e. masked
        # (partial release) or after its marking has been lifted.
        raise ValidationError(
            {
                "decision": _(
                    "An entry marked secret cannot be released in full: release it in part "
                    "with masking, refuse, or lift the secrecy marking first."
                )
            }
        )
    request.decision = decision
    request.decision_provision = provision if decision != RequestDecision.RELEASE else ""
    request.decision_reason = reason.strip()
    terms = [t.strip() for t in (masked_terms or []) if t.strip()]
    request.masked_terms = terms if decision == RequestDecision.PARTIAL else []
    with translation.override(settings.LANGUAGE_CODE):
        request.appeal_notice = str(APPEAL_NOTICE) if decision != RequestDecision.RELEASE else ""
    request.status = RequestStatus.DECIDED
    request.decided_at = timezone.now()
    request.decided_by = actor
    request._history_user = actor  # type: ignore[attr-defined]
    request.save()
    return request


def access_request_secret_since_decision(request: AccessRequest) -> list[Record]:
    """The linked entries a delivery may not send as decided: marked secret after the decision
    (its secrecy review did not cover them), or secret under a decision to release in full."""
    if request.status != RequestStatus.DECIDED:
        return []
    secret = request.records.filter(is_secret=True, status=RecordStatus.ACTIVE).order_by("pk")
    if request.decision != RequestDecision.RELEASE:
        secret = secret.filter(secrecy_marked_at__gt=request.decided_at)
    return list(secret)


@transaction.atomic
def access_request_deliver(*, request: AccessRequest, actor: User) -> tuple[str, bytes]:
    """The package for the requester (records.delivery, as the preview showed it): a ZIP with
    the decision, a readable document and each released entry as JSON (masked for a partial
    release). Marks the request delivered. Returns (file name, bytes)."""
    permission_require(actor, "records.change_accessrequest")
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == RequestStatus.RECEIVED:
        raise ApplicationError(_("Decide the request before delivering it."), code="undecided")
    if request.decision == RequestDecision.REFUSE:
        raise ApplicationError(_("A refused request has nothing to deliver."), code="refused")
    secret = access_request_secret_since_decision(request)
    if secret:
        # Secrecy is checked when the package is sent, not only when it was decided.
        raise ApplicationError(
            _("Marked secret since the decision: %s. Decide the request again.")
            % ", ".join(str(record) for record in secret),
            code="secret_since_decision",
        )
    delivery = delivery_build(request)
    for entry in delivery.entries:
        if entry.record.is_secret:
            SecretAccessLog.objects.create(
                record=entry.record, user=actor, purpose=f"access request {request.pk}"
            )
    request.status = RequestStatus.DELIVERED
    request.delivered_at = timezone.now()
    request._history_user = actor  # type: ignore[attr-defined]
    request.save(update_fields=["status", "delivered_at"])
    return f"begaran-{request.pk}.zip", delivery.zip()


# Personal data whose release would breach the GDPR is secret (OSL 21 kap. 7 §).
PERSONAL_DATA_PROVISION = "OSL 21 kap. 7 §"


@transaction.atomic
def access_request_personal_data_mask(*, request: AccessRequest, actor: User) -> AccessRequest:
    """The preview's one step when the detectors warn: a release in full becomes a partial
    release that masks personal identity numbers, e-mail addresses and phone numbers, under
    OSL 21 kap. 7 § and with the appeal notice a partial refusal carries."""
    permission_require(actor, "records.change_accessrequest")
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.DECIDED:
        raise ApplicationError(
            _("Only a decided request that is not yet delivered can be masked."), code="status"
        )
    if request.decision != RequestDecision.RELEASE:
        raise ApplicationError(_("The release is already masked."), code="masked")
    with translation.override(settings.LANGUAGE_CODE):
        request.decision_reason = "\n\n".join(
            part
            for part in (
                request.decision_reason,
                _(
                    "Personal identity numbers, e-mail addresses and phone numbers are masked: "
                    "releasing them would breach the General Data Protection Regulation."
                ),
            )
            if part
        )
        request.appeal_notice = str(APPEAL_NOTICE)
    request.decision = RequestDecision.PARTIAL
    request.decision_provision = PERSONAL_DATA_PROVISION
    request.decided_at = timezone.now()
    request.decided_by = actor
    request._history_user = actor  # type: ignore[attr-defined]
    request.save()
    return request


def access_requests_alert_due(*, actor: User) -> int:
    """E-mail the registrars about undecided requests due today or overdue; each once."""
    permission_require(actor, "records.change_accessrequest")
    today = timezone.localdate()
    due = list(
        AccessRequest.objects.filter(
            status=RequestStatus.RECEIVED, due_on__lte=today, alerted_at__isnull=True
        ).order_by("due_on", "pk")
    )
    recipients = _registrars()
    if not due or not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Request %(id)s, due %(due)s: %(scope)s")
            % {"id": r.pk, "due": r.due_on.isoformat(), "scope": r.scope[:200]}
            for r in due
        ]
        send_mail(
            subject=_("Requests for public documents due today"),
            message="\n".join(lines) + "\n\n" + settings.SITE_URL + "/admin/records/accessrequest/",
            from_email=None,
            recipient_list=recipients,
        )
    AccessRequest.objects.filter(pk__in=[r.pk for r in due]).update(alerted_at=timezone.now())
    return len(due)


# Retention and disposal --------------------------------------------------------------------


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
        skipped = [
            {
                "record": r.pk,
                "number": r.number or "",
                "subject": r.public_subject,
                "reason": r.legal_hold_reason,
            }
            for r in candidates
            if r.legal_hold
        ]
    if not chosen:
        raise ValidationError(_("No entries are due for disposal."))
    run = DisposalRun(cutoff=cutoff, skipped=skipped, created_by=actor)
    run._history_user = actor  # type: ignore[attr-defined]
    run.save()
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
    _history_save(run, actor, ["status", "approved_at", "approved_by"])
    return run


@contextmanager
def _guard_session(setting: str) -> Iterator[None]:
    """Within it, the snapshot trigger accepts what ``setting`` allows (PostgreSQL: a
    transaction-local setting, switched off again on leaving even inside an outer transaction:
    explicitly on success, and by the savepoint's rollback on an error, which undoes SET LOCAL)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {setting} = 'on'")
        yield
        cursor.execute(f"SET LOCAL {setting} = 'off'")


def disposal_session() -> AbstractContextManager[None]:
    """Within it, the database trigger accepts the erasure of snapshots and deletion."""
    return _guard_session("records.disposal")


def erasure_session() -> AbstractContextManager[None]:
    """Within it, the database trigger accepts that the content columns of snapshots and
    amendments are emptied, and nothing else (migration 0005)."""
    return _guard_session("records.erasure")


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
                {
                    "record": record.pk,
                    "number": record.number or "",
                    "subject": record.public_subject,
                    "reason": record.legal_hold_reason or record.get_status_display(),
                }
            )
            continue
        record._disposal = True  # type: ignore[attr-defined]
        record.text, record.raw_payload, record.media = "", {}, []
        record.subject = record.public_subject
        for field in ERASED_ON_DISPOSAL:
            setattr(record, field, "")
        record.status = RecordStatus.DISPOSED
        record.disposed_at = now
        record.disposal_run = run
        record._history_user = actor  # type: ignore[attr-defined]
        record.save()
        for amendment in record.amendments.all():
            amendment._disposal = True  # type: ignore[attr-defined]
            amendment.text, amendment.raw_payload = "", {}
            amendment.save(update_fields=["text", "raw_payload"])
        record.history.update(subject=record.public_subject)
        disposed.append(record)
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
    content_copies_remove(records=disposed, reason=ContentRemoval.DISPOSAL, actor=actor)
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
    _history_save(run, actor, ["status", "executed_at", "skipped", "report"])
    return run


@transaction.atomic
def erasure_request_answer(
    *, requester: str, description: str, records: list[Record], actor: User
) -> ErasureRequest:
    """Answer a GDPR erasure request (art. 17). Public documents must be kept until the
    disposal their retention class allows; art. 17(3)(b) and (d) exempt them until then."""
    permission_require(actor, "records.add_erasurerequest")
    if not requester.strip() or not description.strip():
        raise ValidationError(_("Give who asks and what the request concerns."))
    with translation.override(settings.LANGUAGE_CODE):
        parts = [
            _(
                "The entries below are public documents (allmänna handlingar). The municipality "
                "must keep them under the Freedom of the Press Act, the Public Access to "
                "Information and Secrecy Act and the Archives Act (Arkivlagen) until they may be "
                "disposed of by a decision. The right to erasure therefore does not apply to "
                "them (GDPR art. 17(3)(b) legal obligation and (d) archiving in the public "
                "interest). They are not published: the public register shows no content."
            ),
            "",
        ]
        for record in records:
            if record.is_disposed:
                line = _("%(number)s: already disposed of; no personal data is kept.")
            elif record.disposal_due:
                line = _("%(number)s: kept until %(due)s, then disposed of.")
            else:
                line = _("%(number)s: kept permanently (bevaras) under the archives rules.")
            parts.append(line % {"number": record_public_label(record), "due": record.disposal_due})
    answer = ErasureRequest(
        requester=requester.strip(),
        description=description.strip(),
        answer="\n".join(parts),
        answered_at=timezone.now(),
        answered_by=actor,
    )
    answer.full_clean()
    answer.save()
    answer.records.set(records)
    return answer


# Unlawful content ---------------------------------------------------------------------------

# The subject an erased entry shows everywhere, the public register included.
ERASED_SUBJECT = gettext_lazy("Content erased by law")


@transaction.atomic
def record_unlawful_content_erase(
    *, record: Record, legal_basis: str, decision_reference: str, actor: User
) -> Record:
    """Erase at once the content of an entry that it is a crime to hold (child sexual abuse
    material, brottsbalken 16 kap. 10 a §). This is not disposal: no retention period or run is
    involved, and it serves nothing else; ``legal_basis`` must be an ``UnlawfulContentBasis``.

    The snapshot (text, raw payload, media) and every amendment's content are emptied, and the
    subject replaced by a neutral one (in the history too). Kept: number, dates, channel,
    platform ids, counterparty, registration and retention metadata, and the SHA-256 of the
    original snapshot. The entry is marked erased with when, by whom, on what basis and
    decision; the e-archive export renders that as a PREMIS deletion event, and the registrars
    are told by e-mail (without content)."""
    permission_require(actor, "records.erase_unlawful_content")
    errors: dict[str, str] = {}
    if legal_basis not in UnlawfulContentBasis.values:
        errors["legal_basis"] = _(
            "Content is erased outside disposal only when it is unlawful to hold it."
        )
    decision_reference = " ".join((decision_reference or "").split())
    if not decision_reference:
        errors["decision_reference"] = _("Give the decision the content is erased on.")
    elif len(decision_reference) > 300:
        errors["decision_reference"] = _("The decision reference is at most 300 characters.")
    if errors:
        raise ValidationError(errors)
    record = _locked(record)
    if not record.has_content:
        raise ApplicationError(_("The content of the entry is already erased."), code="erased")
    with translation.override(settings.LANGUAGE_CODE):
        neutral = str(ERASED_SUBJECT)
    now = timezone.now()
    with erasure_session():
        record._erasure = True  # type: ignore[attr-defined]
        for name, value in ERASED_CONTENT.items():
            setattr(record, name, type(value)())
        record.subject = record.public_subject = neutral
        record.status = RecordStatus.ERASED
        record.content_erased_at = now
        record.content_erased_by = actor
        record.content_erasure_basis = legal_basis
        record.content_erasure_reference = decision_reference
        _history_save(
            record,
            actor,
            [
                *ERASED_CONTENT,
                "subject",
                "public_subject",
                "status",
                "content_erased_at",
                "content_erased_by",
                "content_erasure_basis",
                "content_erasure_reference",
            ],
        )
        for amendment in record.amendments.all():
            amendment._erasure = True  # type: ignore[attr-defined]
            amendment.text, amendment.raw_payload = "", {}
            amendment.save(update_fields=["text", "raw_payload"])
    record.history.update(subject=neutral, public_subject=neutral)
    content_copies_remove(records=[record], reason=ContentRemoval.ERASURE, actor=actor)
    _content_erased_notify(record, actor)
    return record


def _content_erased_notify(record: Record, actor: User) -> None:
    """E-mail the registrars that an entry's content was erased, without the content."""
    recipients = _registrars()
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "number": record.number or record.pk,
            "date": f"{timezone.localtime(record.document_date):%Y-%m-%d}",
            "channel": record.channel.name,
            "when": timezone.localtime(record.content_erased_at).strftime("%Y-%m-%d %H:%M"),
            "who": actor.name or actor.email,
            "basis": record.get_content_erasure_basis_display(),
            "reference": record.content_erasure_reference,
        }
        message = (
            _(
                "The content of register entry %(number)s (document date %(date)s, channel "
                "%(channel)s) was erased on %(when)s by %(who)s as unlawful content: %(basis)s. "
                "Decision: %(reference)s. Number, dates, platform ids and the SHA-256 of the "
                "original are kept; the content is held nowhere in the system."
            )
            % values
        )
        subject = _("Register entry %s: unlawful content erased") % values["number"]
    message += f"\n\n{settings.SITE_URL}/admin/records/record/{record.pk}/change/"
    # Only once the erasure is committed: a refused batch rolls back and tells nobody.
    transaction.on_commit(
        lambda: send_mail(
            subject=subject, message=message, from_email=None, recipient_list=recipients
        )
    )


# Fixity ------------------------------------------------------------------------------------


def fixity_audit_run(*, actor: User) -> FixityAudit:
    """Recompute the hash of every snapshot and amendment still held; e-mail the registrars
    about any that no longer matches."""
    permission_require(actor, "records.view_record")
    audit = FixityAudit.objects.create()
    mismatches: list[dict[str, Any]] = []
    checked = 0
    active = Record.objects.filter(status=RecordStatus.ACTIVE).only(
        "pk", "number", "text", "raw_payload", "media", "sha256"
    )
    for record in active.iterator(chunk_size=500):
        checked += 1
        if record.computed_hash() != record.sha256:
            mismatches.append({"record": record.pk, "number": record.number or ""})
    amendments = RecordAmendment.objects.filter(record__status=RecordStatus.ACTIVE).only(
        "pk", "record_id", "text", "raw_payload", "sha256"
    )
    for amendment in amendments.iterator(chunk_size=500):
        checked += 1
        if amendment.computed_hash() != amendment.sha256:
            mismatches.append({"record": amendment.record_id, "amendment": amendment.pk})
    audit.checked = checked
    audit.mismatches = mismatches
    audit.finished_at = timezone.now()
    audit.save(update_fields=["checked", "mismatches", "finished_at"])
    recipients = _registrars()
    if mismatches and recipients:
        with translation.override(settings.LANGUAGE_CODE):
            send_mail(
                subject=_("Fixity audit: %d snapshots do not match their hash") % len(mismatches),
                message="\n".join(json.dumps(m) for m in mismatches),
                from_email=None,
                recipient_list=recipients,
            )
    return audit


def records_export(*, records: list[Record], actor: User, label: str = "") -> tuple[str, bytes]:
    """An e-archive package (E-ARK SIP, FGS Paketstruktur 2.0) of ``records`` as (file name,
    ZIP bytes). It carries secret content, so only registrars export; each secret entry's
    export is logged."""
    permission_require(actor, SECRET_PERMISSION)
    if not records:
        raise ValidationError({"records": _("Choose the entries to export.")})
    from records.export import package_build

    entries = list(
        Record.objects.filter(pk__in=[r.pk for r in records])
        .select_related("channel", "retention_class")
        .prefetch_related("amendments")
        .order_by("document_date", "pk")
    )
    objid, payload = package_build(entries, label=label or _("Social media records"))
    SecretAccessLog.objects.bulk_create(
        SecretAccessLog(record=r, user=actor, purpose=f"e-archive export {objid}")
        for r in entries
        if r.is_secret
    )
    return f"{objid}.zip", payload
