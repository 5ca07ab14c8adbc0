"""Schemathesis against our own OpenAPI schema, in-process through the WSGI application: every
operation, anonymous, as each role and as an integration client without and with each scope.
Checks: no 5xx, responses conform to the schema, no undocumented status code, and data that does
not fit the schema is refused with a 4xx. The counts are printed at the end of the run."""

import os
import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.choices import Role, Scope
from accounts.models import User
from config.wsgi import application
from tests.security.data import fuzz_data
from tests.security.reporting import COUNTS

# Examples per operation, persona and generation mode; CI keeps the run within a few minutes.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _session_headers(user: User) -> dict[str, str]:
    """A real signed-in session and a CSRF token, as a browser sends them."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    csrf = secrets.token_hex(16)
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}; csrftoken={csrf}"
    return {"Cookie": cookie, "X-CSRFToken": csrf}


def _personas(
    make_user: Callable[..., User], make_integration: Callable[..., Any]
) -> Iterator[tuple[str, dict[str, str]]]:
    yield "anonymous", {}
    for role in Role:
        yield f"role:{role.value}", _session_headers(make_user(role))
    yield "client:no-scope", {"Authorization": f"Bearer {make_integration()[1]}"}
    for scope in Scope:
        yield f"client:{scope.value}", {"Authorization": f"Bearer {make_integration(scope)[1]}"}


def _fuzz_mode(operation: Any, persona: str, headers: dict[str, str], mode: GenerationMode) -> None:
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        COUNTS.cases += 1
        # Each case in its own savepoint, rolled back: a failed statement cannot poison the
        # cases after it, and every case starts from the same data.
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, FailureGroup) as exc:
            first = str(exc).strip().splitlines()[:14]
            COUNTS.failures.append(
                f"{persona} {mode.value} {operation.label} -> {response.status_code}: "
                + " | ".join(line.strip() for line in first if line.strip())
            )

    run()


@pytest.fixture
def keep_the_test_connection() -> Iterator[None]:
    """The WSGI application closes "old" connections at each request's start and end, which
    would close the test's own transaction on PostgreSQL; Django's test client switches this
    off the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.mark.django_db
def test_every_operation_as_every_persona(
    make_user: Callable[..., User],
    make_integration: Callable[..., Any],
    keep_the_test_connection: None,
) -> None:
    fuzz_data()
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    personas = list(_personas(make_user, make_integration))
    COUNTS.operations, COUNTS.personas = len(operations), len(personas)
    for persona, headers in personas:
        cache.clear()  # the rate limits count per test run, not across personas
        for operation in operations:
            for mode in GenerationMode:
                _fuzz_mode(operation, persona, headers, mode)
    assert COUNTS.operations >= 70
    assert COUNTS.failures == [], "\n".join(COUNTS.failures[:40])
