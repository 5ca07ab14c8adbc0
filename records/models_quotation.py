"""Free text recognised as quoting a register entry's content (``records.quoting``): a note, a
rationale or a reason elsewhere that pastes the words of a secret comment without saying so.
The row names the entry and the quoting row (any model that registered its free text); read
paths withhold the quoting text as they withhold the entry's content."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Quotation(models.Model):
    record = models.ForeignKey(
        "records.Record",
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        related_name="quotations",
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of text"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("row"))
    found_at = models.DateTimeField(_("found"), auto_now_add=True)

    class Meta:
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "content_type", "object_id"], name="quotation_once"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} → {self.record_id}"
