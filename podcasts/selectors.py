"""Every read of shows and episodes: what the public sees and what staff may see."""

import uuid
from collections import defaultdict
from datetime import UTC, datetime
from typing import NamedTuple

from django.db.models import CharField, Count, Max, Prefetch, Q, QuerySet
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404

from accounts.models import User
from podcasts.choices import EpisodeStatus, ShowStatus, ShowType
from podcasts.models import Episode, EpisodeGuest, Show

GUESTS = Prefetch("guests", queryset=EpisodeGuest.objects.order_by("order", "pk"))


def _staff_sees_all(user: User | None, permission: str) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(permission))


def show_list(*, user: User | None = None) -> QuerySet[Show]:
    """Shows: all for those who may view them in admin, the public ones for everyone else."""
    shows = Show.objects.select_related("channel", "sign_language_channel")
    if _staff_sees_all(user, "podcasts.view_show"):
        return shows
    return shows.exclude(status=ShowStatus.HIDDEN)


def show_get_public(*, slug: str) -> Show:
    return get_object_or_404(show_list(), slug=slug)


def episode_list(*, user: User | None = None) -> QuerySet[Episode]:
    episodes = Episode.objects.select_related(
        "show", "show__sign_language_channel"
    ).prefetch_related(GUESTS)
    if _staff_sees_all(user, "podcasts.view_episode"):
        return episodes
    return episodes.filter(status=EpisodeStatus.PUBLISHED).exclude(show__status=ShowStatus.HIDDEN)


def _feed_order(show: Show, episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    """Newest first, or from the first for a serial show."""
    if show.show_type == ShowType.SERIAL:
        return episodes.order_by("season", "number")
    return episodes.order_by("-published_at", "-number")


def episode_feed_list(*, show: Show) -> list[Episode]:
    """The published episodes of a show in feed order. A paused or ended show keeps listing
    them."""
    return list(_feed_order(show, episode_list().filter(show=show)))


class FeedEntry(NamedTuple):
    """What a feed's ``<item>`` says of an episode, as plain values: a feed of 1,000 episodes
    reads them as tuples in two queries, without a model instance per episode."""

    number: int
    season: int | None
    episode_type: str
    title: str
    description: str
    explicit: bool
    guid: uuid.UUID
    audio: str  # stored file names; "" when there is none
    audio_type: str
    audio_size: int
    audio_duration: int
    transcript: str
    sign_language_video: str
    sign_language_video_size: int
    published_at: str | None  # in UTC to the second, as ``utc_second`` writes it
    guests: tuple[str, ...]

    @property
    def video_guid(self) -> uuid.UUID:
        return Episode.video_guid_for(self.guid)

    @classmethod
    def of(cls, episode: Episode) -> "FeedEntry":
        values = {name: getattr(episode, name) for name in FEED_COLUMNS}
        for name in FEED_FILES:
            values[name] = values[name].name or ""
        if episode.published_at:
            values["published_at"] = utc_second(episode.published_at)
        return cls(**values, guests=tuple(guest.name for guest in episode.guests.all()))


FEED_FILES = ("audio", "transcript", "sign_language_video")
FEED_COLUMNS = FeedEntry._fields[:-1]  # all but the guests
# The feed writes whole seconds in UTC. The publishing time is read last, as text: both databases
# write it in UTC as 'YYYY-MM-DD HH:MM:SS' and more (PostgreSQL in the connection's UTC, in the ISO
# date style psycopg itself requires of times with zone; SQLite as stored), so its first 19
# characters are the feed's time as ``utc_second`` writes it. As a time, each value went through
# Django's converters, which cost more than the rest of the row together. The episode's id comes
# first, to find its guests by.
_FEED_VALUES: list[str | Combinable] = [
    "pk",
    *FEED_COLUMNS[:-1],
    Cast("published_at", CharField()),
]


def utc_second(moment: datetime) -> str:
    """A time as a feed's entries hold it: in UTC, to the second, 'YYYY-MM-DD HH:MM:SS'."""
    return moment.astimezone(UTC).isoformat(sep=" ", timespec="seconds")[:19]


def episode_feed_entries(*, show: Show) -> list[FeedEntry]:
    """The published episodes of a show in feed order, as the feed shows them: none while the
    show is hidden."""
    if show.status == ShowStatus.HIDDEN:
        return []
    published = Episode.objects.filter(show=show, status=EpisodeStatus.PUBLISHED)
    guests: defaultdict[int, list[str]] = defaultdict(list)
    for episode, name in (
        EpisodeGuest.objects.filter(episode__in=published)
        .order_by("order", "pk")
        .values_list("episode", "name")
    ):
        guests[episode].append(name)
    return [
        FeedEntry._make((*row[1:-1], row[-1] and row[-1][:19], tuple(guests.get(row[0], ()))))
        for row in _feed_order(show, published).values_list(*_FEED_VALUES)
    ]


def feed_state(*, show: Show) -> tuple[datetime, int]:
    """When the feed last changed (the show, or any of its episodes, including one that was
    just unpublished: its leaving changes the feed too) and how many episodes the show has
    (a deleted episode changes the count). Together they name the version of the feed."""
    found = Episode.objects.filter(show=show).aggregate(latest=Max("updated_at"), count=Count("pk"))
    latest = found["latest"]
    return (max(show.updated_at, latest) if latest else show.updated_at), found["count"]


def episode_get_public(*, slug: str, number: int) -> Episode:
    return get_object_or_404(episode_list(), show__slug=slug, number=number)


def media_file_visible(*, name: str, user: User | None = None) -> bool:
    """Whether ``name`` is a file of an episode or show ``user`` may see: those of published
    episodes and public shows for everyone, drafts' for staff who may view them. A name that
    belongs to nothing (a replaced file, a guess) is nobody's."""
    files = Q(audio=name) | Q(transcript=name) | Q(sign_language_video=name)
    return (
        episode_list(user=user).filter(files).exists()
        or show_list(user=user).filter(artwork=name).exists()
    )
