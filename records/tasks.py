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
