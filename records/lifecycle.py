"""Copies of an entry's content held outside the register. An app that keeps such a copy (the
moderation item, its versions, notes that quote it) registers a holder in its
``AppConfig.ready()``; disposal and the erasure of unlawful content call every holder with the
entries whose content they remove, in the same transaction, so no copy outlives the entry's
content. The register imports no app above it: the holders come to it."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
from records.models import Record


@dataclass(frozen=True)
class ContentRemoved:
    """The entries whose content was removed, why (a ``ContentRemoval``) and by whom."""

    records: Sequence[Record]
    reason: str
    actor: User


ContentCopyHolder = Callable[[ContentRemoved], None]
_holders: list[ContentCopyHolder] = []


def content_copy_holder_register(holder: ContentCopyHolder) -> None:
    """Have ``holder`` called whenever the content of entries is removed (once per holder)."""
    if holder not in _holders:
        _holders.append(holder)


def content_copies_remove(*, records: Sequence[Record], reason: str, actor: User) -> None:
    """Remove every copy of these entries' content; a holder that fails undoes it all."""
    if not records:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Content copies are removed in the transaction that removes content.")
    event = ContentRemoved(records=tuple(records), reason=reason, actor=actor)
    for holder in _holders:
        holder(event)
