"""Scheduled work of the register: fixity audit, alerts for requests due, and fetching the
media files of new entries (with retries)."""

import logging

from celery import shared_task

from accounts.services import system_user
from records.choices import MediaStatus

logger = logging.getLogger(__name__)


@shared_task
def fixity_audit() -> int:
    from records.services import fixity_audit_run

    return len(fixity_audit_run(actor=system_user()).mismatches)


@shared_task
def access_requests_alert() -> int:
    from records.services import access_requests_alert_due

    return access_requests_alert_due(actor=system_user())


@shared_task
def access_request_notify(request_id: int) -> int:
    from records.models import AccessRequest
    from records.services import access_request_received_notify

    request = AccessRequest.objects.get(pk=request_id)
    return access_request_received_notify(request=request, actor=system_user())


@shared_task
def access_requests_digest() -> int:
    from records.services import access_requests_digest_send

    return access_requests_digest_send(actor=system_user())


@shared_task
def record_media_fetch(media_ids: list[int]) -> int:
    """Fetch these waiting media files; one that fails is noted on it and does not stop the
    others. Returns how many are stored."""
    from records.media import media_fetcher_default, record_media_fetch
    from records.models import RecordMedia

    actor, fetcher, stored = system_user(), media_fetcher_default(), 0
    for media in RecordMedia.objects.filter(pk__in=media_ids, status=MediaStatus.PENDING):
        try:
            media = record_media_fetch(media=media, fetcher=fetcher, actor=actor)
        except Exception:
            logger.exception("Fetching media %s failed", media.pk)
            continue
        stored += media.status == MediaStatus.STORED
    return stored


@shared_task
def record_media_sweep() -> int:
    """The media files whose next attempt has come (retries, and rows a broker outage left)."""
    from records.media import record_media_due

    due = record_media_due()
    return record_media_fetch(due) if due else 0
