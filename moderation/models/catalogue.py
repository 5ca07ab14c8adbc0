"""What editors keep in admin for moderators: the banned and suspect word lists and the reply
templates."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from moderation.choices import (
    WordListKind,
)
from moderation.models.base import LexiconEntry
from moderation.models.grounds import Ground


class Word(LexiconEntry):
    """An entry on the banned or suspect word list that editors keep: one word."""

    list = models.CharField(_("list"), max_length=10, choices=WordListKind.choices)
    term = models.CharField(
        _("term"),
        max_length=100,
        help_text=_(
            "The base form; inflected endings, missing å/ä/ö, case and digits for letters "
            "are matched. End with * to match every word that starts with it."
        ),
    )
    ground = models.ForeignKey(
        Ground,
        verbose_name=_("suspected ground"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    history = HistoricalRecords()

    phrases = False
    shortest = 2
    refusal = _("A term is one word of at least two letters, optionally ending in *.")

    class Meta:
        verbose_name = _("word")
        verbose_name_plural = _("word lists")
        ordering = ["list", "term"]
        constraints = [
            models.UniqueConstraint(
                fields=["list", "term"],
                name="word_unique_per_list",
                violation_error_message=_("The word is already on this list."),
            )
        ]


class ReplyTemplate(models.Model):
    """A Swedish answer moderators send on the platform, kept by editors."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
