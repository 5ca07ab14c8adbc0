from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field, Model
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.request import Request


class CursorPagination(pagination.CursorPagination):
    """Stable pages over large, growing lists; a view with another order sets ``ordering``.

    A cursor is opaque but comes from the client: its position must be a value of the first
    ordering field, or the page is refused as an invalid cursor (404) before any query runs."""

    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(
        self, queryset: Any, request: Request, view: Any = None
    ) -> list[Any] | None:
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request: Request) -> pagination.Cursor | None:
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            field = _ordering_field(self._model, self.ordering[0].lstrip("-"))
            try:
                if "\x00" in str(cursor.position):
                    raise ValidationError("NUL")
                if field is not None:
                    field.run_validators(field.to_python(cursor.position))
            except (ValidationError, TypeError, ValueError, OverflowError) as error:
                raise NotFound(self.invalid_cursor_message) from error
        return cursor


def _ordering_field(model: type[Model], name: str) -> "Field[Any, Any] | None":
    """The model field an ordering name ("pk", "code", "channel__name") ends in."""
    field: Any = None
    for part in name.split("__"):
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if field.related_model is not None:
            model = field.related_model
    return field if isinstance(field, Field) else None
