"""The hand-over from the platforms to the queue: items leave the request as a Celery task
dispatched after commit, so the webhook answers fast and a rollback sends nothing."""

from .base import NormalizedItem
from .tasks import platform_items_intake


def deliver(channel_account_id: str, items: list[NormalizedItem]) -> None:
    """Queue the items one platform account (page, channel, organisation) received."""
    if items:
        platform_items_intake.delay_on_commit(
            channel_account_id, [item.to_payload() for item in items]
        )
