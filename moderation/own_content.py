"""The channel's own content: the posts, comments and replies its own account made (its platform
account id as the author, or sent as its own through the ingest API), and the replies the
moderators send through the platform, once the platform confirms them. The municipality drew
them up (TF 2:10): they go to the register as drawn-up documents dated when they were published,
not to the moderation queue (there is nothing to moderate, and /insyn/ counts what citizens
sent). A later edit is an amendment with its own date; a reply's entry names the entry of the
comment it answers, and its counterparty is that comment's author."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import IntegrationClient, User
from accounts.permissions import permission_require
from channels_app.models import Channel
from moderation.choices import IntakeOutcome, ItemEvent
from moderation.models import PlatformAction
from moderation.platforms.base import NormalizedItem
from moderation.services import intake_validate
from moderation.subjects import document_subject, post_title, post_titles
from records.choices import AmendmentKind, RecordDirection, RecordSource, RegistrationReason
from records.models import Record
from records.services import Registration, record_amend, records_register

OWN_PERMISSION = "records.register_own_content"


@dataclass(frozen=True)
class OwnResult:
    record: Record | None  # None: an event about content never registered (a removal)
    outcome: str  # IntakeOutcome


def own_right_check(actor: User, item: NormalizedItem) -> None:
    """Only who may speak for the channel sends content as the channel's own."""
    if item.is_own and not actor.has_perm(OWN_PERMISSION):
        raise ValidationError(
            {
                "own": _(
                    "Only a client with the right to speak for the channel sends its own content."
                )
            }
        )


def own_items_register(
    *,
    channel: Channel,
    items: Sequence[NormalizedItem],
    actor: User,
    client: IntegrationClient | None = None,
) -> list[OwnResult | ValidationError]:
    """Register the channel's own content, one result per item in order; a refused item's
    result is its error and does not stop the others. Idempotent on the origin, as intake is."""
    permission_require(actor, OWN_PERMISSION)
    results: list[OwnResult | ValidationError] = []
    for item in items:
        try:
            intake_validate(channel, item)
            results.append(_own_register(channel, item, actor, client))
        except ValidationError as exc:
            results.append(exc)
    return results


def _origin(channel: Channel, client: IntegrationClient | None) -> dict[str, object]:
    return {
        "channel": channel,
        "source_kind": RecordSource.INGEST if client else RecordSource.PLATFORM,
        "source_client": client,
    }


def _own_register(
    channel: Channel, item: NormalizedItem, actor: User, client: IntegrationClient | None
) -> OwnResult:
    stored = Record.objects.filter(**_origin(channel, client), source_id=item.external_id).first()
    if item.text is None:  # a removal or a hiding: the entry, if any, keeps what was published
        return OwnResult(stored, IntakeOutcome.UNCHANGED)
    if stored is None:
        return OwnResult(_register(channel, item, actor, client), IntakeOutcome.CREATED)
    latest = stored.amendments.order_by("occurred_at", "pk").last()
    if item.text == (latest.text if latest else stored.text) or (
        latest and latest.occurred_at >= item.occurred_at
    ):
        return OwnResult(stored, IntakeOutcome.UNCHANGED)
    record_amend(
        record=stored,
        text=item.text,
        raw_payload=dict(item.raw),
        reason=AmendmentKind.PLATFORM_EDIT,
        actor=actor,
        occurred_at=item.occurred_at,
    )
    return OwnResult(stored, IntakeOutcome.UPDATED)


def _register(
    channel: Channel, item: NormalizedItem, actor: User, client: IntegrationClient | None
) -> Record:
    text = item.text or ""
    if item.kind == "post":
        title = post_title(text)
    else:
        title = post_titles(channel, [item.thread_external_id or ""]).get(
            item.thread_external_id or "", ""
        )
    answered = None  # the entry answered, if it came first: its author is the counterparty
    if item.kind != "post" and item.parent_external_id:
        answered = Record.objects.filter(
            **_origin(channel, client), source_id=item.parent_external_id
        ).first()
    (record,) = records_register(
        registrations=[
            Registration(
                channel=channel,
                source_id=item.external_id,
                source_kind=RecordSource.INGEST if client else RecordSource.PLATFORM,
                source_client_id=client.pk if client else None,
                document_date=item.existed_since,
                direction=RecordDirection.DRAWN_UP,
                subject=document_subject(channel=channel, kind=item.kind, post=title),
                text=text,
                raw_payload=dict(item.raw),
                reason=RegistrationReason.RECEIVED,
                # A reply is sent to the author of the comment it answers (OSL 5:2).
                counterparty_name=answered.counterparty_name if answered else "",
                counterparty_platform_id=answered.counterparty_platform_id if answered else "",
                permalink=item.permalink or "",
                media=[dict(entry) for entry in item.media],
                in_reply_to_source_id=(item.parent_external_id or "")
                if item.kind != "post"
                else "",
            )
        ],
        actor=actor,
    )
    return record


def platform_reply_register(*, action: PlatformAction, created_id: str, actor: User) -> Record:
    """A reply a moderator sent, now that the platform confirms it: registered as drawn up,
    answering the entry of the comment it was sent to. ``created_id`` is the platform's id of
    the reply when it gives one, so the reply's own webhook event finds the same entry."""
    comment = action.decision.item
    channel = action.channel
    reply = NormalizedItem(
        platform=channel.platform,
        account_id=channel.platform_account_id,
        external_id=created_id or f"platform-action-{action.pk}",
        kind="reply",
        event=ItemEvent.CREATED,
        occurred_at=action.sent_at or timezone.now(),
        text=action.text,
        parent_external_id=action.target_external_id,
        thread_external_id=comment.thread_external_id if comment else None,
        own=True,
        raw={"platform_action": action.pk, "id": created_id, "message": action.text},
    )
    client = comment.source_client if comment else None
    (result,) = own_items_register(channel=channel, items=[reply], actor=actor, client=client)
    if isinstance(result, ValidationError):
        raise result
    assert result.record is not None  # a reply with a text is always registered
    return result.record
