"""The municipality's "Sociala medier" page, from which every seeded text is taken word for word.

The page is kept in ``core/seed/``; its sections are found by their headings."""

from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from django.db.models import Model

M = TypeVar("M", bound=Model)

PAGE = Path(__file__).resolve().parent / "seed" / "sociala-medier-orebro-kommun.txt"
INTRODUCTION = "Sociala medier"
HEADINGS = (
    INTRODUCTION,
    "Facebook",
    "Instagram",
    "LinkedIn",
    "Youtube",
    "Poddar",
    "Personuppgifter på sociala medier",
    "Frågor",
)


@cache
def sections() -> dict[str, list[str]]:
    """Heading -> its paragraphs (blank-line separated, whitespace trimmed); bullets included."""
    result: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in PAGE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line in HEADINGS and line not in result:
            current = result.setdefault(line, [])
        elif line.startswith(("Senast uppdaterad", "Publicerad")):
            current = None
        elif line and current is not None:
            current.append(line)
    return result


def section(heading: str) -> list[str]:
    return sections()[heading]


def paragraph(heading: str, starts_with: str) -> str:
    """The one paragraph of a section that begins with ``starts_with``; the page's no-break
    spaces match ordinary ones, and are kept in what is returned."""
    matches = [p for p in section(heading) if p.replace("\xa0", " ").startswith(starts_with)]
    if len(matches) != 1:
        raise LookupError(f"{len(matches)} paragraphs in {heading!r} start with {starts_with!r}")
    return matches[0]


def bullets(heading: str) -> list[str]:
    """The bulleted items of a section, without the bullet."""
    return [p.lstrip("•").strip() for p in section(heading) if p.startswith("•")]


def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[M, bool]:
    """Create the row, or bring it to ``values`` while no person has changed it: once someone
    has saved it (its history names a person), it is theirs and the seed leaves it. A model
    without history cannot tell, and keeps what it has. Saves (and so writes history) only on
    change. Returns the row and whether it was created or changed."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), True
    if _changed_by_a_person(obj):
        return obj, False
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    for field in changed:
        setattr(obj, field, values[field])
    if changed:
        obj.save()
    return obj, bool(changed)


def _changed_by_a_person(obj: Model) -> bool:
    history = getattr(obj, "history", None)
    if history is None:
        return True
    return any(
        row.history_user.is_person
        for row in history.exclude(history_user=None).select_related("history_user")
    )
