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
