"""The notes moderators keep about an item or an author."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from moderation.models.items import Item, PlatformAccount


class Note(models.Model):
    """An internal note on an item or on an author; never sent to the platform."""

    item = models.ForeignKey(
        Item,
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notes",
    )
    author = models.ForeignKey(
        PlatformAccount,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notes",
    )
    text = models.TextField(_("text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(item__isnull=False, author__isnull=True)
                | models.Q(item__isnull=True, author__isnull=False),
                name="note_on_item_or_author",
                violation_error_message=_("A note is on an item or on an author."),
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]
