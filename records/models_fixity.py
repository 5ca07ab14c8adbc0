"""The scheduled check that every register snapshot still has the hash it was stored with."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FixityAudit(models.Model):
    """One run of the scheduled hash check over every snapshot."""

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    checked = models.PositiveIntegerField(_("checked"), default=0)
    mismatches = models.JSONField(_("mismatches"), default=list, blank=True)

    class Meta:
        verbose_name = _("fixity audit")
        verbose_name_plural = _("fixity audits")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.started_at):%Y-%m-%d %H:%M} ({self.checked})"
