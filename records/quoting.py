"""Free text that copies a register entry's content without saying so: a note, a rationale, a
reason or a reply that pastes the words of a citizen's comment, with or without quotation
marks. An app that keeps such free text registers its columns here (``AppConfig.ready()``);
the register then recognises the copies itself:

- when an entry is marked secret, and whenever a registered row is saved while some entry is
  secret, a row whose text quotes the entry is tied to it (``Quotation``); read paths withhold
  the text of a row tied to a secret entry as they withhold the entry's content
  (``secret_quotation``);
- when an entry's content is disposed of or erased, the quoted words go from every registered
  column, history tables included (``quotations_scrub_everywhere``).

What counts as a quotation (SECURITY.md, "Quotations"): the texts are compared as words
(letters and digits; case, punctuation and spacing ignored). A run of at least ``MIN_WORDS``
consecutive words of the content is a quotation; so is a content shorter than that, quoted
whole, when it has at least ``MIN_WHOLE_CHARS`` characters. A shorter phrase in common
("skolans matsal") is not: it would withhold ordinary notes."""

import re
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_save
from django.utils.translation import gettext as _

from records.choices import RecordStatus
from records.models import Quotation, Record, RecordAmendment

MIN_WORDS = 8
MIN_WHOLE_CHARS = 20
WORD = re.compile(r"\w+")
GONE = (RecordStatus.DISPOSED, RecordStatus.ERASED)

Run = tuple[str, ...]


def _words(text: str) -> list[re.Match[str]]:
    return list(WORD.finditer(text or ""))


def content_runs(texts: Iterable[str]) -> frozenset[Run]:
    """Every run of words of the content that counts as a quotation of it."""
    runs: set[Run] = set()
    for text in texts:
        words = [match.group().casefold() for match in _words(text)]
        if len(words) >= MIN_WORDS:
            runs.update(tuple(words[i : i + MIN_WORDS]) for i in range(len(words) - MIN_WORDS + 1))
        elif words and len(" ".join(words)) >= MIN_WHOLE_CHARS:
            runs.add(tuple(words))
    return frozenset(runs)


def quoted_spans(text: str, runs: frozenset[Run]) -> list[tuple[int, int]]:
    """Where ``text`` quotes the content (character spans, merged)."""
    words = _words(text)
    folded = [match.group().casefold() for match in words]
    spans: list[tuple[int, int]] = []
    for size in sorted({len(run) for run in runs}):
        for i in range(len(words) - size + 1):
            if tuple(folded[i : i + size]) in runs:
                spans.append((words[i].start(), words[i + size - 1].end()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def quotations_erase(text: str, runs: frozenset[Run]) -> str:
    """``text`` with what it quotes of the content replaced by a marker."""
    for start, end in reversed(quoted_spans(text, runs)):
        text = f"{text[:start]}{_('[erased]')}{text[end:]}"
    return text


def _anchors(texts: Iterable[str]) -> set[str]:
    """Words of which every quotation holds at least one, to find candidate rows in the
    database: every eighth word (a run of eight holds exactly one), and for a short content
    its longest word. The word as written, in lower and in upper case (SQLite's LIKE folds
    ASCII letters only)."""
    anchors: set[str] = set()
    for text in texts:
        words = [match.group() for match in _words(text)]
        if len(words) >= MIN_WORDS:
            picked = words[MIN_WORDS - 1 :: MIN_WORDS]
        else:
            picked = [max(words, key=len)] if words else []
        anchors.update(word for pick in picked for word in (pick, pick.casefold(), pick.upper()))
    return anchors


# --- the free text apps register -------------------------------------------------------------


@dataclass(frozen=True)
class FreeText:
    """Columns of free text in ``model``; ``session`` is what a change of them needs (an
    append-only table's guard); ``history`` marks a history table (scrubbed, not tied)."""

    model: type[models.Model]
    columns: tuple[str, ...]
    session: Callable[[], AbstractContextManager[Any]] = nullcontext
    history: bool = False

    def candidates(self, anchors: set[str]) -> models.QuerySet[Any]:
        if not anchors:
            return self.model._default_manager.none()
        match = reduce(
            or_,
            (Q(**{f"{column}__icontains": word}) for column in self.columns for word in anchors),
        )
        return self.model._default_manager.filter(match)


_free_texts: list[FreeText] = []


def free_text_register(
    model: type[models.Model],
    *columns: str,
    session: Callable[[], AbstractContextManager[Any]] = nullcontext,
    history: bool = False,
) -> None:
    """Have the register recognise quotations in these columns (once per model)."""
    if any(free.model is model for free in _free_texts):
        return
    _free_texts.append(FreeText(model, columns, session, history))
    if not history:
        post_save.connect(_row_saved, sender=model, dispatch_uid=f"quoting-{model._meta.label}")


def free_texts() -> tuple[FreeText, ...]:
    return tuple(_free_texts)


# --- secrecy: tying quoting rows to secret entries --------------------------------------------


def _content_texts(records: models.QuerySet[Record]) -> dict[int, list[str]]:
    """The words each entry holds of a citizen's content: its text and its amendments'."""
    texts: dict[int, list[str]] = {pk: [text] for pk, text in records.values_list("pk", "text")}
    amendments = RecordAmendment.objects.filter(record__in=records.values("pk"))
    for pk, text in amendments.values_list("record_id", "text"):
        texts[pk].append(text)
    return texts


def _ties(free: FreeText, row: Mapping[str, Any], runs: Mapping[int, frozenset[Run]]) -> set[int]:
    found = set()
    for record, record_runs in runs.items():
        if any(quoted_spans(row[column] or "", record_runs) for column in free.columns):
            found.add(record)
    return found


def _tie(free: FreeText, ties: Iterable[tuple[int, int]]) -> None:
    content_type = ContentType.objects.get_for_model(free.model)
    Quotation.objects.bulk_create(
        [Quotation(record_id=r, content_type=content_type, object_id=pk) for pk, r in ties],
        ignore_conflicts=True,
    )


def quotations_find(records: Iterable[Record]) -> None:
    """Tie every registered row that quotes these entries to them (when they are marked
    secret)."""
    texts = _content_texts(Record.objects.filter(pk__in=[record.pk for record in records]))
    runs = {pk: content_runs(values) for pk, values in texts.items()}
    anchors = _anchors(text for values in texts.values() for text in values)
    for free in _free_texts:
        if free.history:
            continue
        rows = free.candidates(anchors).values("pk", *free.columns)
        _tie(free, [(row["pk"], record) for row in rows for record in _ties(free, row, runs)])


def _row_saved(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """A registered row was written: tie it to the secret entries it quotes."""
    free = next(free for free in _free_texts if free.model is sender)
    secret = Record.objects.filter(is_secret=True).exclude(status__in=GONE)
    row = {column: getattr(instance, column) for column in free.columns}
    if not any(row.values()) or not secret.exists():
        return
    runs = {pk: content_runs(values) for pk, values in _content_texts(secret).items()}
    _tie(free, [(instance.pk, record) for record in _ties(free, row, runs)])


def secret_quotation(
    model: type[models.Model], *, outer: str = "pk", except_record: int | None = None
) -> Exists:
    """For a queryset of ``model``: whether the row's free text quotes an entry that is now
    secret (``except_record``: one whose content the viewer was just shown)."""
    opts = model._meta
    ties = Quotation.objects.filter(
        content_type__app_label=opts.app_label,
        content_type__model=opts.model_name,
        object_id=OuterRef(outer),
        record__is_secret=True,
    ).exclude(record__status__in=GONE)
    if except_record is not None:
        ties = ties.exclude(record_id=except_record)
    return Exists(ties)


def secret_quoted(
    rows: Mapping[type[models.Model], Iterable[int]], *, except_record: int | None = None
) -> set[tuple[str, int]]:
    """``secret_quotation`` for rows already read (ids by model): the (model name, id) of those
    whose free text quotes an entry that is now secret, in one query for all of them (none
    when there are no rows)."""
    ties = [
        Q(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
            object_id__in=ids,
        )
        for model, ids in ((model, list(ids)) for model, ids in rows.items())
        if ids
    ]
    if not ties:
        return set()
    quotations = Quotation.objects.filter(reduce(or_, ties), record__is_secret=True).exclude(
        record__status__in=GONE
    )
    if except_record is not None:
        quotations = quotations.exclude(record_id=except_record)
    return set(quotations.values_list("content_type__model", "object_id"))


# --- disposal and erasure: the quoted words go everywhere --------------------------------------


def records_content(records: Iterable[Record]) -> list[str]:
    """The citizen's words these entries hold (text and amendments; not names or subjects,
    which another person may bear, nor the public subject, which the tombstone keeps)."""
    held = _content_texts(Record.objects.filter(pk__in=[record.pk for record in records]))
    return [text for values in held.values() for text in values]


def quotations_scrub_everywhere(texts: Iterable[str]) -> None:
    """Take every quotation of ``texts`` (content being disposed of or erased) out of every
    registered column, history tables included; the rest of each text stays."""
    texts = [text for text in texts if text]
    runs = content_runs(texts)
    if not runs:
        return
    anchors = _anchors(texts)
    for free in _free_texts:
        changed: dict[int, dict[str, str]] = {}
        for row in free.candidates(anchors).values("pk", *free.columns):
            for column in free.columns:
                scrubbed = quotations_erase(row[column] or "", runs)
                if scrubbed != (row[column] or ""):
                    changed.setdefault(row["pk"], {})[column] = scrubbed
        with free.session():
            for pk, values in changed.items():
                free.model._default_manager.filter(pk=pk).update(**values)
