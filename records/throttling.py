"""Limits on the public request form: per address (the one the trusted proxies saw) and for all
addresses together, so that a flood neither fills the register nor buries the registrars."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from rest_framework.throttling import SimpleRateThrottle

from accounts.api.throttling import ClientAddressMixin


class AccessRequestAddressThrottle(ClientAddressMixin, SimpleRateThrottle):
    scope = "access_request"

    def get_rate(self) -> str:
        return str(settings.RECORDS_REQUEST_RATE_PER_ADDRESS)

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AccessRequestTotalThrottle(SimpleRateThrottle):
    scope = "access_request_total"

    def get_rate(self) -> str:
        return str(settings.RECORDS_REQUEST_RATE_TOTAL)

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": "all"}


def access_request_wait(request: HttpRequest) -> float | None:
    """Count one post of the form; None when it may go on, else the seconds to wait."""
    for throttle in (AccessRequestAddressThrottle(), AccessRequestTotalThrottle()):
        if not throttle.allow_request(request, None):  # type: ignore[arg-type]
            return throttle.wait() or 60.0
    return None
