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
}
