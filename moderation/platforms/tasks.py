"""Background work for the platforms (loaded by the worker through CELERY_IMPORTS, since
autodiscovery looks only at ``<app>.tasks``): content in from deliveries and polls, actions out
from the outbox. Each task is thin and calls a service with the system user."""

from celery import shared_task

from accounts.services import system_user


@shared_task
def webhook_delivery_process(delivery_id: int) -> bool:
    """Take one stored webhook delivery into the queue, dispatched after the commit that
    stored it."""
    from .inbox import webhook_delivery_process as process

    return process(delivery_id=delivery_id, actor=system_user())


@shared_task
def webhook_deliveries_sweep() -> int:
    """Take the stored webhook deliveries no task took: broker outages, crashes, failures."""
    from .inbox import webhook_deliveries_sweep as sweep

    return sweep(actor=system_user())


@shared_task
def platform_poll(platform: str) -> int:
    """Poll every connected channel on a platform that pushes nothing (YouTube, LinkedIn)."""
    from . import capture

    return capture.platform_poll(platform=platform, actor=system_user())


@shared_task
def platform_action_send(action_id: int) -> None:
    """Send one outbox row, dispatched after the commit that created it."""
    from .outbox import platform_actions_send

    platform_actions_send(action_ids=[action_id], actor=system_user())


@shared_task
def platform_actions_sweep() -> int:
    """Send every outbox row whose attempt is due: retries, and rows a broker outage stranded."""
    from .outbox import platform_actions_sweep as sweep

    return sweep(actor=system_user())
