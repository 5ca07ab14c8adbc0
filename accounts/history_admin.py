"""The admin base for audited models: django-simple-history's admin, for reading. Every change
goes through a service with its permission check, so a version is never posted back
(django-simple-history's revert saves the posted form without asking for the change
permission). The history pages take the object's and the version's id from the address as
given: an id the key cannot hold ("abc", past bigint) is a 404, never a server error."""

from typing import Any

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Field
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin


def _key_check(field: "Field[Any, Any]", value: str) -> None:
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, TypeError, ValueError, OverflowError) as error:
        raise Http404 from error


class HistoryAdmin(SimpleHistoryAdmin):
    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        _key_check(self.model._meta.pk, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        _key_check(self.model._meta.pk, unquote(object_id))
        opts: Any = self.model._meta
        history = getattr(self.model, opts.simple_history_manager_attribute)
        _key_check(history.model._meta.pk, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
