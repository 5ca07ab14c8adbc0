"""Schemathesis against our own OpenAPI schema, in-process through the WSGI application: every
operation, anonymous, as each role and as an integration client without and with each scope.
Checks: no 5xx, responses conform to the schema, no undocumented status code, and data that does
not fit the schema is refused with a 4xx. Deeper: sequences of calls along the links
schemathesis infers between operations (ids from one response into the next call), and hostile
values (NUL, lone surrogates, 10,000 characters, right-to-left marks, deep nesting, huge
integers, impossible dates) in every path parameter, query parameter and body field. The counts
are printed at the end of the run; FUZZ_EXAMPLES and FUZZ_STATEFUL_EXAMPLES set the depth."""

import json
import logging
import os
import secrets
import traceback
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
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
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
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


class _ServerErrors(logging.Handler):
    """The last exception behind a 500, from Django's request log: a failure names its cause
    (a run's own order of tests can give a 500 that a rerun alone does not)."""

    last = ""

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            lines = traceback.format_exception(record.exc_info[1])
            _ServerErrors.last = " | ".join(line.strip() for line in lines[-6:])


def _cause(response: Any) -> str:
    return f" | cause: {_ServerErrors.last}" if response.status_code >= 500 else ""


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
                + _cause(response)
            )

    run()


@pytest.fixture
def keep_the_test_connection() -> Iterator[None]:
    """The WSGI application closes "old" connections at each request's start and end, which
    would close the test's own transaction on PostgreSQL; Django's test client switches this
    off the same way. Also keeps the cause of any 500 for the failure message."""
    errors = _ServerErrors()
    logging.getLogger("django.request").addHandler(errors)
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
        logging.getLogger("django.request").removeHandler(errors)


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


# --- deeper: stateful sequences and hostile values -----------------------------------------

STATEFUL_EXAMPLES = int(os.environ.get("FUZZ_STATEFUL_EXAMPLES", "40"))


def _deep_personas(
    make_user: Callable[..., User], make_integration: Callable[..., Any]
) -> list[tuple[str, dict[str, str]]]:
    """The two callers that reach the most code: a person holding every role, and a client
    holding every scope."""
    everyone = make_user(*Role.values)
    return [
        ("role:all", _session_headers(everyone)),
        ("client:all", {"Authorization": f"Bearer {make_integration(*Scope.values)[1]}"}),
    ]


def _stateful_run(machine: Any, persona: str, headers: dict[str, str]) -> None:
    """Sequences of calls along the links schemathesis infers between operations (a created
    object's id into the operations on it, a list's ids into the detail), kept between steps."""

    class Machine(machine):
        def setup(self) -> None:
            # Each scenario in a savepoint, rolled back: every one starts from the same data.
            self.scenario = transaction.atomic()
            self.scenario.__enter__()

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.scenario.__exit__(None, None, None)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": headers}

        def call(self, case: Any, **kwargs: Any) -> Any:
            COUNTS.stateful_steps += 1
            # A savepoint per step: a failed statement cannot poison the steps after it.
            with transaction.atomic():
                return case.call(**kwargs)

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (AssertionError, FailureGroup) as exc:
                first = str(exc).strip().splitlines()[:10]
                COUNTS.failures.append(
                    f"stateful {persona} {case.operation.label} -> {response.status_code}: "
                    + " | ".join(line.strip() for line in first if line.strip())
                    + _cause(response)
                )

    Machine.run(
        settings=hypothesis_settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=6,
            deadline=None,
            database=None,
            # Not derandomized: on PostgreSQL the ids a scenario creates differ from run to run
            # (sequences are not rolled back), so a replayed prefix would draw differently.
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )


@pytest.mark.django_db
def test_stateful_sequences_along_the_links(
    make_user: Callable[..., User],
    make_integration: Callable[..., Any],
    keep_the_test_connection: None,
) -> None:
    fuzz_data()
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    machine = schema.as_state_machine()  # infers the links between the operations
    assert schema.statistic.transitions.total >= 100
    COUNTS.failures.clear()
    for persona, headers in _deep_personas(make_user, make_integration):
        cache.clear()
        _stateful_run(machine, persona, headers)
    assert COUNTS.stateful_steps >= 50
    assert COUNTS.failures == [], "\n".join(COUNTS.failures[:40])


HOSTILE_TEXT = [
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfff",
    "x" * 10_000,
    "\u202e\u200fשלום\u200b\u2067abc\u2069",
    "2026-02-30",
    "2026-02-30T10:00",
    "0000-00-00T25:61:61+99:00",
    str(2**63),
    "-" + "9" * 30,
    "1e400",
    "NaN",
    "../../etc/passwd",
]
HOSTILE_NUMBERS: list[Any] = [2**63, -(2**63) - 1, 10**30, 1e308, -1, 0, True, "abc", None]
DEEP = "[" * 1_000 + "]" * 1_000


def _url_text(value: str) -> str:
    """A value as a URL carries it: percent-encoded bytes (a lone surrogate as the bytes its
    code point would have, which no UTF-8 decoder accepts)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict) and value:
        for key, child in value.items():
            yield from _leaves(child, (*path, key))
    elif isinstance(value, list) and value:
        yield from _leaves(value[0], (*path, 0))
    if path:
        yield path, value


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


def _hostile_values(example: Any) -> list[Any]:
    if isinstance(example, bool | int | float):
        return HOSTILE_NUMBERS
    return [*HOSTILE_TEXT, *HOSTILE_NUMBERS[:2], {"a": [{"b": DEEP}]}, [[["x"]]]]


def _base_path(operation: Any, client: Client, headers: dict[str, str]) -> dict[str, str]:
    """Path parameters that name a real row: the first of the collection's list."""
    collection = operation.path.split("{", 1)[0]
    names = [parameter.name for parameter in operation.path_parameters]
    response = client.get(collection, headers=headers)
    data = response.json() if response.status_code == 200 else []
    rows = data.get("results", []) if isinstance(data, dict) else data
    row = rows[0] if rows and isinstance(rows[0], dict) else {}
    return {name: str(row.get(name, row.get("id", 1))) for name in names}


def _example_body(operation: Any) -> Any:
    """One valid body (schemathesis's positive generation) to put hostile values into."""
    if not operation.body:
        return None
    found: list[Any] = []

    @hypothesis_settings(
        max_examples=1,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
    )
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    def draw(case: Any) -> None:
        found.append(case.body)

    draw()
    body = found[0] if found else None
    return body if isinstance(body, dict) else None


def _hostile_requests(
    operation: Any, headers: dict[str, str], client: Client
) -> Iterator[tuple[str, str, str | None]]:
    """(address, query, JSON body) with one hostile value at a time in each path parameter,
    each query parameter and each body field, and a body nested 1,000 deep."""
    path_values = _base_path(operation, client, headers)
    body = _example_body(operation)

    def address(values: dict[str, str]) -> str:
        return operation.path.format(**{k: _url_text(v) for k, v in values.items()})

    for name in path_values:
        for value in (*HOSTILE_TEXT, "-1", "0"):
            yield address({**path_values, name: value}), "", None if body is None else "{}"
    encoded = json.dumps(body) if body is not None else None
    for parameter in operation.query:
        for value in HOSTILE_TEXT:
            yield address(path_values), f"{parameter.name}={_url_text(value)}", encoded
    if body is not None:
        yield address(path_values), "", DEEP
        for leaf, example in _leaves(body):
            for value in _hostile_values(example):
                yield address(path_values), "", json.dumps(_replaced(body, leaf, value))


@pytest.mark.django_db
def test_hostile_values_in_every_parameter_and_body_field(
    make_user: Callable[..., User],
    make_integration: Callable[..., Any],
    keep_the_test_connection: None,
) -> None:
    fuzz_data()
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    client = Client(raise_request_exception=False)
    failures: list[str] = []
    # A person holding every role reaches every operation; the client's scopes are a subset.
    for persona, headers in _deep_personas(make_user, make_integration)[:1]:
        for operation in operations:
            cache.clear()  # the rate limits count per operation here, not per run
            for path, query, body in _hostile_requests(operation, headers, client):
                COUNTS.hostile_requests += 1
                with transaction.atomic():
                    response = client.generic(
                        operation.method.upper(),
                        f"{path}?{query}" if query else path,
                        body or "",
                        content_type="application/json",
                        headers=headers,
                    )
                    transaction.set_rollback(True)
                if response.status_code >= 500 or response.status_code == 429:
                    failures.append(
                        f"{persona} {operation.method.upper()} {path}?{query[:60]} "
                        f"body={(body or '')[:80]!r} -> {response.status_code}{_cause(response)}"
                    )
    assert COUNTS.hostile_requests >= 2_500
    assert failures == [], "\n".join(failures[:40])
