"""Fixtures every test may use: people in each role, API clients, integration tokens; and the
markers that need the real services: ``postgresql`` (skipped unless the tests run on PostgreSQL)
and ``services`` (a real Celery worker on Redis: skipped unless CELERY_BROKER_URL is Redis, and
run one at a time under pytest-xdist, since the workers share the broker)."""

import os
from collections.abc import Callable, Generator
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from rest_framework.test import APIClient

from accounts.choices import Role
from accounts.models import IntegrationClient, User
from accounts.services import integration_client_create, system_user


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    on_postgresql = connection.vendor == "postgresql"
    on_redis = os.environ.get("CELERY_BROKER_URL", "").startswith("redis://")
    for item in items:
        if item.get_closest_marker("postgresql") and not on_postgresql:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL)"))
        if item.get_closest_marker("services"):
            if not on_redis:
                item.add_marker(pytest.mark.skip(reason="needs CELERY_BROKER_URL on Redis"))
            item.add_marker(pytest.mark.xdist_group("services"))


def _utf8(text: str) -> str:
    """``text`` with a lone surrogate written as its escape: the hostile-input tests log and
    assert on such strings, and pytest-xdist cannot send them from a worker (UTF-8 only)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    report.sections = [(title, _utf8(text)) for title, text in report.sections]
    if report.longrepr is not None and _utf8(str(report.longrepr)) != str(report.longrepr):
        report.longrepr = _utf8(str(report.longrepr))


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """A staff member holding the given roles (none: a signed-in person without any role)."""
    counter = iter(range(1, 10_000))

    def make(*roles: str, **fields: object) -> User:
        n = next(counter)
        fields.setdefault("email", f"person{n}@orebro.se")
        fields.setdefault("name", f"Person {n}")
        fields.setdefault("is_staff", bool(roles))
        user = User.objects.create_user(password="correct horse battery", **fields)  # type: ignore[arg-type]
        user.groups.set(Group.objects.filter(name__in=roles))
        return user

    return make


@pytest.fixture
def editor(make_user: Callable[..., User]) -> User:
    return make_user(Role.EDITOR)


@pytest.fixture
def moderator(make_user: Callable[..., User]) -> User:
    return make_user(Role.MODERATOR)


@pytest.fixture
def registrar(make_user: Callable[..., User]) -> User:
    return make_user(Role.REGISTRAR)


@pytest.fixture
def administrator(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def make_integration(db: None) -> Callable[..., tuple[IntegrationClient, str]]:
    """An integration client with the given scopes, and its token."""
    counter = iter(range(1, 10_000))

    def make(*scopes: str) -> tuple[IntegrationClient, str]:
        return integration_client_create(
            name=f"System {next(counter)}",
            contact="it@orebro.se",
            scopes=list(scopes),
            actor=system_user(),
        )

    return make


@pytest.fixture
def token_client(
    make_integration: Callable[..., tuple[IntegrationClient, str]],
) -> Callable[..., APIClient]:
    """An APIClient that authenticates as a new integration client with the given scopes."""

    def make(*scopes: str) -> APIClient:
        _, token = make_integration(*scopes)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return make
