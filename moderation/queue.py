"""The queue's read model: its working order, the one selector of its rows (plain rows of the
columns a reader needs, never model instances), the two queries that give a page its grounds and
hits, and the rows as the moderators' page shows them. The API's JSON is built from the same
rows (moderation.api.serializers.queue_representation) and is held to ItemSerializer's output by
tests/moderation/test_api.py."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, QuerySet
from django.urls import reverse
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
