"""Moderation's copies of a register entry's content follow the entry: when disposal or the
erasure of unlawful content empties an entry, its items are emptied in the same transaction
(text, raw payload, versions, what detectors quoted, notes' quotations) and, on disposal, the
platform link and the author's data held only for those items. Registered with the register in
``ModerationConfig.ready()`` (records cannot import moderation)."""

from collections import defaultdict
from collections.abc import Collection, Iterable

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from moderation.models import Block, DetectorHit, Item, ItemVersion, Note, PlatformAccount
from records.choices import ContentRemoval
from records.lifecycle import ContentRemoved

# Shorter fragments would replace ordinary words in the notes.
MIN_QUOTED_LENGTH = 3


def _fragments(texts: Iterable[str]) -> list[str]:
    """What a note may quote of these texts: each whole, and each of its lines; longest first."""
    quoted = {line.strip() for text in texts for line in [text, *text.splitlines()]}
    return sorted((q for q in quoted if len(q) >= MIN_QUOTED_LENGTH), key=len, reverse=True)


def _notes_scrub(notes: Iterable[Note], fragments: dict[int, list[str]], key: str) -> None:
    """Replace in each note what it quotes of the content its ``key`` (item or author) held."""
    changed = []
    for note in notes:
        scrubbed = note.text
        for fragment in fragments.get(getattr(note, key), []):
            scrubbed = scrubbed.replace(fragment, _("[erased]"))
        if scrubbed != note.text:
            note.text = scrubbed
            changed.append(note)
    Note.objects.bulk_update(changed, ["text"])


def items_content_erase(item_ids: Collection[int], *, authors: bool) -> None:
    """Empty the content of these items wherever moderation holds it: the item's text and raw
    payload, every version, what detectors matched, and what notes on the items or on their
    authors quote of them. With ``authors`` (disposal) also the platform link, and the name,
    profile address and platform id of every author who is held for these items only (no other
    item, no block)."""
    if not item_ids:
        return
    items = list(Item.objects.filter(pk__in=item_ids).values_list("pk", "text", "author_id"))
    versions = ItemVersion.objects.filter(item_id__in=item_ids)
    hits = DetectorHit.objects.filter(version__item_id__in=item_ids)
    texts: dict[int, list[str]] = defaultdict(list)
    for pk, text, _author in items:
        texts[pk].append(text)
    for pk, text in versions.values_list("item_id", "text"):
        texts[pk].append(text)
    for pk, matched in hits.values_list("version__item_id", "matched"):
        texts[pk].append(matched)
    author_of = {pk: author for pk, _text, author in items if author is not None}
    released = _authors_held_only_for(set(author_of.values()), item_ids) if authors else set()
    for account in PlatformAccount.objects.filter(pk__in=released):
        for pk, author in author_of.items():
            if author == account.pk:
                texts[pk] += [account.name, account.profile_url]
    fragments = {pk: _fragments(values) for pk, values in texts.items()}
    _notes_scrub(Note.objects.filter(item_id__in=item_ids), fragments, "item_id")
    by_author: dict[int, list[str]] = defaultdict(list)
    for pk, author in author_of.items():
        by_author[author] += fragments.get(pk, [])
    by_author = {author: sorted(set(f), key=len, reverse=True) for author, f in by_author.items()}
    _notes_scrub(Note.objects.filter(author_id__in=by_author), by_author, "author_id")
    emptied: dict[str, object] = {"text": "", "raw_payload": {}, "content_withheld": True}
    if authors:
        emptied["permalink"] = ""
    Item.objects.filter(pk__in=item_ids).update(**emptied)
    versions.update(text="", raw_payload={})
    hits.update(matched="")
    accounts = list(PlatformAccount.objects.filter(pk__in=released))
    for account in accounts:
        account.name, account.profile_url = "", ""
        account.external_id = f"erased-{account.pk}"
    PlatformAccount.objects.bulk_update(accounts, ["name", "profile_url", "external_id"])


def _authors_held_only_for(authors: set[int], item_ids: Collection[int]) -> set[int]:
    """The authors with no item besides these and no block (a block needs their platform id)."""
    if not authors:
        return set()
    other_items = Item.objects.filter(author_id=OuterRef("pk")).exclude(pk__in=item_ids)
    blocks = Block.objects.filter(author_id=OuterRef("pk"))
    return set(
        PlatformAccount.objects.filter(pk__in=authors)
        .exclude(Exists(other_items))
        .exclude(Exists(blocks))
        .values_list("pk", flat=True)
    )


def item_copies_remove(event: ContentRemoved) -> None:
    """The register removed the content of these entries: remove moderation's copies."""
    item_ids = list(
        Item.objects.filter(record_id__in=[record.pk for record in event.records]).values_list(
            "pk", flat=True
        )
    )
    items_content_erase(item_ids, authors=event.reason == ContentRemoval.DISPOSAL)
