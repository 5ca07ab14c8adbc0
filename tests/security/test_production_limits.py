"""The limits production really runs with: the production settings module is loaded with
throwaway secrets and its own values are put in force (never values chosen by the test), then
each limit is met through its door: failed sign-ins, wrong two-factor codes, wrong API tokens,
anonymous API calls and the public request form."""

import importlib
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.test import Client, override_settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from accounts.models import User
from records.models import AccessRequest
from tests.security.test_web_security import PRODUCTION_ENV

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"
SECRET = "JBSWY3DPEHPK3PXP"


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for key, value in PRODUCTION_ENV.items():
        if key != "DJANGO_SETTINGS_MODULE":
            monkeypatch.setenv(key, value)
    module = importlib.reload(importlib.import_module("config.settings.production"))
    for scope, rate in module.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].items():
        # DRF's throttles hold the rates dict read at import; production's rates go into it.
        monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, scope, rate)
    limits = {
        key: getattr(module, key)
        for key in (
            "ACCOUNT_RATE_LIMITS",
            "MFA_REQUIRED_FOR_STAFF",
            "RECORDS_REQUEST_RATE_PER_ADDRESS",
            "RECORDS_REQUEST_RATE_TOTAL",
            "TRUSTED_PROXY_COUNT",
        )
    }
    cache.clear()
    with override_settings(**limits):
        yield module
    cache.clear()


def test_the_production_values(production: Any) -> None:
    assert production.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"
    assert production.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {
        "anon": "120/min",
        "user": "1200/min",
        "client": "6000/min",
        "bad_token": "20/min",
        "reconsideration_form": "10/hour",
    }
    assert production.RECORDS_REQUEST_RATE_PER_ADDRESS == "10/hour"
    assert production.RECORDS_REQUEST_RATE_TOTAL == "200/hour"
    assert production.MFA_REQUIRED_FOR_STAFF is True
    assert production.TRUSTED_PROXY_COUNT == 0


def _sign_in(client: Client, email: str, password: str) -> Any:
    return client.post("/accounts/login/", {"login": email, "password": password}, secure=True)


def test_five_failed_sign_ins_lock_the_account_for_five_minutes(
    production: Any, make_user: Callable[..., User]
) -> None:
    locked, open_ = make_user(), make_user()
    for person, failures in ((locked, 5), (open_, 4)):
        client = Client(REMOTE_ADDR=f"198.51.100.{person.pk}")
        for _ in range(failures):
            assert _sign_in(client, person.email, "wrong").status_code == 200
        _sign_in(client, person.email, PASSWORD)
        assert ("_auth_user_id" in client.session) is (person == open_), person.email


def test_ten_failed_sign_ins_a_minute_lock_the_address(
    production: Any, make_user: Callable[..., User]
) -> None:
    client = Client()
    for _ in range(10):
        assert _sign_in(client, make_user().email, "wrong").status_code == 200
    fresh = make_user()
    _sign_in(client, fresh.email, PASSWORD)
    assert "_auth_user_id" not in client.session
    other = Client(REMOTE_ADDR="198.51.100.1")
    _sign_in(other, fresh.email, PASSWORD)
    assert "_auth_user_id" in other.session


def _code(offset: int = 0) -> str:
    import time

    return format_hotp_value(hotp_value(SECRET, int(time.time()) // 30 + offset))


def test_five_wrong_two_factor_codes_lock_the_second_step(
    production: Any, make_user: Callable[..., User]
) -> None:
    locked, open_ = make_user(), make_user()
    wrong = f"{(int(_code()) + 500_000) % 1_000_000:06d}"
    for person, failures in ((locked, 5), (open_, 4)):
        Authenticator.objects.create(
            user=person, type=Authenticator.Type.TOTP, data={"secret": SECRET}
        )
        client = Client(REMOTE_ADDR=f"198.51.100.{person.pk}")
        assert _sign_in(client, person.email, PASSWORD)["Location"] == "/accounts/2fa/authenticate/"
        for _ in range(failures):
            page = client.post("/accounts/2fa/authenticate/", {"code": wrong}, secure=True)
            assert page.status_code == 200
        client.post("/accounts/2fa/authenticate/", {"code": _code()}, secure=True)
        assert ("_auth_user_id" in client.session) is (person == open_), person.email


def test_twenty_wrong_tokens_a_minute_and_a_valid_token_still_works(
    production: Any, make_integration: Callable[..., Any]
) -> None:
    _, token = make_integration()
    guesser = APIClient()
    guesser.credentials(HTTP_AUTHORIZATION="Bearer smo_guess")
    statuses = [guesser.get("/api/v1/accounts/me/", secure=True).status_code for _ in range(21)]
    assert statuses == [401] * 20 + [429]
    valid = APIClient()
    valid.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert valid.get("/api/v1/accounts/me/", secure=True).status_code == 200


def test_anonymous_api_calls_are_limited_to_120_a_minute(production: Any) -> None:
    client = APIClient()
    statuses = [
        client.get("/api/v1/channels/channels/", secure=True).status_code for _ in range(121)
    ]
    assert statuses == [200] * 120 + [429]


def test_the_request_form_takes_ten_an_hour_from_one_address(production: Any) -> None:
    """The probe sent 60 in 7 seconds from one address, all accepted."""
    client = Client()
    statuses = []
    for n in range(11):
        page = client.get("/diarium/begaran/", secure=True).content.decode()
        match = re.search(r'name="token" value="([^"]+)"', page)
        assert match
        data = {"scope": f"Begäran {n}", "contact": "", "token": match.group(1)}
        statuses.append(client.post("/diarium/begaran/", data, secure=True).status_code)
    assert statuses == [302] * 10 + [429]
    assert AccessRequest.objects.count() == 10
