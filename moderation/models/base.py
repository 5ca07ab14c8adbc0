"""What the moderation models share: the append-only row (decisions, reconsiderations and the
requests for them are written once) and the term editors keep on a detector's list (the word
lists' entries and the threat lexicon's terms)."""

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class AppendOnlyModel(models.Model):
    """A row that is written once: saving it again or deleting it is refused."""

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("Decisions are append-only and cannot be changed."))
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValidationError(_("Decisions are append-only and cannot be deleted."))


class LexiconEntry(models.Model):
    """A term on a list a detector reads, kept by editors in admin: written down lower case
    with single spaces, a word may end in * (every word that starts with it) and nowhere else,
    and an entry no longer wanted is switched off. Each list says how many words a term may
    have, how many letters a word needs, and what the editor is told otherwise."""

    is_active = models.BooleanField(_("active"), default=True)

    term: str
    phrases: ClassVar[bool]
    shortest: ClassVar[int]
    refusal: ClassVar[Promise]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.term

    def clean(self) -> None:
        term = " ".join((self.term or "").lower().split())
        words = term.split(" ")
        if (
            not term
            or (len(words) > 1 and not self.phrases)
            or any(len(w.rstrip("*")) < self.shortest or "*" in w.rstrip("*") for w in words)
        ):
            raise ValidationError({"term": self.refusal})
        self.term = term
