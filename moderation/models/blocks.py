"""Blocks: an author barred from a channel, by a decision, until lifted or run out."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from moderation.models.decisions import Decision
from moderation.models.grounds import Ground
from moderation.models.items import PlatformAccount


class Block(models.Model):
    """An author blocked on a channel: who decided, on which grounds, until when, and the lift."""

    author = models.ForeignKey(
        PlatformAccount, verbose_name=_("author"), on_delete=models.PROTECT, related_name="blocks"
    )
    channel = models.ForeignKey(
        "channels_app.Channel", verbose_name=_("channel"), on_delete=models.PROTECT
    )
    grounds = models.ManyToManyField(Ground, verbose_name=_("grounds"))
    rationale = models.TextField(_("rationale"), blank=True)
    decision = models.OneToOneField(
        Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="block"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blocked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("blocked at"), auto_now_add=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lift_decision = models.OneToOneField(
        Decision,
        verbose_name=_("lift decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lifted_block",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "channel"],
                condition=models.Q(lifted_at__isnull=True),
                name="block_one_active_per_author_and_channel",
                violation_error_message=_("The author is already blocked on this channel."),
            )
        ]

    def __str__(self) -> str:
        # Not the author's name: a block's label shows in titles and logs the access policy
        # does not reach (the author of a secret item is withheld).
        return _("Block %(id)s on %(channel)s") % {"id": self.pk, "channel": self.channel.name}
