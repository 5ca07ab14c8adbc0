"""Reads: the posts a person may see, the calendar's sheet across channels (posts, the relay
rota's hosts, the Tillbakablick plan, podcast episodes), and the sign-language parity per
month."""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from channels_app.choices import ArchivePhotoStatus, RelayWeekStatus
from channels_app.models import ArchivePhoto, RelayWeek
from podcasts.choices import EpisodeStatus
from podcasts.models import Episode
from publishing.choices import PostStatus, TwinPlanStatus
from publishing.models import Post, PostMedia, TwinPlan


def post_list(*, user: User | Any = None) -> QuerySet[Post]:
    """Posts with what a list shows of them, newest plan first."""
    return Post.objects.select_related(
        "channel__connection", "author", "approved_by", "twin_plan__twin_channel", "record"
    ).prefetch_related(Prefetch("media", queryset=PostMedia.objects.order_by("order", "pk")))


# --- the calendar ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEntry:
    day: date
    at: time | None  # None: the whole week or day
    kind: str  # post, relay, archive, episode
    channel: str
    title: str
    status: str
    url: str


def _week_days(year: int, week: int) -> date:
    return date.fromisocalendar(year, week, 1)


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    return start, datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)


def _iso_weeks(first: date, last: date) -> set[tuple[int, int]]:
    weeks = set()
    day = first
    while day <= last:
        iso = day.isocalendar()
        weeks.add((iso.year, iso.week))
        day += timedelta(days=7 - day.weekday())
    return weeks


def calendar_entries(*, first: date, last: date) -> list[CalendarEntry]:
    """Everything planned or out between ``first`` and ``last`` (local dates), in time order:
    posts (at their planned or published time), the relay rota's hosts and the Tillbakablick
    photos (their week's Monday) and podcast episodes (their planned or published time)."""
    start, end = _bounds(first, last)
    entries: list[CalendarEntry] = []
    posts = Post.objects.select_related("channel").filter(planned_at__gte=start, planned_at__lt=end)
    for post in posts:
        moment = _local(post.published_at or post.planned_at)  # type: ignore[arg-type]
        entries.append(
            CalendarEntry(
                moment.date(),
                moment.time(),
                "post",
                post.channel.name,
                str(post),
                post.get_status_display(),
                reverse("admin:publishing_post_change", args=[post.pk]),
            )
        )
    weeks = _iso_weeks(first, last)
    years = {year for year, _week in weeks}
    relays = RelayWeek.objects.select_related("channel").filter(iso_year__in=years)
    for relay in relays.exclude(status=RelayWeekStatus.CANCELLED):
        if (relay.iso_year, relay.iso_week) in weeks:
            entries.append(
                CalendarEntry(
                    max(first, _week_days(relay.iso_year, relay.iso_week)),
                    None,
                    "relay",
                    relay.channel.name,
                    relay.host_name + (f" – {relay.topic}" if relay.topic else ""),
                    relay.get_status_display(),
                    reverse("admin:channels_app_relayweek_change", args=[relay.pk]),
                )
            )
    photos = ArchivePhoto.objects.select_related("channel").filter(
        planned_year__in=years,
        status__in=[ArchivePhotoStatus.SCHEDULED, ArchivePhotoStatus.PUBLISHED],
    )
    for photo in photos:
        if (photo.planned_year, photo.planned_week) in weeks:
            entries.append(
                CalendarEntry(
                    max(first, _week_days(photo.planned_year, photo.planned_week)),  # type: ignore[arg-type]
                    None,
                    "archive",
                    photo.channel.name,
                    photo.title,
                    photo.get_status_display(),
                    reverse("admin:channels_app_archivephoto_change", args=[photo.pk]),
                )
            )
    episodes = (
        Episode.objects.select_related("show")
        .filter(publish_at__gte=start, publish_at__lt=end)
        .exclude(status=EpisodeStatus.DRAFT)
    )
    for episode in episodes:
        moment = _local(episode.publish_at)  # type: ignore[arg-type]
        entries.append(
            CalendarEntry(
                moment.date(),
                moment.time(),
                "episode",
                episode.show.title,
                episode.title,
                episode.get_status_display(),
                reverse("admin:podcasts_episode_change", args=[episode.pk]),
            )
        )
    return sorted(entries, key=lambda e: (e.day, e.at or time.min, e.kind, e.channel))


# --- sign-language parity --------------------------------------------------------------------


@dataclass(frozen=True)
class ParityRow:
    month: date
    posts: int  # published posts on channels with a sign-language twin
    signed: int  # of which a signed version is published
    declined: int  # of which a reason why not is recorded
    median_days: float | None  # from the post to its signed version

    @property
    def share(self) -> int:
        return round(100 * self.signed / self.posts) if self.posts else 0


def twin_parity(*, year: int) -> list[ParityRow]:
    """Per month of ``year`` (by the post's publishing time, local): the posts that got a
    sign-language plan, how many got their signed version and the median delay in days."""
    start, end = _bounds(date(year, 1, 1), date(year, 12, 31))
    plans = TwinPlan.objects.select_related("post").filter(
        post__status=PostStatus.PUBLISHED, post__published_at__gte=start, post__published_at__lt=end
    )
    months: dict[date, list[TwinPlan]] = {}
    for plan in plans:
        moment = _local(plan.post.published_at)  # type: ignore[arg-type]
        months.setdefault(moment.date().replace(day=1), []).append(plan)
    rows = []
    for month in sorted(months):
        group = months[month]
        done = [p for p in group if p.status == TwinPlanStatus.DONE and p.closed_at]
        delays = [
            (p.closed_at - p.post.published_at).total_seconds() / 86400  # type: ignore[operator]
            for p in done
        ]
        rows.append(
            ParityRow(
                month,
                len(group),
                len(done),
                sum(p.status == TwinPlanStatus.DECLINED for p in group),
                round(statistics.median(delays), 1) if delays else None,
            )
        )
    return rows


def twin_parity_context(*, year: int) -> dict[str, Any]:
    return {"year": year, "rows": twin_parity(year=year)}
