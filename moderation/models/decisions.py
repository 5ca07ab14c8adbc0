"""The decisions moderators make (append-only), the police-report checklist a removal may
open, and the reconsideration (omprövning) of a decision."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from moderation.choices import (
    DecisionAction,
    ReconsiderationOutcome,
)
from moderation.models.base import AppendOnlyModel
from moderation.models.catalogue import ReplyTemplate
from moderation.models.grounds import Ground
from moderation.models.items import Item, PlatformAccount


class Decision(AppendOnlyModel):
    """One moderation decision, append-only: what was done, on which grounds, by whom, when."""

    channel = models.ForeignKey(
        "channels_app.Channel", verbose_name=_("channel"), on_delete=models.PROTECT
    )
    item = models.ForeignKey(
        Item,
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    author = models.ForeignKey(
        PlatformAccount,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    action = models.CharField(_("action"), max_length=10, choices=DecisionAction.choices)
    grounds = models.ManyToManyField(Ground, verbose_name=_("grounds"), blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    reply_template = models.ForeignKey(
        ReplyTemplate,
        verbose_name=_("reply template"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    automated = models.BooleanField(
        _("automated"), default=False, help_text=_("Taken by the detectors, not a person.")
    )
    platform_connected = models.BooleanField(
        _("channel connected to its platform"),
        default=True,
        help_text=_(
            "When not, nothing was sent to the platform: the action is to be taken there by hand."
        ),
    )
    created_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Decisions of a kind per month and channel (metrics and /insyn/), read from the
            # index alone.
            models.Index(
                fields=["action", "created_at"],
                include=["channel_id", "id"],
                name="decision_action_month",
            ),
            # The decisions on an author's earlier items, newest first (the item page).
            models.Index(fields=["author", "-created_at"], name="decision_author_history"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class PoliceReportChecklist(models.Model):
    """Opened by a removal on a police-report ground: the steps before the case is closed."""

    decision = models.OneToOneField(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="police_checklist",
    )
    evidence_secured = models.BooleanField(
        _("evidence secured (item, metadata and platform ids)"), default=False
    )
    reported_to_police = models.BooleanField(_("reported to the police"), default=False)
    police_reference = models.CharField(_("police case number"), max_length=100, blank=True)
    security_informed = models.BooleanField(_("security function informed"), default=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("police-report checklist")
        verbose_name_plural = _("police-report checklists")

    def __str__(self) -> str:
        """The item and its author, and when it was removed in Stockholm time: what a person
        finds the case by."""
        decision = self.decision
        author = decision.author
        who = (author.name or author.external_id) if author else gettext("unknown author")
        when = date_format(timezone.localtime(decision.created_at), "j F Y H:i")
        kind = decision.item.get_kind_display() if decision.item else gettext("item")
        return pgettext("police-report checklist", "%(kind)s from %(author)s, %(time)s") % {
            "kind": str(kind).capitalize(),
            "author": who,
            "time": when,
        }

    def clean(self) -> None:
        if self.completed_at and not (
            self.evidence_secured and self.reported_to_police and self.police_reference
        ):
            raise ValidationError(
                _("Secure the evidence, report to the police and note the case number first.")
            )


class Reconsideration(AppendOnlyModel):
    """Omprövning: another moderator than the one who decided re-examines a decision."""

    decision = models.OneToOneField(
        Decision,
        verbose_name=_("reconsidered decision"),
        on_delete=models.PROTECT,
        related_name="reconsideration",
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReconsiderationOutcome.choices)
    rationale = models.TextField(_("rationale"))
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_decision = models.OneToOneField(
        Decision,
        verbose_name=_("new decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reconsidered_from",
    )
    created_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reconsideration")
        verbose_name_plural = _("reconsiderations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.decision}"
