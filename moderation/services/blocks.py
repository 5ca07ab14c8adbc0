"""Blocks: barring an author from a channel, and lifting the bar."""

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import permission_require
from channels_app.models import Channel
from core.actors import model_save
from core.exceptions import ApplicationError
from moderation.choices import DecisionAction, PlatformActionKind
from moderation.models import Block, Ground, Item, PlatformAccount
from moderation.services.workflow import (
    _decision_create,
    _decision_validate,
    _person_require,
    _platform_action_create,
    grounds_resolve,
)


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
    block = Block(
        author=author,
        channel=channel,
        rationale=rationale.strip(),
        decision=decision,
        created_by=actor,
        ends_at=ends_at,
    )
    model_save(block, actor)
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
    model_save(block, actor)
    return block
