"""Who is acting: the signed-in user of a request (admin page or API call) and the history user
of a save. ``accounts.models.User`` is named for type checking only; at run time the model is
``AUTH_USER_MODEL``, so core imports no app of ours."""

from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth import get_user_model
from django.db.models import Model
from django.http import HttpRequest
from rest_framework.request import Request

if TYPE_CHECKING:
    from accounts.models import User

M = TypeVar("M", bound=Model)


def request_actor(request: HttpRequest | Request) -> "User":
    """The signed-in user making the request (admin pages and write endpoints require one)."""
    user = request.user
    assert isinstance(user, get_user_model())
    return user


def history_user_set(obj: Model, actor: Any) -> None:
    """Name ``actor`` in the django-simple-history row the next save or delete of ``obj``
    writes, also where there is no request (API tokens, Celery tasks)."""
    obj._history_user = actor  # type: ignore[attr-defined]


def model_save(
    obj: M, actor: Any, *, update_fields: list[str] | None = None, reason: str = ""
) -> M:
    """Save ``obj`` with ``actor`` as the history user (only ``update_fields`` if given) and
    ``reason`` as the history row's change reason."""
    history_user_set(obj, actor)
    if reason:
        obj._change_reason = reason[:100]  # type: ignore[attr-defined]
    obj.save(update_fields=update_fields)
    return obj


def model_delete(obj: Model, actor: Any) -> None:
    """Delete ``obj`` with ``actor`` as the history user of the deletion row."""
    history_user_set(obj, actor)
    obj.delete()
