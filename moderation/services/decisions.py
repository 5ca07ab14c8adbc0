"""A moderator's decisions on items: one at a time (blocking the author included) or in bulk."""

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import permission_require
from core.exceptions import ApplicationError
from moderation.capabilities import platform_supports
from moderation.choices import DecisionAction, DetectorKind
from moderation.models import Decision, Item, ReplyTemplate
from moderation.services.blocks import _block_create
from moderation.services.claims import _claim_check, _locked
from moderation.services.detection import texts_assess
from moderation.services.workflow import (
    WORKFLOW,
    _decision_apply,
    _decision_validate,
    _person_require,
    grounds_resolve,
)

BULK_LIMIT = 1000
REPLY_MAX_LENGTH = 8000  # Facebook's limit for a comment; the others allow more


def reply_check(text: str) -> None:
    """A reply in the moderator's own words is read by the same detectors as what citizens
    write before it is sent: one showing an identity number, a banned word or what a ground
    obliges removing is refused, and the reason names no part of it."""
    if len(text) > REPLY_MAX_LENGTH:
        raise ValidationError(
            {"reply_text": _("The reply is longer than %d characters.") % REPLY_MAX_LENGTH}
        )
    (findings,) = texts_assess([text])
    if findings.sensitive:
        raise ValidationError(
            {
                "reply_text": _(
                    "The reply contains a personal identity number or coordination number. "
                    "A reply is public on the platform: remove the number and send it again."
                )
            }
        )
    if findings.urgent or any(hit.detector == DetectorKind.BANNED_WORD for hit in findings.hits):
        raise ValidationError(
            {
                "reply_text": _(
                    "The reply contains words that may not be used on the municipality's "
                    "accounts. Rewrite it and send it again."
                )
            }
        )


@transaction.atomic
def item_decide(
    *,
    item: Item,
    action: str,
    ground_codes: Iterable[str] = (),
    rationale: str = "",
    reply_template: ReplyTemplate | None = None,
    reply_text: str = "",
    ends_at: datetime | None = None,
    actor: User,
) -> Decision:
    """A moderator's decision on one item. Blocking the author is a decision on the item too.
    A reply is ``reply_text`` in the moderator's words (see ``reply_check``) or a template."""
    permission_require(actor, "moderation.decide_item")
    reply_text = reply_text.strip()
    if action == DecisionAction.REPLY and reply_text:
        reply_check(reply_text)
    grounds = grounds_resolve(ground_codes)
    _decision_validate(action, grounds, rationale)
    if WORKFLOW[action].person_only:
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
        item,
        action,
        grounds,
        rationale,
        actor=actor,
        reply_template=reply_template,
        reply=reply_text if action == DecisionAction.REPLY else "",
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
    if action not in DecisionAction.values or not WORKFLOW[action].bulk:
        raise ValidationError({"action": _("Bulk decisions are keep, hide, remove or escalate.")})
    grounds = grounds_resolve(ground_codes)
    _decision_validate(action, grounds, rationale)
    if WORKFLOW[action].person_only:
        _person_require(actor)
    locked = list(
        Item.objects.select_for_update(of=("self",))
        .select_related("channel", "author")
        .filter(pk__in=[item.pk for item in items])
        .order_by("pk")
    )
    kind = WORKFLOW[action].platform_action
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
