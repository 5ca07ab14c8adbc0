"""The threat lexicon editors tune in admin, the people urgent items escalate to, and the log of
urgent alerts sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from moderation.choices import ThreatTermCategory
from moderation.models.base import LexiconEntry


class ThreatTerm(LexiconEntry):
    """A word or phrase the threat detector reads, by what it is to its rules."""

    category = models.CharField(_("category"), max_length=20, choices=ThreatTermCategory.choices)
    term = models.CharField(
        _("term"),
        max_length=100,
        help_text=_(
            "A word or a phrase in its base form (skjuta, slå ihjäl, vet var du bor): every "
            "inflected form is matched through its lemma, as are å/ä/ö written as a/o, digits "
            "and signs for letters and spaced-out letters. Up to two other words may stand "
            "between the words of a phrase. End a word with * to match every word that starts "
            "with it. Intent, actor, target, self, negation, condition and report words are "
            "matched as written: list each form."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    phrases = True
    shortest = 1
    refusal = _("Write one or more words; a word may end in *, nowhere else.")

    class Meta:
        verbose_name = _("threat lexicon term")
        verbose_name_plural = _("threat lexicon")
        ordering = ["category", "term"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "term"],
                name="threatterm_unique_per_category",
                violation_error_message=_("The term is already in this category."),
            )
        ]


class EscalationContact(models.Model):
    """Who hears of an urgent item next when nobody has claimed it: the on-call order."""

    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("escalation contact")
        verbose_name_plural = _("escalation contacts")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class UrgentAlert(models.Model):
    """One alert about an item suspected of a mandatory-removal ground: level 0 to the
    moderators (and the on-call webhook), each later level to the next escalation contact."""

    item = models.ForeignKey(
        "moderation.Item",
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        related_name="urgent_alerts",
    )
    level = models.PositiveSmallIntegerField(_("level"))
    recipients = models.TextField(_("recipients"), blank=True)
    webhook_status = models.CharField(_("webhook answer"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("urgent alert")
        verbose_name_plural = _("urgent alerts")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "level"], name="urgentalert_once_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.level}"
