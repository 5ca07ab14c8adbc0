"""Filters for the queue and the lists beside it."""

from datetime import timedelta
from functools import cache
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from channels_app.models import Channel
from core.api.filters import IdFilter, MomentFilter
from moderation.choices import ItemState
from moderation.models import OPEN_ITEMS, Block, Ground, Item, Note
from records.access import content_searchable

DUE_CHOICES = [
    ("overdue", _("Overdue")),
    ("today", _("Due within 4 hours")),
    ("open", _("Everything open")),
]


def channel_choices() -> list[tuple[int, str]]:
    """The channels the queue can be filtered by, as a plain list (a model choice field reads
    them through a cursor of its own each time it validates or renders)."""
    return [(channel.pk, str(channel)) for channel in Channel.objects.only("name", "platform")]


def ground_choices() -> list[tuple[str, str]]:
    """The active grounds by code, read once as a plain list."""
    return [
        (ground.code, str(ground))
        for ground in Ground.objects.filter(is_active=True).only("code", "wording")
    ]


class ItemFilterSet(django_filters.FilterSet):
    channel = django_filters.ChoiceFilter(label=_("channel"), field_name="channel")
    state = django_filters.ChoiceFilter(label=_("state"), choices=ItemState.choices)
    ground = django_filters.ChoiceFilter(
        label=_("suspected ground"),
        field_name="suspected_grounds__code",
        distinct=True,
    )
    due = django_filters.ChoiceFilter(label=_("due"), choices=DUE_CHOICES, method="filter_due")
    due_before = MomentFilter(label=_("due before"), field_name="due_at", lookup_expr="lt")
    author = IdFilter(label=_("author"), field_name="author")
    q = django_filters.CharFilter(label=_("search"), method="filter_text")

    class Meta:
        model = Item
        fields = ["channel", "state", "kind", "ground", "due", "due_before", "author", "q"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read at most once for this filter set, and only if the form validates a value
        # against them or renders them (an API detail request does neither).
        self.filters["channel"].extra["choices"] = cache(channel_choices)
        self.filters["ground"].extra["choices"] = cache(ground_choices)

    def filter_due(self, queryset: QuerySet[Item], name: str, value: Any) -> QuerySet[Item]:
        queryset = queryset.filter(OPEN_ITEMS)
        now = timezone.now()
        if value == "overdue":
            return queryset.filter(due_at__lt=now)
        if value == "today":
            return queryset.filter(due_at__lt=now + timedelta(hours=4))
        return queryset

    def filter_text(self, queryset: QuerySet[Item], name: str, value: str) -> QuerySet[Item]:
        """Text and author search, only over content the access policy shows the searcher
        (a match on a secret item would tell what it says)."""
        viewer = self.request.user if self.request is not None else None
        return queryset.filter(
            content_searchable(viewer, "record__"),
            Q(text__icontains=value) | Q(author__name__icontains=value),
        )


class BlockFilterSet(django_filters.FilterSet):
    active = django_filters.BooleanFilter(
        label=_("active"), field_name="lifted_at", lookup_expr="isnull"
    )

    class Meta:
        model = Block
        fields = ["channel", "author", "active"]


class NoteFilterSet(django_filters.FilterSet):
    class Meta:
        model = Note
        fields = ["item", "author"]
