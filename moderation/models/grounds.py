"""The grounds the municipality published for removing content; every removal cites one."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Ground(models.Model):
    """One of the rules the municipality published for removing content; every removal cites one."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    wording = models.TextField(_("published wording"), help_text=_("As on the public page."))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    mandatory_removal = models.BooleanField(
        _("removal mandatory"),
        default=False,
        help_text=_("Content the law (1998:112) 5 § obliges the municipality to remove."),
    )
    requires_rationale = models.BooleanField(
        _("rationale required"),
        default=False,
        help_text=_("A removal must give a written reason (objectivity and impartiality)."),
    )
    police_report = models.BooleanField(_("report to the police"), default=False)
    store_content = models.BooleanField(
        _("store content"),
        default=True,
        help_text=_("Off for child abuse material: only metadata and platform ids are kept."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of rule"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_grounds",
        help_text=_("A narrower ground under a published rule, e.g. child abuse material."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ground")
        verbose_name_plural = _("grounds")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.wording.rstrip(",. ").removesuffix(" eller")
