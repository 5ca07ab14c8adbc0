"""The periodic tasks, one entry per task; beat copies them into the database for admin."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    "accounts-session-cleanup": {
        "task": "accounts.tasks.session_cleanup",
        "schedule": crontab(hour="3", minute="15"),
    },
    "moderation-queue-sweep": {
        "task": "moderation.tasks.queue_sweep",
        "schedule": crontab(minute="*/5"),
    },
    "records-fixity-audit": {
        "task": "records.tasks.fixity_audit",
        "schedule": crontab(hour="2", minute="30", day_of_week="sun"),
    },
    # Early on each working day, so registrars hear of requests due that day before they are late.
    "records-access-requests-alert": {
        "task": "records.tasks.access_requests_alert",
        "schedule": crontab(hour="7", minute="0", day_of_week="mon-fri"),
    },
}
