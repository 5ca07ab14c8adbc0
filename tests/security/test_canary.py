"""Issue 13's canary, part (a): a unique word planted through the real paths into every column
that holds a citizen's content, the entries marked secret, then every read path of the URL
conf that can take a content row's id or a search (discovered from the resolver) requested as
every role and integration scope but the registrar's: the word appears in none, and no search
finds a secret row. A companion test patches each read path in turn to skip the access policy
and shows the scan then finds the canary."""

import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest
from rest_framework.test import APIClient

from accounts.choices import Role, Scope
from accounts.models import User
from records import access
from records.access import Access
from tests.security.canary import (
    CANARY,
    PART,
    Planted,
    columns_without_canary,
    exports,
    plant,
    read_paths,
    search_markers,
    uncovered_models,
)
from tests.security.test_secret_leaks import _body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("meta_settings")]
NO_MATCH = "Zq9xw7ingenträff"


@pytest.fixture
def planted(
    make_user: Callable[..., User],
    token_client: Callable[..., APIClient],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> Planted:
    from moderation import seed

    seed._grounds()
    seed._reply_templates()
    return plant(
        editor=make_user(Role.EDITOR),
        moderator=make_user(Role.MODERATOR),
        registrar=make_user(Role.REGISTRAR),
        reconsiderer=make_user(Role.MODERATOR),
        ingest=token_client(Scope.MODERATION_INGEST),
        run_on_commit=django_capture_on_commit_callbacks,
    )


# The readers with a right to some content, first: the companion test looks only at them.
CONTENT_READERS = (Role.MODERATOR, Role.ADMINISTRATOR, Scope.MODERATION_READ, Scope.RECORDS_READ)


def readers(
    make_user: Callable[..., User],
    token_client: Callable[..., APIClient],
    only: tuple[str, ...] = (),
) -> Iterator[tuple[str, APIClient]]:
    """Every role but the registrar's, every integration scope and the public (``only``: just
    those)."""
    everyone = [*CONTENT_READERS, *(r for r in Role if r not in CONTENT_READERS), *Scope]
    for reader in [r for r in everyone if r != Role.REGISTRAR and (not only or r in only)]:
        if reader in Scope:
            yield reader, token_client(reader)
            continue
        client = APIClient()
        client.force_login(make_user(reader))
        yield reader, client
    if not only:
        yield "anonymous", APIClient()


def scan(client: APIClient, planted: Planted, *, first: bool = False) -> list[str]:
    """Every read path as ``client``: the canary nowhere, and no search finds a secret row.
    ``first`` stops at the first leak (the companion test only needs one)."""
    paths = read_paths(planted)
    assert paths.unclassified == [], "URL patterns the canary test does not cover"
    markers = search_markers(planted)
    leaks: list[str] = []
    reached = 0
    requests: list[tuple[str, str, dict[str, Any] | None]] = [
        ("get", url, None) for url in paths.urls
    ]
    requests += [("post", url, data) for url, data in exports(planted)]
    for method, url, data in requests:
        response = getattr(client, method)(url, data) if data else client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        reached += response.status_code == 200
        body = _body(response)
        found = [CANARY] if CANARY in body else []
        if PART in url and any(marker in body for marker in markers):
            # A search leaks a secret row if the row is found by the canary and not by a
            # word that matches nothing (a list that ignores the parameter shows it to both).
            control = _body(client.get(url.replace(PART, NO_MATCH)))
            found += [marker for marker in markers if marker in body and marker not in control]
        leaks += [f"{method.upper()} {url} ({response.status_code}) shows {f}" for f in found]
        if leaks and first:
            break
    assert reached, "nothing was reached: the scan proved nothing"
    return leaks


def test_every_content_column_is_planted_and_every_model_accounted_for(planted: Planted) -> None:
    assert uncovered_models() == []
    assert columns_without_canary() == []


def test_no_one_but_registrars_sees_a_secret_entry_anywhere(
    planted: Planted,
    make_user: Callable[..., User],
    token_client: Callable[..., APIClient],
    registrar: User,
) -> None:
    paths = read_paths(planted)
    assert len(paths.urls) > 100  # lists, searches, filters, details, histories
    leaks: list[str] = []
    for name, client in readers(make_user, token_client):
        leaks += [f"{name}: {leak}" for leak in scan(client, planted)]
    assert leaks == []
    # Every admin page was rendered: none kept a request or a user on the shared admin.
    for model_admin in admin.site._registry.values():
        kept = [k for k, v in vars(model_admin).items() if isinstance(v, HttpRequest | User)]
        assert kept == [], (type(model_admin).__name__, kept)
    # The canary is really there to be found: the registrar sees it.
    registrar_client = APIClient()
    registrar_client.force_login(registrar)
    assert scan(registrar_client, planted, first=True)


# The policy, as each read path names it: patched in one module at a time, to let everything
# through.
PERMISSIVE: dict[str, Any] = {
    "content_access": lambda viewer, state: Access.SHOWN,
    "record_access": lambda viewer, record: Access.SHOWN,
    "item_access": lambda viewer, item: Access.SHOWN,
    "content_searchable": lambda viewer, prefix="": Q(),
}


def read_paths_consulting_the_policy() -> list[tuple[str, str]]:
    """Every module of ours that asks the policy, with the name it asks it by (found, not
    listed: a new read path that asks the policy joins the test by itself)."""
    import config.urls  # noqa: F401  (every view, serializer and admin module, in any worker)

    found = []
    for module_name, module in sorted(sys.modules.items()):
        if module_name == "records.access" or not module_name.startswith(("records", "moderation")):
            continue
        if module_name.endswith(".services") or ".services." in module_name:
            continue  # writes: the logged "show content" step has its own tests
        for name in PERMISSIVE:
            if getattr(module, name, None) is getattr(access, name):
                found.append((module_name, name))
    return found


def test_the_read_paths_are_found() -> None:
    paths = read_paths_consulting_the_policy()
    modules = {module for module, _name in paths}
    assert {
        "records.admin",
        "records.admin_content",
        "records.api.serializers",
        "records.selectors",
        "moderation.admin",
        "moderation.api.serializers",
        "moderation.filters",
        "moderation.views",
    } <= modules


@pytest.mark.parametrize(("module_name", "name"), read_paths_consulting_the_policy())
def test_a_read_path_that_skips_the_policy_is_caught(
    planted: Planted,
    make_user: Callable[..., User],
    token_client: Callable[..., APIClient],
    monkeypatch: pytest.MonkeyPatch,
    module_name: str,
    name: str,
) -> None:
    monkeypatch.setattr(sys.modules[module_name], name, PERMISSIVE[name])
    leaks: list[str] = []
    for _reader, client in readers(make_user, token_client, only=CONTENT_READERS):
        leaks += scan(client, planted, first=True)
        if leaks:
            break
    assert leaks, f"{module_name}.{name} skipped the policy and the scan saw nothing"


@pytest.mark.parametrize("tie", ["about_secret_author", "quotes_secret"])
def test_the_canary_is_in_notes_only_their_ties_withhold(
    planted: Planted,
    make_user: Callable[..., User],
    token_client: Callable[..., APIClient],
    monkeypatch: pytest.MonkeyPatch,
    tie: str,
) -> None:
    """The note about the secret comment's author, and the note on another person's comment
    that pastes the secret comment unmarked, are planted: forget either tie (records.quoting,
    moderation.selectors.notes_tied) and the scan finds the canary in the notes."""
    from moderation import selectors

    original = selectors.note_content_state

    def untied(note: Any) -> Any:
        setattr(note, tie, False)
        return original(note)

    monkeypatch.setattr(selectors, "note_content_state", untied)
    (_reader, client), *_ = readers(make_user, token_client, only=(Role.MODERATOR,))
    leaks = scan(client, planted, first=True)
    assert leaks
    assert "/api/v1/moderation/notes/" in leaks[0], leaks
