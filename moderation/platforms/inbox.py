"""The webhook inbox (moderation.models.WebhookDelivery): the webhook stores each verified
delivery here in its own request, before it answers 200, and dispatches the processing after
the commit. Processing parses the stored bytes and hands each account's items to the queue;
a delivery no task took (broker down, worker crash, a bug fixed later) is taken by the sweep,
which celery beat runs every minute. Intake is idempotent, so taking a delivery twice changes
nothing. Once every event of a delivery is in the queue, its stored bytes are emptied: the
items and their register entries hold each event, and disposal reaches those; a delivery with
an event that was not taken in keeps its bytes."""

import logging
from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import permission_require
from core.dispatch import dispatch_on_commit
from moderation.models import WebhookDelivery, WebhookSource

from . import capture, meta
from .base import NormalizedItem

logger = logging.getLogger(__name__)

# How long the sweep leaves a new delivery to the task dispatched with it.
TASK_GRACE = timedelta(minutes=2)
# After a failure: 2, 4, 8 … minutes, at most an hour, until it goes through.
RETRY_CAP = timedelta(hours=1)
SWEEP_BATCH = 100
MAX_ERROR_LENGTH = 2000


def webhook_delivery_receive(*, source: str, body: bytes, actor: User) -> WebhookDelivery:
    """Store a verified delivery as it arrived and dispatch its processing after the commit;
    with the broker down the delivery waits for the sweep."""
    permission_require(actor, "moderation.add_item")
    now = timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(
            source=source, body=body, received_at=now, next_attempt_at=now + TASK_GRACE
        )
        from .tasks import webhook_delivery_process as task

        dispatch_on_commit(task, delivery.pk)
    return delivery


def _items_by_account(delivery: WebhookDelivery) -> dict[tuple[str, str], list[NormalizedItem]]:
    parsed = meta.delivery_parse(bytes(delivery.body), received_at=delivery.received_at)
    by_account: dict[tuple[str, str], list[NormalizedItem]] = defaultdict(list)
    for item in parsed.items:
        by_account[(item.platform, item.account_id)].append(item)
    return by_account


def webhook_delivery_process(*, delivery_id: int, actor: User) -> bool:
    """Hand a stored delivery's items to the queue, once; False when it is already processed
    or another worker holds it, or when it failed (the failure is kept for the sweep)."""
    permission_require(actor, "moderation.add_item")
    try:
        with transaction.atomic():
            delivery = (
                WebhookDelivery.objects.select_for_update(skip_locked=True)
                .filter(pk=delivery_id, processed_at__isnull=True)
                .first()
            )
            if delivery is None:
                return False
            if delivery.source != WebhookSource.META:
                raise ValueError(f"No processing for deliveries from {delivery.source}")
            left_out = []
            for (platform, account_id), items in _items_by_account(delivery).items():
                left_out += capture.platform_items_receive(
                    platform=platform, account_id=account_id, items=items, actor=actor
                )
            delivery.processed_at = timezone.now()
            delivery.attempts += 1
            delivery.last_error = ""
            if not left_out:
                delivery.body = b""
            delivery.save(update_fields=["processed_at", "attempts", "last_error", "body"])
        return True
    except Exception as exc:
        logger.exception("Webhook delivery %s failed; the sweep takes it again", delivery_id)
        _failure_note(delivery_id, f"{type(exc).__name__}: {exc}")
        return False


def _failure_note(delivery_id: int, error: str) -> None:
    delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        return
    attempts = delivery.attempts + 1
    wait = min(timedelta(minutes=2**attempts), RETRY_CAP)
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        attempts=attempts,
        last_error=error[:MAX_ERROR_LENGTH],
        next_attempt_at=timezone.now() + wait,
    )


def webhook_deliveries_sweep(*, actor: User) -> int:
    """Process the deliveries whose attempt is due, oldest first; returns how many went in."""
    permission_require(actor, "moderation.add_item")
    due = (
        WebhookDelivery.objects.filter(
            processed_at__isnull=True, next_attempt_at__lte=timezone.now()
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return sum(webhook_delivery_process(delivery_id=pk, actor=actor) for pk in list(due))
