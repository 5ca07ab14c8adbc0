"""Urgent items reach a person: an item suspected of a mandatory-removal ground (olaga hot,
uppvigling …) is e-mailed to the moderators at once and posted to the municipality's on-call
webhook when one is configured; if nobody claims it, it escalates to the next escalation
contact every MODERATION_ESCALATE_AFTER_MINUTES, round the clock (a beat task)."""

import hashlib
import hmac
import json
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from accounts.permissions import permission_require
from moderation.choices import ItemState, hit_reason
from moderation.models import OPEN_ITEMS, EscalationContact, Item, UrgentAlert
from moderation.platforms.base import HttpClient, HttpTransportError
from moderation.platforms.http import HttpxClient

logger = logging.getLogger(__name__)

URGENT = Q(suspected_grounds__mandatory_removal=True)
# Waiting for a person: nobody has claimed it or acted on it.
UNCLAIMED = Q(first_action_at__isnull=True) & ~Q(state=ItemState.CLAIMED)
SWEEP_LOOKBACK = timedelta(days=2)  # items older than this were seen by the due-time alerts


def alert_http_client() -> HttpClient:
    """The client the on-call webhook is posted with (tests give a recording one)."""
    return HttpxClient()


def urgent_due(now: datetime) -> datetime:
    """When an urgent item is due: soon, whatever the hour or the day."""
    return now + timedelta(minutes=settings.MODERATION_URGENT_DUE_MINUTES)


def items_urgent_alert(*, item_ids: Sequence[int], actor: User) -> int:
    """The first alert for each of these items that is urgent, open and not yet alerted."""
    permission_require(actor, "moderation.decide_item")
    items = _urgent_items().filter(pk__in=item_ids, urgent_alerts__isnull=True)
    recipients = User.objects.emails(Role.MODERATOR)
    return sum(_alert(item, 0, recipients, actor=actor) for item in items)


def urgent_items_sweep(*, actor: User) -> dict[str, int]:
    """Alert what an outage of the broker left unalerted, and escalate what nobody claimed
    within MODERATION_ESCALATE_AFTER_MINUTES of its last alert to the next contact."""
    permission_require(actor, "moderation.decide_item")
    now = timezone.now()
    recent = _urgent_items().filter(received_at__gte=now - SWEEP_LOOKBACK)
    missed = recent.filter(urgent_alerts__isnull=True)
    recipients = User.objects.emails(Role.MODERATOR)
    alerted = sum(_alert(item, 0, recipients, actor=actor) for item in missed)
    contacts = list(EscalationContact.objects.filter(is_active=True).order_by("order", "pk"))
    wait = timedelta(minutes=settings.MODERATION_ESCALATE_AFTER_MINUTES)
    stale = (
        _urgent_items()
        .filter(pk__in=recent.values("pk"))
        .annotate(level=Max("urgent_alerts__level"), last=Max("urgent_alerts__sent_at"))
        .filter(last__lte=now - wait, level__lt=len(contacts))
    )
    escalated = 0
    for item in stale:
        contact = contacts[item.level]
        escalated += _alert(item, item.level + 1, [contact.email], actor=actor)
    return {"urgent_alerted": alerted, "urgent_escalated": escalated}


def _urgent_items() -> QuerySet[Item]:
    return (
        Item.objects.filter(OPEN_ITEMS & UNCLAIMED)
        .filter(pk__in=Item.objects.filter(URGENT).values("pk"))
        .select_related("channel", "current_version")
        .prefetch_related("suspected_grounds", "current_version__hits")
        .order_by("pk")
    )


def _alert(item: Item, level: int, recipients: list[str], *, actor: User) -> int:
    """Record the alert (once per item and level), then send it: e-mail and webhook. With
    nobody to tell, nothing is recorded, so the sweep tries again when someone is there."""
    if not recipients and not settings.MODERATION_ALERT_WEBHOOK_URL:
        logger.warning("No moderator or on-call webhook to alert about item %s", item.pk)
        return 0
    try:
        with transaction.atomic():
            alert = UrgentAlert.objects.create(
                item=item, level=level, recipients=", ".join(recipients), sent_by=actor
            )
    except IntegrityError:
        return 0  # another worker sent this level already
    grounds = [str(g) for g in item.suspected_grounds.all() if g.mandatory_removal]
    hits = list(item.current_version.hits.all()) if item.current_version else []
    reasons = sorted({f"{h.get_detector_display()}: {h.reason}" for h in hits if h.ground_id})
    link = settings.SITE_URL + reverse("admin:moderation_queue_item", args=[item.pk])
    due = date_format(timezone.localtime(item.due_at), "DATETIME_FORMAT")
    if recipients:
        subject = _("Urgent: suspected %(grounds)s on %(channel)s") % {
            "grounds": ", ".join(grounds),
            "channel": item.channel.name,
        }
        if level:
            subject = _("Escalated (nobody has claimed it): %s") % subject
        body = [
            _(
                "An item in the moderation queue is suspected of a ground the law obliges us "
                "to remove. Claim it in the queue:"
            ),
            link,
            "",
            _("Channel: %s") % item.channel.name,
            _("Due: %s") % due,
            _("Why:"),
            *[f"- {reason}" for reason in reasons],
        ]
        send_mail(subject, "\n".join(body), None, recipients)
    if settings.MODERATION_ALERT_WEBHOOK_URL:
        # The rules that fired, without the words they matched: the text stays with us.
        rules = sorted(
            {f"{h.get_detector_display()}: {hit_reason(h.detail.split(': ')[0])}" for h in hits}
        )
        alert.webhook_status = _webhook_post(item, level, link, rules)
        alert.save(update_fields=["webhook_status"])
    return 1


def _webhook_post(item: Item, level: int, link: str, reasons: list[str]) -> str:
    """POST the alert to the on-call system: ids, grounds and reasons, never the text."""
    body = json.dumps(
        {
            "item": item.pk,
            "level": level,
            "channel": item.channel.name,
            "grounds": sorted(g.code for g in item.suspected_grounds.all() if g.mandatory_removal),
            "reasons": reasons,
            "due_at": item.due_at.isoformat(),
            "url": link,
        },
        ensure_ascii=False,
    ).encode()
    headers = {"Content-Type": "application/json"}
    if settings.MODERATION_ALERT_WEBHOOK_SECRET:
        digest = hmac.new(
            settings.MODERATION_ALERT_WEBHOOK_SECRET.encode(), body, hashlib.sha256
        ).hexdigest()
        headers["X-Signature-256"] = f"sha256={digest}"
    try:
        response = alert_http_client().request(
            "POST", settings.MODERATION_ALERT_WEBHOOK_URL, headers=headers, content=body
        )
    except HttpTransportError as exc:
        logger.warning("The on-call webhook did not answer: %s", exc)
        return "no answer"
    return str(response.status_code)
