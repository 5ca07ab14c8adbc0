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
    # Urgent items (threats …): escalation to the next contact, every day and hour.
    "moderation-urgent-items-sweep": {
        "task": "moderation.tasks.urgent_items_sweep",
        "schedule": crontab(minute="*"),
    },
    # The outbox: retries and rows a broker outage left behind (moderation.platforms.outbox).
    "moderation-platform-actions-sweep": {
        "task": "moderation.platforms.tasks.platform_actions_sweep",
        "schedule": crontab(minute="*"),
    },
    # The webhook inbox: deliveries no task took (moderation.platforms.inbox).
    "moderation-webhook-inbox-sweep": {
        "task": "moderation.platforms.tasks.webhook_deliveries_sweep",
        "schedule": crontab(minute="*"),
    },
    # The platforms that push nothing are polled (YouTube's quota allows this comfortably).
    "moderation-youtube-poll": {
        "task": "moderation.platforms.tasks.platform_poll",
        "schedule": crontab(minute="*/5"),
        "args": ("youtube",),
    },
    "moderation-linkedin-poll": {
        "task": "moderation.platforms.tasks.platform_poll",
        "schedule": crontab(minute="*/10"),
        "args": ("linkedin",),
    },
    # The closed months' item figures for the metrics and /insyn/ (moderation.statistics);
    # a month a late decision changed is counted live until this computes it again.
    "moderation-item-month-figures-refresh": {
        "task": "moderation.tasks.item_month_figures_refresh",
        "schedule": crontab(minute="*/15"),
    },
    # Media files of new entries: retries with back-off, and rows a broker outage left behind.
    "records-media-sweep": {
        "task": "records.tasks.record_media_sweep",
        "schedule": crontab(minute="*"),
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
    # Requests from the public form that arrived while many did, in one mail to the registrars.
    "records-access-requests-digest": {
        "task": "records.tasks.access_requests_digest",
        "schedule": crontab(minute="*/15"),
    },
    # Requests about a person's own data due within five days (GDPR art. 12(3): one month).
    "privacy-subject-requests-alert": {
        "task": "privacy.tasks.subject_requests_alert",
        "schedule": crontab(hour="7", minute="5", day_of_week="mon-fri"),
    },
    # What is not a public document is removed after the administrator's periods, nightly.
    "privacy-personal-data-retention": {
        "task": "privacy.tasks.personal_data_retention",
        "schedule": crontab(hour="3", minute="45"),
    },
    # Own posts at their planned time, and the outbox's retries (publishing.sending).
    "publishing-posts-send-due": {
        "task": "publishing.tasks.posts_send_due",
        "schedule": crontab(minute="*"),
    },
    "podcasts-episodes-publish-due": {
        "task": "podcasts.tasks.episodes_publish_due",
        "schedule": crontab(minute="*"),
    },
    # The coming week's relay host hears on Thursday, editors on Monday about empty weeks.
    "channels-relay-reminders": {
        "task": "channels_app.tasks.relay_reminders_send",
        "schedule": crontab(day_of_week="4", hour="9", minute="0"),
    },
    "channels-relay-gaps": {
        "task": "channels_app.tasks.relay_gaps_alert",
        "schedule": crontab(day_of_week="1", hour="8", minute="0"),
    },
    "channels-relay-weeks-complete": {
        "task": "channels_app.tasks.relay_weeks_complete",
        "schedule": crontab(day_of_week="1", hour="0", minute="30"),
    },
    "channels-archive-gap": {
        "task": "channels_app.tasks.archive_gap_alert",
        "schedule": crontab(day_of_week="3", hour="9", minute="0"),
    },
}
