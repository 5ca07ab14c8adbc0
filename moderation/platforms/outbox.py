"""The sender of the outbox (``PlatformAction`` rows): each row is claimed before the platform
is called, so two workers, or a task and the sweep, never send it twice; a platform that asks
for patience gets exponential back-off with jitter (never shorter than its Retry-After) up to
``MAX_ATTEMPTS``, after which the row is ``failed`` with the platform's last answer.

A row is sent by a task dispatched after the commit that created it; the periodic sweep sends
whatever is due, so rows a broker outage stranded, and retries, go out all the same."""

import logging
import random
from collections.abc import Sequence
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.permissions import permission_require
from moderation.choices import PlatformActionKind, PlatformActionState
from moderation.models import PlatformAction
from moderation.own_content import platform_reply_register

from . import connections
from .base import Action, ActionResult
from .registry import adapter_for

logger = logging.getLogger(__name__)

# A claimed row is not claimed again before this has passed (far beyond any HTTP timeout), so a
# worker that died mid-call leaves the row to a later sweep instead of stranding it.
LEASE = timedelta(minutes=5)
FIRST_DELAY = 60.0  # seconds before the second attempt
MAX_DELAY = 6 * 60 * 60.0
MAX_ATTEMPTS = 8
SWEEP_LIMIT = 500
AUTHOR_ACTIONS = (PlatformActionKind.BAN, PlatformActionKind.UNBAN)


def backoff_seconds(attempts: int, retry_after: float | None = None) -> float:
    """The wait after the ``attempts``-th failed attempt: doubling from FIRST_DELAY, capped at
    MAX_DELAY, jittered to between half and all of that, and never less than Retry-After."""
    ceiling = min(MAX_DELAY, FIRST_DELAY * 2 ** max(0, attempts - 1))
    jittered = random.uniform(ceiling / 2, ceiling)  # noqa: S311 (spreads retries, no secret)
    return max(jittered, retry_after or 0.0)


def _claim(action_ids: Sequence[int]) -> list[PlatformAction]:
    """Lock the due, pending rows no one else holds, count the attempt and lease them."""
    now = timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    with transaction.atomic():
        rows = list(
            PlatformAction.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("channel", "decision__item", "decision__author")
            .filter(due, pk__in=action_ids, state=PlatformActionState.PENDING)
            .order_by("pk")
        )
        for row in rows:
            row.attempts += 1
            row.next_attempt_at = now + LEASE
            row.save(update_fields=["attempts", "next_attempt_at", "updated_at"])
    return rows


def _targets(row: PlatformAction) -> tuple[str, str | None]:
    """The content id and the author id the adapter is given. A ban names the author; the
    content is the item it was decided on (YouTube bans through a comment)."""
    decision = row.decision
    if row.action in AUTHOR_ACTIONS:
        content = decision.item.external_id if decision.item else row.target_external_id
        return content, row.target_external_id
    return row.target_external_id, decision.author.external_id if decision.author else None


def _batchable(platform: str, action: str) -> bool:
    """Whether the platform takes this action for many ids in one call (YouTube)."""
    return action != PlatformActionKind.REPLY and hasattr(adapter_for(platform), "apply_batch")


def _batches(rows: list[PlatformAction]) -> list[list[PlatformAction]]:
    """Rows an adapter can send in one call (YouTube's setModerationStatus) go together."""
    batches: dict[tuple[int, str], list[PlatformAction]] = {}
    singles = []
    for row in rows:
        if _batchable(row.channel.platform, row.action):
            batches.setdefault((row.channel_id, row.action), []).append(row)
        else:
            singles.append([row])
    return [*batches.values(), *singles]


def _with_batch_partners(action_ids: Sequence[int]) -> list[int]:
    """The rows and, where the platform sends in batches, the other due rows for the same
    channel and action, so a bulk decision on YouTube goes out in one call."""
    rows = PlatformAction.objects.filter(pk__in=action_ids).select_related("channel")
    partners = Q(pk__in=action_ids)
    for row in rows:
        if _batchable(row.channel.platform, row.action):
            partners |= Q(channel_id=row.channel_id, action=row.action)
    now = timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    pending = PlatformAction.objects.filter(due, partners, state=PlatformActionState.PENDING)
    return list(pending.order_by("pk").values_list("pk", flat=True)[:SWEEP_LIMIT])


def _call(rows: list[PlatformAction]) -> list[ActionResult]:
    """The platform's answer for each row; a misconfigured channel or an unexpected error is a
    retry, so it is tried again and ends ``failed`` with the reason visible."""
    channel = rows[0].channel
    if not channel.platform_account_id:
        detail = "The channel has no platform account id: set it in the channel's settings."
        return [ActionResult("retry", detail)] * len(rows)
    adapter = adapter_for(channel.platform)
    action: Action = rows[0].action  # type: ignore[assignment]
    try:
        with connections.channel_http(channel) as http:
            if _batchable(channel.platform, action):
                ids = [_targets(row)[0] for row in rows]
                results: list[ActionResult] = adapter.apply_batch(  # type: ignore[attr-defined]
                    action=action,
                    account_id=channel.platform_account_id,
                    external_ids=ids,
                    http=http,
                )
                return results
            (row,) = rows
            external_id, author_id = _targets(row)
            return [
                adapter.apply(
                    action=action,
                    account_id=channel.platform_account_id,
                    external_id=external_id,
                    author_id=author_id,
                    text=row.text or None,
                    http=http,
                )
            ]
    except Exception as exc:
        logger.exception("Sending platform action(s) %s failed", [row.pk for row in rows])
        return [ActionResult("retry", f"{type(exc).__name__}: {exc}")] * len(rows)


def _record(row: PlatformAction, result: ActionResult, actor: User) -> None:
    """Store the outcome, unless someone else has taken the row meanwhile (the attempt check);
    a reply the platform confirms is registered as drawn up."""
    now = timezone.now()
    state, next_attempt = PlatformActionState.PENDING, None
    if result.outcome == "done":
        state = PlatformActionState.SENT
    elif result.outcome == "unsupported":
        state = PlatformActionState.UNSUPPORTED
    elif result.outcome == "failed" or row.attempts >= MAX_ATTEMPTS:
        state = PlatformActionState.FAILED
    else:
        next_attempt = now + timedelta(seconds=backoff_seconds(row.attempts, result.retry_after))
    with transaction.atomic():
        stored = PlatformAction.objects.filter(
            pk=row.pk, state=PlatformActionState.PENDING, attempts=row.attempts
        ).update(
            state=state,
            next_attempt_at=next_attempt,
            last_answer=result.detail,
            last_status_code=result.status_code,
            sent_at=now if state == PlatformActionState.SENT else None,
            updated_at=now,
        )
        if stored and state == PlatformActionState.SENT and row.action == PlatformActionKind.REPLY:
            row.sent_at = now
            platform_reply_register(action=row, created_id=result.detail, actor=actor)
    if state != PlatformActionState.SENT:
        logger.info(
            "Platform action %s (%s) is %s after attempt %d: %s",
            row.pk,
            row.action,
            state,
            row.attempts,
            result.detail,
        )
    failed = state == PlatformActionState.FAILED or result.outcome == "retry"
    connections.capture_note(row.channel, event="sent", error=result.detail if failed else "")


def platform_actions_send(*, action_ids: Sequence[int], actor: User) -> list[PlatformAction]:
    """Send the rows among ``action_ids`` that are pending and due, with their batch partners;
    returns the rows it claimed and sent (each with its outcome recorded)."""
    permission_require(actor, "moderation.change_platformaction")
    rows = _claim(_with_batch_partners(action_ids))
    for batch in _batches(rows):
        for row, result in zip(batch, _call(batch), strict=True):
            _record(row, result, actor)
    return rows


def platform_actions_sweep(*, actor: User) -> int:
    """Send every pending row whose attempt is due, oldest first; returns how many."""
    permission_require(actor, "moderation.change_platformaction")
    now = timezone.now()
    due = (
        PlatformAction.objects.filter(state=PlatformActionState.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    return len(platform_actions_send(action_ids=list(due), actor=actor))
