"""Copies of an entry's content held outside the register. An app that keeps such a copy (the
moderation item, its versions, notes that quote it) registers a holder in its
``AppConfig.ready()``; disposal and the erasure of unlawful content call every holder with the
entries whose content they remove, in the same transaction and before the register empties
them, so no copy outlives the entry's content. The register imports no app above it: the
holders come to it.

Free text in documents of their own (a decision's rationale, a request, a registrar's reason
for a correction) is kept: only what it quotes of the removed content goes (``Quotations``).
SECURITY.md, "What disposal and erasure remove", says which column is which and why."""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from records.choices import ContentRemoval
from records.models import AccessRequest, ErasureRequest, Record, RecordAmendment, RecordMedia
from records.quoting import quotations_scrub_everywhere, records_content

# Shorter fragments would replace ordinary words.
MIN_QUOTED_LENGTH = 3
# A span in quotation marks (Swedish ”…”, »…», and the straight and curly ones).
QUOTED = re.compile(r"[\"”“„«»'‘’](?P<span>[^\"”“„«»'‘’\n]{3,300})[\"”“„«»'‘’]")


@dataclass(frozen=True)
class Quotations:
    """What free text may quote of removed content: each text whole, each of its lines, and
    any span in quotation marks that one of the texts contains."""

    texts: tuple[str, ...]
    fragments: tuple[str, ...]

    @classmethod
    def of(cls, texts: Iterable[str]) -> "Quotations":
        texts = tuple(text for text in dict.fromkeys(texts) if text)
        quoted = {line.strip() for text in texts for line in [text, *text.splitlines()]}
        fragments = sorted((q for q in quoted if len(q) >= MIN_QUOTED_LENGTH), key=len)
        return cls(texts=texts, fragments=tuple(reversed(fragments)))

    def __add__(self, other: "Quotations") -> "Quotations":
        return Quotations.of([*self.texts, *other.texts])

    def scrub(self, text: str) -> str:
        """``text`` without what it quotes of the removed content."""
        erased = _("[erased]")
        for fragment in self.fragments:
            text = text.replace(fragment, erased)

        def span(match: re.Match[str]) -> str:
            quoted = match.group("span").strip()
            if any(quoted in content for content in self.texts):
                return match.group(0).replace(match.group("span"), erased)
            return match.group(0)

        return QUOTED.sub(span, text)


def quotations_scrub(
    rows: models.QuerySet[Any], column: str, key: str, quotations: Mapping[Any, Quotations]
) -> None:
    """Scrub ``column`` of each row by the quotations of the entry or item its ``key`` leads
    to (a key through a many-to-many relation gives a row once per entry: each is applied)."""
    texts: dict[Any, str] = {}
    for pk, value, text in rows.values_list("pk", key, column):
        if value in quotations:
            texts[pk] = quotations[value].scrub(texts.get(pk, text))
    for pk, text in texts.items():
        rows.model._default_manager.filter(pk=pk).update(**{column: text})


def record_quotations(records: Sequence[Record], reason: str) -> dict[int, Quotations]:
    """What the register removes of each entry: its text, the amendments' texts, and what
    the removal replaces of its subject and counterparty (disposal keeps the public subject;
    erasure keeps the counterparty as evidence)."""
    texts: dict[int, list[str]] = defaultdict(list)
    for record in records:
        texts[record.pk] += [record.text]
        if record.subject != record.public_subject or reason == ContentRemoval.ERASURE:
            texts[record.pk] += [record.subject]
        if reason == ContentRemoval.ERASURE:
            texts[record.pk] += [record.public_subject]
        else:
            texts[record.pk] += [record.counterparty_name]
    amended = RecordAmendment.objects.filter(record__in=records)
    for pk, text in amended.values_list("record_id", "text"):
        texts[pk].append(text)
    return {pk: Quotations.of(values) for pk, values in texts.items()}


@dataclass(frozen=True)
class ContentRemoved:
    """The entries whose content is removed, why (a ``ContentRemoval``), by whom, and what
    free text may quote of each (by entry id)."""

    records: Sequence[Record]
    reason: str
    actor: User
    quotations: Mapping[int, Quotations]


ContentCopyHolder = Callable[[ContentRemoved], None]
_holders: list[ContentCopyHolder] = []


def content_copy_holder_register(holder: ContentCopyHolder) -> None:
    """Have ``holder`` called whenever the content of entries is removed (once per holder)."""
    if holder not in _holders:
        _holders.append(holder)


def _register_quotations_remove(event: ContentRemoved) -> None:
    """The register's own free text about these entries: a registrar's reason for a correction,
    a request for the entries (and its history), a GDPR request naming them."""
    quotations = event.quotations
    amendments = RecordAmendment.objects.filter(record__in=event.records)
    quotations_scrub(amendments, "reason", "record_id", quotations)
    requests = AccessRequest.objects.filter(records__in=event.records)
    for column in ("scope", "decision_reason"):
        quotations_scrub(requests, column, "records", quotations)
    by_request: dict[int, Quotations] = {}
    for request, record in requests.values_list("pk", "records"):
        by_request[request] = by_request.get(request, Quotations.of([])) + quotations[record]
    history = AccessRequest.history.filter(id__in=by_request)
    for column in ("scope", "decision_reason"):
        quotations_scrub(history, column, "id", by_request)
    erasure_requests = ErasureRequest.objects.filter(records__in=event.records)
    for column in ("description", "answer"):
        quotations_scrub(erasure_requests, column, "records", quotations)


def _media_files_remove(event: ContentRemoved) -> None:
    """The entries' media files: the rows go with the transaction, the stored files once it
    commits (a rolled-back removal keeps them, as it keeps the entry's content)."""
    rows = RecordMedia.objects.filter(record__in=event.records)
    names = [name for name in rows.values_list("file", flat=True) if name]
    rows.delete()

    def files_delete() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(files_delete)


def content_copies_remove(*, records: Sequence[Record], reason: str, actor: User) -> None:
    """Remove every copy of these entries' content, while the entries still hold it (the
    caller empties them next, in the same transaction); a holder that fails undoes it all."""
    if not records:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Content copies are removed in the transaction that removes content.")
    event = ContentRemoved(
        records=tuple(records),
        reason=reason,
        actor=actor,
        quotations=record_quotations(records, reason),
    )
    _register_quotations_remove(event)
    _media_files_remove(event)
    for holder in _holders:
        holder(event)
    # Free text anywhere that pastes the removed words, marked as a quotation or not.
    quotations_scrub_everywhere(records_content(records))
