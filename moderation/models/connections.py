"""How each channel is connected to its platform: the token, the polling cursor, capture health."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelConnection(models.Model):
    """How a channel is connected to its platform: its access token (encrypted at rest with
    CHANNEL_CREDENTIALS_KEY, never shown or logged), the polling cursor, and the capture health
    moderators and administrators watch (last delivery, poll and send, last error)."""

    channel = models.OneToOneField(
        "channels_app.Channel",
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        related_name="connection",
    )
    access_token_encrypted = models.TextField(editable=False, blank=True)
    token_expires_at = models.DateTimeField(_("token expires"), null=True, blank=True)
    poll_cursor = models.TextField(_("poll cursor"), blank=True, editable=False)
    poll_deferred_until = models.DateTimeField(
        _("next poll not before"), null=True, blank=True, editable=False
    )
    last_delivery_at = models.DateTimeField(
        _("last delivery"), null=True, blank=True, editable=False
    )
    last_poll_at = models.DateTimeField(_("last poll"), null=True, blank=True, editable=False)
    last_sent_at = models.DateTimeField(
        _("last action sent"), null=True, blank=True, editable=False
    )
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("platform connection")
        verbose_name_plural = _("platform connections")
        ordering = ["channel__platform", "channel__name"]

    def __str__(self) -> str:
        return str(self.channel)

    @property
    def has_token(self) -> bool:
        return bool(self.access_token_encrypted)
