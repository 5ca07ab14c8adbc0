"""Scheduled work of the register: fixity audit and alerts for requests due."""

from celery import shared_task

from accounts.services import system_user


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
