"""What no database text column holds, wherever it is in an event: NUL (PostgreSQL refuses it in
text and in jsonb) and a UTF-16 surrogate without its pair (it has no UTF-8 form). Everything
else is stored exactly as received."""

import re
from collections.abc import Iterator
from typing import Any

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _strings(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            yield current
        elif isinstance(current, dict):
            stack.extend(current.keys())
            stack.extend(current.values())
        elif isinstance(current, list | tuple):
            stack.extend(current)


def unstorable(value: Any) -> bool:
    """Whether a string, or any key or string inside a JSON-like value, holds such a character."""
    if isinstance(value, str):
        return UNSTORABLE.search(value) is not None
    return any(UNSTORABLE.search(text) for text in _strings(value))


def storable_text(text: str) -> str:
    """The text with each such character written as its escape (``\\u0000``), for messages that
    quote what was refused."""
    return UNSTORABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
