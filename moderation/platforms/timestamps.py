"""Platform times in the forms the platforms send them, as aware UTC datetimes."""

from datetime import UTC, datetime
from typing import Any

# Seconds since 1970 stay below this until the year 5138; larger numbers are milliseconds.
MILLISECONDS_FROM = 100_000_000_000


def platform_time(value: Any) -> datetime | None:
    """Unix seconds or milliseconds (number or digits) or ISO 8601 (``Z``, ``+0000``); None for
    anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int | float):
        seconds = value / 1000 if value >= MILLISECONDS_FROM else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    return None
