"""Reconsideration (omprövning) of a decision by another moderator."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import permission_require
from core.dispatch import dispatch_on_commit
from core.exceptions import ApplicationError
from moderation.choices import DecisionAction, ReconsiderationOutcome
from moderation.models import Decision, Reconsideration
from moderation.services.blocks import block_lift
from moderation.services.claims import _claim_check, _locked
from moderation.services.workflow import WORKFLOW, _decision_apply


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
    undo = WORKFLOW[decision.action].overturned_by
    if undo is None:
        raise ApplicationError(_("This kind of decision is not reconsidered."))
    if Reconsideration.objects.filter(decision=decision).exists():
        raise ApplicationError(_("The decision has already been reconsidered."))
    new_decision = None
    if outcome == ReconsiderationOutcome.CHANGED:
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
