"""The permission matrix (tests/security/permission_matrix.py) holds, every cell of it: each API
operation, each admin model's view/add/change/delete, each admin action and each custom admin
view, for anonymous callers and each role. A new operation, admin model, action or view without
a row fails here."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.test import RequestFactory
from django.urls import URLPattern, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.choices import Role
from accounts.models import User
from tests.security.permission_matrix import ANONYMOUS, MATRIX, ROLES

# Ids that match no row: the permission check comes before the lookup, so a caller who may act
# gets 404 (or 400 for an empty body) and one who may not gets 401 or 403.
MISSING = {"{id}": "999999", "{slug}": "ingen-sadan", "{code}": "ingen-sadan"}
STANDARD_ADMIN_VIEWS = {"changelist", "add", "history", "delete", "change", "autocomplete"}


def api_operations() -> Iterator[tuple[str, str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        for method in item:
            yield f"api {method.upper()} {path}", method, path


def admin_models() -> Iterator[tuple[str, ModelAdmin]]:
    for model, model_admin in admin.site._registry.items():
        yield f"{model._meta.app_label}.{model._meta.model_name}", model_admin


def admin_custom_views(model_admin: ModelAdmin) -> Iterator[URLPattern]:
    for pattern in model_admin.get_urls():
        name = getattr(pattern, "name", None)
        if name and name.rsplit("_", 1)[-1] not in STANDARD_ADMIN_VIEWS:
            yield pattern


def admin_actions(model_admin: ModelAdmin, request: Any) -> list[str]:
    """The actions a person can run: offered by the admin on a change list the person may open."""
    if not model_admin.has_view_or_change_permission(request):
        return []
    return list(model_admin.get_actions(request))


def all_keys(users: dict[str, User | None]) -> set[str]:
    keys = {key for key, _, _ in api_operations()}
    rf = RequestFactory()
    for label, model_admin in admin_models():
        keys |= {f"admin {label} {perm}" for perm in ("view", "add", "change", "delete")}
        for user in users.values():
            if user is not None:
                request = rf.get("/admin/")
                request.user = user
                keys |= {
                    f"admin-action {label} {name}" for name in model_admin.get_actions(request)
                }
        keys |= {f"admin-view {p.name}" for p in admin_custom_views(model_admin)}
    return keys


@pytest.fixture
def users(make_user: Callable[..., User]) -> dict[str, User | None]:
    return {ANONYMOUS: None, **{role.value: make_user(role) for role in Role}}


def observe(users: dict[str, User | None]) -> dict[str, set[str]]:
    """Who may do each thing, as the running system answers."""
    return {**_observe_api(users), **_observe_admin(users)}


def _observe_api(users: dict[str, User | None]) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    for key, method, path in api_operations():
        url = path
        for parameter, value in MISSING.items():
            url = url.replace(parameter, value)
        seen[key] = set()
        for role, user in users.items():
            client = APIClient()
            if user is not None:
                client.force_login(user)
            response = getattr(client, method)(url, {}, format="json")
            assert response.status_code < 500, (key, role, response.status_code)
            if response.status_code not in (401, 403):
                seen[key].add(role)
    return seen


def _observe_admin(users: dict[str, User | None]) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    rf = RequestFactory()
    for label, model_admin in admin_models():
        for perm in ("view", "add", "change", "delete"):
            seen[f"admin {label} {perm}"] = set()
        patterns = list(admin_custom_views(model_admin))
        for pattern in patterns:
            seen[f"admin-view {pattern.name}"] = set()
        for role, user in users.items():
            if user is None:
                continue
            request = rf.get("/admin/")
            request.user = user
            for perm in ("view", "add", "change", "delete"):
                if getattr(model_admin, f"has_{perm}_permission")(request):
                    seen[f"admin {label} {perm}"].add(role)
            for name in admin_actions(model_admin, request):
                seen.setdefault(f"admin-action {label} {name}", set()).add(role)
        for pattern in patterns:
            for role, user in users.items():
                if _admin_view_allowed(pattern, user):
                    seen[f"admin-view {pattern.name}"].add(role)
    return seen


def _admin_view_allowed(pattern: URLPattern, user: User | None) -> bool:
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    kwargs = dict.fromkeys(getattr(pattern.pattern, "converters", {}), 999999)
    url = reverse(f"admin:{pattern.name}", kwargs=kwargs)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    if response.status_code == 302 and "/login/" in response["Location"]:
        return False
    assert response.status_code < 500, (url, response.status_code)
    return response.status_code != 403


@pytest.mark.django_db
def test_every_operation_has_a_row(users: dict[str, User | None]) -> None:
    keys = all_keys(users)
    missing = sorted(keys - MATRIX.keys())
    assert missing == [], f"Add these to tests/security/permission_matrix.py: {missing}"
    stale = sorted(MATRIX.keys() - keys)
    assert stale == [], f"These rows name nothing that exists: {stale}"


@pytest.mark.django_db
def test_every_cell_holds(users: dict[str, User | None]) -> None:
    seen = observe(users)
    wrong = {
        key: {"matrix": sorted(expected), "system": sorted(seen.get(key, set()))}
        for key, expected in MATRIX.items()
        if set(expected) != seen.get(key, set())
    }
    assert wrong == {}
    assert set(ROLES) == set(users)
