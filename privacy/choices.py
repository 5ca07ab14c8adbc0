from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectRequestKind(models.TextChoices):
    """The data subject's rights this app handles (GDPR art. 15, 16 and 21)."""

    ACCESS = "access", _("Access to personal data (GDPR art. 15)")
    RECTIFICATION = "rectification", _("Rectification (GDPR art. 16)")
    OBJECTION = "objection", _("Objection (GDPR art. 21)")


class SubjectRequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    DECIDED = "decided", _("Decided")
    DELIVERED = "delivered", _("Answered")


class SubjectRequestDecision(models.TextChoices):
    GRANTED = "granted", _("Granted")
    PARTLY = "partly", _("Partly granted")
    REFUSED = "refused", _("Refused")
