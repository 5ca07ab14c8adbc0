"""Background work for the platform adapters (loaded by the worker through CELERY_IMPORTS,
since autodiscovery looks only at ``<app>.tasks``)."""

from typing import Any

from celery import shared_task

from .base import NormalizedItem


class IntakeMissingError(RuntimeError):
    """The queue's intake service is not there to take the items."""


@shared_task
def platform_items_intake(channel_account_id: str, items: list[dict[str, Any]]) -> None:
    """Hand the delivered items to the moderation queue's intake service."""
    try:
        from moderation.services import moderation_item_intake
    except ImportError as exc:
        raise IntakeMissingError(
            "moderation.services.moderation_item_intake is missing: the moderation queue must "
            f"be installed to take {len(items)} item(s) for account {channel_account_id}."
        ) from exc
    from accounts.services import system_user

    moderation_item_intake(
        channel_account_id=channel_account_id,
        items=[NormalizedItem.from_payload(item) for item in items],
        actor=system_user(),
    )
