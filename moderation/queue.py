"""The queue's read model, whole: its working order, the one selector of its rows (plain rows of
the columns a reader needs, never model instances: building those cost more than the query,
bench/NOTES.md), the two queries that give a page its grounds and hits, and the one builder
that turns those rows into what the moderators' page lists (``page_rows``, typed ``PageRow``s)
and into the API's JSON (``api_rows``, typed ``ApiRow``s).
Both builders decide what the viewer may see of a row in the same step (``_row_access``).

The contract: ``api_rows`` gives ItemSerializer's output key for key
(tests/moderation/test_api.py), and the page lists the same rows, in the same order, showing
or withholding the same text (tests/moderation/test_queue_read_model.py)."""

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict, TypeVar

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts.models import User
from moderation.choices import ItemKind, ItemState
from moderation.models import DetectorHit, Item
from moderation.models.items import QUEUE_ORDER as QUEUE_ORDER
from records.access import (
    ITEM_STATE_COLUMNS,
    Access,
    Viewer,
    content_access,
    row_content_state,
)
from records.models import record_label

# A row as the selector gives it: a column name (or named expression) to its value.
QueueRow = dict[str, Any]

# How many rows the moderators' page lists beside the item.
QUEUE_LENGTH = 200


class ApiAuthor(TypedDict):
    """An item's author as the API writes it (PlatformAccountSerializer's fields)."""

    id: int
    platform: str
    external_id: str
    name: str
    profile_url: str


class ApiHit(TypedDict):
    """A detector hit as the API writes it (DetectorHitSerializer's fields)."""

    detector: str
    matched: str
    start: int
    end: int
    detail: str
    ground: str | None


class ApiRow(TypedDict):
    """An item of the queue as the API writes it (ItemSerializer's fields, in its order); the
    moments are ISO 8601 text in the request's time zone."""

    id: int
    channel: int
    external_id: str
    kind: str
    parent: int | None
    thread_external_id: str
    author: ApiAuthor | None
    text: str
    content_withheld: bool
    permalink: str
    platform_time: str
    received_at: str
    sha256: str
    platform_deleted: bool
    platform_hidden: bool
    state: str
    priority: int
    suspected_grounds: list[str]
    hits: list[ApiHit]
    due_at: str
    claimed_by: str | None
    claimed_until: str | None
    first_action_at: str | None
    hidden_at: str | None
    removed_at: str | None
    record: str | None
    content_access: str


class ApiDetailRow(ApiRow):
    """An item as the API's detail writes it (ItemDetailSerializer's fields)."""

    raw_payload: dict[str, Any]
    decisions: list[dict[str, Any]]


# An item as the API writes it, in the list or the detail.
_Row = TypeVar("_Row", ApiRow, ApiDetailRow)

# The API's keys for an item of the queue, for its author and for a detector hit.
ITEM_FIELDS = tuple(ApiRow.__annotations__)
AUTHOR_FIELDS = tuple(ApiAuthor.__annotations__)
HIT_FIELDS = tuple(ApiHit.__annotations__)

# What a row on the moderators' page shows (no author, grounds or hits; of the register entry
# only the state the access policy reads).
PAGE_COLUMNS = (
    "id",
    "external_id",
    "kind",
    "state",
    "priority",
    "text",
    "due_at",
    *ITEM_STATE_COLUMNS,
)
PAGE_NAMED = {"channel_name": F("channel__name")}
EXCERPT_LENGTH = 90

# The API's keys that are not a column of the item as it stands, and the columns that are.
_API_BUILT = ("author", "suspected_grounds", "hits", "claimed_by", "record", "content_access")
_API_DIRECT = [name for name in ITEM_FIELDS if name not in _API_BUILT]
# What a row of the API's list reads: no raw payload, no register snapshot.
API_COLUMNS = (
    *_API_DIRECT,
    *(f"author__{name}" for name in AUTHOR_FIELDS),
    "claimed_by__name",
    "record",
    "record__number",
    "record__source_id",
    *ITEM_STATE_COLUMNS[1:],
    "current_version",
)


def item_queue(*, columns: Iterable[str], **named: Any) -> QuerySet[Item, QueueRow]:
    """The queue in working order as plain rows of ``columns`` and ``named`` expressions (one
    query; filters apply to it); a page's grounds and hits come from ``item_queue_related``."""
    return Item.objects.order_by(*QUEUE_ORDER).values(*columns, **named)


@dataclass
class QueueRelated:
    """Suspected ground codes by item id and detector hits by version id, for one page."""

    grounds: dict[int, list[str]]
    hits: dict[int, list[Any]]


def item_queue_related(rows: list[QueueRow]) -> QueueRelated:
    """Two queries for a page of queue rows, however many rows it has."""
    grounds: dict[int, list[str]] = defaultdict(list)
    hits: dict[int, list[Any]] = defaultdict(list)
    item_ids = [row["id"] for row in rows]
    version_ids = [row["current_version"] for row in rows if row["current_version"]]
    if item_ids:
        through = Item.suspected_grounds.through.objects.filter(item_id__in=item_ids)
        for item_id, code in through.order_by("ground__order", "ground__code").values_list(
            "item_id", "ground__code"
        ):
            grounds[item_id].append(code)
    if version_ids:
        for hit in (
            DetectorHit.objects.filter(version_id__in=version_ids)
            .order_by("version_id", "start", "pk")
            .values("version_id", *HIT_FIELDS[:-1], "ground__code")
        ):
            hits[hit["version_id"]].append(hit)
    return QueueRelated(grounds=grounds, hits=hits)


def _row_access(viewer: Viewer, row: Mapping[str, Any]) -> Access:
    """What the access policy lets ``viewer`` see of a row, from the row's own register
    columns (no query per row): the one step both builders take."""
    return content_access(viewer, row_content_state(row))


def content_withhold(data: _Row, access: Access) -> _Row:
    """An item's representation as the access policy lets the viewer see it: withheld, it
    keeps what a moderator needs to act (ids, times, state, grounds, detectors) and loses
    everything that carries the citizen's content or identity (text, author, matched words;
    for the detail, ``detail_withhold``)."""
    data["content_access"] = access.value
    if access.shows_content:
        return data
    data["text"] = ""
    data["author"] = None
    data["hits"] = [{**hit, "matched": ""} for hit in data["hits"]]
    return data


def detail_withhold(data: ApiDetailRow, access: Access) -> ApiDetailRow:
    """The detail as the access policy lets the viewer see it: ``content_withhold``, and
    withheld, no raw payload and no notes or rationales (they may quote the content)."""
    data = content_withhold(data, access)
    if access.shows_content:
        return data
    data["raw_payload"] = {}
    for decision in data["decisions"]:
        decision["rationale"] = ""
    return data


class PageRow(TypedDict):
    """A row of the moderators' page, with what the template shows worked out."""

    id: int
    external_id: str
    channel_name: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    priority: int
    text: str
    withheld: str
    due_at: datetime
    overdue: bool
    url: str
    current: bool


def page_rows(
    rows: list[QueueRow], *, current_id: int | None, query: str, now: datetime, viewer: User
) -> list[PageRow]:
    """The rows beside the item (of PAGE_COLUMNS and PAGE_NAMED) as the page lists them:
    labels, link, flags, and the text as the access policy lets the viewer see it."""
    kinds = {str(value): str(label) for value, label in ItemKind.choices}
    states = {str(value): str(label) for value, label in ItemState.choices}
    withheld = _("(content withheld)")
    # The item's page is the queue's address and the item's id ("queue/<int:pk>/").
    queue_url = reverse("admin:moderation_queue")
    page = []
    for row in rows:
        shown = _row_access(viewer, row).shows_content
        kind: str = row["kind"]
        state: str = row["state"]
        page.append(
            PageRow(
                id=row["id"],
                external_id=row["external_id"],
                channel_name=row["channel_name"],
                kind=kind,
                kind_label=kinds.get(kind, kind),
                state=state,
                state_label=states.get(state, state),
                priority=row["priority"],
                text=row["text"] if shown else "",
                withheld="" if shown else withheld,
                due_at=row["due_at"],
                overdue=row["due_at"] < now,
                url=f"{queue_url}{row['id']}/?{query}",
                current=row["id"] == current_id,
            )
        )
    return page


def api_rows(rows: list[QueueRow], *, viewer: Viewer, access: Access | None = None) -> list[ApiRow]:
    """ItemSerializer's representation of a page of rows (of API_COLUMNS), built directly from
    the rows: the same JSON, key for key, without a model instance or a DRF field per value.
    The page's grounds and hits take two more queries. ``access`` is given after the logged
    "show content" step; otherwise the policy decides from each row."""
    related = item_queue_related(rows)
    # One field for the page, given the request's time zone: looked up per value, the zone
    # took most of the time.
    moment = serializers.DateTimeField(
        default_timezone=timezone.get_current_timezone()
    ).to_representation
    page = []
    for row in rows:
        author = (
            ApiAuthor(
                id=row["author__id"],
                platform=row["author__platform"],
                external_id=row["author__external_id"],
                name=row["author__name"],
                profile_url=row["author__profile_url"],
            )
            if row["author__id"] is not None
            else None
        )
        hits = [
            ApiHit(
                detector=hit["detector"],
                matched=hit["matched"],
                start=hit["start"],
                end=hit["end"],
                detail=hit["detail"],
                ground=hit["ground__code"],
            )
            for hit in related.hits.get(row["current_version"], [])
        ]
        record = (
            record_label(row["record__number"], row["record__source_id"])
            if row["record"] is not None
            else None
        )
        data = ApiRow(
            id=row["id"],
            channel=row["channel"],
            external_id=row["external_id"],
            kind=row["kind"],
            parent=row["parent"],
            thread_external_id=row["thread_external_id"],
            author=author,
            text=row["text"],
            content_withheld=row["content_withheld"],
            permalink=row["permalink"],
            platform_time=moment(row["platform_time"]),
            received_at=moment(row["received_at"]),
            sha256=row["sha256"],
            platform_deleted=row["platform_deleted"],
            platform_hidden=row["platform_hidden"],
            state=row["state"],
            priority=row["priority"],
            suspected_grounds=related.grounds.get(row["id"], []),
            hits=hits,
            due_at=moment(row["due_at"]),
            claimed_by=row["claimed_by__name"],
            claimed_until=moment(row["claimed_until"]),
            first_action_at=moment(row["first_action_at"]),
            hidden_at=moment(row["hidden_at"]),
            removed_at=moment(row["removed_at"]),
            record=record,
            content_access="",
        )
        page.append(content_withhold(data, access or _row_access(viewer, row)))
    return page


def short_time(value: datetime, time_format: str = "%H:%M") -> str:
    """``value`` as the date filter's "j b" and ``time_format``, in the current time zone and
    language, without the filter's cost."""
    moment = localtime(value)
    return f"{moment.day} {MONTHS_3[moment.month]} {moment:{time_format}}"


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The template's truncatechars (which normalises the text first), without its cost for
    the many texts that are short enough."""
    if len(text) <= length:
        return unicodedata.normalize("NFC", text)
    return Truncator(text).chars(length)


def page_rows_html(rows: list[PageRow], *, can_decide: bool) -> SafeString:
    """The rows of ``page_rows`` as the page lists them (each value escaped here), written
    without the template engine, whose loop over the rows was much of the page's CPU (the
    profile is in bench/NOTES.md)."""
    priority = escape(_("priority"))
    due = escape(_("Due"))
    overdue = escape(_("overdue"))
    select = _("Select %(id)s")
    out = []
    for row in rows:
        checkbox = ""
        if can_decide:
            label = select % {"id": escape(row["external_id"])}
            checkbox = (
                f'<input type="checkbox" name="items" value="{row["id"]}" form="mq-bulk" '
                f'id="bulk-{row["id"]}" aria-label="{label}">'
            )
        row_class, link = "mq-row", f'href="{escape(row["url"])}"'
        if row["current"]:
            row_class, link = "mq-row mq-current", link + ' aria-current="true"'
        meta = (
            f"{escape(row['channel_name'])} · {escape(row['kind_label'])} · "
            f'<span class="mq-state mq-state-{escape(row["state"])}">'
            f"{escape(row['state_label'])}</span>"
        )
        if row["priority"]:
            meta += f" · {priority} {row['priority']}"
        shown = escape(row["withheld"] or excerpt(row["text"]))
        due_class, when = "mq-due", str(escape(short_time(row["due_at"])))
        if row["overdue"]:
            due_class, when = "mq-due mq-overdue", f"{when} ({overdue})"
        out.append(
            f'\n    <li class="{row_class}">\n      {checkbox}\n      <a {link}>\n'
            f'        <span class="mq-meta">{meta}</span>\n'
            f'        <span class="mq-excerpt" dir="auto">{shown}</span>\n'
            f'        <span class="{due_class}">{due} {when}</span>\n      </a>\n    </li>'
        )
    return mark_safe("".join(out) + "\n  ")  # noqa: S308 - every value is escaped above
