"""Scheduled moderation work; each task calls a service as the system user."""

from celery import shared_task


@shared_task
def queue_sweep() -> dict[str, int]:
    """Give expired claims back to the queue, lift blocks that have ended, and alert the
    moderators about items that will soon pass their due time."""
    from accounts.services import system_user
    from moderation.services import blocks_expired_lift, claims_expired_release, items_due_alert

    actor = system_user()
    return {
        "claims_released": claims_expired_release(actor=actor),
        "blocks_lifted": blocks_expired_lift(actor=actor),
        "due_alerts": items_due_alert(actor=actor),
    }


@shared_task
def urgent_items_alert(item_ids: list[int]) -> int:
    """Alert the moderators about urgent items just stored (dispatched after the commit)."""
    from accounts.services import system_user
    from moderation.alerts import items_urgent_alert

    return items_urgent_alert(item_ids=item_ids, actor=system_user())


@shared_task
def urgent_items_sweep() -> dict[str, int]:
    """Every minute, round the clock: alerts a broker outage lost, and escalations."""
    from accounts.services import system_user
    from moderation.alerts import urgent_items_sweep as sweep

    return sweep(actor=system_user())


@shared_task
def reconsideration_request_notify(request_id: int) -> int:
    from accounts.services import system_user
    from moderation.models import ReconsiderationRequest
    from moderation.reconsideration import reconsideration_request_received_notify

    request = ReconsiderationRequest.objects.select_related("assigned_to", "decision").get(
        pk=request_id
    )
    return reconsideration_request_received_notify(request=request, actor=system_user())


@shared_task
def reconsideration_answer_notify(reconsideration_id: int) -> int:
    from accounts.services import system_user
    from moderation.models import Reconsideration
    from moderation.reconsideration import reconsideration_answer_send

    reconsideration = Reconsideration.objects.get(pk=reconsideration_id)
    return reconsideration_answer_send(reconsideration=reconsideration, actor=system_user())


@shared_task
def item_month_figures_refresh() -> int:
    """Keep the figures of closed months that have none, or whose figures changed since."""
    from accounts.services import system_user
    from moderation.statistics import item_month_figures_refresh as refresh

    return refresh(actor=system_user())
