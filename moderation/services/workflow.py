"""The decision workflow: which decisions an item may be given from which state, what each
asks of the platform and the register, and applying one to a locked item."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

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


@dataclass(frozen=True)
class Step:
    """What one kind of decision is and does: the workflow's table row."""

    # The item states (before any claim) it may be taken from; None: any state.
    allowed_from: frozenset[str] | None
    # The state it leaves the item in (and the claim cleared); None: the state stays.
    result: str | None = None
    # What it asks of the platform (unless the item is deleted there).
    platform_action: str | None = None
    # True hides the item, False shows it (asking the platform to unhide it where it is hidden
    # there and the decision asks nothing else), None leaves it.
    hides: bool | None = None
    # The platform must be able to do ``platform_action`` for the decision to be taken.
    platform_required: bool = False
    # Taken by the detectors, it leaves the item waiting for a person's review.
    automated_review: bool = False
    # Marks the item removed; a ground that forbids keeping the content erases it.
    removes: bool = False
    # Opens the police-report checklist when a cited ground asks for a police report.
    checklist: bool = False
    # Hands the item to the register as moderated.
    register: bool = False
    # Cites at least one ground (and the written rationale a ground requires).
    ground_required: bool = False
    # Sends a reply: the moderator's own words or a reply template.
    reply_required: bool = False
    # Only a person may take it.
    person_only: bool = False
    # May be taken on many items at once.
    bulk: bool = False
    # The decision a reconsideration that changes it takes; None: it is not reconsidered.
    overturned_by: str | None = None


_OPEN = frozenset({ItemState.NEW, ItemState.ESCALATED})
WORKFLOW: dict[str, Step] = {
    DecisionAction.KEEP: Step(
        allowed_from=_OPEN | {ItemState.HIDDEN},
        result=ItemState.KEPT,
        hides=False,
        bulk=True,
        overturned_by=DecisionAction.REOPEN,
    ),
    DecisionAction.HIDE: Step(
        allowed_from=_OPEN | {ItemState.KEPT},
        result=ItemState.HIDDEN,
        platform_action=PlatformActionKind.HIDE,
        hides=True,
        platform_required=True,
        automated_review=True,
        register=True,
        ground_required=True,
        bulk=True,
        overturned_by=DecisionAction.UNHIDE,
    ),
    DecisionAction.UNHIDE: Step(
        allowed_from=frozenset({ItemState.HIDDEN}),
        result=ItemState.KEPT,
        platform_action=PlatformActionKind.UNHIDE,
        hides=False,
    ),
    DecisionAction.REMOVE: Step(
        allowed_from=_OPEN | {ItemState.KEPT, ItemState.HIDDEN},
        result=ItemState.REMOVED,
        platform_action=PlatformActionKind.DELETE,
        hides=True,
        removes=True,
        checklist=True,
        register=True,
        ground_required=True,
        person_only=True,
        bulk=True,
        overturned_by=DecisionAction.REOPEN,
    ),
    DecisionAction.ESCALATE: Step(
        allowed_from=frozenset({ItemState.NEW, ItemState.HIDDEN, ItemState.KEPT}),
        result=ItemState.ESCALATED,
        bulk=True,
        overturned_by=DecisionAction.REOPEN,
    ),
    DecisionAction.REOPEN: Step(
        allowed_from=frozenset(
            {ItemState.KEPT, ItemState.HIDDEN, ItemState.REMOVED, ItemState.ESCALATED}
        ),
        result=ItemState.NEW,
    ),
    DecisionAction.REPLY: Step(
        allowed_from=None,
        platform_action=PlatformActionKind.REPLY,
        reply_required=True,
    ),
    # Blocks are decisions about the author, taken and lifted through moderation.services.blocks.
    DecisionAction.BLOCK: Step(
        allowed_from=None,
        platform_action=PlatformActionKind.BAN,
        ground_required=True,
        person_only=True,
        overturned_by=DecisionAction.UNBLOCK,
    ),
    DecisionAction.UNBLOCK: Step(allowed_from=None, platform_action=PlatformActionKind.UNBAN),
}
# The platform action each decision asks for, when it asks for one.
PLATFORM_ACTION_FOR = {
    action: step.platform_action for action, step in WORKFLOW.items() if step.platform_action
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
    step = WORKFLOW[action]
    if step.ground_required and not grounds:
        raise ValidationError({"grounds": _("This decision must cite at least one ground.")})
    needing = [g for g in grounds if g.requires_rationale]
    if step.ground_required and needing and not rationale.strip():
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
    reply: str = "",
) -> Decision:
    """Record the decision on a locked item as its row in WORKFLOW says: move its state, queue
    the platform action, hide or show it, and hand it to the register. ``reply`` is a reply in
    the moderator's own words (checked by the caller); it is sent in place of a template's."""
    now = timezone.now()
    step = WORKFLOW[action]
    reply = reply.strip()
    _step_check(item, action, step, reply_template, reply)
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
    platform_kind = step.platform_action
    if step.hides is False and item.platform_hidden:
        platform_kind = platform_kind or PlatformActionKind.UNHIDE
    if platform_kind and not item.platform_deleted:
        _platform_action_create(
            decision,
            platform_kind,
            item.external_id,
            item_kind=item.kind,
            text=reply or (reply_text(reply_template) if reply_template else ""),
        )
    withhold = any(not g.store_content for g in grounds)
    _item_step(item, step, decision, grounds, now=now, automated=automated, withhold=withhold)
    if step.register:
        _capture(item, RegistrationReason.MODERATED, actor=actor, withhold=withhold)
    if step.removes and withhold:
        _register_content_erase(item, decision, grounds)
    return decision


def _step_check(
    item: Item, action: str, step: Step, reply_template: ReplyTemplate | None, reply: str = ""
) -> None:
    """Refuse a decision its row does not allow on this item."""
    state = _effective_state(item)
    if step.allowed_from is not None and state not in step.allowed_from:
        raise ApplicationError(
            _("An item that is %(state)s cannot be given the decision “%(action)s”.")
            % {
                "state": ItemState(state).label.lower(),
                "action": DecisionAction(action).label.lower(),
            },
            code="invalid_transition",
        )
    if (
        step.platform_required
        and step.platform_action
        and not platform_supports(
            platform=item.channel.platform, action=step.platform_action, kind=item.kind
        )
    ):
        raise ApplicationError(
            _("%s cannot hide this item; keep it or remove it.")
            % item.channel.get_platform_display(),
            code="unsupported",
        )
    if step.reply_required and reply_template is None and not reply:
        raise ValidationError({"reply_text": _("Write a reply or choose a reply template.")})


def _item_step(
    item: Item,
    step: Step,
    decision: Decision,
    grounds: Sequence[Ground],
    *,
    now: datetime,
    automated: bool,
    withhold: bool,
) -> None:
    """The item as the decision leaves it (saved)."""
    if step.result is not None:
        item.state = step.result
        _claim_clear(item)
    if step.hides is not None:
        item.platform_hidden = step.hides
        if step.hides:
            item.hidden_at = item.hidden_at or now
    if step.removes:
        item.removed_at = now
    if step.checklist and any(g.police_report for g in grounds):
        PoliceReportChecklist.objects.create(decision=decision)
    if step.removes and withhold:
        _content_withhold(item)
    if automated and step.automated_review:
        item.hidden_pending_review = True
    elif not automated:
        item.hidden_pending_review = False
        item.first_action_at = item.first_action_at or now
    item.save()
