"""Background work for accounts; each task loads by id and calls ordinary code."""

from celery import shared_task
from django.core.management import call_command


@shared_task
def user_invitation_send(user_id: int) -> None:
    from accounts.models import User
    from accounts.services import user_invitation_email_send

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        user_invitation_email_send(user=user)


@shared_task
def session_cleanup() -> None:
    call_command("clearsessions")


@shared_task
def user_roles_changed_notify(
    user_id: int, actor_id: int, before: list[str], after: list[str], changed_at: str
) -> int:
    from datetime import datetime

    from accounts.models import User
    from accounts.services import user_roles_changed_email_send

    return user_roles_changed_email_send(
        user=User.objects.get(pk=user_id),
        actor=User.objects.get(pk=actor_id),
        before=before,
        after=after,
        changed_at=datetime.fromisoformat(changed_at),
    )
