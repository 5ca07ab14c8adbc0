"""The API base: schema, docs, the one error format, health."""

import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_schema_and_docs_are_served(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert b"/api/v1/accounts/me/" in schema.content
    assert api_client.get("/api/docs/").status_code == 200


def test_not_authenticated_in_the_error_format(api_client):
    body = api_client.get("/api/v1/accounts/me/").json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == "not_authenticated"


def test_not_found_in_the_error_format(api_client, editor):
    api_client.force_authenticate(editor)
    response = api_client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404


def test_health_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True, "broker": True}}


def test_health_is_503_when_the_broker_is_down(client, monkeypatch):
    from config import health

    monkeypatch.setattr(health, "_broker_ok", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "broker": False}


def test_production_refuses_to_start_without_its_secret():
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.production", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_swedish_is_the_default_language(client):
    response = client.get("/accounts/login/")
    assert response.headers["Content-Language"] == "sv"
    assert '<html lang="sv">' in response.content.decode()


def test_an_english_browser_still_gets_swedish_until_english_is_chosen(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "sv"
    chosen = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert chosen.status_code == 302
    assert client.get("/accounts/login/").headers["Content-Language"] == "en"
