"""An author's request that a decision about their comment be reconsidered (omprövning), made
on the public form by the comment's link. Written once; it is answered by the Reconsideration
another moderator records on the decision."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from moderation.models.base import AppendOnlyModel


class ReconsiderationRequest(AppendOnlyModel):
    decision = models.ForeignKey(
        "moderation.Decision",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="reconsideration_requests",
    )
    permalink = models.CharField(_("link given"), max_length=1000)
    reason = models.TextField(_("why the author asks"), blank=True)
    contact = models.EmailField(
        _("e-mail for the answer"),
        blank=True,
        help_text=_("Optional; the answer is sent here when the decision is reconsidered."),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A moderator other than the one who decided."),
    )
    received_at = models.DateTimeField(_("received"))
    due_at = models.DateTimeField(_("to be answered by"))
    form_nonce = models.CharField(max_length=100, unique=True, editable=False)

    class Meta:
        verbose_name = _("request for reconsideration")
        verbose_name_plural = _("requests for reconsideration")
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["received_at"], name="reconsideration_req_received")]

    def __str__(self) -> str:
        return f"{self.decision} ({self.received_at:%Y-%m-%d})"
