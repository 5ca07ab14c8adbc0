"""Every per-address limit counts the address the trusted proxies saw, never one the client wrote
into X-Forwarded-For: the API's throttles, allauth's sign-in limits and the bad-token limit.
TRUSTED_PROXY_COUNT says how many proxies of ours stand in front (0: none, use the peer)."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from accounts.models import User

pytestmark = pytest.mark.django_db
PUBLIC = "/api/v1/channels/channels/"
ME = "/api/v1/accounts/me/"
PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def tight_rates(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    rates = api_settings.DEFAULT_THROTTLE_RATES
    monkeypatch.setitem(rates, "anon", "3/min")
    monkeypatch.setitem(rates, "bad_token", "3/min")
    cache.clear()
    yield
    cache.clear()


def _through_proxy(forwarded: str) -> APIClient:
    return APIClient(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def test_a_forged_forwarded_for_does_not_open_a_new_bucket() -> None:
    """No proxy trusted (the default): the header is the client's own say and is ignored."""
    for n in range(3):
        assert APIClient(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").get(PUBLIC).status_code == 200
    assert APIClient(HTTP_X_FORWARDED_FOR="198.51.100.99").get(PUBLIC).status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_saw_is_counted() -> None:
    for n in range(3):
        response = _through_proxy(f"198.51.100.{n}, 203.0.113.5").get(PUBLIC)
        assert response.status_code == 200
    assert _through_proxy("198.51.100.99, 203.0.113.5").get(PUBLIC).status_code == 429
    assert _through_proxy("203.0.113.6").get(PUBLIC).status_code == 200


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_a_request_that_bypassed_the_proxies_is_counted_by_its_peer() -> None:
    for n in range(3):
        direct = APIClient(REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        assert direct.get(PUBLIC).status_code == 200
    assert APIClient(REMOTE_ADDR="192.0.2.7").get(PUBLIC).status_code == 429


@override_settings(
    TRUSTED_PROXY_COUNT=1, ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip", "login": "3/m/ip"}
)
def test_sign_in_limits_count_the_address_the_proxy_saw(editor: User) -> None:
    def attempt(forwarded: str) -> Any:
        client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
        return client.post("/accounts/login/", {"login": editor.email, "password": "wrong"})

    for n in range(3):
        assert attempt(f"198.51.100.{n}, 203.0.113.5").status_code == 200
    assert attempt("198.51.100.99, 203.0.113.5").status_code == 429
    # Another citizen behind the same proxy is not locked out by the first.
    assert attempt("203.0.113.6").status_code == 200


def test_wrong_tokens_are_counted_but_a_valid_token_still_works(
    make_integration: Callable[..., Any],
) -> None:
    _, token = make_integration()
    for n in range(3):
        guess = APIClient(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        guess.credentials(HTTP_AUTHORIZATION="Bearer smo_guess")
        assert guess.get(ME).status_code == 401
    guess = APIClient(HTTP_X_FORWARDED_FOR="198.51.100.99")
    guess.credentials(HTTP_AUTHORIZATION="Bearer smo_guess")
    response = guess.get(ME)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    valid = APIClient()
    valid.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert valid.get(ME).status_code == 200


def test_every_per_address_throttle_of_ours_reads_the_client_address() -> None:
    from rest_framework.throttling import SimpleRateThrottle

    from accounts.api.throttling import ClientAddressMixin
    from moderation.forms import ReconsiderationFormThrottle
    from records.throttling import AccessRequestAddressThrottle

    def subclasses(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    # Imported so that every module defining a throttle is loaded.
    assert ReconsiderationFormThrottle.scope
    assert AccessRequestAddressThrottle.scope
    # Keyed by the integration client, and by nothing (all addresses together): no address.
    not_per_address = {"IntegrationClientThrottle", "AccessRequestTotalThrottle"}
    ours = [
        c
        for c in subclasses(SimpleRateThrottle)
        if not c.__module__.startswith("rest_") and c.__name__ not in not_per_address
    ]
    assert len(ours) >= 5
    for throttle in ours:
        assert issubclass(throttle, ClientAddressMixin), throttle.__name__
