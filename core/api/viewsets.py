"""The base of every API viewset: what it reads comes from the app's selector, what it writes goes
through the app's services (never a serializer's ``save``), the permission of a workflow @action
is declared on the @action, and the acting user is resolved once per request."""

from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from core.actors import request_actor

if TYPE_CHECKING:
    from accounts.models import User


class ServiceViewSet(viewsets.GenericViewSet, ABC):
    # No docstring: the API schema shows a viewset's own docstring, or an inherited one.
    #
    # Subclasses name this class first and then DRF's list/retrieve/create/update mixins as they
    # serve them (first, so that its perform_create/perform_update win over the mixins'
    # serializer.save()), implement select() and, when they create or change,
    # create_object()/update_object().
    #
    # An @action names the permission it needs with @action(..., permission_required="app.perm")
    # (read by accounts.api.permissions.ApiPermission); without one, the model permission of the
    # HTTP method applies. DRF sets an @action's keywords on the view, so the attribute is
    # declared here once.

    permission_required: str | None = None
    # Create and change through the model's services with ``self.actor``; a viewset defines
    # them as methods when it serves create or update.
    create_object: Callable[[dict[str, Any]], Any]
    update_object: Callable[[Any, dict[str, Any]], Any]

    @abstractmethod
    def select(self) -> QuerySet[Any]:
        """The rows this request may read, from the app's selector."""

    def get_queryset(self) -> QuerySet[Any]:
        return self.select()

    @cached_property
    def actor(self) -> "User":
        """The signed-in user or integration client's user making this (writing) request."""
        return request_actor(self.request)

    def respond(self, obj: Any, status: int = 200) -> Response:
        """``obj`` as the view's serializer shows it."""
        return Response(self.get_serializer(obj).data, status=status)

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        serializer.instance = self.create_object(dict(serializer.validated_data))

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        serializer.instance = self.update_object(
            serializer.instance, dict(serializer.validated_data)
        )
