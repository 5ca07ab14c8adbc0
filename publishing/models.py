"""The municipality's own posts: a post for one channel with its media, its way from draft through
four-eyes approval to the platform (the post is its own outbox row while it is sent), and the
plan for its signed version on the channel's sign-language twin."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from publishing.choices import MediaKind, PostStatus, TwinPlanStatus

IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "gif"]
VIDEO_EXTENSIONS = ["mp4", "mov"]
DEFAULT_LIX_LIMIT = 40  # "medelsvår" text: the upper end Språkrådet advises for public information


def media_upload_to(media: "PostMedia", filename: str) -> str:
    # A fresh name for every upload: a replaced file never keeps an address a platform fetched.
    return f"publishing/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def captions_upload_to(media: "PostMedia", filename: str) -> str:
    return f"publishing/captions/{uuid.uuid4().hex}.vtt"


class Post(models.Model):
    """One post for one channel. ``status`` moves only through the services
    (publishing.workflow holds the table); while ``scheduled`` the sender claims the post at
    ``planned_at`` and records each attempt as the moderation outbox does."""

    channel = models.ForeignKey(
        "channels_app.Channel",
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="posts",
    )
    text = models.TextField(_("text"))
    link_url = models.URLField(_("link"), blank=True)
    link_text = models.CharField(
        _("link text"),
        max_length=200,
        blank=True,
        help_text=_("What the link leads to, in words (never just “här”)."),
    )
    planned_at = models.DateTimeField(_("planned time"), null=True, blank=True)
    lix_limit = models.PositiveSmallIntegerField(
        _("readability limit (LIX)"),
        default=DEFAULT_LIX_LIMIT,
        validators=[MinValueValidator(20), MaxValueValidator(70)],
        help_text=_("A hint is shown when the text's LIX is above this."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    # Sending (the outbox's columns, for this post).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_answer = models.TextField(_("last answer from the platform"), blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("last HTTP status"), null=True, blank=True
    )
    # A platform that processes media before publishing (an Instagram video's container): the
    # container made for this post, checked by the next attempts and never made twice, and how
    # many times it was found still processing.
    container_id = models.CharField(_("media container id"), max_length=64, blank=True)
    container_checks = models.PositiveSmallIntegerField(_("container checks"), default=0)
    external_id = models.CharField(_("platform id"), max_length=255, blank=True)
    permalink = models.URLField(_("address on the platform"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    record = models.ForeignKey(
        "records.Record",
        verbose_name=_("register entry"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["next_attempt_at", "container_checks", "updated_at"]
    )

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-planned_at", "-pk"]
        permissions = [
            ("approve_post", _("Can approve posts (not one's own)")),
            ("publish_post", _("Can schedule, publish and withdraw posts")),
        ]
        indexes = [models.Index(fields=["status", "planned_at"])]

    def __str__(self) -> str:
        words = " ".join(self.text.split())
        return words if len(words) <= 60 else words[:59].rstrip() + "…"


class PostMedia(models.Model):
    """An image (with its alt text) or a video (with its WebVTT captions) of a post."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="media"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MediaKind.choices)
    file = models.FileField(
        _("file"),
        upload_to=media_upload_to,
        validators=[FileExtensionValidator([*IMAGE_EXTENSIONS, *VIDEO_EXTENSIONS])],
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=1000,
        blank=True,
        help_text=_("What the image shows, for those who cannot see it."),
    )
    captions = models.FileField(
        _("captions (WebVTT)"),
        upload_to=captions_upload_to,
        blank=True,
        validators=[FileExtensionValidator(["vtt"])],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("media")
        verbose_name_plural = _("media")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return PurePath(self.file.name or "").name


class TwinPlan(models.Model):
    """The signed version of a post for the channel's sign-language twin: to record by
    ``due_on``, or a recorded reason why there is none."""

    post = models.OneToOneField(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="twin_plan"
    )
    twin_channel = models.ForeignKey(
        "channels_app.Channel",
        verbose_name=_("sign-language account"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=TwinPlanStatus.choices, default=TwinPlanStatus.OPEN
    )
    signed_post = models.OneToOneField(
        Post,
        verbose_name=_("signed version"),
        on_delete=models.PROTECT,
        related_name="signs",
        null=True,
        blank=True,
    )
    reason = models.TextField(_("why there is no signed version"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sign-language plan")
        verbose_name_plural = _("sign-language plans")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=TwinPlanStatus.DECLINED) | ~models.Q(reason=""),
                name="twinplan_declined_has_reason",
            )
        ]

    def __str__(self) -> str:
        return str(self.post)
