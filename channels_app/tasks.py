"""Scheduled work for the channel register: reminders to relay hosts, gap alerts to editors.
Each task runs one service for today, as the system user."""

from typing import Any

from celery import shared_task
from django.utils import timezone


def _run_today(service_name: str) -> Any:
    from accounts.services import system_user
    from channels_app import services

    service = getattr(services, service_name)
    return service(today=timezone.localdate(), actor=system_user())


@shared_task
def relay_reminders_send() -> int:
    return _run_today("relay_reminders_send")


@shared_task
def relay_gaps_alert() -> int:
    return len(_run_today("relay_gaps_alert"))


@shared_task
def relay_weeks_complete() -> int:
    return _run_today("relay_weeks_complete")


@shared_task
def archive_gap_alert() -> int:
    return len(_run_today("archive_gap_alert"))
