"""Registering documents in the public-records register (OSL 5 kap.): the registration basis,
the numbered series, idempotent registration and upgrades, and the later changes an entry takes
without touching its snapshot: amendments and a corrected description."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Max, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import permission_require
from channels_app.choices import ChannelRecordsPolicy
from channels_app.models import Channel
from core.actors import model_save
from core.dispatch import dispatch_on_commit
from core.exceptions import ApplicationError
from records.choices import (
    AmendmentKind,
    RecordDirection,
    RecordSource,
    RegistrationBasis,
    RegistrationReason,
    RegistrationRule,
)
from records.masking import mask_personal_data
from records.media import media_rows_create
from records.models import Record, RecordAmendment, RetentionClass, SeriesCounter, snapshot_hash
from records.retention import (
    RetentionDefaults,
    disposal_due_compute,
    retention_choose,
    retention_defaults_get,
    retention_follow,
)
from records.services.common import content_require, record_locked
from records.tasks import record_media_fetch as record_media_fetch_task

# Read once: Django builds an enumeration's ``values`` anew at every read.
DIRECTIONS = tuple(RecordDirection.values)
REASONS = tuple(RegistrationReason.values)
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
    items are always registered; everything else, what reached the account and what the
    channel published itself (drawn up, TF 2:10) alike, follows the channel's records policy:
    OSL 5:1 lets either kind be kept in order instead of registered. An item with neither text
    nor media is of little importance (an image alone is content). Entries registered before
    the policy applied to drawn-up documents carry the rule ``drawn_up``."""
    if reason == RegistrationReason.SENSITIVE:
        return RegistrationBasis.REGISTERED, RegistrationRule.SENSITIVE
    if reason == RegistrationReason.MODERATED:
        return RegistrationBasis.REGISTERED, RegistrationRule.MODERATED
    if direction == RecordDirection.INCOMING and not text.strip() and not media:
        return RegistrationBasis.LITTLE_IMPORTANCE, RegistrationRule.NO_CONTENT
    return POLICY_BASIS[ChannelRecordsPolicy(channel.records_policy)]


COUNTER_TAKE = (
    "INSERT INTO {counter} (prefix, year, last_number) VALUES (%(prefix)s, %(year)s, %(count)s) "
    "ON CONFLICT (prefix, year) DO UPDATE SET last_number = {counter}.last_number + "
    "EXCLUDED.last_number RETURNING last_number"
)
# One statement on PostgreSQL: take the numbers, write them on the entries and on each entry's
# newest history row (every statement in WITH runs, read or not), and return the last number.
NUMBERS_SET = """
WITH taken AS ({take}),
given AS (
    SELECT entry, ordinal FROM unnest(%(entries)s::bigint[]) WITH ORDINALITY AS g(entry, ordinal)
),
numbered AS (
    SELECT given.entry, taken.last_number - %(count)s + given.ordinal AS sequence
    FROM given CROSS JOIN taken
),
entries AS (
    UPDATE {record} AS r SET registered_at = %(at)s, series_prefix = %(prefix)s,
        series_year = %(year)s, series_sequence = numbered.sequence,
        number = %(label)s || lpad(numbered.sequence::text,
                                   greatest(6, length(numbered.sequence::text)), '0')
    FROM numbered WHERE r.id = numbered.entry
    RETURNING r.id, r.series_sequence, r.number
),
newest AS (
    SELECT id, max(history_id) AS history_id FROM {history}
    WHERE id = ANY(%(entries)s::bigint[]) GROUP BY id
),
histories AS (
    UPDATE {history} AS h SET registered_at = %(at)s, series_prefix = %(prefix)s,
        series_year = %(year)s, series_sequence = entries.series_sequence,
        number = entries.number
    FROM newest JOIN entries ON entries.id = newest.id
    WHERE h.history_id = newest.history_id
)
SELECT last_number FROM taken
"""


def numbers_allocate(records: Sequence[Record]) -> None:
    """Number stored entries in the order given, registered now, and write the numbers on each
    entry and its newest history row. Call it last, just before the transaction commits: the
    series counter's row stays locked from here until the commit, so a concurrent registration
    waits, no number is shared, and a rolled-back registration gives its numbers back. On
    PostgreSQL the numbers are taken and written in one statement; another database writes one
    transaction at a time, so there the three statements cost no one a wait."""
    if not records:
        return
    registered_at = timezone.now()
    prefix = settings.RECORDS_SERIES_PREFIX
    year = timezone.localtime(registered_at).year
    names = {
        "counter": connection.ops.quote_name(SeriesCounter._meta.db_table),
        "record": connection.ops.quote_name(Record._meta.db_table),
        "history": connection.ops.quote_name(Record.history.model._meta.db_table),
    }
    params = {"prefix": prefix, "year": year, "count": len(records)}
    take = COUNTER_TAKE.format(**names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                NUMBERS_SET.format(take=take, **names),
                {
                    **params,
                    "entries": [record.pk for record in records],
                    "at": registered_at,
                    "label": f"{prefix} {year}/",
                },
            )
        else:
            cursor.execute(take, params)
        last = int(cursor.fetchone()[0])
    for sequence, record in enumerate(records, start=last - len(records) + 1):
        record.registered_at = registered_at
        record.series_prefix, record.series_year, record.series_sequence = prefix, year, sequence
        record.number = f"{prefix} {year}/{sequence:06d}"
    if connection.vendor != "postgresql":
        _numbers_write(records)


def _numbers_write(records: Sequence[Record]) -> None:
    """Write the numbers given in ``numbers_allocate`` on the entries and on each entry's newest
    history row, one statement each."""
    pks = [record.pk for record in records]
    fields = {
        "registered_at": records[0].registered_at,
        "series_prefix": records[0].series_prefix,
        "series_year": records[0].series_year,
        "series_sequence": Case(*(When(id=r.pk, then=Value(r.series_sequence)) for r in records)),
        "number": Case(*(When(id=r.pk, then=Value(r.number)) for r in records)),
    }
    Record.objects.filter(pk__in=pks).update(**fields)
    newest = (
        Record.history.filter(id__in=pks).values("id").annotate(last=Max("history_id"))
    ).values("last")
    Record.history.filter(history_id__in=newest).update(**fields)


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
    """A later, stronger reason raises the registration basis of an existing entry (its number,
    if it becomes registered, is given last by ``records_register``)."""
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
    record.save(update_fields=fields)  # numbered, if now registered, by records_register
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
    if direction not in DIRECTIONS:
        errors["direction"] = _("Unknown direction: %s.") % direction
    if reason not in REASONS:
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
    in_reply_to_source_id: str = ""  # the platform id of what a reply from the channel answers

    @property
    def key(self) -> tuple[int, str, int | None, str]:
        """The entry's origin: channel, path, client (ingest and API) and source id."""
        return (self.channel.pk, self.source_kind, self.source_client_id, self.source_id.strip())


def retention_classes_get(codes: Iterable[str]) -> dict[str, RetentionClass | None]:
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
        in_reply_to_source_id=entry.in_reply_to_source_id,
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
    together with their history rows, replies' links and media rows, and then the numbers
    the registered ones need are taken at once and written on them and their history rows,
    the last statement (``numbers_allocate``): the series is locked from there until the
    commit, so a caller's own work in the same transaction belongs before this call. An
    entry's retention class is the one named, else the registrars' default for its channel and
    basis (``RetentionDefault``)."""
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
    retention = retention_classes_get(entry.retention_class for entry in registrations)
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
    numbers_allocate(
        list({r.pk: r for r in results if r.is_registered and r.number is None}.values())
    )
    return results


def _record_key(record: Record) -> tuple[int, str, int | None, str]:
    return (record.channel_id, record.source_kind, record.source_client_id, record.source_id)


def _records_create(records: list[Record], actor: User) -> None:
    """Store new entries with their first history rows, unnumbered: ``records_register``
    numbers the registered ones last."""
    if not records:
        return
    Record.objects.bulk_create(records)
    Record.history.bulk_history_create(records, default_user=actor)
    for record in records:
        record.snapshot_loaded()
    _replies_link(records)
    media = media_rows_create(records)
    if media:
        # Fetched after commit, never inside the delivery (records.media).
        dispatch_on_commit(record_media_fetch_task, [row.pk for row in media])


def _replies_link(records: list[Record]) -> None:
    """Link each reply from the channel to the entry it answers (same channel and path),
    whichever of the two was registered first: the new replies, and the stored replies
    waiting for one of the new entries, in one statement."""
    new_replies = [r.pk for r in records if r.in_reply_to_source_id]
    waited_for = Q(
        channel_id__in={r.channel_id for r in records},
        in_reply_to_source_id__in={r.source_id for r in records},
    )
    Record.objects.filter(Q(pk__in=new_replies) | waited_for, in_reply_to__isnull=True).exclude(
        in_reply_to_source_id=""
    ).update(
        in_reply_to=Subquery(
            Record.objects.filter(
                channel=OuterRef("channel"),
                source_kind=OuterRef("source_kind"),
                source_id=OuterRef("in_reply_to_source_id"),
            ).values("pk")[:1]
        )
    )


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
    content_require(record)
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


@transaction.atomic
def record_subject_set(*, record: Record, subject: str, public_subject: str, actor: User) -> Record:
    """Correct the description (metadata, with history); the public subject is masked again."""
    permission_require(actor, "records.change_record")
    subject = " ".join(subject.split())
    if not subject:
        raise ValidationError({"subject": _("The subject cannot be empty.")})
    record = record_locked(record)
    content_require(record)
    record.subject = subject[:500]
    record.public_subject = mask_personal_data(" ".join(public_subject.split()) or subject)[:500]
    model_save(record, actor, update_fields=["subject", "public_subject"])
    return record
