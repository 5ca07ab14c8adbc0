"""Admin pages that act through services: a refusal (a rule, bad input, a missing right) is shown
as a message on the page, never a server error; a bulk action runs per selected row, reports
each refused row and counts the others. A page of what only the services write (audit trails,
logs, what arrived from the platforms) is read-only."""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.functional import Promise
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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the services only (audit trails, logs, what the platforms sent): admin
    shows them and never adds, changes or deletes one."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceSavedFormSet(BaseInlineFormSet):
    """An inline whose rows the parent's admin saves through its services (in
    ``save_related``): the formset itself saves nothing."""

    def save(self, commit: bool = True) -> list[Any]:
        self.new_objects: list[Any] = []
        self.changed_objects: list[Any] = []
        self.deleted_objects: list[Any] = []
        return []


def split_moment_label(
    form: forms.BaseForm, name: str, day: "str | Promise", time: "str | Promise"
) -> None:
    """Name the two inputs of a split date-and-time field for a screen reader (the field's one
    label cannot point at both); nothing when the form has no such field."""
    field = form.fields.get(name)
    if field is not None and hasattr(field.widget, "widgets"):
        day_input, time_input = field.widget.widgets
        day_input.attrs["aria-label"] = day
        time_input.attrs["aria-label"] = time
