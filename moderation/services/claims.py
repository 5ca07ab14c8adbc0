"""Claims: a moderator takes an item for a while so that two do not decide it at once; the
helpers every write on an item uses to lock it and respect another's claim."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import permission_require
from core.exceptions import ApplicationError
from moderation.choices import ItemState
from moderation.models import OPEN_STATES, Item

CLAIM_DURATION = timedelta(minutes=10)


def _effective_state(item: Item) -> str:
    return item.state_before_claim if item.state == ItemState.CLAIMED else item.state


def _claim_is_live(item: Item, now: datetime) -> bool:
    return bool(item.claimed_by_id and item.claimed_until and item.claimed_until > now)


def _claim_check(item: Item, actor: User, now: datetime) -> None:
    if _claim_is_live(item, now) and item.claimed_by_id != actor.pk:
        raise ApplicationError(
            _("%(name)s has claimed this item until %(time)s.")
            % {
                "name": item.claimed_by.name if item.claimed_by else "",
                "time": timezone.localtime(item.claimed_until).strftime("%H:%M"),
            },
            code="claimed_by_other",
        )


def _claim_clear(item: Item) -> None:
    item.claimed_by = None
    item.claimed_at = None
    item.claimed_until = None
    item.state_before_claim = ""


def _locked(item: Item) -> Item:
    return (
        Item.objects.select_for_update(of=("self",))
        .select_related("channel", "author")
        .get(pk=item.pk)
    )


@transaction.atomic
def item_claim(*, item: Item, actor: User) -> Item:
    """Take the item for CLAIM_DURATION; claiming one's own claim again extends it."""
    permission_require(actor, "moderation.decide_item")
    item = _locked(item)
    now = timezone.now()
    _claim_check(item, actor, now)
    state = _effective_state(item)
    if state not in (*OPEN_STATES, ItemState.HIDDEN):
        raise ApplicationError(
            _("The item is already decided (%s); reopen it first.") % item.get_state_display(),
            code="decided",
        )
    if item.state != ItemState.CLAIMED:
        item.state_before_claim = item.state
        item.state = ItemState.CLAIMED
        item.claimed_at = now
    elif item.claimed_by_id != actor.pk:
        item.claimed_at = now
    item.claimed_by = actor
    item.claimed_until = now + CLAIM_DURATION
    item.save()
    return item


@transaction.atomic
def item_release(*, item: Item, actor: User) -> Item:
    permission_require(actor, "moderation.decide_item")
    item = _locked(item)
    _claim_check(item, actor, timezone.now())
    if item.state == ItemState.CLAIMED:
        item.state = item.state_before_claim or ItemState.NEW
    _claim_clear(item)
    item.save()
    return item
