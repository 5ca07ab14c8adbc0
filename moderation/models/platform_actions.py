"""The outbox: each action a decision asks of a platform, and how sending it went."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from moderation.choices import (
    PlatformActionKind,
    PlatformActionState,
)
from moderation.models.decisions import Decision


class PlatformAction(models.Model):
    """The outbox: one row per action a decision asks of a platform (hide, unhide, delete, ban,
    unban, reply). The sender (moderation.platforms) picks rows in state ``pending`` whose
    ``next_attempt_at`` has passed, calls the channel's adapter with ``action``,
    ``target_external_id`` (the content, or for ban/unban the author's platform id) and
    ``text`` (replies), and records the outcome: ``sent`` when the platform did it, ``failed``
    when it never will, back to ``pending`` with a later ``next_attempt_at`` on a retry, and
    ``unsupported`` when a person must act on the platform by hand. ``attempts`` counts calls;
    ``last_answer`` and ``last_status_code`` keep the platform's last reply for the audit trail."""

    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="platform_actions",
    )
    channel = models.ForeignKey(
        "channels_app.Channel", verbose_name=_("channel"), on_delete=models.PROTECT
    )
    action = models.CharField(_("action"), max_length=10, choices=PlatformActionKind.choices)
    target_external_id = models.CharField(
        _("target platform id"),
        max_length=255,
        help_text=_("The content's platform id; for a ban or its lift, the author's."),
    )
    text = models.TextField(_("reply text"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=PlatformActionState.choices,
        default=PlatformActionState.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_answer = models.TextField(_("last answer from the platform"), blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("last HTTP status"), null=True, blank=True
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("platform action")
        verbose_name_plural = _("platform actions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.target_external_id} ({self.get_state_display()})"
