"""Scheduled work for the channel register: reminders to relay hosts, gap alerts to editors."""

from celery import shared_task
from django.utils import timezone


@shared_task
def relay_reminders_send() -> int:
    from accounts.services import system_user
    from channels_app import services

    return services.relay_reminders_send(today=timezone.localdate(), actor=system_user())


@shared_task
def relay_gaps_alert() -> int:
    from accounts.services import system_user
    from channels_app import services

    return len(services.relay_gaps_alert(today=timezone.localdate(), actor=system_user()))


@shared_task
def relay_weeks_complete() -> int:
    from accounts.services import system_user
    from channels_app import services

    return services.relay_weeks_complete(today=timezone.localdate(), actor=system_user())


@shared_task
def archive_gap_alert() -> int:
    from accounts.services import system_user
    from channels_app import services

    return len(services.archive_gap_alert(today=timezone.localdate(), actor=system_user()))
