"""Admin pages that act through services: a refusal (a rule, bad input, a missing right) is shown
as a message on the page, never a server error; a bulk action runs per selected row, reports
each refused row and counts the others."""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

T = TypeVar("T")
REFUSALS = (ApplicationError, ValidationError, PermissionDenied)


def refusal_text(error: Exception) -> str:
    """One readable sentence from any refusal the services raise."""
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    if isinstance(error, ApplicationError):
        return error.message
    return str(error) or _("You do not have permission to do this.")


def service_run(request: HttpRequest, act: Callable[[], T], *, prefix: str = "") -> T | None:
    """``act()``'s result, or None with the refusal shown as an error message."""
    try:
        return act()
    except REFUSALS as error:
        messages.error(request, f"{prefix}{refusal_text(error)}")
        return None


def service_run_each(
    request: HttpRequest, rows: Iterable[T], act: Callable[[T], Any], done: Any
) -> int:
    """Apply ``act`` to each row; a refused row is reported by name, the others proceed.
    ``done`` (with ``%(count)s``) is shown when at least one row succeeded."""
    succeeded = 0
    for row in rows:
        try:
            act(row)
        except REFUSALS as error:
            messages.error(request, f"{row}: {refusal_text(error)}")
        else:
            succeeded += 1
    if succeeded:
        messages.success(request, done % {"count": succeeded})
    return succeeded


class ServiceAdminMixin:
    """For a ModelAdmin whose actions call services: ``self.run(request, act)`` for one call and
    ``self.run_each(request, rows, act, done)`` for a bulk action, refusals shown as messages."""

    run = staticmethod(service_run)
    run_each = staticmethod(service_run_each)
