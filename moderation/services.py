"""Every write in moderation: intake of platform content, detectors and automation, claims,
decisions (single and bulk), blocks, reconsiderations, notes, checklists, word lists, reply
templates, and the scheduled sweeps (due-time alerts, expired claims and blocks)."""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import IntegrationClient, User
from accounts.permissions import permission_require
from accounts.services import system_user
from channels_app.models import Channel
from core.dispatch import dispatch_on_commit
from core.exceptions import ApplicationError
from core.storable import unstorable
from core.workdays import add_working_time
from moderation import detectors
from moderation.alerts import urgent_due
from moderation.capabilities import platform_supports
from moderation.choices import (
    DecisionAction,
    DetectorKind,
    IntakeOutcome,
    ItemKind,
    ItemState,
    PlatformActionKind,
    PlatformActionState,
    ReconsiderationOutcome,
)
from moderation.classifiers import texts_detect
from moderation.lifecycle import items_content_erase
from moderation.models import (
    OPEN_ITEMS,
    OPEN_STATES,
    Block,
    Decision,
    DetectorHit,
    EscalationContact,
    Ground,
    Item,
    ItemVersion,
    Note,
    PlatformAccount,
    PlatformAction,
    PoliceReportChecklist,
    Reconsideration,
    ReplyTemplate,
    ThreatTerm,
    Word,
)
from moderation.platforms.base import NormalizedItem
from moderation.platforms.tasks import platform_action_send
from moderation.reconsideration import reply_text
from moderation.selectors import threat_lexicon
from moderation.subjects import document_subject, post_titles
from moderation.tasks import urgent_items_alert
from records.access import Access, item_access, record_content_reveal
from records.choices import (
    AmendmentKind,
    RecordDirection,
    RecordSource,
    RecordStatus,
    RegistrationReason,
    UnlawfulContentBasis,
)
from records.models import Record
from records.services import (
    Registration,
    record_amend,
    record_unlawful_content_erase,
    records_register,
)

CLAIM_DURATION = timedelta(minutes=10)

BULK_LIMIT = 1000
MAX_TEXT_LENGTH = 100_000
DUE_ALERT_WINDOW = timedelta(hours=1)
PERSONAL_NUMBER_TEMPLATE = "personnummer"
MANDATORY_BONUS = 100
DETECTOR_WEIGHTS = {
    DetectorKind.THREAT: 80,
    DetectorKind.INCITEMENT: 70,
    DetectorKind.HARASSMENT: 30,
    DetectorKind.PERSONAL_NUMBER: 60,
    DetectorKind.COORDINATION_NUMBER: 60,
    DetectorKind.BANNED_WORD: 40,
    DetectorKind.SUSPECT_WORD: 15,
    DetectorKind.PHONE: 10,
    DetectorKind.EMAIL: 10,
    DetectorKind.LINK: 10,
}
IDENTITY_DETECTORS = {DetectorKind.PERSONAL_NUMBER, DetectorKind.COORDINATION_NUMBER}
GROUND_REQUIRED = {DecisionAction.HIDE, DecisionAction.REMOVE, DecisionAction.BLOCK}
# The platform action each decision asks for, when it asks for one.
PLATFORM_ACTION_FOR = {
    DecisionAction.HIDE: PlatformActionKind.HIDE,
    DecisionAction.UNHIDE: PlatformActionKind.UNHIDE,
    DecisionAction.REMOVE: PlatformActionKind.DELETE,
    DecisionAction.BLOCK: PlatformActionKind.BAN,
    DecisionAction.UNBLOCK: PlatformActionKind.UNBAN,
    DecisionAction.REPLY: PlatformActionKind.REPLY,
}
# Decisions on an item and the states they may be taken from (the state before any claim).
ALLOWED_FROM = {
    DecisionAction.KEEP: {ItemState.NEW, ItemState.ESCALATED, ItemState.HIDDEN},
    DecisionAction.HIDE: {ItemState.NEW, ItemState.ESCALATED, ItemState.KEPT},
    DecisionAction.UNHIDE: {ItemState.HIDDEN},
    DecisionAction.REMOVE: {ItemState.NEW, ItemState.ESCALATED, ItemState.KEPT, ItemState.HIDDEN},
    DecisionAction.ESCALATE: {ItemState.NEW, ItemState.HIDDEN, ItemState.KEPT},
    DecisionAction.REOPEN: {
        ItemState.KEPT,
        ItemState.HIDDEN,
        ItemState.REMOVED,
        ItemState.ESCALATED,
    },
}
RESULTING_STATE = {
    DecisionAction.KEEP: ItemState.KEPT,
    DecisionAction.HIDE: ItemState.HIDDEN,
    DecisionAction.UNHIDE: ItemState.KEPT,
    DecisionAction.REMOVE: ItemState.REMOVED,
    DecisionAction.ESCALATE: ItemState.ESCALATED,
    DecisionAction.REOPEN: ItemState.NEW,
}


@dataclass(frozen=True)
class IntakeResult:
    item: Item
    outcome: str  # IntakeOutcome


# --- helpers ---------------------------------------------------------------------------------


def content_hash(text: str, raw: Any) -> str:
    """SHA-256 of the text and the raw payload as canonical JSON (sorted keys, UTF-8)."""
    body = json.dumps({"text": text, "raw": raw}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _person_require(actor: User) -> None:
    if not actor.is_person:
        raise PermissionDenied(_("Only a person may remove content or block an author."))


def grounds_resolve(codes: Iterable[str]) -> list[Ground]:
    """The active grounds for ``codes``; an unknown or retired code is refused by name."""
    codes = list(dict.fromkeys(code.strip() for code in codes if code and code.strip()))
    grounds = list(Ground.objects.filter(code__in=codes, is_active=True))
    unknown = sorted(set(codes) - {g.code for g in grounds})
    if unknown:
        raise ValidationError({"grounds": _("Unknown ground: %s") % ", ".join(unknown)})
    return grounds


def _decision_validate(action: str, grounds: Sequence[Ground], rationale: str) -> None:
    if action not in DecisionAction.values:
        raise ValidationError({"action": _("Unknown decision: %s") % action})
    if action == DecisionAction.HIDE and any(not g.store_content for g in grounds):
        # Hiding would keep what it is a crime to hold; removal erases it everywhere.
        raise ValidationError({"action": _("Content that may not be kept is removed, not hidden.")})
    if action in GROUND_REQUIRED and not grounds:
        raise ValidationError({"grounds": _("This decision must cite at least one ground.")})
    needing = [g for g in grounds if g.requires_rationale]
    if action in GROUND_REQUIRED and needing and not rationale.strip():
        raise ValidationError(
            {
                "rationale": _("A written rationale is required for the ground “%s”.")
                % ", ".join(str(g) for g in needing)
            }
        )


def _effective_state(item: Item) -> str:
    return item.state_before_claim if item.state == ItemState.CLAIMED else item.state


def _claim_is_live(item: Item, now: datetime) -> bool:
    return bool(item.claimed_by_id and item.claimed_until and item.claimed_until > now)


def _claim_check(item: Item, actor: User, now: datetime) -> None:
    if _claim_is_live(item, now) and item.claimed_by_id != actor.pk:
        raise ApplicationError(
            _("%(name)s has claimed this item until %(time)s.")
            % {
                "name": item.claimed_by.name if item.claimed_by else "",
                "time": timezone.localtime(item.claimed_until).strftime("%H:%M"),
            },
            code="claimed_by_other",
        )


def _claim_clear(item: Item) -> None:
    item.claimed_by = None
    item.claimed_at = None
    item.claimed_until = None
    item.state_before_claim = ""


def _locked(item: Item) -> Item:
    return (
        Item.objects.select_for_update(of=("self",))
        .select_related("channel", "author")
        .get(pk=item.pk)
    )


# --- capture first ---------------------------------------------------------------------------


def _registration(
    item: Item,
    reason: str,
    *,
    withhold: bool = False,
    direction: str = RecordDirection.INCOMING,
    titles: dict[str, str] | None = None,
) -> Registration:
    """What the register is given for an item: content a ground forbids keeping is given as
    metadata only. Its subject names the channel's own post it is on (``titles``: the post
    titles by id, when the caller has them; else looked up)."""
    withhold = withhold or item.content_withheld
    thread = item.thread_external_id if item.kind != ItemKind.POST else ""
    if titles is None:
        titles = post_titles(item.channel, [thread])
    return Registration(
        channel=item.channel,
        source_id=item.external_id,
        source_kind=RecordSource.INGEST if item.source_client_id else RecordSource.PLATFORM,
        source_client_id=item.source_client_id,
        document_date=item.platform_time,
        direction=direction,
        subject=document_subject(channel=item.channel, kind=item.kind, post=titles.get(thread, "")),
        text="" if withhold else item.text,
        raw_payload={} if withhold else dict(item.raw_payload),
        reason=reason,
        counterparty_name=item.author.name if item.author else "",
        counterparty_platform_id=item.author.external_id if item.author else "",
        permalink=item.permalink,
    )


def _capture(
    item: Item,
    reason: str,
    *,
    actor: User,
    withhold: bool = False,
    direction: str = RecordDirection.INCOMING,
) -> None:
    """Hand the item to the register: records decides from the channel's records policy whether
    what merely arrived is registered or kept in order; moderated and sensitive items are always
    registered."""
    registration = _registration(item, reason, withhold=withhold, direction=direction)
    (record,) = records_register(registrations=[registration], actor=actor)
    if item.record_id != record.pk:
        item.record = record
        item.save(update_fields=["record"])


# --- intake ----------------------------------------------------------------------------------


def intake_validate(channel: Channel, data: NormalizedItem) -> None:
    """Refuse an event with bad input (no side effects)."""
    errors: dict[str, str] = {}
    if data.platform != channel.platform:
        errors["platform"] = _("The item is from %(item)s but the channel is on %(channel)s.") % {
            "item": data.platform,
            "channel": channel.platform,
        }
    if not data.external_id or len(data.external_id) > 255:
        errors["external_id"] = _("A platform id of 1 to 255 characters is required.")
    elif data.external_id != data.external_id.strip():
        # The register keys the entry by the id as given; spaces at its ends would part them.
        errors["external_id"] = _("A platform id has no spaces at either end.")
    if data.kind not in ItemKind.values:
        errors["kind"] = _("Unknown kind of item: %s") % data.kind
    if data.event not in ("created", "edited", "removed", "hidden", "unhidden"):
        errors["event"] = _("Unknown event: %s") % data.event
    if timezone.is_naive(data.occurred_at):
        errors["occurred_at"] = _("The platform time must carry a time zone.")
    if data.published_at is not None and timezone.is_naive(data.published_at):
        errors["published_at"] = _("The platform time must carry a time zone.")
    if data.text is not None and len(data.text) > MAX_TEXT_LENGTH:
        errors["text"] = _("The text is longer than %d characters.") % MAX_TEXT_LENGTH
    for field in fields(data):
        if unstorable(getattr(data, field.name)):
            errors[field.name] = _(
                "Holds a character that cannot be stored (NUL or a lone UTF-16 surrogate)."
            )
    if errors:
        raise ValidationError(errors)


def _authors_upsert(items: Sequence[NormalizedItem]) -> dict[tuple[str, str], PlatformAccount]:
    """The platform accounts of the items' authors by (platform, id): created when new, their
    name and profile address brought up to date when the platform gives new ones. Keys are
    taken in order, so concurrent intakes that share authors wait for each other, not
    deadlock."""
    wanted = {(d.platform, d.author_id): d for d in items if d.author_id}
    if not wanted:
        return {}

    def stored(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], PlatformAccount]:
        keys = set(keys)
        return {
            (a.platform, a.external_id): a
            for a in PlatformAccount.objects.filter(
                platform__in={p for p, _id in keys}, external_id__in={i for _p, i in keys}
            )
            if (a.platform, a.external_id) in keys
        }

    accounts = stored(wanted)
    missing = sorted(set(wanted) - set(accounts))
    if missing:
        PlatformAccount.objects.bulk_create(
            [
                PlatformAccount(
                    platform=platform,
                    external_id=external_id,
                    name=wanted[platform, external_id].author_name or "",
                    profile_url=wanted[platform, external_id].author_url or "",
                )
                for platform, external_id in missing
            ],
            ignore_conflicts=True,
        )
        accounts.update(stored(missing))
    for key in sorted(wanted):
        data, account = wanted[key], accounts[key]
        changed = [
            field
            for field, value in (("name", data.author_name), ("profile_url", data.author_url))
            if value and getattr(account, field) != value
        ]
        if changed:
            account.name = data.author_name or account.name
            account.profile_url = data.author_url or account.profile_url
            account.save(update_fields=changed)
    return accounts


def _intake_lock(
    channel: Channel, client: IntegrationClient | None, external_ids: Iterable[str]
) -> None:
    """Serialise the events about each item until the transaction ends. A row lock cannot do it
    for an item not yet stored: the same delivery arriving many times at once would race to
    create it, and all but one would fail on the unique constraint. The keys are locked in
    order, so two deliveries sharing items wait, not deadlock. SQLite takes a write lock for
    the whole transaction anyway."""
    if connection.vendor == "postgresql":
        keys = sorted(
            f"moderation-intake:{channel.pk}:{client.pk if client else ''}:{external_id}"
            for external_id in external_ids
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) "
                "FROM (SELECT k FROM unnest(%s::text[]) AS k ORDER BY k) AS ordered",
                [keys],
            )


def moderation_item_intake(
    *,
    channel: Channel,
    item: NormalizedItem,
    actor: User,
    client: IntegrationClient | None = None,
) -> IntakeResult:
    """One platform event: ``moderation_items_intake`` with one item."""
    return moderation_items_intake(channel=channel, items=[item], actor=actor, client=client)[0]


@transaction.atomic
def moderation_items_intake(
    *,
    channel: Channel,
    items: Sequence[NormalizedItem],
    actor: User,
    client: IntegrationClient | None = None,
) -> list[IntakeResult]:
    """Store platform events about items of one channel, idempotent on the origin (channel,
    ``client`` that ingested them, or none for the platform's own webhook and polling, and
    platform id): the same id from another origin is another item. One result per event, in
    order. A replay changes nothing, an edit adds a version, an older
    event than the one shown is kept as a version without replacing the text, removal and
    hiding on the platform are recorded. Bad input in any event refuses them all (callers that
    must take the rest check each with ``intake_validate`` first).

    Items seen for the first time are stored together: the items, their first versions and
    detector hits, and their register entries, each in one statement; the entries last, so
    the number series is locked as briefly as can be."""
    permission_require(actor, "moderation.add_item")
    for data in items:
        intake_validate(channel, data)
    _intake_lock(channel, client, {data.external_id for data in items})
    stored = {
        item.external_id: item
        for item in Item.objects.select_for_update(of=("self",))
        .select_related("author")
        .filter(
            channel=channel,
            source_client=client,
            external_id__in={data.external_id for data in items},
        )
    }
    for item in stored.values():
        item.channel = channel  # the caller's, not one more join per row
    authors = _authors_upsert(items)
    first: dict[str, int] = {}  # the event that creates each new item
    for index, data in enumerate(items):
        if data.external_id not in stored:
            first.setdefault(data.external_id, index)
    created = _items_create(
        channel, client, [items[i] for i in first.values()], authors, actor=actor
    )
    stored.update(created)
    results = []
    for index, data in enumerate(items):
        item = stored[data.external_id]
        if first.get(data.external_id) == index:
            results.append(IntakeResult(item, IntakeOutcome.CREATED))
        else:
            results.append(_item_update(item, data, authors, actor=actor))
    return results


def moderation_items_receive(
    *,
    channel: Channel,
    items: Sequence[NormalizedItem],
    actor: User,
    client: IntegrationClient | None = None,
) -> list[IntakeResult | ValidationError]:
    """``moderation_items_intake`` for what came from outside, where one bad event must not
    cost the others: if the batch is refused, each event is taken on its own, and a refused
    one's result is its error."""
    try:
        return list(
            moderation_items_intake(channel=channel, items=items, actor=actor, client=client)
        )
    except ValidationError:
        pass
    results: list[IntakeResult | ValidationError] = []
    for item in items:
        try:
            results.append(
                moderation_item_intake(channel=channel, item=item, actor=actor, client=client)
            )
        except ValidationError as exc:
            results.append(exc)
    return results


def _items_create(
    channel: Channel,
    client: IntegrationClient | None,
    events: Sequence[NormalizedItem],
    authors: dict[tuple[str, str], PlatformAccount],
    *,
    actor: User,
) -> dict[str, Item]:
    """Store the items these first events are about, with their first versions, detector hits
    and register entries (per the channel's records policy; sensitive ones registered)."""
    if not events:
        return {}
    now = timezone.now()
    due_at = add_working_time(timezone.localtime(now), channel.supervision_interval)
    items = []
    for data in events:
        raw = dict(data.raw)
        text = data.text if data.text is not None else ""
        item = Item(
            channel=channel,
            external_id=data.external_id,
            source_client=client,
            kind=data.kind,
            parent_external_id=data.parent_external_id or "",
            thread_external_id=data.thread_external_id or data.parent_external_id or "",
            author=authors.get((data.platform, data.author_id or "")),
            text=text,
            permalink=data.permalink or "",
            platform_time=data.existed_since,
            content_event_at=data.occurred_at,
            received_at=now,
            raw_payload=raw,
            sha256=content_hash(text, raw),
            due_at=due_at,
        )
        if data.event == "removed":
            item.platform_deleted, item.platform_deleted_at = True, data.occurred_at
        elif data.event in ("hidden", "unhidden"):
            item.platform_hidden = data.event == "hidden"
            item.visibility_event_at = data.occurred_at
        # The related rows are given as instances and the constraints are the database's.
        item.full_clean(
            exclude=["channel", "source_client", "author", "parent", "current_version", "record"],
            validate_constraints=False,
        )
        items.append(item)
    # What the detectors find decides each item's priority and whether it is registered as
    # sensitive, so they run before anything is stored (an event without text finds nothing).
    hits = _detectors_run([item.text for item in items])
    suggested = []
    for item, item_hits in zip(items, hits, strict=True):
        item.priority, grounds = _priority(item_hits)
        if any(g.mandatory_removal for g in grounds):
            item.due_at = min(item.due_at, urgent_due(now))
        suggested.append(grounds)
    by_id = {item.external_id: item for item in items}
    # Replies and parents of the same origin only: another origin's id is another item.
    parents = dict(
        Item.objects.filter(
            channel=channel,
            source_client=client,
            external_id__in={i.parent_external_id for i in items} - set(by_id) - {""},
        ).values_list("external_id", "pk")
    )
    for item in items:
        item.parent_id = parents.get(item.parent_external_id)
    Item.objects.bulk_create(items)

    with_text = [
        (item, data, item_hits)
        for item, data, item_hits in zip(items, events, hits, strict=True)
        if data.text is not None
    ]
    versions = ItemVersion.objects.bulk_create(
        ItemVersion(
            item=item,
            text=item.text,
            raw_payload=item.raw_payload,
            sha256=item.sha256,
            platform_time=data.occurred_at,
        )
        for item, data, _hits in with_text
    )
    for (item, _data, item_hits), version in zip(with_text, versions, strict=True):
        item.current_version = version
        for hit in item_hits:
            hit.version = version
    DetectorHit.objects.bulk_create(hit for item_hits in hits for hit in item_hits)
    suspected = Item.suspected_grounds.through
    suspected.objects.bulk_create(
        suspected(item_id=item.pk, ground_id=ground.pk)
        for item, grounds in zip(items, suggested, strict=True)
        for ground in grounds
    )
    sensitive = {
        item.pk
        for item, item_hits in zip(items, hits, strict=True)
        if any(hit.detector in IDENTITY_DETECTORS for hit in item_hits)
    }
    registrations = []
    titles = post_titles(channel, {item.thread_external_id for item in items})
    for item, data in zip(items, events, strict=True):
        # The account's own posts are drawn up by the municipality; all else reached it.
        own = bool(data.author_id) and data.author_id == data.account_id
        direction = RecordDirection.DRAWN_UP if own else RecordDirection.INCOMING
        reason = (
            RegistrationReason.SENSITIVE if item.pk in sensitive else RegistrationReason.RECEIVED
        )
        registrations.append(_registration(item, reason, direction=direction, titles=titles))
    records = records_register(registrations=registrations, actor=actor)
    # Each item's entry and first version, and every stored reply waiting for one of these
    # items (in this batch or before it), in one statement each.
    Item.objects.filter(pk__in=[item.pk for item in items]).update(
        record=Subquery(
            Record.objects.filter(
                channel=channel,
                source_kind=RecordSource.INGEST if client else RecordSource.PLATFORM,
                source_client=client,
                source_id=OuterRef("external_id"),
            ).values("pk")[:1]
        ),
        current_version=Subquery(
            ItemVersion.objects.filter(item=OuterRef("pk")).order_by("pk").values("pk")[:1]
        ),
    )
    Item.objects.filter(
        channel=channel,
        source_client=client,
        parent_external_id__in=list(by_id),
        parent__isnull=True,
    ).update(
        parent=Subquery(
            Item.objects.filter(
                channel=channel, source_client=client, external_id=OuterRef("parent_external_id")
            ).values("pk")[:1]
        )
    )
    for item, record in zip(items, records, strict=True):
        item.record = record
        if item.parent_external_id in by_id:
            item.parent_id = by_id[item.parent_external_id].pk
    for item, item_hits in zip(items, hits, strict=True):
        if item.pk in sensitive:
            _automation_run(item, item_hits, actor=actor)
    urgent = [
        item.pk
        for item, grounds in zip(items, suggested, strict=True)
        if any(g.mandatory_removal for g in grounds)
    ]
    if urgent:
        dispatch_on_commit(urgent_items_alert, urgent)
    return by_id


def _item_update(
    item: Item,
    data: NormalizedItem,
    authors: dict[tuple[str, str], PlatformAccount],
    *,
    actor: User,
) -> IntakeResult:
    """A later event about a stored item."""
    changed = False
    author = authors.get((data.platform, data.author_id or ""))
    if author is not None and item.author_id is None:
        item.author, changed = author, True
    if data.permalink and not item.permalink:
        item.permalink, changed = data.permalink, True
    if data.existed_since < item.platform_time:
        item.platform_time, changed = data.existed_since, True
    newer_visibility = (
        item.visibility_event_at is None or data.occurred_at > item.visibility_event_at
    )
    if data.event == "removed" and not item.platform_deleted:
        item.platform_deleted, item.platform_deleted_at, changed = True, data.occurred_at, True
    elif data.event in ("hidden", "unhidden") and newer_visibility:
        hidden = data.event == "hidden"
        changed = changed or item.platform_hidden != hidden
        item.platform_hidden, item.visibility_event_at = hidden, data.occurred_at
    if changed:
        item.save()
    raw = dict(data.raw)
    if (
        data.text is not None
        and not item.content_withheld
        and _version_add(item, data.text, raw, data.occurred_at, actor=actor)
    ):
        changed = True
    return IntakeResult(item, IntakeOutcome.UPDATED if changed else IntakeOutcome.UNCHANGED)


def _version_add(item: Item, text: str, raw: dict, occurred_at: datetime, *, actor: User) -> bool:
    """Add a version to a stored item unless this very event was stored; run the detectors on
    it; make it the shown text when it is the newest. Returns whether anything was added."""
    digest = content_hash(text, raw)
    if item.versions.filter(platform_time=occurred_at, sha256=digest).exists():
        return False
    if item.current_version_id and item.text == text and occurred_at >= item.content_event_at:
        return False  # the same text again (a resend with other metadata) is not an edit
    first = item.current_version_id is None
    version = ItemVersion.objects.create(
        item=item, text=text, raw_payload=raw, sha256=digest, platform_time=occurred_at
    )
    (hits,) = _detectors_run([text])
    for hit in hits:
        hit.version = version
    DetectorHit.objects.bulk_create(hits)
    if item.record is not None and not first:
        record_amend(
            record=item.record,
            text=text,
            raw_payload=raw,
            reason=AmendmentKind.PLATFORM_EDIT,
            actor=actor,
            occurred_at=occurred_at,
        )
    if any(hit.detector in IDENTITY_DETECTORS for hit in hits):
        _capture(item, RegistrationReason.SENSITIVE, actor=actor)
    if first or occurred_at >= item.content_event_at:
        item.text, item.raw_payload, item.sha256 = text, raw, digest
        item.content_event_at = occurred_at
        item.current_version = version
        item.priority, grounds = _priority(hits)
        item.suspected_grounds.set(grounds)
        if any(g.mandatory_removal for g in grounds):
            item.due_at = min(item.due_at, urgent_due(timezone.now()))
            dispatch_on_commit(urgent_items_alert, [item.pk])
        item.save()
        if not first and _effective_state(item) == ItemState.KEPT:
            # A kept item edited on the platform is not the item that was kept: review it again.
            reason = _("Automatic: edited on the platform after it was kept.")
            _decision_apply(
                item, DecisionAction.REOPEN, [], reason, actor=system_user(), automated=True
            )
        _automation_run(item, hits, actor=actor)
    return True


def _detectors_run(texts: Sequence[str]) -> list[list[DetectorHit]]:
    """Every detector on each text: the hits, not yet stored nor given their version."""
    words = [
        detectors.WordEntry(w.list, w.term, w.ground.code if w.ground else None)
        for w in Word.objects.filter(is_active=True).select_related("ground")
    ]
    found = texts_detect(texts, words=words, lexicon=threat_lexicon())
    codes = {hit.ground_code for hits in found for hit in hits} - {None}
    grounds = {g.code: g for g in Ground.objects.filter(code__in=codes)} if codes else {}
    return [
        [
            DetectorHit(
                detector=hit.detector,
                matched=hit.matched[:500],
                start=hit.start,
                end=hit.end,
                detail=hit.detail[:255],
                ground=grounds.get(hit.ground_code or ""),
            )
            for hit in hits
        ]
        for hits in found
    ]


def _priority(hits: Sequence[DetectorHit]) -> tuple[int, set[Ground]]:
    """The priority the hits give an item, and the grounds they suggest."""
    grounds = {hit.ground for hit in hits if hit.ground is not None}
    priority = sum(DETECTOR_WEIGHTS[DetectorKind(k)] for k in {hit.detector for hit in hits})
    if any(g.mandatory_removal for g in grounds):
        priority += MANDATORY_BONUS
    return priority, grounds


def _automation_run(item: Item, hits: Sequence[DetectorHit], *, actor: User) -> None:
    """Hide an item that shows a personal identity number, where the channel can, and answer its
    author with the Servicecenter template. Automation never removes."""
    if not any(hit.detector in IDENTITY_DETECTORS for hit in hits):
        return
    if item.platform_deleted or _effective_state(item) != ItemState.NEW:
        return
    system = system_user()
    sensitive = list(Ground.objects.filter(code="sensitive-information"))
    reason = _("Automatic: the text contains a personal identity number.")
    platform = item.channel.platform
    if platform_supports(platform=platform, action=PlatformActionKind.HIDE, kind=item.kind):
        _decision_apply(item, DecisionAction.HIDE, sensitive, reason, actor=system, automated=True)
    template = ReplyTemplate.objects.filter(code=PERSONAL_NUMBER_TEMPLATE, is_active=True).first()
    already = item.decisions.filter(action=DecisionAction.REPLY, automated=True).exists()
    can_reply = platform_supports(
        platform=platform, action=PlatformActionKind.REPLY, kind=item.kind
    )
    if template and not already and can_reply:
        _decision_apply(
            item,
            DecisionAction.REPLY,
            [],
            reason,
            actor=system,
            automated=True,
            reply_template=template,
        )


# --- claims ----------------------------------------------------------------------------------


@transaction.atomic
def item_claim(*, item: Item, actor: User) -> Item:
    """Take the item for CLAIM_DURATION; claiming one's own claim again extends it."""
    permission_require(actor, "moderation.decide_item")
    item = _locked(item)
    now = timezone.now()
    _claim_check(item, actor, now)
    state = _effective_state(item)
    if state not in (*OPEN_STATES, ItemState.HIDDEN):
        raise ApplicationError(
            _("The item is already decided (%s); reopen it first.") % item.get_state_display(),
            code="decided",
        )
    if item.state != ItemState.CLAIMED:
        item.state_before_claim = item.state
        item.state = ItemState.CLAIMED
        item.claimed_at = now
    elif item.claimed_by_id != actor.pk:
        item.claimed_at = now
    item.claimed_by = actor
    item.claimed_until = now + CLAIM_DURATION
    item.save()
    return item


@transaction.atomic
def item_release(*, item: Item, actor: User) -> Item:
    permission_require(actor, "moderation.decide_item")
    item = _locked(item)
    _claim_check(item, actor, timezone.now())
    if item.state == ItemState.CLAIMED:
        item.state = item.state_before_claim or ItemState.NEW
    _claim_clear(item)
    item.save()
    return item


def claims_expired_release(*, actor: User) -> int:
    """Give back to the queue every item whose claim has run out."""
    permission_require(actor, "moderation.decide_item")
    count = 0
    for item in Item.objects.filter(state=ItemState.CLAIMED, claimed_until__lt=timezone.now()):
        with transaction.atomic():
            locked = _locked(item)
            if locked.state == ItemState.CLAIMED and not _claim_is_live(locked, timezone.now()):
                locked.state = locked.state_before_claim or ItemState.NEW
                _claim_clear(locked)
                locked.save()
                count += 1
    return count


# --- decisions -------------------------------------------------------------------------------


def _platform_action_create(
    decision: Decision, kind: str, target: str, *, item_kind: str | None, text: str = ""
) -> PlatformAction | None:
    """The outbox row that carries the decision to the platform; none for a channel that is not
    connected (no platform account id): nothing could send it, and the decision says so."""
    if not decision.platform_connected:
        return None
    supported = platform_supports(platform=decision.channel.platform, action=kind, kind=item_kind)
    row = PlatformAction.objects.create(
        decision=decision,
        channel=decision.channel,
        action=kind,
        target_external_id=target,
        text=text,
        state=PlatformActionState.PENDING if supported else PlatformActionState.UNSUPPORTED,
        next_attempt_at=timezone.now() if supported else None,
    )
    if supported:
        # A broker outage leaves the row pending for the sweep (config/schedule.py).
        dispatch_on_commit(platform_action_send, row.pk)
    return row


def _decision_create(
    *,
    channel: Channel,
    action: str,
    grounds: Sequence[Ground],
    rationale: str,
    actor: User,
    item: Item | None = None,
    author: PlatformAccount | None = None,
    automated: bool = False,
    reply_template: ReplyTemplate | None = None,
) -> Decision:
    decision = Decision.objects.create(
        channel=channel,
        item=item,
        author=author,
        action=action,
        rationale=rationale.strip(),
        moderator=actor,
        automated=automated,
        reply_template=reply_template,
        platform_connected=bool(channel.platform_account_id),
    )
    decision.grounds.set(grounds)
    return decision


def _content_withhold(item: Item) -> None:
    """A ground that forbids keeping the content: keep only metadata and platform ids. Notes on
    the item that quote its text (any version, any line of it, or what a detector matched) get
    the quotation replaced."""
    items_content_erase([item.pk], authors=False)
    item.text = ""
    item.raw_payload = {}
    item.content_withheld = True


def _register_content_erase(item: Item, decision: Decision, grounds: Sequence[Ground]) -> None:
    """The register entry made at intake still holds what a ground forbids keeping (child abuse
    material): erase its content at once, in the same transaction, by the deciding moderator.
    Only the item's own entry: another entry with the same source id is another document."""
    codes = ", ".join(g.code for g in grounds if not g.store_content)
    if item.record_id is None:
        return
    record = Record.objects.filter(pk=item.record_id, status=RecordStatus.ACTIVE).first()
    if record is not None:
        record_unlawful_content_erase(
            record=record,
            legal_basis=UnlawfulContentBasis.CHILD_ABUSE_MATERIAL,
            decision_reference=f"moderation decision {decision.pk} ({codes})",
            actor=decision.moderator,
        )


def _decision_apply(
    item: Item,
    action: str,
    grounds: Sequence[Ground],
    rationale: str,
    *,
    actor: User,
    automated: bool = False,
    reply_template: ReplyTemplate | None = None,
) -> Decision:
    """Record the decision on a locked item, move its state and queue the platform action."""
    now = timezone.now()
    state = _effective_state(item)
    allowed = ALLOWED_FROM.get(DecisionAction(action))
    if allowed is not None and state not in allowed:
        raise ApplicationError(
            _("An item that is %(state)s cannot be given the decision “%(action)s”.")
            % {
                "state": ItemState(state).label.lower(),
                "action": DecisionAction(action).label.lower(),
            },
            code="invalid_transition",
        )
    if action == DecisionAction.HIDE and not platform_supports(
        platform=item.channel.platform, action=PlatformActionKind.HIDE, kind=item.kind
    ):
        raise ApplicationError(
            _("%s cannot hide this item; keep it or remove it.")
            % item.channel.get_platform_display(),
            code="unsupported",
        )
    if action == DecisionAction.REPLY and reply_template is None:
        raise ValidationError({"reply_template": _("Choose a reply template.")})
    decision = _decision_create(
        channel=item.channel,
        item=item,
        author=item.author,
        action=action,
        grounds=grounds,
        rationale=rationale,
        actor=actor,
        automated=automated,
        reply_template=reply_template,
    )
    platform_kind = PLATFORM_ACTION_FOR.get(DecisionAction(action))
    if action == DecisionAction.KEEP and item.platform_hidden:
        platform_kind = PlatformActionKind.UNHIDE
    if platform_kind and not item.platform_deleted:
        _platform_action_create(
            decision,
            platform_kind,
            item.external_id,
            item_kind=item.kind,
            text=reply_text(reply_template) if reply_template else "",
        )
    if action in RESULTING_STATE:
        item.state = RESULTING_STATE[DecisionAction(action)]
        _claim_clear(item)
    if action in (DecisionAction.HIDE, DecisionAction.REMOVE):
        item.platform_hidden = True
        item.hidden_at = item.hidden_at or now
    if action in (DecisionAction.UNHIDE, DecisionAction.KEEP):
        item.platform_hidden = False
    if action == DecisionAction.REMOVE:
        item.removed_at = now
        if any(g.police_report for g in grounds):
            PoliceReportChecklist.objects.create(decision=decision)
        if any(not g.store_content for g in grounds):
            _content_withhold(item)
    if automated and action == DecisionAction.HIDE:
        item.hidden_pending_review = True
    elif not automated:
        item.hidden_pending_review = False
        item.first_action_at = item.first_action_at or now
    item.save()
    if action in (DecisionAction.HIDE, DecisionAction.REMOVE):
        withhold = any(not g.store_content for g in grounds)
        _capture(item, RegistrationReason.MODERATED, actor=actor, withhold=withhold)
        if action == DecisionAction.REMOVE and withhold:
            _register_content_erase(item, decision, grounds)
    return decision


@transaction.atomic
def item_decide(
    *,
    item: Item,
    action: str,
    ground_codes: Iterable[str] = (),
    rationale: str = "",
    reply_template: ReplyTemplate | None = None,
    ends_at: datetime | None = None,
    actor: User,
) -> Decision:
    """A moderator's decision on one item. Blocking the author is a decision on the item too."""
    permission_require(actor, "moderation.decide_item")
    grounds = grounds_resolve(ground_codes)
    _decision_validate(action, grounds, rationale)
    if action in (DecisionAction.REMOVE, DecisionAction.BLOCK):
        _person_require(actor)
    if action == DecisionAction.UNBLOCK:
        raise ValidationError({"action": _("Lift a block from the block itself.")})
    item = _locked(item)
    _claim_check(item, actor, timezone.now())
    if action == DecisionAction.BLOCK:
        if item.author is None:
            raise ApplicationError(_("The platform did not say who wrote this item."))
        block = _block_create(
            author=item.author,
            channel=item.channel,
            grounds=grounds,
            rationale=rationale,
            ends_at=ends_at,
            item=item,
            actor=actor,
        )
        return block.decision
    return _decision_apply(
        item, action, grounds, rationale, actor=actor, reply_template=reply_template
    )


@transaction.atomic
def items_decide_bulk(
    *,
    items: Sequence[Item],
    action: str,
    ground_codes: Iterable[str] = (),
    rationale: str = "",
    actor: User,
) -> list[Decision]:
    """One decision with one ground for many items: every item is checked first, and one refusal
    refuses the whole batch, so nothing is half done. Each item gets its own decision row."""
    permission_require(actor, "moderation.decide_item")
    if not items:
        raise ValidationError({"items": _("Choose at least one item.")})
    if len(items) > BULK_LIMIT:
        raise ValidationError({"items": _("At most %d items at a time.") % BULK_LIMIT})
    allowed = {
        DecisionAction.KEEP,
        DecisionAction.HIDE,
        DecisionAction.REMOVE,
        DecisionAction.ESCALATE,
    }
    if action not in allowed:
        raise ValidationError({"action": _("Bulk decisions are keep, hide, remove or escalate.")})
    grounds = grounds_resolve(ground_codes)
    _decision_validate(action, grounds, rationale)
    if action == DecisionAction.REMOVE:
        _person_require(actor)
    locked = list(
        Item.objects.select_for_update(of=("self",))
        .select_related("channel", "author")
        .filter(pk__in=[item.pk for item in items])
        .order_by("pk")
    )
    kind = PLATFORM_ACTION_FOR.get(DecisionAction(action))
    if kind:
        unable = sorted(
            {
                str(item.channel)
                for item in locked
                if not platform_supports(
                    platform=item.channel.platform, action=kind, kind=item.kind
                )
            }
        )
        if unable:
            raise ApplicationError(
                _("These channels cannot take the action “%(action)s”: %(channels)s.")
                % {"action": DecisionAction(action).label.lower(), "channels": ", ".join(unable)},
                code="unsupported",
            )
    now = timezone.now()
    for item in locked:
        _claim_check(item, actor, now)
    return [_decision_apply(item, action, grounds, rationale, actor=actor) for item in locked]


# --- blocks ----------------------------------------------------------------------------------


def _block_create(
    *,
    author: PlatformAccount,
    channel: Channel,
    grounds: Sequence[Ground],
    rationale: str,
    ends_at: datetime | None,
    item: Item | None,
    actor: User,
) -> Block:
    if author.platform != channel.platform:
        raise ValidationError({"author": _("The author is not on the channel's platform.")})
    if ends_at is not None and ends_at <= timezone.now():
        raise ValidationError({"ends_at": _("The end of a block must be in the future.")})
    if Block.objects.filter(author=author, channel=channel, lifted_at__isnull=True).exists():
        raise ApplicationError(_("The author is already blocked on this channel."))
    decision = _decision_create(
        channel=channel,
        item=item,
        author=author,
        action=DecisionAction.BLOCK,
        grounds=grounds,
        rationale=rationale,
        actor=actor,
    )
    block = Block.objects.create(
        author=author,
        channel=channel,
        rationale=rationale.strip(),
        decision=decision,
        created_by=actor,
        ends_at=ends_at,
    )
    block.grounds.set(grounds)
    _platform_action_create(decision, PlatformActionKind.BAN, author.external_id, item_kind=None)
    if item is not None and item.first_action_at is None:
        item.first_action_at = timezone.now()
        item.save(update_fields=["first_action_at"])
    return block


@transaction.atomic
def block_create(
    *,
    author: PlatformAccount,
    channel: Channel,
    ground_codes: Iterable[str],
    rationale: str = "",
    ends_at: datetime | None = None,
    item: Item | None = None,
    actor: User,
) -> Block:
    permission_require(actor, "moderation.add_block")
    _person_require(actor)
    grounds = grounds_resolve(ground_codes)
    _decision_validate(DecisionAction.BLOCK, grounds, rationale)
    return _block_create(
        author=author,
        channel=channel,
        grounds=grounds,
        rationale=rationale,
        ends_at=ends_at,
        item=item,
        actor=actor,
    )


@transaction.atomic
def block_lift(*, block: Block, rationale: str = "", actor: User) -> Block:
    permission_require(actor, "moderation.change_block")
    block = Block.objects.select_for_update().select_related("channel", "author").get(pk=block.pk)
    if block.lifted_at is not None:
        raise ApplicationError(_("The block is already lifted."))
    decision = _decision_create(
        channel=block.channel,
        author=block.author,
        action=DecisionAction.UNBLOCK,
        grounds=[],
        rationale=rationale,
        actor=actor,
        automated=not actor.is_person,
    )
    _platform_action_create(
        decision, PlatformActionKind.UNBAN, block.author.external_id, item_kind=None
    )
    block.lifted_at = timezone.now()
    block.lifted_by = actor
    block.lift_decision = decision
    block.save()
    return block


def blocks_expired_lift(*, actor: User) -> int:
    """Lift every block whose end has come."""
    expired = Block.objects.filter(lifted_at__isnull=True, ends_at__lte=timezone.now())
    reason = _("The block ran to its end.")
    return len([block_lift(block=block, rationale=reason, actor=actor) for block in expired])


# --- reconsideration, notes, checklists ------------------------------------------------------

OVERTURN = {
    DecisionAction.HIDE: DecisionAction.UNHIDE,
    DecisionAction.BLOCK: DecisionAction.UNBLOCK,
}
RECONSIDERABLE = {
    DecisionAction.KEEP,
    DecisionAction.HIDE,
    DecisionAction.REMOVE,
    DecisionAction.BLOCK,
    DecisionAction.ESCALATE,
}


@transaction.atomic
def decision_reconsider(
    *, decision: Decision, outcome: str, rationale: str, actor: User
) -> Reconsideration:
    """Omprövning by another moderator. Changing the decision undoes it: a hide is unhidden, a
    block lifted, anything else reopened for a new decision."""
    permission_require(actor, "moderation.add_reconsideration")
    if outcome not in ReconsiderationOutcome.values:
        raise ValidationError({"outcome": _("Unknown outcome: %s") % outcome})
    if not rationale.strip():
        raise ValidationError({"rationale": _("A reconsideration must give its reasons.")})
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.moderator_id == actor.pk:
        raise PermissionDenied(_("A decision is reconsidered by another moderator."))
    if decision.action not in RECONSIDERABLE:
        raise ApplicationError(_("This kind of decision is not reconsidered."))
    if Reconsideration.objects.filter(decision=decision).exists():
        raise ApplicationError(_("The decision has already been reconsidered."))
    new_decision = None
    if outcome == ReconsiderationOutcome.CHANGED:
        undo = OVERTURN.get(DecisionAction(decision.action), DecisionAction.REOPEN)
        if undo == DecisionAction.UNBLOCK:
            lifted = block_lift(block=decision.block, rationale=rationale, actor=actor)
            new_decision = lifted.lift_decision
        elif decision.item is not None:
            item = _locked(decision.item)
            _claim_check(item, actor, timezone.now())
            new_decision = _decision_apply(item, undo, [], rationale, actor=actor)
    reconsideration = Reconsideration.objects.create(
        decision=decision,
        outcome=outcome,
        rationale=rationale.strip(),
        moderator=actor,
        new_decision=new_decision,
    )
    from moderation.tasks import reconsideration_answer_notify

    # The authors who asked for it, and gave an address, get the answer.
    dispatch_on_commit(reconsideration_answer_notify, reconsideration.pk)
    return reconsideration


def note_create(
    *,
    text: str,
    item: Item | None = None,
    author: PlatformAccount | None = None,
    actor: User,
) -> Note:
    permission_require(actor, "moderation.add_note")
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    note = Note(item=item, author=author, text=text, created_by=actor)
    note.full_clean()
    note.save()
    return note


def item_content_reveal(*, item: Item, reason: str, actor: User) -> Access:
    """The moderator's logged "show content" step on an item whose register entry is secret
    (records.access.record_content_reveal); returns the access to render the item with."""
    permission_require(actor, "moderation.decide_item")
    if item.record is None:
        return item_access(actor, item)
    return record_content_reveal(
        record=item.record, reason=reason, where=f"moderation item {item.pk}", actor=actor
    )


@transaction.atomic
def police_checklist_update(
    *,
    checklist: PoliceReportChecklist,
    evidence_secured: bool,
    reported_to_police: bool,
    police_reference: str,
    security_informed: bool,
    complete: bool,
    actor: User,
) -> PoliceReportChecklist:
    permission_require(actor, "moderation.change_policereportchecklist")
    checklist = PoliceReportChecklist.objects.select_for_update().get(pk=checklist.pk)
    if checklist.completed_at:
        raise ApplicationError(_("The checklist is completed."))
    checklist.evidence_secured = evidence_secured
    checklist.reported_to_police = reported_to_police
    checklist.police_reference = police_reference.strip()
    checklist.security_informed = security_informed
    if complete:
        checklist.completed_at = timezone.now()
        checklist.completed_by = actor
    checklist.full_clean()
    checklist.save()
    return checklist


# --- word lists and reply templates ----------------------------------------------------------


def catalogue_entry_save(
    *,
    entry: Ground | Word | ReplyTemplate | ThreatTerm | EscalationContact,
    actor: User,
) -> Any:
    """Save a ground, a word-list entry, a reply template, a threat lexicon term or an
    escalation contact kept in admin."""
    meta = entry._meta
    verb = "change" if entry.pk else "add"
    permission_require(actor, f"{meta.app_label}.{verb}_{meta.model_name}")
    entry.full_clean()
    entry.save()
    return entry


# --- due-time alerts -------------------------------------------------------------------------


def items_due_alert(*, actor: User) -> int:
    """E-mail the moderators about items that pass their due time within DUE_ALERT_WINDOW and
    have not been alerted about; each item is alerted once."""
    permission_require(actor, "moderation.decide_item")
    now = timezone.now()
    items = list(
        Item.objects.filter(OPEN_ITEMS, due_at__lte=now + DUE_ALERT_WINDOW, due_alert_sent_at=None)
        .select_related("channel")
        .order_by("due_at")
    )
    if not items:
        return 0
    recipients = list(
        Group.objects.get(name=Role.MODERATOR)
        .user_set.filter(is_active=True)
        .values_list("email", flat=True)
    )
    lines = [
        f"- {item.channel.name}: {item.external_id} "
        f"({_('due')} {timezone.localtime(item.due_at):%Y-%m-%d %H:%M})"
        for item in items
    ]
    if recipients:
        send_mail(
            subject=_("%d items in the moderation queue are due soon") % len(items),
            message="\n".join(
                [_("These items must be handled before their due time:"), "", *lines]
            ),
            from_email=None,
            recipient_list=recipients,
        )
    Item.objects.filter(pk__in=[item.pk for item in items]).update(due_alert_sent_at=now)
    return len(items)
