"""Every read in moderation but the queue's rows (moderation.queue): items with their related
rows, one item with its context, and the monthly metrics."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, Model, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from channels_app.models import Channel
from moderation.detectors import WordEntry
from moderation.models import (
    Block,
    Decision,
    DetectorHit,
    Ground,
    Item,
    Note,
    PlatformAccount,
    Reconsideration,
    ReconsiderationRequest,
    ThreatTerm,
    Word,
)
from moderation.queue import QUEUE_ORDER
from moderation.threats import LexiconTerm
from records.access import ITEM_STATE_COLUMNS, ContentState, item_content_state
from records.quoting import GONE, secret_quotation, secret_quoted


def word_lists() -> list[WordEntry]:
    """The active entries of the banned and suspect word lists, read once for a batch of texts
    (one query)."""
    return [
        WordEntry(word_list, term, ground)
        for word_list, term, ground in Word.objects.filter(is_active=True).values_list(
            "list", "term", "ground__code"
        )
    ]


def threat_lexicon() -> frozenset[LexiconTerm]:
    """The active threat lexicon, read once for a batch of texts (one query)."""
    return frozenset(
        LexiconTerm(category, term)
        for category, term in ThreatTerm.objects.filter(is_active=True).values_list(
            "category", "term"
        )
    )


def item_list(*, filters: dict[str, Any] | None = None) -> QuerySet[Item]:
    """The queue in working order: highest priority first, then oldest first."""
    from moderation.filters import ItemFilterSet

    queryset = (
        Item.objects.select_related("channel", "author", "claimed_by", "record", "current_version")
        .prefetch_related(
            "suspected_grounds",
            Prefetch(
                "current_version__hits",
                queryset=DetectorHit.objects.select_related("ground"),
            ),
        )
        .order_by(*QUEUE_ORDER)
    )
    if filters:
        queryset = ItemFilterSet(filters, queryset).qs
    return queryset


def item_page() -> QuerySet[Item]:
    """Items as the moderators' page shows one: the channel, author, claimer and register
    entry joined, the suspected grounds; not the raw payload nor the current version (the
    page reads the version's hits by its id, ``hit_list``)."""
    return (
        Item.objects.select_related("channel", "author", "claimed_by", "record")
        .defer("raw_payload")
        .prefetch_related("suspected_grounds")
    )


def hit_list(*, version: int | None) -> list[DetectorHit]:
    """The detector hits on one version of an item, with their grounds (none without one)."""
    if version is None:
        return []
    return list(DetectorHit.objects.filter(version=version).select_related("ground"))


def item_get(*, pk: int) -> Item:
    return item_list().get(pk=pk)


def decision_list(*, except_record: int | None = None) -> QuerySet[Decision]:
    """What DecisionSerializer reads (item, author and channel are ids only; ``quotes_secret``:
    the rationale pastes words of a secret entry, see records.quoting); a page joins what it
    shows besides (every join adds to PostgreSQL's planning; figures in bench/NOTES.md)."""
    return (
        Decision.objects.select_related("moderator")
        .prefetch_related("grounds", "platform_actions")
        .annotate(quotes_secret=secret_quotation(Decision, except_record=except_record))
    )


def notes_tied(notes: QuerySet[Note], *, except_record: int | None = None) -> QuerySet[Note]:
    """Notes with what ties them to a secret entry besides their own item: the text pastes
    words of one (``quotes_secret``), or the note is about an author who wrote one
    (``about_secret_author``: a note about a person may quote anything they wrote).
    ``except_record``: an entry whose content the viewer was just shown (the logged step)."""
    secret_items = Item.objects.filter(
        author_id=OuterRef("author_id"), record__is_secret=True
    ).exclude(record__status__in=GONE)
    if except_record is not None:
        secret_items = secret_items.exclude(record_id=except_record)
    return notes.annotate(
        quotes_secret=secret_quotation(Note, except_record=except_record),
        about_secret_author=Exists(secret_items),
    )


def note_content_state(note: Note) -> ContentState:
    """The state of what a note may hold: its item's, else secret when it is tied to a secret
    entry (a note read without ``notes_tied`` is looked up)."""
    if note.item_id is not None:
        state = item_content_state(note.item)
        if state != ContentState.OPEN:
            return state
    if not hasattr(note, "quotes_secret"):
        note = notes_tied(Note.objects.filter(pk=note.pk)).get()
    if getattr(note, "quotes_secret", False) or getattr(note, "about_secret_author", False):
        return ContentState.SECRET
    return ContentState.OPEN


# What the item's page lists of the items beside it (the thread, the author's earlier items):
# plain rows, with the register's state the access policy reads.
CONTEXT_ITEM_COLUMNS = ("id", "platform_time", "text", "state", *ITEM_STATE_COLUMNS)


def item_context(*, item: Item, shown: bool = True) -> dict[str, Any]:
    """What a moderator needs beside the item: the thread and the author's earlier items (plain
    rows of CONTEXT_ITEM_COLUMNS), the decisions on them, notes, blocks, versions and the item's
    own decisions. ``shown``: the page shows the item's content; when it does not, the versions,
    the notes and the author's earlier items and notes are not read at all. The notes and
    rationales come without their ties to secret entries (``free_text_ties``)."""
    thread_id = item.thread_external_id or item.external_id
    thread = list(
        Item.objects.filter(channel=item.channel_id)
        .filter(
            Q(external_id=thread_id)
            | Q(thread_external_id=thread_id)
            | Q(external_id=item.parent_external_id or "-")
        )
        .order_by("platform_time", "pk")
        .values(*CONTEXT_ITEM_COLUMNS, author_name=F("author__name"))[:50]
    )
    earlier: list[dict[str, Any]] = []
    author_decisions: list[Decision] = []
    blocks: list[Block] = []
    if item.author_id:
        earlier = (
            []
            if not shown
            else list(
                Item.objects.filter(author=item.author_id)
                .exclude(pk=item.pk)
                .order_by("-platform_time")
                .values(*CONTEXT_ITEM_COLUMNS, channel_name=F("channel__name"))[:20]
            )
        )
        author_decisions = list(
            Decision.objects.filter(author=item.author_id)
            .exclude(item=item)
            .select_related("channel")
            .prefetch_related("grounds")[:20]
        )
        blocks = list(
            Block.objects.filter(author=item.author_id)
            .select_related("channel", "created_by", "lifted_by")
            .prefetch_related("grounds")
        )
    notes: list[Note] = []
    if shown:
        about = Q(item=item.pk) | Q(author=item.author_id) if item.author_id else Q(item=item.pk)
        notes = list(Note.objects.filter(about).select_related("created_by"))
    return {
        "thread": thread,
        "earlier_items": earlier,
        "author_decisions": author_decisions,
        "blocks": blocks,
        "decisions": list(
            Decision.objects.filter(item=item)
            .select_related("moderator", "reconsideration__moderator", "police_checklist")
            .prefetch_related(
                "grounds",
                "platform_actions",
                Prefetch(
                    "reconsideration_requests",
                    queryset=ReconsiderationRequest.objects.select_related("assigned_to"),
                ),
            )
        ),
        # A note is on an item or on an author (never both): one query for the two lists.
        "notes": [note for note in notes if note.item_id is not None],
        "author_notes": [note for note in notes if note.item_id is None],
        "versions": []
        if not shown
        else list(item.versions.order_by("platform_time", "pk").values("platform_time", "text")),
    }


@dataclass
class FreeTextTies:
    """Of the rows of a page: those whose free text quotes a secret entry (model name, id;
    ``records.quoting.secret_quoted``), and the authors who wrote a secret entry (a note about
    a person may quote anything they wrote)."""

    quoted: set[tuple[str, int]]
    secret_authors: set[int]

    def tied(self, row: Model) -> bool:
        return (row._meta.model_name, row.pk) in self.quoted


def free_text_ties(
    *, decisions: list[Decision], notes: list[Note], except_record: int | None = None
) -> FreeTextTies:
    """What ties the decisions (with their reconsiderations and requests for one) and the notes
    already read to a secret entry besides their own item, as ``decision_list`` and
    ``notes_tied`` annotate a queryset: at most two queries, none without rows.
    ``except_record``: an entry whose content the viewer was just shown (the logged step)."""
    reconsiderations = [d.reconsideration.pk for d in decisions if hasattr(d, "reconsideration")]
    asked = [r.pk for d in decisions for r in d.reconsideration_requests.all()]
    quoted = secret_quoted(
        {
            Decision: [d.pk for d in decisions],
            Reconsideration: reconsiderations,
            ReconsiderationRequest: asked,
            Note: [n.pk for n in notes],
        },
        except_record=except_record,
    )
    authors = {n.author_id for n in notes if n.author_id is not None}
    secret_authors: set[int] = set()
    if authors:
        secret_items = Item.objects.filter(author_id__in=authors, record__is_secret=True).exclude(
            record__status__in=GONE
        )
        if except_record is not None:
            secret_items = secret_items.exclude(record_id=except_record)
        secret_authors = set(secret_items.values_list("author_id", flat=True).distinct())
    return FreeTextTies(quoted=quoted, secret_authors=secret_authors)


def text_segments(text: str, hits: list[DetectorHit]) -> list[tuple[str, DetectorHit | None]]:
    """The text cut into plain parts and hit parts, for highlighting; overlapping hits merge
    into the first."""
    segments: list[tuple[str, DetectorHit | None]] = []
    position = 0
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if hit.start < position or hit.end > len(text):
            continue
        if hit.start > position:
            segments.append((text[position : hit.start], None))
        segments.append((text[hit.start : hit.end], hit))
        position = hit.end
    if position < len(text):
        segments.append((text[position:], None))
    return segments


def block_list() -> QuerySet[Block]:
    """``quotes_secret``: the rationale pastes words of a secret entry (records.quoting)."""
    blocks = Block.objects.annotate(quotes_secret=secret_quotation(Block))
    return blocks.select_related(
        "author",
        "channel",
        "created_by",
        "lifted_by",
        "decision__item__record",
        "lift_decision",
    ).prefetch_related("grounds")


def note_list() -> QuerySet[Note]:
    return notes_tied(Note.objects.select_related("created_by", "item__record", "author"))


def ground_list() -> QuerySet[Ground]:
    return Ground.objects.filter(is_active=True).select_related("parent")


def platform_account_list() -> QuerySet[PlatformAccount]:
    return PlatformAccount.objects.all()


# --- metrics ---------------------------------------------------------------------------------


def metrics_scope(params: Mapping[str, str]) -> tuple[int, Channel | None]:
    """The year (default: this year) and the channel (default: all) a metrics request asks for."""
    this_year = timezone.localdate().year
    try:
        year = int(params.get("year") or this_year)
    except ValueError:
        year = this_year
    if not 1970 <= year <= 9998:  # the months of the year must be representable dates
        year = this_year
    channel_id = params.get("channel") or ""
    # Anything but a channel's number (the fuzzer sent text) means every channel, not an error.
    number = int(channel_id) if channel_id.isdigit() and len(channel_id) < 19 else None
    channel = Channel.objects.filter(pk=number).first() if number else None
    return year, channel
