"""The channel register: every official account the municipality runs."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from channels_app.choices import ChannelPlatform, ChannelRecordsPolicy, ChannelRole, ChannelStatus

PLATFORM_HOSTS = {
    ChannelPlatform.FACEBOOK: ("facebook.com", "fb.com"),
    ChannelPlatform.INSTAGRAM: ("instagram.com",),
    ChannelPlatform.LINKEDIN: ("linkedin.com",),
    ChannelPlatform.YOUTUBE: ("youtube.com", "youtu.be"),
}
HANDLE_PATTERN = re.compile(r"^@?[\w.\-]{1,100}$")


class Channel(models.Model):
    platform = models.CharField(_("platform"), max_length=20, choices=ChannelPlatform.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    handle = models.CharField(
        _("handle"), max_length=100, blank=True, help_text=_("The account name, e.g. @tborebro.")
    )
    url = models.URLField(_("address"), blank=True)
    role = models.CharField(_("role"), max_length=20, choices=ChannelRole.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    audience = models.TextField(_("audience"), blank=True)
    owning_unit = models.CharField(_("owning unit"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ChannelStatus.choices, default=ChannelStatus.ACTIVE
    )
    started_on = models.DateField(_("started"), null=True, blank=True)
    paused_on = models.DateField(_("paused"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    is_public = models.BooleanField(_("shown on the public page"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    sign_language_counterpart = models.ForeignKey(
        "self",
        verbose_name=_("sign-language twin of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sign_language_twins",
        help_text=_("The main account that this sign-language account mirrors."),
    )
    supervision_interval = models.DurationField(
        _("supervision interval"),
        default=timedelta(hours=24),
        help_text=_(
            "How often the channel is watched, in working time (lag (1998:112) 4 §). "
            "Each received item is due within this time."
        ),
    )
    records_policy = models.CharField(
        _("records policy"),
        max_length=20,
        choices=ChannelRecordsPolicy.choices,
        default=ChannelRecordsPolicy.REGISTER_MODERATED,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["platform", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "handle"],
                condition=~models.Q(handle=""),
                name="channel_unique_platform_handle",
                violation_error_message=_("Another channel on this platform has this handle."),
            ),
            models.CheckConstraint(
                condition=~models.Q(sign_language_counterpart=models.F("pk")),
                name="channel_twin_not_self",
                violation_error_message=_("A channel cannot be its own sign-language twin."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_platform_display()})"

    def clean(self) -> None:
        errors: dict[str, object] = {}
        twin = self.sign_language_counterpart
        if twin is not None:
            if self.pk and twin.pk == self.pk:
                errors["sign_language_counterpart"] = _(
                    "A channel cannot be its own sign-language twin."
                )
            elif twin.platform != self.platform:
                errors["sign_language_counterpart"] = _(
                    "The sign-language twin must be on the same platform."
                )
        if self.handle and not HANDLE_PATTERN.match(self.handle):
            errors["handle"] = _(
                "A handle is letters, digits, dots, dashes and underscores, optionally after @."
            )
        hosts = PLATFORM_HOSTS.get(ChannelPlatform(self.platform)) if self.platform else None
        if self.url and hosts:
            host = (urlsplit(self.url).hostname or "").lower()
            if not any(host == h or host.endswith("." + h) for h in hosts):
                errors["url"] = _("The address must be on %s.") % ", ".join(hosts)
        if self.status == ChannelStatus.CLOSED and not self.closed_on:
            errors["closed_on"] = _("A closed channel needs the date it closed.")
        if errors:
            raise ValidationError(errors)
