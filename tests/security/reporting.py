"""What the API fuzzing did; tests/security/conftest.py prints it at the end of the run."""

from dataclasses import dataclass, field


@dataclass
class FuzzCounts:
    operations: int = 0
    personas: int = 0
    cases: int = 0
    stateful_steps: int = 0
    hostile_requests: int = 0
    failures: list[str] = field(default_factory=list)


COUNTS = FuzzCounts()
