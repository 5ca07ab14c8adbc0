"""The queue's read model, whole: its working order, the one selector of its rows (plain rows of
the columns a reader needs, never model instances: 200 instances cost more than the query), the
two queries that give a page its grounds and hits, and the one builder that turns those rows
into what the moderators' page lists (``page_rows``, typed ``PageRow``s) and into the API's
JSON (``api_rows``).
Both builders decide what the viewer may see of a row in the same step (``_row_access``).

The contract: ``api_rows`` gives ItemSerializer's output key for key
(tests/moderation/test_api.py), and the page lists the same rows, in the same order, showing
or withholding the same text (tests/moderation/test_queue_read_model.py)."""

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict

from django.db.models import DateTimeField, F, QuerySet
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

# The API's keys for an item of the queue (ItemSerializer's fields), for its author
# (PlatformAccountSerializer's) and for a detector hit (DetectorHitSerializer's).
ITEM_FIELDS = (
    "id",
    "channel",
    "external_id",
    "kind",
    "parent",
    "thread_external_id",
    "author",
    "text",
    "content_withheld",
    "permalink",
    "platform_time",
    "received_at",
    "sha256",
    "platform_deleted",
    "platform_hidden",
    "state",
    "priority",
    "suspected_grounds",
    "hits",
    "due_at",
    "claimed_by",
    "claimed_until",
    "first_action_at",
    "hidden_at",
    "removed_at",
    "record",
    "content_access",
)
AUTHOR_FIELDS = ("id", "platform", "external_id", "name", "profile_url")
HIT_FIELDS = ("detector", "matched", "start", "end", "detail", "ground")

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

# The API's keys that are not a column of the item as it stands, the columns that are, and of
# those the moments (written in the request's time zone).
_API_BUILT = ("author", "suspected_grounds", "hits", "claimed_by", "record", "content_access")
_API_DIRECT = [name for name in ITEM_FIELDS if name not in _API_BUILT]
_API_MOMENTS = [
    name for name in _API_DIRECT if isinstance(Item._meta.get_field(name), DateTimeField)
]
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


def content_withhold(data: dict[str, Any], access: Access) -> dict[str, Any]:
    """An item's representation as the access policy lets the viewer see it: withheld, it
    keeps what a moderator needs to act (ids, times, state, grounds, detectors) and loses
    everything that carries the citizen's content or identity (text, raw payload, author,
    matched words, the notes and rationales that may quote it)."""
    data["content_access"] = access.value
    if access.shows_content:
        return data
    data["text"] = ""
    data["author"] = None
    data["hits"] = [{**hit, "matched": ""} for hit in data.get("hits", [])]
    if "raw_payload" in data:
        data["raw_payload"] = {}
    for decision in data.get("decisions", []):
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


def api_rows(
    rows: list[QueueRow], *, viewer: Viewer, access: Access | None = None
) -> list[dict[str, Any]]:
    """ItemSerializer's representation of a page of rows (of API_COLUMNS), built directly from
    the rows: the same JSON, key for key, without a model instance or a DRF field per value.
    The page's grounds and hits take two more queries. ``access`` is given after the logged
    "show content" step; otherwise the policy decides from each row."""
    related = item_queue_related(rows)
    # One field for the page, given the request's time zone: looked up per value, the zone
    # took most of the time.
    moment = serializers.DateTimeField(default_timezone=timezone.get_current_timezone())
    page = []
    for row in rows:
        data = {name: row[name] for name in _API_DIRECT}
        for name in _API_MOMENTS:
            data[name] = moment.to_representation(row[name])
        data["author"] = (
            {name: row[f"author__{name}"] for name in AUTHOR_FIELDS}
            if row["author__id"] is not None
            else None
        )
        data["suspected_grounds"] = related.grounds.get(row["id"], [])
        data["hits"] = [
            {**{name: hit[name] for name in HIT_FIELDS[:-1]}, "ground": hit["ground__code"]}
            for hit in related.hits.get(row["current_version"], [])
        ]
        data["claimed_by"] = row["claimed_by__name"]
        data["record"] = (
            record_label(row["record__number"], row["record__source_id"])
            if row["record"] is not None
            else None
        )
        data = content_withhold(data, access or _row_access(viewer, row))
        page.append({name: data[name] for name in ITEM_FIELDS})
    return page


def _excerpt(text: str) -> str:
    """The template's truncatechars:90 (which normalises the text first), without its cost
    for the many texts that are short enough."""
    if len(text) <= EXCERPT_LENGTH:
        return unicodedata.normalize("NFC", text)
    return Truncator(text).chars(EXCERPT_LENGTH)


def page_rows_html(rows: list[PageRow], *, can_decide: bool) -> SafeString:
    """The rows of ``page_rows`` as the page lists them (each value escaped here), written
    without the template engine: 200 rows through its loop were a quarter of the page's CPU
    (profile in bench/NOTES.md)."""
    priority = escape(_("priority"))
    due = escape(_("Due"))
    overdue = escape(_("overdue"))
    select = _("Select %(id)s")
    months = {number: escape(name) for number, name in MONTHS_3.items()}
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
        excerpt = escape(row["withheld"] or _excerpt(row["text"]))
        moment = localtime(row["due_at"])  # as the date filter's "j b H:i"
        due_class, when = "mq-due", f"{moment.day} {months[moment.month]} {moment:%H:%M}"
        if row["overdue"]:
            due_class, when = "mq-due mq-overdue", f"{when} ({overdue})"
        out.append(
            f'\n    <li class="{row_class}">\n      {checkbox}\n      <a {link}>\n'
            f'        <span class="mq-meta">{meta}</span>\n'
            f'        <span class="mq-excerpt" dir="auto">{excerpt}</span>\n'
            f'        <span class="{due_class}">{due} {when}</span>\n      </a>\n    </li>'
        )
    return mark_safe("".join(out) + "\n  ")  # noqa: S308 - every value is escaped above
