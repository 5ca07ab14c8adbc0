"""The queue's read model: its working order, the one selector of its rows (plain rows of the
columns a reader needs, never model instances), the two queries that give a page its grounds and
hits, and the rows as the moderators' page shows them. The API's JSON is built from the same
rows (moderation.api.serializers.queue_representation) and is held to ItemSerializer's output by
tests/moderation/test_api.py."""

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from accounts.models import User
from moderation.choices import ItemKind, ItemState
from moderation.models import DetectorHit, Item
from records.access import ITEM_STATE_COLUMNS, content_access, row_content_state

# The working order: highest priority first, then oldest first (the id breaks ties, and the
# API's cursor pages by it).
QUEUE_ORDER = ("-priority", "received_at", "id")
# How many rows the moderators' page lists beside the item.
QUEUE_LENGTH = 200
# What a row on the moderators' page shows (no author, grounds or hits; of the register entry
# only the state the access policy reads): 200 model instances cost more than the query.
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


def item_queue(*, columns: Iterable[str], **named: Any) -> QuerySet[Item, dict[str, Any]]:
    """The queue in working order as plain rows of ``columns`` and ``named`` expressions (one
    query; filters apply to it); a page's grounds and hits come from ``item_queue_related``."""
    return Item.objects.order_by(*QUEUE_ORDER).values(*columns, **named)


@dataclass
class QueueRelated:
    """Suspected ground codes by item id and detector hits by version id, for one page."""

    grounds: dict[int, list[str]]
    hits: dict[int, list[Any]]


def item_queue_related(rows: list[dict[str, Any]]) -> QueueRelated:
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
            .values("version_id", "detector", "matched", "start", "end", "detail", "ground__code")
        ):
            hits[hit["version_id"]].append(hit)
    return QueueRelated(grounds=grounds, hits=hits)


def page_rows(
    rows: list[dict[str, Any]], *, current: Item | None, query: str, now: datetime, viewer: User
) -> list[dict[str, Any]]:
    """The rows beside the item with what the template shows of each worked out once here:
    labels, link, flags, and the text as the access policy lets the viewer see it (from the
    row's own register columns: no query per row)."""
    kinds = {value: str(label) for value, label in ItemKind.choices}
    states = {value: str(label) for value, label in ItemState.choices}
    withheld = _("(content withheld)")
    # The item's page is the queue's address and the item's id ("queue/<int:pk>/").
    queue_url = reverse("admin:moderation_queue")
    for row in rows:
        shown = content_access(viewer, row_content_state(row)).shows_content
        row.update(
            kind_label=kinds.get(row["kind"], row["kind"]),
            state_label=states.get(row["state"], row["state"]),
            url=f"{queue_url}{row['id']}/?{query}",
            current=current is not None and row["id"] == current.pk,
            overdue=row["due_at"] < now,
            text=row["text"] if shown else "",
            withheld="" if shown else withheld,
        )
    return rows


def _excerpt(text: str) -> str:
    """The template's truncatechars:90 (which normalises the text first), without its cost
    for the many texts that are short enough."""
    if len(text) <= EXCERPT_LENGTH:
        return unicodedata.normalize("NFC", text)
    return Truncator(text).chars(EXCERPT_LENGTH)


def page_rows_html(rows: list[dict[str, Any]], *, can_decide: bool) -> SafeString:
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
