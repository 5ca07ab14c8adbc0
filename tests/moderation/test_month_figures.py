"""The kept figures of closed months give the same numbers as counting every item now, for
the moderators' metrics and the public account, also after a late decision or a due time
that passed since they were computed."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import system_user
from channels_app.models import Channel
from config.schedule import BEAT_SCHEDULE
from moderation import services, tasks
from moderation.models import Item, ItemMonthFigures
from moderation.statistics import (
    item_month_figures_refresh,
    moderation_metrics,
    moderation_statistics,
)
from tests.factories import ChannelFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
FIRST, LAST = date(2025, 1, 1), date(2025, 3, 1)


def _received(item: Item, moment: datetime, **fields: Any) -> Item:
    Item.objects.filter(pk=item.pk).update(received_at=moment, **fields)
    item.refresh_from_db()
    return item


@pytest.fixture
def months(intake: Callable[..., Item], channel: Channel) -> list[Item]:
    """Items on two channels over three closed months, some acted on, some hidden, some still
    open past their due time; one received on 31 January at 23:30 Stockholm time."""
    other = ChannelFactory.create(connected=True, name="Andra kanalen")
    items = []
    for index in range(18):
        moment = datetime(2025, 1 + index % 3, 3 + index, 9, index, tzinfo=STOCKHOLM)
        item = _received(
            intake(other if index % 4 == 0 else channel), moment, due_at=moment + timedelta(hours=4)
        )
        if index % 5:
            acted = moment + timedelta(minutes=7 * index)
            hidden = acted if index % 3 == 0 else None
            Item.objects.filter(pk=item.pk).update(first_action_at=acted, hidden_at=hidden)
        items.append(item)
    late = datetime(2025, 1, 31, 23, 30, tzinfo=STOCKHOLM)
    items.append(_received(intake(), late, due_at=late + timedelta(hours=4)))
    return items


def _live(compute: Callable[[], Any]) -> Any:
    """The figures counted from every item, as without anything kept."""
    with transaction.atomic():
        saved = transaction.savepoint()
        ItemMonthFigures.objects.all().delete()
        figures = compute()
        transaction.savepoint_rollback(saved)
    return figures


def _account() -> list[tuple[Any, ...]]:
    return [
        (row.month, row.channel, row.rule, row.values, row.basis, row.suppressed)
        for row in moderation_statistics(since=FIRST, until=LAST).rows
    ]


def _metrics(channel_id: int | None = None) -> list[Any]:
    return moderation_metrics(year=2025, channel_id=channel_id).months


def _all_figures(channel: Channel) -> list[Any]:
    every_month = [(row.month, row.values, row.suppressed) for row in moderation_statistics().rows]
    return [_account(), _metrics(), _metrics(channel.pk), every_month]


def test_kept_figures_give_the_live_numbers(months: list[Item], channel: Channel) -> None:
    live = _all_figures(channel)
    assert item_month_figures_refresh(actor=system_user()) > 0
    assert ItemMonthFigures.objects.filter(month=FIRST, channel=None).get().received == 7
    assert _all_figures(channel) == live
    # The kept figures are read, not counted again: an item moved behind their back (no
    # service does this) still counts in its old month.
    Item.objects.filter(pk=months[0].pk).update(received_at=datetime(2025, 2, 3, tzinfo=STOCKHOLM))
    assert _metrics()[0].received == 7


def test_a_late_decision_is_counted_in_its_month(
    months: list[Item], moderator: User, channel: Channel
) -> None:
    item_month_figures_refresh(actor=system_user())
    kept = _metrics()
    services.item_claim(item=months[0], actor=moderator)
    services.item_decide(
        item=months[0], action="hide", ground_codes=["harassment"], actor=moderator
    )
    assert _metrics() != kept
    assert _all_figures(channel) == _live(lambda: _all_figures(channel))
    assert item_month_figures_refresh(actor=system_user()) >= 1  # January computed again
    assert _all_figures(channel) == _live(lambda: _all_figures(channel))


def test_a_due_time_that_passed_since_is_a_breach(months: list[Item]) -> None:
    waiting = months[-1]
    now = timezone.now()
    Item.objects.filter(pk=waiting.pk).update(due_at=now - timedelta(minutes=1))
    item_month_figures_refresh(actor=system_user(), now=now - timedelta(hours=1))
    assert ItemMonthFigures.objects.get(month=FIRST, channel=None).due_breaches == 2
    assert _metrics()[0].due_breaches == 3
    assert _metrics() == _live(_metrics)


def test_the_open_month_is_never_kept(intake: Callable[..., Item]) -> None:
    intake()
    assert item_month_figures_refresh(actor=system_user()) == 0
    assert not ItemMonthFigures.objects.exists()


def test_refreshing_needs_permission(months: list[Item], make_user: Callable[..., User]) -> None:
    with pytest.raises(PermissionDenied):
        item_month_figures_refresh(actor=make_user())
    assert not ItemMonthFigures.objects.exists()


def test_beat_keeps_the_figures(months: list[Item]) -> None:
    entry = BEAT_SCHEDULE["moderation-item-month-figures-refresh"]
    assert entry["task"] == "moderation.tasks.item_month_figures_refresh"
    assert tasks.item_month_figures_refresh() > 0
    assert ItemMonthFigures.objects.filter(month=LAST, channel=None).exists()
