"""Web security on real responses: the deployment check, headers and cookies under the
production settings, CSRF on every form, rate-limited sign-in and tokens, MFA for staff,
uploads checked by content and served safely, and user text never rendered as HTML."""

import importlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from accounts.api.throttling import FailedTokenThrottle
from accounts.choices import Role
from accounts.models import User
from accounts.services import system_user
from channels_app.models import Channel
from moderation.services import moderation_item_intake
from records.services import record_register
from tests.factories import ChannelFactory
from tests.moderation.factories import normalized
from tests.podcasts.factories import GUEST, EpisodeFactory
from tests.records.factories import registration_kwargs

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "deploy-check-" + "k" * 50,
    "DJANGO_ALLOWED_HOSTS": "sociala-medier.orebro.se,testserver",
    "DATABASE_URL": "sqlite:///var/check.sqlite3",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "META_APP_SECRET": "check-only",
    "META_VERIFY_TOKEN": "check-only",
    "CHANNEL_CREDENTIALS_KEY": "Y2hlY2stb25seS1jaGVjay1vbmx5LWNoZWNrLW9ubHk=",
}
# What production sets for transport security, cookies and MFA, applied to this test process.
PRODUCTION_KEYS = [
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY",
    "MFA_REQUIRED_FOR_STAFF",
    "CONTENT_SECURITY_POLICY",
]
XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def test_check_deploy_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={**os.environ, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The production settings module, loaded with throwaway values, and its security settings
    in force for the test."""
    for key, value in PRODUCTION_ENV.items():
        if key != "DJANGO_SETTINGS_MODULE":
            monkeypatch.setenv(key, value)
    module = importlib.import_module("config.settings.production")
    module = importlib.reload(module)
    with override_settings(**{key: getattr(module, key) for key in PRODUCTION_KEYS}):
        yield module


@pytest.mark.django_db
def test_production_headers_on_real_pages(production: Any, client: Client) -> None:
    insecure = client.get("/")
    assert insecure.status_code == 301
    assert insecure["Location"].startswith("https://")
    for url in ["/", "/diarium/", "/poddar/", "/accounts/login/", "/api/v1/channels/channels/"]:
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


@pytest.mark.django_db
def test_production_cookies_are_secure_and_http_only(
    production: Any, client: Client, editor: User
) -> None:
    page = client.get("/accounts/login/", secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"]
    assert csrf["httponly"]
    Authenticator.objects.create(
        user=editor, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    response = client.post(
        "/accounts/login/",
        {"login": editor.email, "password": "correct horse battery"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"


@pytest.mark.django_db
def test_production_requires_mfa_for_staff(production: Any, client: Client, editor: User) -> None:
    assert production.MFA_REQUIRED_FOR_STAFF is True
    client.force_login(editor)
    for url in ["/admin/", "/api/v1/accounts/me/", "/admin/moderation/item/queue/"]:
        response = client.get(url, secure=True)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")


def _example_url(pattern: URLPattern, prefix: str) -> str:
    route = str(pattern.pattern)
    for converter, value in (("<int:", "1"), ("<slug:", "x"), ("<path:", "x"), ("<str:", "x")):
        while converter in route:
            start = route.index(converter)
            route = route[:start] + value + route[route.index(">", start) + 1 :]
    return prefix + route.lstrip("^").rstrip("$").replace("\\Z", "")


def _post_urls(resolver: URLResolver | None = None, prefix: str = "/") -> Iterator[tuple[str, Any]]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _post_urls(entry, _example_url(entry, prefix))  # type: ignore[arg-type]
        elif "(?P<" not in str(entry.pattern):
            yield _example_url(entry, prefix), entry.callback


@pytest.mark.django_db
def test_every_form_refuses_a_post_without_the_csrf_token(make_user: Callable[..., User]) -> None:
    """Every address that takes a POST from a browser, signed in as an administrator with every
    role: refused for the missing token before anything else happens. Only the platforms'
    webhook is exempt: its deliveries are signed instead."""
    user = make_user(*Role.values, is_superuser=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    checked = []
    for url, callback in _post_urls():
        if getattr(callback, "csrf_exempt", False) and not hasattr(callback, "cls"):
            assert url.startswith("/hooks/"), f"{url} is exempt from CSRF"
            continue
        response = client.post(url, {"name": "x"})
        if response.status_code == 404:
            continue  # an address whose path parameter matched nothing
        assert response.status_code == 403, (url, response.status_code)
        # DRF's HTML views (the API docs) render the CSRF refusal without its text.
        assert "CSRF" in response.content.decode() or hasattr(callback, "cls"), url
        checked.append(url)
    assert "/accounts/login/" in checked
    assert "/diarium/begaran/" in checked
    assert any("/admin/moderation/item/queue/" in url for url in checked)
    assert any(url.startswith("/api/v1/") for url in checked)
    assert len(checked) > 50


@pytest.mark.django_db
def test_unknown_tokens_are_rate_limited_per_address(
    api_client: APIClient, make_integration: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guessing tokens: past the limit every wrong token from the address gets 429, while a
    valid token from it still works. Sign-in is limited by allauth (tests/accounts/test_login.py);
    the address is the one the trusted proxies saw (test_client_address.py)."""
    monkeypatch.setitem(FailedTokenThrottle.THROTTLE_RATES, "bad_token", "3/min")
    cache.clear()
    _, token = make_integration()
    for _ in range(3):
        api_client.credentials(HTTP_AUTHORIZATION="Bearer smo_guess")
        assert api_client.get("/api/v1/accounts/me/").status_code == 401
    response = api_client.get("/api/v1/accounts/me/")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/accounts/me/").status_code == 200
    other = APIClient(REMOTE_ADDR="10.9.8.7")
    other.credentials(HTTP_AUTHORIZATION="Bearer smo_guess")
    assert other.get("/api/v1/accounts/me/").status_code == 401
    cache.clear()


@pytest.mark.django_db
def test_uploads_are_checked_by_their_content(api_client: APIClient, editor: User) -> None:
    api_client.force_authenticate(editor)
    html = ContentFile(b"<html><script>alert(1)</script></html>", name="avsnitt.mp3")
    photo = ContentFile(b"<svg onload=alert(1)></svg>", name="bild.jpg")
    channel = Channel.objects.create(platform="facebook", name="Arkiv", slug="arkiv")
    episode = EpisodeFactory.create()
    response = api_client.post(
        "/api/v1/podcasts/episodes/",
        {"show": episode.show.pk, "title": "Avsnitt", "description": "Text", "audio": html},
        format="multipart",
    )
    assert response.status_code == 400
    response = api_client.post(
        "/api/v1/channels/archive-photos/",
        {"channel": channel.slug, "title": "Bild", "image": photo},
        format="multipart",
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_media_is_served_only_as_media(client: Client) -> None:
    """Only published podcast files of the listed media types, with their own type and nosniff:
    a stored HTML or SVG file is never served, so nothing uploaded can run in the site's origin;
    a stored file no published episode names is not served either (test_open_doors.py)."""
    for name in ("podcasts/evil.html", "podcasts/evil.svg", "podcasts/evil.js"):
        default_storage.save(name, ContentFile(b"<script>alert(1)</script>"))
        assert client.get(f"/poddar/media/{name}").status_code == 404
    stray = default_storage.save("podcasts/ljud.mp3", ContentFile(b"ID3" + b"\0" * 64))
    assert client.get(f"/poddar/media/{stray}").status_code == 404
    response = client.get(f"/poddar/media/{EpisodeFactory.create().audio.name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_exports_are_downloads(registrar: User, moderator: User) -> None:
    channel = ChannelFactory.create(connected=True)
    record = record_register(**registration_kwargs(channel, registrar))
    client = Client()
    client.force_login(registrar)
    response = client.post(
        reverse("admin:records_record_changelist"),
        {"action": "export_package", "_selected_action": [record.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] != "text/html"
    client.force_login(moderator)
    csv = client.get(reverse("admin:moderation_metrics_csv"))
    assert csv["Content-Disposition"].startswith("attachment;")


@pytest.fixture
def hostile(db: None) -> dict[str, Any]:
    """User-supplied text with markup in every field people or platforms fill in."""
    from moderation import seed

    seed._grounds()
    channel = ChannelFactory.create(
        connected=True,
        name=f"Kanal {XSS}",
        purpose=XSS,
        audience=XSS,
        owning_unit=XSS,
        handle="kanal",
    )
    item = moderation_item_intake(
        channel=channel,
        item=replace(normalized(channel, text=f"Kommentar {XSS}"), author_name=f"Namn {XSS}"),
        actor=system_user(),
    ).item
    episode = EpisodeFactory.create(
        title=f"Avsnitt {XSS}"[:100],
        description=f"Beskrivning {XSS}",
        guests=[{**GUEST, "name": f"Gäst {XSS}"[:100]}],
    )
    return {"channel": channel, "item": item, "episode": episode}


def _assert_escaped(body: str, url: str) -> None:
    assert "<script>alert(" not in body, url
    assert "<img src=x onerror" not in body, url


@pytest.mark.django_db
def test_user_text_is_shown_as_text_everywhere(
    hostile: dict[str, Any], make_user: Callable[..., User]
) -> None:
    episode = hostile["episode"]
    show = episode.show
    public = [
        "/",
        reverse("records:public-register"),
        reverse("podcasts:index"),
        reverse("podcasts:show", args=[show.slug]),
        reverse("podcasts:episode", args=[show.slug, episode.number]),
    ]
    client = Client()
    shown = 0
    for url in public:
        body = client.get(url).content.decode()
        _assert_escaped(body, url)
        shown += "&lt;script&gt;" in body
    assert shown >= 3  # the text is there, escaped
    feed = client.get(reverse("podcasts:feed", args=[show.slug])).content.decode()
    _assert_escaped(feed, "feed")
    staff = Client()
    staff.force_login(make_user(*Role.values, is_superuser=True))
    item = hostile["item"]
    pages = [
        reverse("admin:moderation_queue"),
        reverse("admin:moderation_queue_item", args=[item.pk]),
        *[
            reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist")
            for m in admin.site._registry
        ],
        reverse("admin:channels_app_channel_change", args=[hostile["channel"].pk]),
        reverse("admin:podcasts_episode_change", args=[episode.pk]),
        reverse("admin:records_record_change", args=[item.record_id]),
    ]
    escaped_in_admin = 0
    for url in pages:
        response = staff.get(url, follow=True)
        assert response.status_code == 200, url
        body = response.content.decode()
        _assert_escaped(body, url)
        escaped_in_admin += "&lt;script&gt;" in body
    assert escaped_in_admin >= 5
