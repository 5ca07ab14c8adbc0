"""Every write to shows and episodes, and the publishing workflow with its gate: an episode goes
out only with audio and a Swedish transcript (lag (2018:1937))."""

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import permission_require
from core.actors import model_save
from core.exceptions import ApplicationError
from podcasts.choices import EpisodeStatus
from podcasts.models import Episode, EpisodeGuest, Show

logger = logging.getLogger(__name__)
GUEST_FIELDS = ("name", "job_title", "unit")


def _assign(obj: Any, fields: Mapping[str, Any]) -> None:
    for field, value in fields.items():
        setattr(obj, field, value)


@transaction.atomic
def show_create(*, actor: User, **fields: Any) -> Show:
    permission_require(actor, "podcasts.add_show")
    show = Show()
    _assign(show, fields)
    show.full_clean()
    model_save(show, actor)
    return show


@transaction.atomic
def show_update(*, show: Show, actor: User, **fields: Any) -> Show:
    permission_require(actor, "podcasts.change_show")
    _assign(show, fields)
    show.full_clean()
    model_save(show, actor)
    return show


@transaction.atomic
def episode_guests_set(
    *, episode: Episode, guests: Iterable[Mapping[str, Any]], actor: User
) -> None:
    """Replace the episode's guests (name, job title, unit), in the order given."""
    permission_require(actor, "podcasts.change_episode")
    rows = []
    for order, guest in enumerate(guests):
        row = EpisodeGuest(
            episode=episode, order=order, **{k: (guest.get(k) or "") for k in GUEST_FIELDS}
        )
        row.full_clean(exclude=["episode"])
        rows.append(row)
    episode.guests.all().delete()
    for row in rows:
        model_save(row, actor)


@transaction.atomic
def episode_create(
    *, show: Show, actor: User, guests: Iterable[Mapping[str, Any]] = (), **fields: Any
) -> Episode:
    """A new draft episode; uploaded audio, transcript and video are read and checked."""
    permission_require(actor, "podcasts.add_episode")
    episode = Episode(show=show)
    _assign(episode, fields)
    episode.full_clean()
    model_save(episode, actor)
    episode_guests_set(episode=episode, guests=guests, actor=actor)
    return episode


@transaction.atomic
def episode_update(
    *,
    episode: Episode,
    actor: User,
    guests: Iterable[Mapping[str, Any]] | None = None,
    **fields: Any,
) -> Episode:
    """Change an episode. A replaced audio file is stored under a new name (a new URL)."""
    permission_require(actor, "podcasts.change_episode")
    _assign(episode, fields)
    episode.full_clean()
    model_save(episode, actor)
    if guests is not None:
        episode_guests_set(episode=episode, guests=guests, actor=actor)
    return episode


def _gate(episode: Episode, status: str) -> None:
    # The model's clean() holds the gate (transcript and audio); this runs it for the new state
    # and leaves the row untouched when it refuses.
    previous = episode.status
    episode.status = status
    try:
        episode.full_clean()
    except Exception:
        episode.status = previous
        raise


@transaction.atomic
def episode_publish(*, episode: Episode, actor: User, at: datetime | None = None) -> Episode:
    """Publish now. Refused without a transcript or audio, and for a new episode of a show that
    is paused or ended."""
    permission_require(actor, "podcasts.publish_episode")
    episode = Episode.objects.select_for_update().select_related("show").get(pk=episode.pk)
    if episode.status == EpisodeStatus.PUBLISHED:
        raise ApplicationError(_("The episode is already published."), code="already_published")
    if episode.published_at is None and not episode.show.accepts_new_episodes:
        raise ApplicationError(
            _("%(show)s is paused or ended and takes no new episodes.")
            % {"show": episode.show.title},
            code="show_closed",
        )
    _gate(episode, EpisodeStatus.PUBLISHED)
    episode.published_at = episode.published_at or at or timezone.now()
    model_save(episode, actor)
    return episode


@transaction.atomic
def episode_schedule(*, episode: Episode, publish_at: datetime, actor: User) -> Episode:
    """Set the episode to go out at ``publish_at``; the same gate as publishing."""
    permission_require(actor, "podcasts.publish_episode")
    episode = Episode.objects.select_for_update().select_related("show").get(pk=episode.pk)
    if episode.status == EpisodeStatus.PUBLISHED:
        raise ApplicationError(_("The episode is already published."), code="already_published")
    if publish_at <= timezone.now():
        raise ApplicationError(
            _("The publishing time must be in the future; publish now instead."),
            code="time_passed",
        )
    episode.publish_at = publish_at
    _gate(episode, EpisodeStatus.SCHEDULED)
    model_save(episode, actor)
    return episode


@transaction.atomic
def episode_unpublish(*, episode: Episode, actor: User) -> Episode:
    """Take the episode out of the feed and off the public pages; it stays in admin and history."""
    permission_require(actor, "podcasts.publish_episode")
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if episode.status not in {EpisodeStatus.PUBLISHED, EpisodeStatus.SCHEDULED}:
        raise ApplicationError(
            _("Only a published or scheduled episode can be unpublished."), code="not_published"
        )
    episode.status = EpisodeStatus.UNPUBLISHED
    model_save(episode, actor)
    return episode


def episodes_publish_due(*, actor: User) -> int:
    """Publish every scheduled episode whose time has come; the periodic task calls this.
    Returns how many went out."""
    due = Episode.objects.filter(
        status=EpisodeStatus.SCHEDULED, publish_at__lte=timezone.now()
    ).values_list("pk", "publish_at")
    published = 0
    for pk, publish_at in list(due):
        try:
            episode_publish(episode=Episode(pk=pk), actor=actor, at=publish_at)
        except (ValidationError, ApplicationError) as error:
            # Left scheduled and visible in admin; the conformance panel says what is wrong.
            logger.warning("Scheduled episode %s was not published: %s", pk, error)
        else:
            published += 1
    return published
