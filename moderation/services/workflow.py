"""The decision workflow: which decisions an item may be given from which state, what each
asks of the platform and the register, and applying one to a locked item."""

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from channels_app.models import Channel
from core.dispatch import dispatch_on_commit
from core.exceptions import ApplicationError
from moderation.capabilities import platform_supports
from moderation.choices import DecisionAction, ItemState, PlatformActionKind, PlatformActionState
from moderation.lifecycle import items_content_erase
from moderation.models import (
    Decision,
    Ground,
    Item,
    PlatformAccount,
    PlatformAction,
    PoliceReportChecklist,
    ReplyTemplate,
)
from moderation.platforms.tasks import platform_action_send
from moderation.reconsideration import reply_text
from moderation.services.capture import _capture
from moderation.services.claims import _claim_clear, _effective_state
from records.choices import RecordStatus, RegistrationReason, UnlawfulContentBasis
from records.models import Record
from records.services import record_unlawful_content_erase

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
