"""Moderation's copies of a register entry's content follow the entry: when disposal or the
erasure of unlawful content empties an entry, its items are emptied in the same transaction
(text, raw payload, versions, what detectors quoted, notes' quotations) and, on disposal, the
platform link and the author's data held only for those items. Registered with the register in
``ModerationConfig.ready()`` (records cannot import moderation)."""

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from functools import partial

from django.db.models import Exists, OuterRef, QuerySet

from moderation.models import (
    Block,
    Decision,
    DetectorHit,
    Item,
    ItemVersion,
    Note,
    PlatformAccount,
    PlatformAction,
    Reconsideration,
    ReconsiderationRequest,
)
from records.choices import ContentRemoval
from records.lifecycle import ContentRemoved, Quotations, quotations_scrub
from records.quoting import free_text_register, quotations_scrub_everywhere
from records.services.common import guard_session


def items_content_erase(
    item_ids: Collection[int],
    *,
    authors: bool,
    quotations: Mapping[int, Quotations] | None = None,
) -> None:
    """Empty the content of these items wherever moderation holds it: the item's text and raw
    payload, every version, what detectors matched, and what free text about the items or
    their authors quotes of them (notes, decisions' and reconsiderations' rationales, blocks
    and their history, the authors' requests for reconsideration: documents of their own,
    kept without the quotation). ``quotations`` adds what the register removes of each item
    (by item id). With ``authors`` (disposal) also the platform links, and the name, profile
    address and platform id of every author who is held for these items only (no other item;
    a blocked author keeps the platform id the block needs)."""
    if not item_ids:
        return
    items = list(Item.objects.filter(pk__in=item_ids).values_list("pk", "text", "author_id"))
    versions = ItemVersion.objects.filter(item_id__in=item_ids)
    hits = DetectorHit.objects.filter(version__item_id__in=item_ids)
    texts = _texts_held(items, versions, hits, quotations or {})
    # Words of the items pasted anywhere else, marked as a quotation or not.
    # (Their text and versions: not a detector's single word, nor names.)
    quotations_scrub_everywhere(
        [text for _pk, text, _author in items] + list(versions.values_list("text", flat=True))
    )
    author_of = {pk: author for pk, _text, author in items if author is not None}
    released = _authors_held_only_for(set(author_of.values()), item_ids) if authors else {}
    for account in PlatformAccount.objects.filter(pk__in=released):
        for pk, author in author_of.items():
            if author == account.pk:
                texts[pk] += [account.name, account.profile_url]
    by_item = {pk: Quotations.of(values) for pk, values in texts.items()}
    by_author: dict[int, list[str]] = defaultdict(list)
    for pk, author in author_of.items():
        by_author[author] += texts.get(pk, [])
    _quotations_remove(item_ids, by_item, {a: Quotations.of(t) for a, t in by_author.items()})
    emptied: dict[str, object] = {"text": "", "raw_payload": {}, "content_withheld": True}
    if authors:
        emptied["permalink"] = ""
        # The link the author gave points at the disposed comment; the request stays.
        ReconsiderationRequest.objects.filter(decision__item_id__in=item_ids).update(permalink="")
    Item.objects.filter(pk__in=item_ids).update(**emptied)
    versions.update(text="", raw_payload={})
    hits.update(matched="")
    accounts = list(PlatformAccount.objects.filter(pk__in=released))
    for account in accounts:
        account.name, account.profile_url = "", ""
        if not released[account.pk]:
            account.external_id = f"erased-{account.pk}"
    PlatformAccount.objects.bulk_update(accounts, ["name", "profile_url", "external_id"])


def _texts_held(
    items: Sequence[tuple[int, str, int | None]],
    versions: QuerySet[ItemVersion],
    hits: QuerySet[DetectorHit],
    quotations: Mapping[int, Quotations],
) -> dict[int, list[str]]:
    """Every text moderation holds of each item (by item id): its text, each version, what the
    detectors matched, and what the register removes of it."""
    texts: dict[int, list[str]] = defaultdict(list)
    for pk, text, _author in items:
        texts[pk].append(text)
    for pk, text in versions.values_list("item_id", "text"):
        texts[pk].append(text)
    for pk, matched in hits.values_list("version__item_id", "matched"):
        texts[pk].append(matched)
    for pk, quoted in quotations.items():
        texts[pk] += quoted.texts
    return texts


def _quotations_remove(
    item_ids: Collection[int],
    by_item: Mapping[int, Quotations],
    by_author: Mapping[int, Quotations],
) -> None:
    """Free text that may quote the items: what it quotes goes, the text stays."""
    quotations_scrub(Note.objects.filter(item_id__in=item_ids), "text", "item_id", by_item)
    quotations_scrub(Note.objects.filter(author_id__in=by_author), "text", "author_id", by_author)
    decisions = Decision.objects.filter(item_id__in=item_ids)
    on_decision = "decision__item_id"
    # Decisions and reconsiderations are append-only: the database lets this change only
    # their rationale (migration 0015).
    with guard_session("moderation.quotations"):
        quotations_scrub(decisions, "rationale", "item_id", by_item)
        answers = Reconsideration.objects.filter(decision__item_id__in=item_ids)
        quotations_scrub(answers, "rationale", on_decision, by_item)
    for model, column in ((ReconsiderationRequest, "reason"), (Block, "rationale")):
        rows = model.objects.filter(decision__item_id__in=item_ids)
        quotations_scrub(rows, column, on_decision, by_item)
    item_of = dict(decisions.values_list("pk", "item_id"))
    by_decision = {pk: by_item[item] for pk, item in item_of.items() if item in by_item}
    history = Block.history.filter(decision_id__in=by_decision)
    quotations_scrub(history, "rationale", "decision_id", by_decision)


def _authors_held_only_for(authors: set[int], item_ids: Collection[int]) -> dict[int, bool]:
    """The authors with no item besides these, each with whether a block names them (the
    block, and lifting the ban on the platform, need their platform id: it is kept)."""
    if not authors:
        return {}
    other_items = Item.objects.filter(author_id=OuterRef("pk")).exclude(pk__in=item_ids)
    blocks = Block.objects.filter(author_id=OuterRef("pk"))
    return dict(
        PlatformAccount.objects.filter(pk__in=authors)
        .exclude(Exists(other_items))
        .annotate(blocked=Exists(blocks))
        .values_list("pk", "blocked")
    )


def item_copies_remove(event: ContentRemoved) -> None:
    """The register removes the content of these entries: remove moderation's copies."""
    record_of = dict(
        Item.objects.filter(record_id__in=[record.pk for record in event.records]).values_list(
            "pk", "record_id"
        )
    )
    items_content_erase(
        list(record_of),
        authors=event.reason == ContentRemoval.DISPOSAL,
        quotations={pk: event.quotations[record] for pk, record in record_of.items()},
    )


def free_texts_register() -> None:
    """Moderation's free text that may paste a comment's words (records.quoting): recognised
    when the comment's entry is marked secret, and scrubbed when its content is removed."""
    free_text_register(Note, "text")
    free_text_register(Block, "rationale")
    free_text_register(Block.history.model, "rationale", history=True)
    free_text_register(ReconsiderationRequest, "reason")
    free_text_register(PlatformAction, "text")
    # Decisions and reconsiderations are append-only: the database lets the scrub change
    # only their rationale (migration 0015).
    session = partial(guard_session, "moderation.quotations")
    free_text_register(Decision, "rationale", session=session)
    free_text_register(Reconsideration, "rationale", session=session)
