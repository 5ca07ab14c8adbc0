"""The bench's Celery task (loaded with ``celery worker --include bench.tasks``): the intake
work a webhook delivery hands to the worker, for one channel, through the real service."""

from typing import Any

from celery import shared_task


@shared_task
def bench_items_intake(channel_id: int, items: list[dict[str, Any]]) -> int:
    from accounts.services import system_user
    from channels_app.models import Channel
    from moderation.platforms.base import NormalizedItem
    from moderation.services import moderation_item_intake

    channel = Channel.objects.get(pk=channel_id)
    actor = system_user()
    for payload in items:
        moderation_item_intake(
            channel=channel, item=NormalizedItem.from_payload(payload), actor=actor
        )
    return len(items)
