"""Moderation in figures, counted in the database: the public account (/insyn/ and its open
data) per month, channel and published rule with small counts protected, and the moderators'
monthly metrics. Months follow the calendar in Europe/Stockholm."""

import sqlite3
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.models import User
from accounts.permissions import permission_require
from channels_app.models import Channel
from moderation.choices import DecisionAction, ReconsiderationOutcome
from moderation.models import (
    OPEN_ITEMS,
    Decision,
    Ground,
    Item,
    ItemMonthFigures,
    ReconsiderationRequest,
)

SMALL = 3  # counts under this are published as "färre än 3"
FEWER_THAN_SMALL = "fewer-than-3"
PROTECTED = "protected"  # hidden so that a small count cannot be worked out from a sum

DECISION_COUNTS = {
    DecisionAction.HIDE: "hidden",
    DecisionAction.REMOVE: "removed",
    DecisionAction.BLOCK: "blocked",
}
RECONSIDERATION_PARTS = (
    "reconsiderations_upheld",
    "reconsiderations_changed",
    "reconsiderations_pending",
)
COUNTS = (
    "received",
    *DECISION_COUNTS.values(),
    "reconsiderations_asked",
    *RECONSIDERATION_PARTS,
)
# Each median, and the count of items it is taken over (not published itself).
MEDIANS = {
    "median_minutes_to_first_action": "first_action_count",
    "median_minutes_to_hiding": "hidden_item_count",
}
MEASURES = (*COUNTS, *MEDIANS)


class Median(Aggregate):
    """The median: PostgreSQL's percentile_cont(0.5); on SQLite the aggregate that
    ``sqlite_functions_register`` adds to each connection."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, function="SM_MEDIAN", template="%(function)s(%(expressions)s)"
        )


class _SqliteMedian:
    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: float | None) -> None:
        if value is not None:
            self.values.append(value)

    def finalize(self) -> float | None:
        return statistics.median(self.values) if self.values else None


def sqlite_functions_register(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Connected to ``connection_created`` (moderation.apps): SQLite has no median."""
    if connection.vendor == "sqlite":
        raw = connection.connection
        assert isinstance(raw, sqlite3.Connection)
        raw.create_aggregate("SM_MEDIAN", 1, _SqliteMedian)  # type: ignore[arg-type]


def _wait(moment: str, since: Any = None) -> ExpressionWrapper:
    """The time from ``since`` (default: receipt) to ``moment``, as an interval."""
    return ExpressionWrapper(
        F(moment) - (since if since is not None else F("received_at")),
        output_field=DurationField(),
    )


def _median(moment: str) -> Median:
    return Median(_wait(moment), output_field=DurationField())


def _local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _month_of(field_name: str) -> TruncMonth:
    return TruncMonth(field_name, tzinfo=_local_zone())


def _as_month(value: datetime | date) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value, _local_zone()) if timezone.is_aware(value) else value
    return date(value.year, value.month, 1)


def month_start(month: date) -> datetime:
    """Midnight on the first of ``month`` in Stockholm."""
    return datetime(month.year, month.month, 1, tzinfo=_local_zone())


def month_after(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _minutes(value: Any) -> float | None:
    return None if value is None else round(value.total_seconds() / 60, 1)


def _in_months(queryset: QuerySet[Any], field_name: str, since: date, until: date) -> QuerySet[Any]:
    return queryset.filter(
        **{
            f"{field_name}__gte": month_start(since),
            f"{field_name}__lt": month_start(month_after(until)),
        }
    )


def items_by_month(
    items: QuerySet[Item], *, by_channel: bool, now: datetime | None = None
) -> QuerySet[Item, dict[str, Any]]:
    """Items per month of receipt (and channel): how many, the median waits to a person's first
    action and to hiding with the counts they are taken over, and (given ``now``) how many were
    handled after their due time or are still open past it."""
    keys = ["month", "channel_id"] if by_channel else ["month"]
    aggregates: dict[str, Any] = {
        "received": Count("pk"),
        "first_action_count": Count("first_action_at"),
        "median_first_action": _median("first_action_at"),
        "hidden_item_count": Count("hidden_at"),
        "median_hiding": _median("hidden_at"),
    }
    if now is not None:
        handled = Coalesce("first_action_at", Value(now))
        aggregates["due_breaches"] = Count("pk", filter=Q(due_at__lt=handled))
    # order_by(): the model's default ordering would otherwise join the GROUP BY.
    return (
        items.annotate(month=_month_of("received_at"))
        .values(*keys)
        .annotate(**aggregates)
        .order_by()
    )


def decisions_by_month(
    decisions: QuerySet[Decision], *, by: Iterable[str]
) -> QuerySet[Decision, dict[str, Any]]:
    """Decisions per month they were made and ``by`` (e.g. channel, action, rule): ``n``."""
    if "rule" in by:
        decisions = decisions.annotate(rule=Coalesce("grounds__parent", "grounds"))
    return (
        decisions.annotate(month=_month_of("created_at"))
        .values("month", *by)
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )


# --- closed months kept ----------------------------------------------------------------------

# A write that took its time before the figures were computed may commit after them: rows
# changed this long before ``computed_at`` still make the month's figures stale.
SETTLING = timedelta(minutes=10)
ITEM_FIGURES = (
    "received",
    "first_action_count",
    "median_first_action",
    "hidden_item_count",
    "median_hiding",
    "due_breaches",
)


def _changed_since(moment: datetime, now: datetime) -> Q:
    """Items whose figures may differ from those computed at ``moment``: a first action or a
    hiding since (both are set once, to the time they happen), or an open item whose due time
    has passed since."""
    since = moment - SETTLING
    return (
        Q(first_action_at__gte=since)
        | Q(hidden_at__gte=since)
        | Q(first_action_at__isnull=True, due_at__gte=since, due_at__lt=now)
    )


def _month_ranges(months: Iterable[date], since: date | None, until: date | None) -> Q:
    """Items received outside ``months`` and within ``since``..``until`` (either may be open):
    the gaps between the kept months, as ranges of received_at an index can read."""
    bounds: list[tuple[datetime | None, datetime | None]] = []
    start = month_start(since) if since else None
    for month in sorted(months):
        bounds.append((start, month_start(month)))
        start = month_start(month_after(month))
    bounds.append((start, month_start(month_after(until)) if until else None))
    ranges = Q(pk__in=[])
    for low, high in bounds:
        if low is not None and high is not None and low >= high:
            continue
        if low is None and high is None:
            return Q()
        part = Q(received_at__gte=low) if low is not None else Q(received_at__lt=high)
        if low is not None and high is not None:
            part &= Q(received_at__lt=high)
        ranges |= part
    return ranges


def _kept(
    since: date | None, until: date | None, now: datetime
) -> tuple[set[date], list[dict[str, Any]]]:
    """The months in range whose kept figures still hold, and their rows (two queries)."""
    kept = ItemMonthFigures.objects.all()
    if since is not None and until is not None:
        kept = kept.filter(month__gte=since, month__lte=until)
    rows = list(kept.values("month", "channel_id", "computed_at", *ITEM_FIGURES))
    totals = {row["month"]: row["computed_at"] for row in rows if row["channel_id"] is None}
    if not totals:
        return set(), []
    stale = (
        Item.objects.filter(_changed_since(min(totals.values()), now))
        .filter(_month_ranges([], min(totals), max(totals)))
        .annotate(month=_month_of("received_at"))
        .values_list("month", flat=True)
        .distinct()
        .order_by()
    )
    months = set(totals) - {_as_month(month) for month in stale}
    return months, [row for row in rows if row["month"] in months]


def item_figures(
    *,
    since: date | None,
    until: date | None,
    by_channel: bool,
    channel_id: int | None = None,
    now: datetime | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Items per month of receipt from ``since`` to ``until`` (first days; None: every month),
    as ``items_by_month`` counts them, in all (or on ``channel_id``) and, if ``by_channel``,
    per channel: the kept figures of closed months that nothing has changed since, the rest
    counted now."""
    months, rows = _kept(since, until, now or timezone.now())
    totals = [row for row in rows if row["channel_id"] == channel_id]
    channels = [row for row in rows if row["channel_id"] is not None] if by_channel else []
    items = Item.objects.filter(_month_ranges(months, since, until))
    if channel_id:
        items = items.filter(channel=channel_id)
    for found, by in ((totals, False), (channels, True))[: 1 + by_channel]:
        for group in items_by_month(items, by_channel=by, now=now):
            found.append({**group, "month": _as_month(group["month"])})
    return totals, channels


def item_month_figures_refresh(*, actor: User, now: datetime | None = None) -> int:
    """Compute and keep the figures of every closed month with items that has none kept, or
    whose kept figures no longer hold; returns how many months were computed. A month is closed
    once it ended SETTLING ago."""
    permission_require(actor, "moderation.view_item")
    now = now or timezone.now()
    first = Item.objects.order_by("received_at").values_list("received_at", flat=True).first()
    if first is None:
        return 0
    last = _as_month(now - SETTLING)
    months, month = [], _as_month(first)
    while month < last:
        months.append(month)
        month = month_after(month)
    if not months:
        return 0
    kept, _rows = _kept(months[0], months[-1], now)
    computed = 0
    for month in months:
        if month not in kept:
            _month_figures_keep(month, now)
            computed += 1
    return computed


def _month_figures_keep(month: date, now: datetime) -> None:
    items = _in_months(Item.objects.all(), "received_at", month, month)
    rows = [
        ItemMonthFigures(
            month=month,
            channel_id=group.get("channel_id"),
            computed_at=now,
            **{name: group[name] for name in ITEM_FIGURES},
        )
        for by_channel in (True, False)
        for group in items_by_month(items, by_channel=by_channel, now=now)
    ]
    with transaction.atomic():
        ItemMonthFigures.objects.filter(month=month).delete()
        ItemMonthFigures.objects.bulk_create(rows)


# --- the public account ----------------------------------------------------------------------


@dataclass
class StatisticsRow:
    """One row of the public account: a month's total (no channel), a channel's month, or a
    published rule on a channel in a month (hidden, removed and blocked only)."""

    month: date
    channel: str = ""
    channel_name: str = ""
    rule: str = ""
    rule_wording: str = ""
    values: dict[str, int | float | None] = field(default_factory=dict)
    basis: dict[str, int] = field(default_factory=dict)
    suppressed: dict[str, str] = field(default_factory=dict)

    @property
    def level(self) -> str:
        return "rule" if self.rule else "channel" if self.channel else "month"

    def published(self, name: str) -> int | float | None:
        """The value as published: None where it is suppressed or does not apply."""
        return None if name in self.suppressed else self.values.get(name)


@dataclass
class PublicStatistics:
    rows: list[StatisticsRow]

    def months(self) -> list[date]:
        return sorted({row.month for row in self.rows})

    def totals(self) -> list[StatisticsRow]:
        return [row for row in self.rows if row.level == "month"]

    def for_month(self, month: date, level: str) -> list[StatisticsRow]:
        return [row for row in self.rows if row.month == month and row.level == level]

    def filtered(self, *, channel: str = "") -> list[StatisticsRow]:
        """The rows of one channel (its months and rules), or every row."""
        return [row for row in self.rows if not channel or row.channel == channel]


def moderation_statistics(
    *, since: date | None = None, until: date | None = None
) -> PublicStatistics:
    """The public account for the months from ``since`` to ``until`` (first days; default: every
    month with items). At most nine queries, however many items (closed months from their kept
    figures, see ``item_figures``); no text, name or id of an item,
    author or moderator. Suppression is worked out over every channel of a month, so a filtered
    view cannot be compared with the whole to recover a small count."""
    decisions = Decision.objects.filter(action__in=list(DECISION_COUNTS))
    requests = ReconsiderationRequest.objects.all()
    if since is not None and until is not None:
        decisions = _in_months(decisions, "created_at", since, until)
        requests = _in_months(requests, "received_at", since, until)

    totals: dict[date, StatisticsRow] = {}
    channel_rows: dict[tuple[date, int], StatisticsRow] = {}
    rule_rows: dict[tuple[date, int, int], StatisticsRow] = {}

    def total(month: date) -> StatisticsRow:
        return totals.setdefault(month, StatisticsRow(month=month, values=dict.fromkeys(COUNTS, 0)))

    def channel_row(month: date, channel_id: int) -> StatisticsRow:
        total(month)
        key = (month, channel_id)
        return channel_rows.setdefault(
            key,
            StatisticsRow(month=month, channel=str(channel_id), values=dict.fromkeys(COUNTS, 0)),
        )

    month_totals, month_channels = item_figures(since=since, until=until, by_channel=True)
    for group in month_channels:
        _item_figures(channel_row(group["month"], group["channel_id"]), group)
    for group in month_totals:
        _item_figures(total(group["month"]), group)
    for group in decisions_by_month(decisions, by=["channel_id", "action"]):
        month = _as_month(group["month"])
        channel_row(month, group["channel_id"]).values[DECISION_COUNTS[group["action"]]] = group[
            "n"
        ]
    for group in decisions_by_month(
        decisions.filter(grounds__isnull=False), by=["channel_id", "action", "rule"]
    ):
        month = _as_month(group["month"])
        channel_row(month, group["channel_id"])
        key = (month, group["channel_id"], group["rule"])
        rule = rule_rows.setdefault(
            key,
            StatisticsRow(
                month=month,
                channel=str(group["channel_id"]),
                rule=str(group["rule"]),
                values=dict.fromkeys(DECISION_COUNTS.values(), 0),
            ),
        )
        rule.values[DECISION_COUNTS[group["action"]]] = group["n"]
    for group in _reconsiderations_by_month(requests):
        row = channel_row(_as_month(group["month"]), group["channel_id"])
        row.values["reconsiderations_asked"] = group["asked"]
        row.values["reconsiderations_upheld"] = group["upheld"]
        row.values["reconsiderations_changed"] = group["changed"]
        row.values["reconsiderations_pending"] = group["asked"] - group["upheld"] - group["changed"]
    for row in channel_rows.values():
        summed = totals[row.month]
        for name in COUNTS:
            if name != "received":
                summed.values[name] = int(summed.values[name] or 0) + int(row.values[name] or 0)

    _names_fill(channel_rows.values(), rule_rows.values())
    rows = [*totals.values(), *channel_rows.values(), *rule_rows.values()]
    suppress(rows, _equations(totals, channel_rows, rule_rows))
    rows.sort(
        key=lambda r: (
            r.month,
            r.level != "month",
            r.channel_name,
            r.rule != "",
            r.basis.get("rule_order", 0),
        )
    )
    return PublicStatistics(rows=rows)


def _item_figures(row: StatisticsRow, group: dict[str, Any]) -> None:
    row.values["received"] = group["received"]
    row.values["median_minutes_to_first_action"] = _minutes(group["median_first_action"])
    row.values["median_minutes_to_hiding"] = _minutes(group["median_hiding"])
    row.basis["first_action_count"] = group["first_action_count"]
    row.basis["hidden_item_count"] = group["hidden_item_count"]


def _reconsiderations_by_month(
    requests: QuerySet[ReconsiderationRequest],
) -> QuerySet[Any, Any]:
    """Decisions the authors asked to have reconsidered, per month asked and channel, with how
    the reconsiderations went."""
    outcome = "decision__reconsideration__outcome"
    return (
        requests.annotate(month=_month_of("received_at"), channel_id=F("decision__channel"))
        .values("month", "channel_id")
        .annotate(
            asked=Count("decision", distinct=True),
            upheld=Count(
                "decision", distinct=True, filter=Q(**{outcome: ReconsiderationOutcome.UPHELD})
            ),
            changed=Count(
                "decision", distinct=True, filter=Q(**{outcome: ReconsiderationOutcome.CHANGED})
            ),
        )
        .order_by()
    )


def _names_fill(channel_rows: Iterable[StatisticsRow], rule_rows: Iterable[StatisticsRow]) -> None:
    """Channels by slug and name, rules by code and published wording (two queries)."""
    rules = list(rule_rows)
    channel_ids = {int(row.channel) for row in [*channel_rows, *rules]}
    channels = {c.pk: c for c in Channel.objects.filter(pk__in=channel_ids)}
    grounds = {g.pk: g for g in Ground.objects.filter(pk__in={int(r.rule) for r in rules})}
    for row in [*channel_rows, *rules]:
        channel = channels[int(row.channel)]
        # Several accounts share a name ("Örebro kommun"); the platform tells them apart.
        row.channel, row.channel_name = channel.slug, str(channel)
    for row in rules:
        ground = grounds[int(row.rule)]
        row.rule, row.rule_wording = ground.code, str(ground)
        row.basis["rule_order"] = ground.order


Equation = tuple[tuple[StatisticsRow, str], list[tuple[StatisticsRow, str]]]


def _equations(
    totals: dict[date, StatisticsRow],
    channel_rows: dict[tuple[date, int], StatisticsRow],
    rule_rows: dict[tuple[date, int, int], StatisticsRow],
) -> list[Equation]:
    """Every sum a reader could subtract from: a month's total over its channels, a channel's
    hidden, removed and blocked over its rules (a decision on two rules counts in both, so this
    one is an upper bound, kept to be safe), and the reconsiderations asked over their outcomes."""
    equations: list[Equation] = []
    channels_of: dict[date, list[StatisticsRow]] = defaultdict(list)
    for (month, _channel), row in channel_rows.items():
        channels_of[month].append(row)
    rules_of: dict[tuple[date, int], list[StatisticsRow]] = defaultdict(list)
    for (month, channel, _rule), row in rule_rows.items():
        rules_of[(month, channel)].append(row)
    for month, row in totals.items():
        for name in COUNTS:
            equations.append(((row, name), [(part, name) for part in channels_of[month]]))
    for key, row in channel_rows.items():
        for name in DECISION_COUNTS.values():
            equations.append(((row, name), [(part, name) for part in rules_of[key]]))
    for row in [*totals.values(), *channel_rows.values()]:
        asked = (row, "reconsiderations_asked")
        equations.append((asked, [(row, name) for name in RECONSIDERATION_PARTS]))
    return equations


def suppress(rows: Iterable[StatisticsRow], equations: list[Equation]) -> None:
    """Counts under SMALL, and medians over fewer than SMALL items, are suppressed. Then, in
    every sum whose total is published, the suppressed parts must leave each small part free to
    be any of 0, 1 or 2: at least one of them is a protected count (SMALL or more), and their
    known sum is at least 2 more than the protected ones' least possible (SMALL each). Where
    that fails the smallest published part is protected too, or, with none left, the total;
    repeated until every sum holds. A suppressed total keeps at least one part suppressed, so
    it cannot be added up from its parts."""
    for row in rows:
        for name in COUNTS:
            value = row.values.get(name)
            if value is not None and value < SMALL:
                row.suppressed[name] = FEWER_THAN_SMALL
        for name, basis in MEDIANS.items():
            if name in row.values and row.basis.get(basis, 0) < SMALL:
                row.suppressed[name] = FEWER_THAN_SMALL
    changed = True
    while changed:
        changed = False
        for whole, parts in equations:
            hidden = [part for part in parts if _is_suppressed(part)]
            published = [part for part in parts if not _is_suppressed(part)]
            if _is_suppressed(whole):
                if published and not hidden:  # the parts would add up to the total
                    row, name = min(published, key=_value)
                    row.suppressed[name] = PROTECTED
                    changed = True
                continue
            if not hidden:
                continue
            protected = [cell for cell in hidden if cell[0].suppressed[cell[1]] == PROTECTED]
            known_sum = sum(_value(cell) for cell in hidden)
            if protected and known_sum - SMALL * len(protected) >= SMALL - 1:
                continue
            row, name = min(published, key=_value) if published else whole
            row.suppressed[name] = PROTECTED
            changed = True


def _is_suppressed(cell: tuple[StatisticsRow, str]) -> bool:
    return cell[1] in cell[0].suppressed


def _value(cell: tuple[StatisticsRow, str]) -> int:
    return int(cell[0].values.get(cell[1]) or 0)


# --- the moderators' metrics -----------------------------------------------------------------


@dataclass
class MonthMetrics:
    month: date
    received: int = 0
    median_first_action: float | None = None
    median_hide: float | None = None
    due_breaches: int = 0
    removals_by_ground: dict[str, int] = field(default_factory=dict)
    removals_by_channel: dict[str, int] = field(default_factory=dict)

    @property
    def removals(self) -> int:
        return sum(self.removals_by_channel.values())


@dataclass
class QueueMetrics:
    open_count: int
    overdue_count: int
    oldest_age: Any
    median_age: Any
    months: list[MonthMetrics]


def moderation_metrics(*, year: int, channel_id: int | None = None) -> QueueMetrics:
    """The queue now, and per month of ``year``: items received, median minutes to the first
    action by a person and to hiding, due-time breaches, removals per ground and per channel.
    At most six queries, grouped in the database (closed months from their kept figures)."""
    now = timezone.now()
    scope = Item.objects.all()
    removals = Decision.objects.filter(action=DecisionAction.REMOVE)
    if channel_id:
        scope = scope.filter(channel=channel_id)
        removals = removals.filter(channel=channel_id)
    queue = scope.filter(OPEN_ITEMS).aggregate(
        open_count=Count("pk"),
        overdue_count=Count("pk", filter=Q(due_at__lt=now)),
        oldest=Min("received_at"),
        median_age=Median(_wait("received_at", Value(now)), output_field=DurationField()),
    )
    january, december = date(year, 1, 1), date(year, 12, 1)
    months = {date(year, m, 1): MonthMetrics(date(year, m, 1)) for m in range(1, 13)}
    month_totals, _channels = item_figures(
        since=january, until=december, by_channel=False, channel_id=channel_id, now=now
    )
    for group in month_totals:
        month = months[group["month"]]
        month.received = group["received"]
        month.median_first_action = _minutes(group["median_first_action"])
        month.median_hide = _minutes(group["median_hiding"])
        month.due_breaches = group["due_breaches"]
    removals = _in_months(removals, "created_at", january, december)
    for group in decisions_by_month(removals, by=["channel__name"]):
        months[_as_month(group["month"])].removals_by_channel[group["channel__name"]] = group["n"]
    for group in decisions_by_month(
        removals.filter(grounds__isnull=False), by=["grounds__wording"]
    ):
        ground = str(Ground(wording=group["grounds__wording"]))
        by_ground = months[_as_month(group["month"])].removals_by_ground
        by_ground[ground] = by_ground.get(ground, 0) + group["n"]
    oldest = queue["oldest"]
    return QueueMetrics(
        open_count=queue["open_count"],
        overdue_count=queue["overdue_count"],
        oldest_age=now - oldest if oldest else None,
        median_age=queue["median_age"],
        months=list(months.values()),
    )
