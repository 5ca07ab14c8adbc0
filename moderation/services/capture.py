"""Capture first: what the register is given for an item, and handing it over."""

from accounts.models import User
from moderation.choices import ItemKind
from moderation.models import Item
from moderation.subjects import document_subject, post_titles
from records.choices import RecordDirection, RecordSource
from records.services import Registration, records_register


def _registration(
    item: Item,
    reason: str,
    *,
    withhold: bool = False,
    direction: str = RecordDirection.INCOMING,
    titles: dict[str, str] | None = None,
    media: list[dict[str, str]] | None = None,
) -> Registration:
    """What the register is given for an item: content a ground forbids keeping is given as
    metadata only. Its subject names the channel's own post it is on (``titles``: the post
    titles by id, when the caller has them; else looked up); ``media`` are the media files the
    event carried (the register fetches them)."""
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
        media=[] if withhold else list(media or []),
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
