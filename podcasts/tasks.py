"""Background work for podcasts: the periodic publishing of scheduled episodes."""

from celery import shared_task


@shared_task
def episodes_publish_due() -> int:
    from accounts.services import system_user
    from podcasts.services import episodes_publish_due as publish_due

    return publish_due(actor=system_user())
