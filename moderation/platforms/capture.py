"""Content in, per channel: webhook deliveries and polled pages are handed to the queue's intake
service; each channel's connection (moderation.platforms.connections) keeps its access token,
its poll cursor and its capture health.

A channel is found by its platform and its platform account id (the page id, Instagram user id,
YouTube channel id or LinkedIn organisation URN); content for an account no channel has is logged
and dropped."""

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import IntegrationClient, User
from accounts.permissions import permission_require
from channels_app.choices import ChannelStatus
from channels_app.models import Channel
from core.storable import storable_text
from moderation.models import ChannelConnection
from moderation.own_content import OwnResult, own_items_register, own_right_check
from moderation.services import IntakeResult, moderation_items_receive

from .base import NormalizedItem, PollDeferredError
from .connections import MAX_ERROR_LENGTH, capture_note, channel_http, connection_of
from .registry import adapter_for

logger = logging.getLogger(__name__)

# The platforms that push nothing, so their channels are polled (see config/schedule.py).
POLLED_PLATFORMS = ("youtube", "linkedin")
# How long a refused poll waits when the platform names no time.
POLL_BACKOFF = timedelta(minutes=15)


# --- content in ------------------------------------------------------------------------------


Received = IntakeResult | OwnResult | ValidationError


def _receive(
    channel: Channel,
    items: Sequence[NormalizedItem],
    actor: User,
    client: IntegrationClient | None = None,
) -> list[Received]:
    """One result per item, in order: the channel's own content goes to the register as drawn
    up (first, so the subjects of the comments on a post can name it), the rest to the queue.
    Content sent as the channel's own by whoever may not speak for it is refused."""
    results: list[Received | None] = [None] * len(items)
    own: list[int] = []
    for index, item in enumerate(items):
        if item.is_own:
            try:
                own_right_check(actor, item)
                own.append(index)
            except ValidationError as exc:
                results[index] = exc
    if own:
        registered = own_items_register(
            channel=channel, items=[items[i] for i in own], actor=actor, client=client
        )
        for index, result in zip(own, registered, strict=True):
            results[index] = result
    others = [index for index, item in enumerate(items) if not item.is_own]
    if others:
        received = moderation_items_receive(
            channel=channel, items=[items[i] for i in others], actor=actor, client=client
        )
        for index, outcome in zip(others, received, strict=True):
            results[index] = outcome
    return [result for result in results if result is not None]


def _items_intake(channel: Channel, items: Sequence[NormalizedItem], actor: User) -> list[str]:
    """The items through the intake; returns the errors of the items it refused."""
    errors = []
    for item, result in zip(items, _receive(channel, items, actor), strict=True):
        if isinstance(result, ValidationError):
            logger.warning(
                "Refused %s item %s for %s: %s",
                item.platform,
                item.external_id,
                channel.slug,
                "; ".join(result.messages),
            )
            errors.append(f"{storable_text(item.external_id)}: {'; '.join(result.messages)}")
    return errors


def platform_items_receive(
    *, platform: str, account_id: str, items: list[NormalizedItem], actor: User
) -> list[str]:
    """Hand what a platform delivered for one account to the queue. Returns what was not
    taken in, each with its reason: the events refused, or every item when no channel has the
    account (dropped, with a log line)."""
    permission_require(actor, "moderation.add_item")
    channel = Channel.objects.filter(platform=platform, platform_account_id=account_id).first()
    if channel is None:
        logger.warning(
            "Dropped %d %s item(s) for the account %s: no channel has that platform account id",
            len(items),
            platform,
            account_id,
        )
        return [f"No channel has the {platform} account {account_id}."]
    errors = _items_intake(channel, items, actor)
    capture_note(channel, event="delivery", error="\n".join(errors))
    return errors


def channel_poll(*, channel: Channel, actor: User) -> int:
    """Poll the channel's platform from the stored cursor; the items and the new cursor are
    saved in one transaction, so a poll that fails halfway is repeated whole. A refusal by the
    platform defers the next poll as long as it asks. Returns how many items came in."""
    permission_require(actor, "moderation.add_item")
    connection = connection_of(channel)
    now = timezone.now()
    if connection.poll_deferred_until and connection.poll_deferred_until > now:
        return 0
    adapter = adapter_for(channel.platform)
    try:
        with channel_http(channel) as http:
            fetched, cursor = adapter.poll(
                account_id=channel.platform_account_id,
                cursor=connection.poll_cursor or None,
                http=http,
            )
            items = list(fetched)
    except PollDeferredError as exc:
        wait = timedelta(seconds=exc.retry_after) if exc.retry_after else POLL_BACKOFF
        logger.warning("Poll of %s deferred for %s: %s", channel.slug, wait, exc)
        ChannelConnection.objects.filter(pk=connection.pk).update(
            poll_deferred_until=now + wait,
            last_poll_at=now,
            last_error=str(exc)[:MAX_ERROR_LENGTH],
            last_error_at=now,
            updated_at=now,
        )
        return 0
    with transaction.atomic():
        errors = _items_intake(channel, items, actor)
        connection.poll_cursor = cursor or ""
        connection.poll_deferred_until = None
        connection.last_poll_at = now
        if errors:
            connection.last_error, connection.last_error_at = "\n".join(errors), now
        connection.save()
    return len(items)


def platform_poll(*, platform: str, actor: User) -> int:
    """Poll every channel on the platform that has an account id and a token; one channel's
    failure is logged and noted on it, and the others are polled all the same."""
    permission_require(actor, "moderation.add_item")
    channels = (
        Channel.objects.filter(platform=platform)
        .exclude(platform_account_id="")
        .exclude(status=ChannelStatus.CLOSED)
        .exclude(connection__access_token_encrypted="")
        .filter(connection__isnull=False)
    )
    total = 0
    for channel in channels:
        try:
            total += channel_poll(channel=channel, actor=actor)
        except Exception as exc:
            logger.exception("The poll of %s failed", channel.slug)
            capture_note(channel, event="poll", error=f"{type(exc).__name__}: {exc}")
    return total


# --- the ingestion API -----------------------------------------------------------------------


@dataclass(frozen=True)
class IngestResult:
    external_id: str
    outcome: str  # IntakeOutcome or "rejected"
    item: int | None = None  # the queue's item (none for the channel's own content)
    reason: str = ""
    record: int | None = None  # the register entry, when there is one


def items_ingest(
    *,
    batch: Sequence[tuple[str, Mapping[str, Any]]],
    actor: User,
    client: IntegrationClient | None = None,
) -> list[IngestResult]:
    """Items other municipal systems push, each as (channel slug, NormalizedItem fields but
    platform and account); one result per item, in order. Idempotent: the intake ignores an
    event it already has. A refused item does not stop the others. The items are the
    ``client``'s own: an id it sends never reaches the platform's items or another client's."""
    permission_require(actor, "moderation.add_item")
    slugs = {slug for slug, _fields in batch}
    channels = {channel.slug: channel for channel in Channel.objects.filter(slug__in=slugs)}
    results: list[IngestResult | None] = [None] * len(batch)
    by_channel: dict[str, list[tuple[int, NormalizedItem]]] = {}
    for index, (slug, fields) in enumerate(batch):
        channel = channels.get(slug)
        if channel is None:
            reason = _("No channel has the slug “%s”.") % slug
            results[index] = IngestResult(
                str(fields.get("external_id", "")), "rejected", reason=reason
            )
            continue
        item = NormalizedItem(
            platform=channel.platform,
            account_id=channel.platform_account_id or channel.slug,
            **{**fields, "media": tuple(dict(entry) for entry in fields.get("media", ()))},
        )
        by_channel.setdefault(slug, []).append((index, item))
    for slug, entries in by_channel.items():
        received = _receive(channels[slug], [item for _index, item in entries], actor, client)
        for (index, item), result in zip(entries, received, strict=True):
            results[index] = _ingest_result(item, result)
    return [result for result in results if result is not None]


def _ingest_result(item: NormalizedItem, result: Received) -> IngestResult:
    if isinstance(result, ValidationError):
        return IngestResult(item.external_id, "rejected", reason=" ".join(result.messages))
    if isinstance(result, OwnResult):
        record = result.record.pk if result.record else None
        return IngestResult(item.external_id, str(result.outcome), record=record)
    return IngestResult(
        item.external_id, str(result.outcome), result.item.pk, record=result.item.record_id
    )
