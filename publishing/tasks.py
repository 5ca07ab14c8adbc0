"""Background work for posts: each post sent when it is queued, and the periodic send of
what is due (planned times, retries, and posts a broker outage left behind)."""

from celery import shared_task


@shared_task
def post_send(post_id: int) -> None:
    """Send one post, dispatched after the commit that queued it."""
    from accounts.services import system_user
    from publishing.sending import posts_send

    posts_send(post_ids=[post_id], actor=system_user())


@shared_task
def posts_send_due() -> int:
    from accounts.services import system_user
    from publishing.sending import posts_send_due as send_due

    return send_due(actor=system_user())
