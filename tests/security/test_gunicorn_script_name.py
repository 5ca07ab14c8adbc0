"""The probe's own door: gunicorn with the production settings takes a SCRIPT_NAME header from a
trusted proxy address (loopback by default) and strips it from the path. A signed-in moderator
without two-factor, sending one, still only reaches the two-factor setup."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.security.test_web_security import BASE_DIR, PRODUCTION_ENV

SESSION = """
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from accounts.models import User
user = User.objects.create_user("moderator@orebro.se", password=None, is_staff=True)
user.groups.set(Group.objects.filter(name="moderator"))
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    env = {
        **os.environ,
        **PRODUCTION_ENV,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "CACHE_URL": "locmemcache://",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=BASE_DIR, env=env, check=True)
    session_key = subprocess.run(
        [*manage, "shell", "-c", SESSION],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base, session_key
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_script_name_header_does_not_skip_two_factor(server: tuple[str, str]) -> None:
    base, session_key = server
    headers = {"Cookie": f"sessionid={session_key}", "X-Forwarded-Proto": "https"}
    for path in ("/admin/moderation/item/queue/", "/api/v1/accounts/me/"):
        response = httpx.get(f"{base}/x{path}", headers={**headers, "SCRIPT_NAME": "/x"})
        assert response.status_code == 302, (path, response.status_code)
        assert response.headers["Location"] == "/x/accounts/2fa/totp/activate/", path
        plain = httpx.get(f"{base}{path}", headers=headers)
        assert plain.headers["Location"] == "/accounts/2fa/totp/activate/", path
