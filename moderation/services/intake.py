"""Intake of platform content: validating events, storing new items in batches (authors,
versions, hits, register entries) and later events about stored items."""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import IntegrationClient, User
from accounts.permissions import permission_require
from accounts.services import system_user
from channels_app.models import Channel
from core.storable import unstorable
from core.workdays import add_working_time
from moderation.choices import DecisionAction, IntakeOutcome, ItemEvent, ItemKind, ItemState
from moderation.models import Item, ItemVersion, PlatformAccount
from moderation.platforms.base import NormalizedItem
from moderation.services.capture import _capture, _registration
from moderation.services.claims import _effective_state
from moderation.services.detection import findings_act, hits_store, texts_assess
from moderation.services.workflow import _decision_apply
from moderation.subjects import post_titles
from records.choices import AmendmentKind, RecordDirection, RecordSource, RegistrationReason
from records.media import media_descriptors_validate
from records.models import Record
from records.services import record_amend, records_register

MAX_TEXT_LENGTH = 100_000
# Read once: Django builds an enumeration's ``values`` anew at every read.
ITEM_KINDS = tuple(ItemKind.values)
ITEM_EVENTS = tuple(ItemEvent.values)


@dataclass(frozen=True)
class IntakeResult:
    item: Item
    outcome: str  # IntakeOutcome


def content_hash(text: str, raw: Any) -> str:
    """SHA-256 of the text and the raw payload as canonical JSON (sorted keys, UTF-8)."""
    body = json.dumps({"text": text, "raw": raw}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


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
    if data.kind not in ITEM_KINDS:
        errors["kind"] = _("Unknown kind of item: %s") % data.kind
    if data.event not in ITEM_EVENTS:
        errors["event"] = _("Unknown event: %s") % data.event
    if timezone.is_naive(data.occurred_at):
        errors["occurred_at"] = _("The platform time must carry a time zone.")
    if data.published_at is not None and timezone.is_naive(data.published_at):
        errors["published_at"] = _("The platform time must carry a time zone.")
    errors.update(_content_errors(data))
    for field in fields(data):
        if unstorable(getattr(data, field.name)):
            errors[field.name] = _(
                "Holds a character that cannot be stored (NUL or a lone UTF-16 surrogate)."
            )
    if errors:
        raise ValidationError(errors)


def _content_errors(data: NormalizedItem) -> dict[str, str]:
    """What is wrong with the event's text and media list."""
    errors = {}
    media_problem = media_descriptors_validate(list(data.media))
    if media_problem:
        errors["media"] = media_problem
    if data.text is not None and len(data.text) > MAX_TEXT_LENGTH:
        errors["text"] = _("The text is longer than %d characters.") % MAX_TEXT_LENGTH
    return errors


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
        if data.event == ItemEvent.REMOVED:
            item.platform_deleted, item.platform_deleted_at = True, data.occurred_at
        elif data.event in (ItemEvent.HIDDEN, ItemEvent.UNHIDDEN):
            item.platform_hidden = data.event == ItemEvent.HIDDEN
            item.visibility_event_at = data.occurred_at
        # The related rows are given as instances and the constraints are the database's.
        item.full_clean(
            exclude=["channel", "source_client", "author", "parent", "current_version", "record"],
            validate_constraints=False,
        )
        items.append(item)
    # What the detectors find decides each item's priority and whether it is registered as
    # sensitive, so they run before anything is stored (an event without text finds nothing).
    findings = texts_assess([item.text for item in items])
    for item, found in zip(items, findings, strict=True):
        found.rank(item, now)
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
        (item, data, found)
        for item, data, found in zip(items, events, findings, strict=True)
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
        for item, data, _found in with_text
    )
    for (item, _data, _found), version in zip(with_text, versions, strict=True):
        item.current_version = version
    hits_store(
        (version, found) for (_item, _data, found), version in zip(with_text, versions, strict=True)
    )
    suspected = Item.suspected_grounds.through
    suspected.objects.bulk_create(
        suspected(item_id=item.pk, ground_id=ground.pk)
        for item, found in zip(items, findings, strict=True)
        for ground in found.grounds
    )
    registrations = []
    titles = post_titles(channel, {item.thread_external_id for item in items})
    for item, data, found in zip(items, events, findings, strict=True):
        # The account's own posts are drawn up by the municipality; all else reached it.
        own = bool(data.author_id) and data.author_id == data.account_id
        direction = RecordDirection.DRAWN_UP if own else RecordDirection.INCOMING
        reason = RegistrationReason.SENSITIVE if found.sensitive else RegistrationReason.RECEIVED
        registrations.append(
            _registration(item, reason, direction=direction, titles=titles, media=[*data.media])
        )
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
    findings_act(list(zip(items, findings, strict=True)), actor=actor)
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
    if data.event == ItemEvent.REMOVED and not item.platform_deleted:
        item.platform_deleted, item.platform_deleted_at, changed = True, data.occurred_at, True
    elif data.event in (ItemEvent.HIDDEN, ItemEvent.UNHIDDEN) and newer_visibility:
        hidden = data.event == ItemEvent.HIDDEN
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
    (found,) = texts_assess([text])
    hits_store([(version, found)])
    if item.record is not None and not first:
        record_amend(
            record=item.record,
            text=text,
            raw_payload=raw,
            reason=AmendmentKind.PLATFORM_EDIT,
            actor=actor,
            occurred_at=occurred_at,
        )
    if found.sensitive:
        _capture(item, RegistrationReason.SENSITIVE, actor=actor)
    if first or occurred_at >= item.content_event_at:
        item.text, item.raw_payload, item.sha256 = text, raw, digest
        item.content_event_at = occurred_at
        item.current_version = version
        found.rank(item, timezone.now())
        item.suspected_grounds.set(found.grounds)
        item.save()
        if not first and _effective_state(item) == ItemState.KEPT:
            # A kept item edited on the platform is not the item that was kept: review it again.
            reason = _("Automatic: edited on the platform after it was kept.")
            _decision_apply(
                item, DecisionAction.REOPEN, [], reason, actor=system_user(), automated=True
            )
        findings_act([(item, found)], actor=actor)
    return True
