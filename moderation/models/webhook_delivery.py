"""The webhook inbox: each verified delivery as it arrived, stored by the webhook before it
answers, so that nothing a platform sent is lost after a 200 (moderation.platforms.inbox takes
it from here)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WebhookSource(models.TextChoices):
    META = "meta", "Meta (Facebook, Instagram)"


class WebhookDelivery(models.Model):
    """One delivery, byte for byte as signed (the signature covers these bytes). Unprocessed
    while ``processed_at`` is empty: the task dispatched with it, or the sweep from
    ``next_attempt_at`` on, takes it; a failure is counted and kept in ``last_error``."""

    source = models.CharField(_("source"), max_length=20, choices=WebhookSource.choices)
    body = models.BinaryField(_("body"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(processed_at__isnull=True),
                name="moderation_webhook_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.received_at:%Y-%m-%d %H:%M:%S}"
