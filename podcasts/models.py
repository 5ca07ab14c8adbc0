"""Podcast shows and their episodes: what the feeds, the public pages and the API are made of."""

import secrets
import uuid
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from channels_app.choices import ChannelPlatform
from channels_app.models import Channel
from podcasts import media, webvtt
from podcasts.categories import CATEGORY_CHOICES
from podcasts.choices import EpisodeStatus, EpisodeType, ShowStatus, ShowType
from podcasts.media import absolute_url

# Podcasting 2.0: podcast:guid is the UUIDv5 of the feed URL in this namespace.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
DESCRIPTION_MAX_BYTES = 4000
TITLE_MAX_CHARS = 255


def podcast_guid_for(feed_url: str) -> uuid.UUID:
    """UUIDv5 of the feed URL without its scheme and trailing slashes."""
    address = feed_url.split("://", 1)[-1].rstrip("/")
    return uuid.uuid5(PODCAST_GUID_NAMESPACE, address)


def description_check(value: str) -> None:
    size = len(value.encode("utf-8"))
    if size > DESCRIPTION_MAX_BYTES:
        raise ValidationError(
            _("The description may be at most %(max)s bytes; it is %(size)s.")
            % {"max": DESCRIPTION_MAX_BYTES, "size": size}
        )


def _versioned_name(folder: str, kind: str, filename: str) -> str:
    # A new upload always gets a new name: apps cache media by URL and must see a changed file
    # as a new one, and a published file is never overwritten in place.
    ext = PurePath(filename).suffix.lower()
    return f"podcasts/{folder}/{kind}-{secrets.token_hex(6)}{ext}"


def artwork_upload_to(show: "Show", filename: str) -> str:
    return _versioned_name(show.slug, "artwork", filename)


def audio_upload_to(episode: "Episode", filename: str) -> str:
    return _versioned_name(f"{episode.show.slug}/{episode.guid}", "audio", filename)


def transcript_upload_to(episode: "Episode", filename: str) -> str:
    return _versioned_name(f"{episode.show.slug}/{episode.guid}", "transcript", filename)


def video_upload_to(episode: "Episode", filename: str) -> str:
    return _versioned_name(f"{episode.show.slug}/{episode.guid}", "sign-language", filename)


def _uploaded(file: Any) -> bool:
    """A file assigned in this change and not yet stored."""
    return bool(file) and not getattr(file, "_committed", True)


class Show(models.Model):
    channel = models.OneToOneField(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="podcast_show",
        limit_choices_to={"platform": ChannelPlatform.PODCAST},
    )
    sign_language_channel = models.OneToOneField(
        Channel,
        verbose_name=_("sign-language channel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="podcast_sign_language_show",
        limit_choices_to={"platform": ChannelPlatform.PODCAST},
        help_text=_("The register's channel for the sign-language-interpreted version."),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_CHARS)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, help_text=_("Part of the feed address.")
    )
    description = models.TextField(
        _("description"), validators=[description_check], help_text=_("At most 4,000 bytes.")
    )
    owner_units = models.CharField(_("owner units"), max_length=255, blank=True)
    author = models.CharField(_("author"), max_length=255, default="Örebro kommun")
    owner_name = models.CharField(_("owner name"), max_length=255, default="Örebro kommun")
    owner_email = models.EmailField(
        _("owner e-mail"), help_text=_("Apple and Spotify send ownership codes here.")
    )
    artwork = models.FileField(
        _("artwork"),
        upload_to=artwork_upload_to,
        blank=True,
        help_text=_("JPEG or PNG, RGB, square, 1400–3000 pixels."),
    )
    artwork_alt = models.CharField(_("artwork text alternative"), max_length=255, blank=True)
    apple_category = models.CharField(_("Apple category"), max_length=100, choices=CATEGORY_CHOICES)
    language = models.CharField(
        _("language"), max_length=10, choices=[("sv", _("Swedish"))], default="sv"
    )
    explicit = models.BooleanField(_("explicit content"), default=False)
    show_type = models.CharField(
        _("type"), max_length=10, choices=ShowType.choices, default=ShowType.EPISODIC
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ShowStatus.choices, default=ShowStatus.ACTIVE
    )
    update_frequency_text = models.CharField(
        _("publishing rhythm"),
        max_length=128,
        blank=True,
        help_text=_("Told to the apps, e.g. that the show is paused."),
    )
    apple_podcasts_url = models.URLField(_("Apple Podcasts address"), blank=True)
    spotify_url = models.URLField(_("Spotify address"), blank=True)
    copyright = models.CharField(_("copyright"), max_length=255, blank=True)
    podcast_guid = models.UUIDField(_("podcast GUID"), unique=True, editable=False, null=True)
    video_podcast_guid = models.UUIDField(
        _("sign-language feed GUID"), unique=True, editable=False, null=True
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("show")
        verbose_name_plural = _("shows")
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Set once, from the first feed address, and never changed: apps follow the show by it.
        if self.podcast_guid is None:
            self.podcast_guid = podcast_guid_for(self.feed_url)
        if self.video_podcast_guid is None:
            self.video_podcast_guid = podcast_guid_for(self.video_feed_url)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("podcasts:show", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.channel_id and self.channel.platform != ChannelPlatform.PODCAST:
            errors["channel"] = _("The channel must be a podcast channel.")
        if _uploaded(self.artwork):
            try:
                media.artwork_check(self.artwork)
            except ValidationError as error:
                errors["artwork"] = error.messages
        if self.artwork and not self.artwork_alt.strip():
            errors["artwork_alt"] = _("Describe the artwork for those who cannot see it.")
        if errors:
            raise ValidationError(errors)

    @property
    def feed_url(self) -> str:
        return absolute_url(reverse("podcasts:feed", kwargs={"slug": self.slug}))

    @property
    def video_feed_url(self) -> str:
        return absolute_url(reverse("podcasts:video-feed", kwargs={"slug": self.slug}))

    @property
    def accepts_new_episodes(self) -> bool:
        return self.status in {ShowStatus.ACTIVE, ShowStatus.HIDDEN}


class Episode(models.Model):
    show = models.ForeignKey(
        Show, verbose_name=_("show"), on_delete=models.PROTECT, related_name="episodes"
    )
    number = models.PositiveIntegerField(_("episode number"), validators=[MinValueValidator(1)])
    season = models.PositiveIntegerField(
        _("season"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    episode_type = models.CharField(
        _("episode type"), max_length=10, choices=EpisodeType.choices, default=EpisodeType.FULL
    )
    title = models.CharField(
        _("title"),
        max_length=TITLE_MAX_CHARS,
        help_text=_("Without the episode number or the name of the show."),
    )
    description = models.TextField(
        _("description"), validators=[description_check], help_text=_("At most 4,000 bytes.")
    )
    explicit = models.BooleanField(_("explicit content"), default=False)
    guid = models.UUIDField(_("GUID"), default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EpisodeStatus.choices,
        default=EpisodeStatus.DRAFT,
        editable=False,
    )
    publish_at = models.DateTimeField(
        _("publish at"), null=True, blank=True, help_text=_("When a scheduled episode goes out.")
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    audio = models.FileField(
        _("audio"),
        upload_to=audio_upload_to,
        blank=True,
        help_text=_("MP3 or M4A, 96–320 kbit/s, at most 200 MB."),
    )
    audio_type = models.CharField(_("audio type"), max_length=20, blank=True, editable=False)
    audio_size = models.PositiveBigIntegerField(_("audio size (bytes)"), default=0, editable=False)
    audio_duration = models.PositiveIntegerField(_("duration (seconds)"), default=0, editable=False)
    audio_bitrate = models.PositiveIntegerField(_("bitrate (kbit/s)"), default=0, editable=False)
    transcript = models.FileField(
        _("transcript (WebVTT)"),
        upload_to=transcript_upload_to,
        blank=True,
        help_text=_("A WebVTT file in which every cue names its speaker: <v Name>text."),
    )
    sign_language_video = models.FileField(
        _("sign-language-interpreted video (MP4)"), upload_to=video_upload_to, blank=True
    )
    sign_language_video_size = models.PositiveBigIntegerField(
        _("video size (bytes)"), default=0, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("episode")
        verbose_name_plural = _("episodes")
        ordering = ["show", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["show", "number"], name="episode_unique_number"),
        ]
        indexes = [
            models.Index(fields=["status", "publish_at"]),
            # A show's feed in its order (``selectors.episode_feed_entries``), without sorting
            # the rows: a feed of 1,000 episodes spent more in the sort than in reading them.
            models.Index(
                fields=["show", "-published_at", "-number"],
                condition=models.Q(status=EpisodeStatus.PUBLISHED),
                name="episode_feed_order",
            ),
        ]
        permissions = [("publish_episode", _("Can publish, schedule and unpublish episodes"))]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("podcasts:episode", kwargs={"slug": self.show.slug, "number": self.number})

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self._state.adding and self.show_id and not self.show.accepts_new_episodes:
            errors["show"] = _("%(show)s is paused or ended and takes no new episodes.") % {
                "show": self.show.title
            }
        if (
            self.show_id
            and self.number
            and Episode.objects.filter(show_id=self.show_id, number=self.number)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors["number"] = _("The show already has an episode number %(n)s.") % {
                "n": self.number
            }
        for field, check in (
            ("audio", self._audio_read),
            ("transcript", self._transcript_read),
            ("sign_language_video", self._video_read),
        ):
            if _uploaded(getattr(self, field)):
                try:
                    check()
                except ValidationError as error:
                    errors[field] = error.messages
        if self.status in {EpisodeStatus.SCHEDULED, EpisodeStatus.PUBLISHED}:
            if not self.transcript:
                errors.setdefault(
                    "transcript",
                    _(
                        "An episode cannot be published or scheduled without a transcript "
                        "(lag (2018:1937) om tillgänglighet till digital offentlig service)."
                    ),
                )
            if not self.audio:
                errors.setdefault(
                    "audio", _("An episode cannot be published or scheduled without audio.")
                )
        if self.status == EpisodeStatus.SCHEDULED and self.publish_at is None:
            errors["publish_at"] = _("A scheduled episode needs the time it goes out.")
        if errors:
            raise ValidationError(errors)

    def _audio_read(self) -> None:
        info = media.audio_probe(self.audio)
        self.audio_type = info.mime_type
        self.audio_size = info.size
        self.audio_duration = info.duration
        self.audio_bitrate = info.bitrate

    def _transcript_read(self) -> None:
        self.transcript.seek(0)
        data = self.transcript.read()
        self.transcript.seek(0)
        if not (self.transcript.name or "").lower().endswith(".vtt"):
            raise ValidationError(_("The transcript file's name must end in .vtt."))
        webvtt.parse(data)

    def _video_read(self) -> None:
        self.sign_language_video_size = media.video_check(self.sign_language_video)

    @property
    def is_public(self) -> bool:
        return self.status == EpisodeStatus.PUBLISHED

    @property
    def video_guid(self) -> uuid.UUID:
        return self.video_guid_for(self.guid)

    @staticmethod
    def video_guid_for(guid: uuid.UUID) -> uuid.UUID:
        """The GUID of the sign-language version in the video feed: derived, so it never
        changes either."""
        return uuid.uuid5(guid, "swl")

    def transcript_cues(self) -> list[webvtt.Cue]:
        if not self.transcript:
            return []
        with self.transcript.open("rb") as file:
            return webvtt.parse(file.read())


class EpisodeGuest(models.Model):
    """An employee who takes part in an episode: the "vardagshjälte" with title and unit."""

    episode = models.ForeignKey(
        Episode, verbose_name=_("episode"), on_delete=models.CASCADE, related_name="guests"
    )
    name = models.CharField(_("name"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200)
    unit = models.CharField(_("unit"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.name}, {self.job_title}, {self.unit}"
