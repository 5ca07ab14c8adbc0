"""Every read of shows and episodes: what the public sees and what staff may see."""

from datetime import datetime

from django.db.models import Count, Max, Prefetch, Q, QuerySet
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


def episode_feed_list(*, show: Show) -> list[Episode]:
    """The published episodes of a show in feed order: newest first, or from the first for a
    serial show. A paused or ended show keeps listing them."""
    episodes = episode_list().filter(show=show)
    if show.show_type == ShowType.SERIAL:
        return list(episodes.order_by("season", "number"))
    return list(episodes.order_by("-published_at", "-number"))


def feed_state(*, show: Show) -> tuple[datetime, int]:
    """When the feed last changed (the show, or any of its episodes, including one that was
    just unpublished: its leaving changes the feed too) and how many episodes the show has
    (a deleted episode changes the count). Together they name the version of the feed."""
    found = Episode.objects.filter(show=show).aggregate(latest=Max("updated_at"), count=Count("pk"))
    latest = found["latest"]
    return (max(show.updated_at, latest) if latest else show.updated_at), found["count"]


def feed_last_modified(*, show: Show) -> datetime:
    return feed_state(show=show)[0]


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
