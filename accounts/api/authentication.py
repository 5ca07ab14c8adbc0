"""Bearer tokens for integration clients: ``Authorization: Bearer smo_…``."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.api.throttling import FailedTokenThrottle
from accounts.models import IntegrationClient, User
from accounts.services import integration_client_authenticate


class IntegrationTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, IntegrationClient] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header is malformed."))
        try:
            token = header[1].decode()
        except UnicodeError:
            token = ""
        client = integration_client_authenticate(token) if token else None
        if client is not None:
            return client.user, client
        throttle = FailedTokenThrottle()
        if throttle.exhausted(request):
            raise exceptions.Throttled(wait=throttle.wait())
        throttle.failure()
        if not token:
            raise exceptions.AuthenticationFailed(_("The token is malformed."))
        raise exceptions.AuthenticationFailed(_("The token is unknown, revoked or inactive."))

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = IntegrationTokenAuthentication
    name = "IntegrationToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}
