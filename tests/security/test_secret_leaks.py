"""Secret content never leaks. A canary sits in a secret register entry (subject, text, raw
payload, counterparty) and another in a comment a moderator hid. Every public page, feed and
public API response, every API response and admin page a non-registrar can open, and the
exports they can reach are scanned for them."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.choices import Role, Scope
from accounts.models import User
from tests.security.data import HIDDEN_CANARY, SECRET_CANARY, FuzzData, fuzz_data

# Part of the secret canary: a page may echo the search, never the entry it would match.
PART = SECRET_CANARY.split("-")[1]
SEARCHES = ["", f"?search={PART}", f"?q={PART}", "?search=Anm%C3%A4lan", "?q=Anm%C3%A4lan"]


@pytest.fixture
def data(db: None) -> FuzzData:
    return fuzz_data()


def _ids() -> list[str]:
    """Every key of every row of our apps, so that each detail address names real rows
    whatever its model (ids are not reset between tests on PostgreSQL)."""
    keys: set[str] = set()
    for label in ("channels_app", "records", "moderation", "podcasts"):
        for model in apps.get_app_config(label).get_models():
            keys |= {str(pk) for pk in model._default_manager.values_list("pk", flat=True)}
    return sorted(keys)


def api_get_urls(data: FuzzData) -> Iterator[str]:
    """Every GET address of the API: lists with searches, and each detail for every id."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        if "get" not in item:
            continue
        if "{" not in path:
            for search in SEARCHES:
                yield path + search
            continue
        for value in [*_ids(), data.channel.slug, "sensitive-information"]:
            yield path.replace("{id}", value).replace("{slug}", value).replace("{code}", value)


def public_pages(data: FuzzData) -> list[str]:
    show, episode = data.episode.show, data.episode
    return [
        "/",
        reverse("records:public-register"),
        *[reverse("records:public-register") + s for s in SEARCHES],
        reverse("records:access-request"),
        reverse("podcasts:index"),
        reverse("podcasts:show", args=[show.slug]),
        reverse("podcasts:feed", args=[show.slug]),
        reverse("podcasts:video-feed", args=[show.slug]),
        reverse("podcasts:episode", args=[show.slug, episode.number]),
        reverse("podcasts:transcript", args=[show.slug, episode.number]),
        "/api/schema/",
        "/healthz",
    ]


def admin_pages(data: FuzzData) -> Iterator[str]:
    """Each admin change list (with a search for the canary) and each change page of the rows."""
    for model, _model_admin in admin.site._registry.items():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        yield changelist
        yield f"{changelist}?q={PART}"
    rows: list[Any] = [data.secret_record, data.public_record, data.hidden_item, data.open_item]
    for obj in rows:
        name = f"admin:{obj._meta.app_label}_{obj._meta.model_name}"
        yield reverse(f"{name}_change", args=[obj.pk])
        yield reverse(f"{name}_history", args=[obj.pk])
    yield reverse("admin:moderation_queue")
    yield reverse("admin:moderation_queue_item", args=[data.hidden_item.pk])
    yield reverse("admin:moderation_metrics")
    yield reverse("admin:moderation_metrics_csv")


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _scan(client: Any, urls: Iterator[str] | list[str], canaries: tuple[str, ...]) -> list[str]:
    leaks, reached = [], 0
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        reached += response.status_code == 200
        body = _body(response)
        leaks += [f"{url} ({response.status_code}) shows {c}" for c in canaries if c in body]
    assert reached, "nothing was reached: the scan proved nothing"
    return leaks


@pytest.mark.django_db
def test_the_public_sees_neither_canary(data: FuzzData) -> None:
    canaries = (SECRET_CANARY, HIDDEN_CANARY)
    episode_files = [reverse("podcasts:media", args=[data.episode.transcript.name])]
    leaks = _scan(Client(), [*public_pages(data), *episode_files], canaries)
    leaks += _scan(APIClient(), api_get_urls(data), canaries)
    assert leaks == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.EDITOR, Role.MODERATOR, Role.ADMINISTRATOR])
def test_no_other_role_sees_the_secret_entry(
    data: FuzzData, make_user: Callable[..., User], role: Role
) -> None:
    user = make_user(role)
    # Moderators and administrators read the queue, hidden comments included; editors do not.
    canaries = (SECRET_CANARY,) if role != Role.EDITOR else (SECRET_CANARY, HIDDEN_CANARY)
    api, browser = APIClient(), Client()
    api.force_login(user)
    browser.force_login(user)
    leaks = _scan(api, api_get_urls(data), canaries)
    leaks += _scan(browser, admin_pages(data), canaries)
    assert leaks == []


@pytest.mark.django_db
@pytest.mark.parametrize("scope", list(Scope))
def test_no_integration_client_sees_the_secret_entry(
    data: FuzzData, token_client: Callable[..., APIClient], scope: Scope
) -> None:
    # A hidden comment is still a document in the register: readers of the queue or the
    # register may read it, unless it is marked secret.
    readers = (Scope.MODERATION_READ, Scope.RECORDS_READ, Scope.RECORDS_WRITE)
    canaries = (SECRET_CANARY,) if scope in readers else (SECRET_CANARY, HIDDEN_CANARY)
    assert _scan(token_client(scope), api_get_urls(data), canaries) == []


@pytest.mark.django_db
def test_the_registrar_does_see_it(data: FuzzData, registrar: User) -> None:
    """The canary is really there: the scans above would find it if it leaked."""
    api = APIClient()
    api.force_login(registrar)
    response = api.get(f"/api/v1/records/entries/{data.secret_record.pk}/content/")
    assert SECRET_CANARY in _body(response)
    browser = Client()
    browser.force_login(registrar)
    page = browser.get(reverse("admin:records_record_change", args=[data.secret_record.pk]))
    assert SECRET_CANARY in _body(page)
