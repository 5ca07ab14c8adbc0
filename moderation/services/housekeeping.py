"""The scheduled sweeps: due-time alerts, expired claims and expired blocks."""

from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from accounts.permissions import permission_require
from moderation.choices import ItemState
from moderation.models import OPEN_ITEMS, Block, Item
from moderation.services.blocks import block_lift
from moderation.services.claims import _claim_clear, _claim_is_live, _locked

DUE_ALERT_WINDOW = timedelta(hours=1)


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
    recipients = User.objects.emails(Role.MODERATOR)
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


def blocks_expired_lift(*, actor: User) -> int:
    """Lift every block whose end has come."""
    expired = Block.objects.filter(lifted_at__isnull=True, ends_at__lte=timezone.now())
    reason = _("The block ran to its end.")
    return len([block_lift(block=block, rationale=reason, actor=actor) for block in expired])
