"""Scheduled work on personal data: the alert before a request is due, and retention."""

from celery import shared_task

from accounts.services import system_user


@shared_task
def subject_requests_alert() -> int:
    from privacy.services import subject_requests_alert_due

    return subject_requests_alert_due(actor=system_user())


@shared_task
def personal_data_retention() -> int:
    from privacy.services import retention_run

    return retention_run(actor=system_user()).removed
