"""Per-client rate limits: each integration client has its own bucket, and its own rate when one
is set on the client. Anonymous callers and wrong tokens are counted per address, the address
the trusted proxies saw (accounts/client_address.py)."""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from accounts.api.permissions import request_client
from accounts.client_address import client_address
from accounts.models import throttle_rate_valid


class ClientAddressMixin:
    def get_ident(self, request: Request) -> str:
        return client_address(request)


class IntegrationClientThrottle(SimpleRateThrottle):
    scope = "client"

    def allow_request(self, request: Request, view: Any) -> bool:
        client = request_client(request)
        if client is None:
            return True
        # A rate stored before rates were checked falls back to the default, never breaks.
        if client.throttle_rate and throttle_rate_valid(client.throttle_rate):
            self.rate = client.throttle_rate
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        client = request_client(request)
        return self.cache_format % {"scope": self.scope, "ident": client.pk} if client else None


class AnonThrottle(ClientAddressMixin, AnonRateThrottle):
    """Callers without a session or token, per address."""


class StaffThrottle(ClientAddressMixin, UserRateThrottle):
    """Signed-in people; integration clients are limited by their own throttle instead."""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return None if request_client(request) else super().get_cache_key(request, view)


class FailedTokenThrottle(ClientAddressMixin, SimpleRateThrottle):
    """Bearer tokens that match no client, counted per address: past the rate, every wrong token
    from the address gets 429, while a valid one still works (a client sharing an address with a
    guesser is not locked out; the tokens' 256 bits are what guessing is up against)."""

    scope = "bad_token"
    num_requests: int
    duration: int

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def exhausted(self, request: Request) -> bool:
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return len(self.history) >= (self.num_requests or 0)

    def failure(self) -> None:
        self.throttle_success()
