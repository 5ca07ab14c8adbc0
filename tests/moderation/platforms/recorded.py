"""The recorded payloads under tests/fixtures/platforms/ and the test app secret that signs them."""

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from moderation.platforms.http import CannedResponse

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "platforms"
TEST_SECRET = "test-app-secret-not-real"
TEST_VERIFY_TOKEN = "test-verify-token"
# The Facebook Page the recorded Meta payloads name.
FACEBOOK_PAGE = "104857600000001"


def payload_bytes(name: str) -> bytes:
    """A recorded body exactly as the platform sent it (signatures cover these bytes)."""
    return (FIXTURES / name).read_bytes()


def payload_json(name: str) -> Any:
    return json.loads(payload_bytes(name))


def canned(name: str) -> CannedResponse:
    return CannedResponse.from_file(FIXTURES / name)


def sign(body: bytes, secret: str = TEST_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def meta_post(client: Any, body: bytes) -> Any:
    """``body`` delivered to ``/hooks/meta/`` as Meta sends it, signed with the test secret
    (the ``meta_settings`` fixture); the response."""
    return client.generic(
        "POST",
        "/hooks/meta/",
        body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=sign(body),
    )
