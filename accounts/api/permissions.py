"""Who may call an API operation. A view declares ``scopes`` ({"read": …, "write": …}) for
integration clients and may open its reads to everyone with ``public_read``; staff are checked
against the model permissions their roles grant. The services check again before they write."""

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from accounts.models import IntegrationClient

ACTIONS_BY_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


def request_client(request: Request) -> IntegrationClient | None:
    return request.auth if isinstance(request.auth, IntegrationClient) else None


class ApiPermission(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        reading = request.method in permissions.SAFE_METHODS
        if reading and getattr(view, "public_read", False):
            return True
        client = request_client(request)
        if client is not None:
            scope = getattr(view, "scopes", {}).get("read" if reading else "write")
            return scope is not None and client.has_scope(scope)
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        required = self.required_permissions(request, view)
        return bool(required) and user.has_perms(required)

    @staticmethod
    def required_permissions(request: Request, view: Any) -> list[str]:
        """An action may name its own permission (``permission_required`` on the @action);
        otherwise the model permission matching the HTTP method."""
        action = getattr(view, getattr(view, "action", "") or "", None)
        explicit = getattr(action, "kwargs", {}).get("permission_required")
        if explicit:
            return [explicit]
        queryset = getattr(view, "queryset", None)
        if queryset is None:
            return []
        meta = queryset.model._meta
        verb = ACTIONS_BY_METHOD.get(request.method or "", "")
        return [f"{meta.app_label}.{verb}_{meta.model_name}"] if verb else []
