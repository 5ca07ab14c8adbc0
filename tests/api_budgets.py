"""The query budget of a list endpoint: at most ``queries`` database queries for a page, the same
number however many rows there are. Each app keeps its table in tests/<app>/api_budgets.py;
tests/test_api_query_budgets.py checks every row and that every list endpoint has one."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Budget:
    path: str
    queries: int
    # Adds ``count`` rows' worth of data, as ``actor`` (a user of ``role``) would see them.
    grow: Callable[[int, Any], None]
    role: str | None = None  # None: an anonymous caller
    params: tuple[tuple[str, str], ...] = ()
