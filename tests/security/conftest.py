"""Reports the fuzzing counts at the end of the run, whatever the output capture."""

from typing import Any

from tests.security.reporting import COUNTS


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not (COUNTS.operations or COUNTS.stateful_steps or COUNTS.hostile_requests):
        return
    terminalreporter.section("API fuzzing (schemathesis)")
    terminalreporter.write_line(
        f"operations: {COUNTS.operations}, personas: {COUNTS.personas}, "
        f"cases: {COUNTS.cases}, stateful steps: {COUNTS.stateful_steps}, "
        f"hostile requests: {COUNTS.hostile_requests}, failures: {len(COUNTS.failures)}"
    )
