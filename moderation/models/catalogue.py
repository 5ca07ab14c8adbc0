"""What editors keep in admin for moderators: the banned and suspect word lists and the reply
templates."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from moderation.choices import (
    WordListKind,
)
from moderation.models.grounds import Ground


class Word(models.Model):
    """An entry on the banned or suspect word list that editors keep."""

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
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

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

    def __str__(self) -> str:
        return self.term

    def clean(self) -> None:
        term = (self.term or "").strip().lower()
        if len(term.rstrip("*")) < 2 or "*" in term.rstrip("*") or any(c.isspace() for c in term):
            raise ValidationError(
                {"term": _("A term is one word of at least two letters, optionally ending in *.")}
            )
        self.term = term


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
