"""Every admin page of every registered model, as every role, reads in Swedish: the changelist
(with its filters and actions), the add and change forms, the history and the delete
confirmation. A page fails on an English word, a raw choice value, raw JSON, a raw duration or a
UTC time in what a person reads."""

import re
from html.parser import HTMLParser
from io import StringIO
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, reverse

from accounts.choices import Role
from accounts.models import User
from tests.config.sweep_data import every_model_filled

pytestmark = pytest.mark.django_db

# Words that are English and not Swedish, and so cannot be in a Swedish page.
ENGLISH_WORDS = {
    "the", "and", "of", "with", "you", "your", "are", "this", "that", "please", "none", "true",
    "false", "yes", "add", "change", "changed", "delete", "deleted", "save", "view", "history",
    "select", "search", "show", "home", "log", "out", "object", "objects", "items", "results",
    "selected", "clear", "unknown", "summary", "remove", "choose", "chosen", "available", "today",
    "now", "name", "email", "date", "time", "created", "updated", "actions", "user",
    "users", "groups", "permissions", "enabled", "disabled", "active", "inactive",
    "description", "title", "type", "value", "count", "days", "hours", "minutes", "seconds",
    "or", "any", "empty",
}  # fmt: skip
RAW = {
    "a machine time": re.compile(r"\b\d{4}-\d{2}-\d{2}(T| \d{2}:\d{2}:\d{2})"),
    "a UTC time": re.compile(r"\d{2}:\d{2}(:\d{2})?(\.\d+)?\s*(UTC|GMT|Z\b|[+-]\d{2}:?\d{2})"),
    "a raw duration": re.compile(r"\b\d+ days?, \d+:\d{2}|\b\d+:\d{2}:\d{2}\b"),
    "raw JSON": re.compile(r"[\[{]\s*\"[^\"]*\"\s*[:,\]]|[\[{]'"),
    # (an integration token, "smo_…", shown once to the administrator who issues it, is not)
    "a code name": re.compile(r"\b(?!smo_)[a-z]+(_[a-z0-9]+)+\b|\b[a-z]+:[a-z]+\b(?!//)"),
}  # fmt: skip
# Machine text shown as such (a feed entry, a platform's raw payload) is set in <pre>.
SKIPPED_TAGS = {"script", "style", "template", "noscript", "pre"}
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


class _Text(HTMLParser):
    """What a person reads: text outside scripts and styles, and the attributes read aloud or
    shown on hover; submit buttons' values."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self._skipping += 1
        values = dict(attrs)
        self.parts += [v for k, v in attrs if k in READ_ATTRIBUTES and v]
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


# Names that are not words: addresses, time zones, the Celery tasks a periodic task runs, and
# the feed elements (itunes:image) the podcast checks speak of.
NAMES = re.compile(
    r"\b(https?|mailto|tel):\S+|\S+@\S+\.\w+|/[\w/.-]+/|\b[A-Z][a-z]+/[^\n]+"
    r"|\b\w+\.tasks\.\w+|\b(itunes|podcast):\w+"
)


def readable(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return NAMES.sub(" ", "\n".join(parser.parts))


def problems(text: str) -> list[str]:
    """What is not Swedish in the text, each with the words around it."""
    found = [
        f"English {m.group(0)!r} in {_around(text, m)!r}"
        for m in re.finditer(r"[A-Za-z]+", text)
        if m.group(0).lower() in ENGLISH_WORDS
    ]
    found += [
        f"{what}: {_around(text, m)!r}" for what, rx in RAW.items() for m in rx.finditer(text)
    ]
    return found


def _around(text: str, match: re.Match[str]) -> str:
    return " ".join(text[max(0, match.start() - 30) : match.end() + 30].split())


def _path(pattern: URLPattern, model: Any, pk: object) -> str | None:
    """The pattern's address for the first row (and its first historical version); None for
    the catch-all redirect to the change form, and when there is no row."""
    regex = pattern.pattern.regex
    keys = list(regex.groupindex) or ["object_id", "history_id"][: regex.groups]
    if pattern.name is None or (keys and pk is None):
        return None
    values = {
        key: model.history.filter(id=pk).values_list("history_id", flat=True)[0]
        if key == "history_id"
        else pk
        for key in keys
    }
    if regex.groupindex:
        return reverse(f"admin:{pattern.name}", kwargs=values)
    return reverse(f"admin:{pattern.name}", args=list(values.values()))


def admin_pages(user: User) -> list[str]:
    """Every admin URL the user may open: each model's own URLs, with its first row."""
    client = Client()
    client.force_login(user)
    paths = ["/admin/", *{f"/admin/{model._meta.app_label}/" for model in admin.site._registry}]
    for model, model_admin in admin.site._registry.items():
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        for pattern in model_admin.get_urls():
            if isinstance(pattern, URLPattern):
                path = _path(pattern, model, pk)
                if path:
                    paths.append(path)
    return paths


def page_problems(client: Client, path: str) -> list[str]:
    return page_problems_of(client.get(path, follow=True))


def page_problems_of(response: Any) -> list[str]:
    if response.status_code in {403, 404, 405}:
        return []
    if response.status_code != 200:
        return [f"status {response.status_code}"]
    if "html" not in response.get("Content-Type", ""):
        return []
    return problems(readable(response.content.decode()))


def action_problems(client: Client, model: Any, model_admin: admin.ModelAdmin) -> list[str]:
    """Each action the person is offered, on the first row: its confirmation page or the
    message it leaves on the change list."""
    pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    request = client.get(changelist).wsgi_request
    if pk is None or not model_admin.has_view_permission(request):
        return []
    found = []
    for name in model_admin.get_actions(request):
        response = client.post(changelist, {"action": name, "_selected_action": [pk]}, follow=True)
        found += [f"action {name}: {p}" for p in page_problems_of(response)]
    return found


@pytest.fixture
def role_users(db: None) -> dict[str, User]:
    users = {
        role.value: User.objects.create_user(
            email=f"{role.value}@sweep.orebro.se", password="x", name=role.label, is_staff=True
        )
        for role in Role
    }
    for role, user in users.items():
        user.groups.set([Group.objects.get(name=role)])
    users["superuser"] = User.objects.create_superuser(
        email="root@sweep.orebro.se", password="x", name="Root"
    )
    return users


def test_every_admin_page_reads_in_swedish_for_every_role(role_users, settings):
    # A storage of its own: a file another test in this process left under the same name
    # gives an upload a random suffix, which reads as a code name when it happens to be in
    # lower case ("photo_ob6re3r.jpg", seen once in CI).
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    call_command("seed", stdout=StringIO())
    every_model_filled()
    found: dict[str, list[str]] = {}
    for role, user in role_users.items():
        client = Client()
        client.force_login(user)
        for path in admin_pages(user):
            for problem in page_problems(client, path):
                found.setdefault(f"{path} ({role})", []).append(problem)
        for model, model_admin in admin.site._registry.items():
            for problem in action_problems(client, model, model_admin):
                found.setdefault(f"{model._meta.label} actions ({role})", []).append(problem)
    report = "\n".join(f"{page}: {', '.join(sorted(set(p)))}" for page, p in sorted(found.items()))
    assert not found, f"{len(found)} pages:\n{report}"
