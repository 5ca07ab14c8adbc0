"""The public request form cannot be flooded: posts are limited per address and in all, a refused
post keeps what the person wrote, and when many requests arrive the registrars get one digest
instead of a mail each."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import User
from records.models import AccessRequest
from records.tasks import access_requests_digest

pytestmark = pytest.mark.django_db
FORM = "/diarium/begaran/"


@pytest.fixture(autouse=True)
def clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _send(client: Client, scope: str) -> Any:
    page = client.get(reverse("records:access-request")).content.decode()
    match = re.search(r'name="token" value="([^"]+)"', page)
    assert match
    return client.post(FORM, {"scope": scope, "contact": "", "token": match.group(1)})


def test_one_address_is_limited_and_keeps_what_was_written(settings: Any) -> None:
    settings.RECORDS_REQUEST_RATE_PER_ADDRESS = "3/hour"
    client = Client(REMOTE_ADDR="203.0.113.1")
    for n in range(3):
        assert _send(client, f"Begäran nummer {n}").status_code == 302
    refused = _send(client, "Begäran nummer fyra")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Begäran nummer fyra" in page
    assert "för många" in page
    assert AccessRequest.objects.count() == 3
    assert _send(Client(REMOTE_ADDR="203.0.113.2"), "Annan person").status_code == 302


def test_all_addresses_together_are_limited(settings: Any) -> None:
    settings.RECORDS_REQUEST_RATE_TOTAL = "5/hour"
    for n in range(5):
        assert _send(Client(REMOTE_ADDR=f"203.0.113.{n}"), f"Begäran {n}").status_code == 302
    refused = _send(Client(REMOTE_ADDR="203.0.113.99"), "Begäran sex")
    assert refused.status_code == 429
    assert "Begäran sex" in refused.content.decode()
    assert AccessRequest.objects.count() == 5


def test_registrars_get_one_digest_when_many_arrive(
    registrar: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(10):
            assert _send(Client(REMOTE_ADDR=f"203.0.113.{n}"), f"Begäran {n}").status_code == 302
    # The first requests are told one by one, at once; the rest wait for the digest.
    assert len(mail.outbox) == 3
    access_requests_digest()
    assert len(mail.outbox) == 4
    digest = mail.outbox[-1]
    assert registrar.email in digest.to
    assert "7" in digest.subject
    for n in range(3, 10):
        assert f"Begäran {n}" in digest.body
    access_requests_digest()
    assert len(mail.outbox) == 4
    assert not AccessRequest.objects.filter(notified_at__isnull=True).exists()


def test_a_quiet_day_still_tells_each_request_at_once(
    registrar: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _send(Client(), "En enda begäran")
    assert len(mail.outbox) == 1
    assert "En enda begäran" in mail.outbox[0].body
    access_requests_digest()
    assert len(mail.outbox) == 1
