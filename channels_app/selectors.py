"""Every read of the channel register, scoped to what the caller may see."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, Min, Prefetch, Q, QuerySet

from accounts.choices import Role
from accounts.models import User
from channels_app.choices import (
    ArchivePhotoStatus,
    AudienceMetric,
    ChannelPlatform,
    ChannelRole,
    ChannelStatus,
    RelayWeekStatus,
)
from channels_app.models import (
    ACTIVE_RELAY_STATUSES,
    PLANNED,
    ArchivePhoto,
    AudienceFact,
    Channel,
    PageLink,
    PageSection,
    RelayWeek,
)
from channels_app.weeks import weeks_from

Caller = User | AnonymousUser | None
T = TypeVar("T")


def _may(user: Caller, permission: str) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(permission))


def channel_list(*, user: Caller = None) -> QuerySet[Channel]:
    """Every channel for those who may view the register; the public ones for everyone else.
    Twins come along in one extra query."""
    twins = Channel.objects.order_by("order", "name")
    channels = Channel.objects.select_related("sign_language_counterpart")
    if not _may(user, "channels_app.view_channel"):
        channels = channels.filter(is_public=True)
        twins = twins.filter(is_public=True)
    return channels.prefetch_related(Prefetch("sign_language_twins", queryset=twins))


def audience_fact_list() -> QuerySet[AudienceFact]:
    return AudienceFact.objects.order_by("platform", "order", "pk")


def audience_facts_by_platform() -> dict[str, list[AudienceFact]]:
    grouped: dict[str, list[AudienceFact]] = defaultdict(list)
    for fact in audience_fact_list():
        grouped[fact.platform].append(fact)
    return dict(grouped)


ChannelRow = dict[str, Any]
"""A channel as the public page shows it: the columns of ``PUBLIC_CHANNEL_FIELDS`` by name."""

PUBLIC_CHANNEL_FIELDS = (
    "pk",
    "platform",
    "name",
    "slug",
    "handle",
    "url",
    "purpose",
    "audience",
    "status",
    "sign_language_counterpart_id",
)


@dataclass
class PlatformGroup:
    platform: str
    label: str
    channels: list[ChannelRow] = field(default_factory=list)
    facts: list[AudienceFact] = field(default_factory=list)

    @property
    def twins(self) -> list[ChannelRow]:
        """The sign-language twins of the group's accounts, shown after all of them."""
        return [twin for channel in self.channels for twin in channel["twins"]]

    @property
    def ranked(self) -> list[AudienceFact]:
        return sorted(
            (f for f in self.facts if f.metric == AudienceMetric.RANK), key=lambda f: int(f.value)
        )

    @property
    def shares(self) -> list[AudienceFact]:
        return [f for f in self.facts if f.metric != AudienceMetric.RANK]

    @property
    def sources(self) -> list[str]:
        return sorted(
            {
                f"{f.source}" if str(f.year) in f.source else f"{f.source} ({f.year})"
                for f in self.facts
            }
        )


def channels_public_by_platform(*, today: date) -> list[PlatformGroup]:
    """The public page's channels as rows: per platform, the main accounts in order, each with
    its public sign-language twins (``channel["twins"]``), this week's confirmed relay host
    (``channel["current_host"]``) and Tillbakablick photo (``channel["current_photo"]``), and the
    platform's audience facts. Four queries, however many channels there are; a channel has at
    most one host and one photo a week, so they come unordered."""
    facts = audience_facts_by_platform()
    year, week, _day = today.isocalendar()
    hosts = {
        w["channel_id"]: w
        for w in RelayWeek.objects.filter(
            iso_year=year,
            iso_week=week,
            status__in=[RelayWeekStatus.CONFIRMED, RelayWeekStatus.DONE],
        )
        .order_by()
        .values("channel_id", "host_name", "host_title", "host_unit", "topic")
    }
    photos = {
        p.channel_id: p
        for p in ArchivePhoto.objects.filter(
            planned_year=year, planned_week=week, status__in=PLANNED
        ).order_by()
    }
    shown = list(
        channel_list()
        .exclude(status=ChannelStatus.CLOSED)
        .order_by("order", "name")
        .values(*PUBLIC_CHANNEL_FIELDS)
    )
    twins: dict[int, list[ChannelRow]] = defaultdict(list)
    mains = []
    shown_ids = {channel["pk"] for channel in shown}
    for channel in shown:
        channel["current_host"] = hosts.get(channel["pk"])
        channel["current_photo"] = photos.get(channel["pk"])
        twin_of = channel["sign_language_counterpart_id"]
        if twin_of in shown_ids:
            twins[twin_of].append(channel)  # shown under its main account
        else:
            mains.append(channel)
    groups: dict[str, PlatformGroup] = {}
    for channel in mains:
        channel["twins"] = twins[channel["pk"]]
        platform = channel["platform"]
        group = groups.setdefault(
            platform,
            PlatformGroup(
                platform, str(ChannelPlatform(platform).label), facts=facts.get(platform, [])
            ),
        )
        group.channels.append(channel)
    order = list(Channel._meta.get_field("platform").choices or [])
    keys = [value for value, _label in order]
    return sorted(groups.values(), key=lambda g: keys.index(g.platform))


@dataclass
class PublicPage:
    """The page's sections by key, the links and documents its texts name, and when its texts
    were first published and last changed."""

    sections: dict[str, dict[str, str]]
    links: dict[str, PageLink]
    published: Any
    updated: Any


def public_page_get() -> PublicPage:
    """Three queries: the sections (their key, heading and texts), the links, and the first and
    last change of either."""
    sections = {
        key: {"heading": heading, "body": body, "closing": closing}
        for key, heading, body, closing in PageSection.objects.values_list(
            "key", "heading", "body", "closing"
        )
    }
    links = {link.key: link for link in PageLink.objects.all()}
    changes = PageSection.history.aggregate(first=Min("history_date"), last=Max("history_date"))
    return PublicPage(sections, links, changes["first"], changes["last"])


def relay_week_list(*, user: Caller = None) -> QuerySet[RelayWeek]:
    """All bookings for those who may view the rota; confirmed and done weeks for the public."""
    weeks = RelayWeek.objects.select_related("channel")
    if not _may(user, "channels_app.view_relayweek"):
        weeks = weeks.filter(
            status__in=[RelayWeekStatus.CONFIRMED, RelayWeekStatus.DONE], channel__is_public=True
        )
    return weeks


def archive_photo_list(*, user: Caller = None) -> QuerySet[ArchivePhoto]:
    """All photos for those who may view the plan; the published ones for the public."""
    photos = ArchivePhoto.objects.select_related("channel")
    if not _may(user, "channels_app.view_archivephoto"):
        photos = photos.filter(status=ArchivePhotoStatus.PUBLISHED, channel__is_public=True)
    return photos


@dataclass
class WeekRow(Generic[T]):
    """One channel's coming weeks: (ISO year, week, the booking or photo, or None for a gap)."""

    channel: Channel
    weeks: list[tuple[int, int, T | None]]

    @property
    def gaps(self) -> int:
        return sum(1 for *_week, item in self.weeks if item is None)


def _upcoming(
    role: str, items: QuerySet[Any], year_field: str, week_field: str, start: date, count: int
) -> list[WeekRow[Any]]:
    weeks = weeks_from(start, count)
    in_range = Q()
    for year, week in weeks:
        in_range |= Q(**{year_field: year, week_field: week})
    by_week = {
        (item.channel_id, getattr(item, year_field), getattr(item, week_field)): item
        for item in items.filter(in_range)
    }
    channels = Channel.objects.filter(role=role, status=ChannelStatus.ACTIVE).order_by("order")
    return [
        WeekRow(channel, [(y, w, by_week.get((channel.pk, y, w))) for y, w in weeks])
        for channel in channels
    ]


def relay_rota_upcoming(*, start: date, count: int) -> list[WeekRow[RelayWeek]]:
    """Per active relay account, ``count`` weeks from the week of ``start`` with their hosts."""
    active = RelayWeek.objects.exclude(status=RelayWeekStatus.CANCELLED)
    return _upcoming(ChannelRole.RELAY, active, "iso_year", "iso_week", start, count)


def archive_plan_upcoming(*, start: date, count: int) -> list[WeekRow[ArchivePhoto]]:
    """Per active archive account, ``count`` weeks from the week of ``start`` with their photos."""
    planned = ArchivePhoto.objects.filter(status__in=PLANNED)
    return _upcoming(ChannelRole.ARCHIVE, planned, "planned_year", "planned_week", start, count)


def relay_weeks_to_remind(*, monday: date) -> list[RelayWeek]:
    year, week, _day = monday.isocalendar()
    return list(
        RelayWeek.objects.select_related("channel").filter(
            iso_year=year,
            iso_week=week,
            status__in=ACTIVE_RELAY_STATUSES,
            reminded_at__isnull=True,
        )
    )


def editor_emails() -> list[str]:
    """Where alerts about the rota and the plan go: every active web editor."""
    return User.objects.emails(Role.EDITOR)
