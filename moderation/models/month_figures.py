"""The item figures of a closed month, kept so that the metrics and the public account need
not read every item of a year on each request (moderation.statistics). Derived data: a row
is used only while nothing it counts has changed since it was computed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemMonthFigures(models.Model):
    """Items received in one month (Europe/Stockholm), on one channel or (no channel) all of
    them: how many, the median waits to a person's first action and to hiding with the counts
    they are taken over, and how many were handled after their due time as of ``computed_at``."""

    month = models.DateField(_("month"))
    channel = models.ForeignKey(
        "channels_app.Channel",
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    received = models.PositiveIntegerField(_("received"))
    first_action_count = models.PositiveIntegerField()
    median_first_action = models.DurationField(null=True)
    hidden_item_count = models.PositiveIntegerField()
    median_hiding = models.DurationField(null=True)
    due_breaches = models.PositiveIntegerField()
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("item figures of a month")
        verbose_name_plural = _("item figures of months")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "channel"],
                condition=models.Q(channel__isnull=False),
                name="item_month_figures_per_channel",
            ),
            models.UniqueConstraint(
                fields=["month"],
                condition=models.Q(channel__isnull=True),
                name="item_month_figures_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
