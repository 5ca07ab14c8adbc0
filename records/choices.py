from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordDirection(models.TextChoices):
    INCOMING = "incoming", _("Incoming")
    DRAWN_UP = "drawn_up", _("Drawn up")


class RegistrationReason(models.TextChoices):
    """Why the caller hands an item to the register; the stronger reason decides."""

    RECEIVED = "received", _("Received on the account")
    MODERATED = "moderated", _("Hidden or removed by moderation")
    SENSITIVE = "sensitive", _("Contains sensitive data")


class RegistrationBasis(models.TextChoices):
    """OSL 5:1: registered, kept in order instead (3rd para.), or of little importance (4th)."""

    REGISTERED = "registered", _("Registered")
    KEPT_IN_ORDER = "kept_in_order", _("Kept in order")
    LITTLE_IMPORTANCE = "little_importance", _("Of little importance")


class RegistrationRule(models.TextChoices):
    """The rule that decided the registration basis; stored on every entry."""

    SENSITIVE = "sensitive", _("Sensitive data: always registered (OSL 5:1)")
    MODERATED = "moderated", _("Hidden or removed: always registered")
    DRAWN_UP = "drawn_up", _("Our own publication: registered")
    POLICY_REGISTER_ALL = "policy_register_all", _("Channel policy: register everything")
    POLICY_REGISTER_MODERATED = (
        "policy_register_moderated",
        _("Channel policy: register what is moderated, keep the rest in order"),
    )
    POLICY_KEEP_IN_ORDER = "policy_keep_in_order", _("Channel policy: keep in order")
    NO_CONTENT = "no_content", _("No text and no media: of little importance")
    SECRET = "secret", _("Marked secret: always registered (OSL 5:1)")


class RecordStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISPOSED = "disposed", _("Disposed")
    ERASED = "erased", _("Content erased (unlawful content)")


class UnlawfulContentBasis(models.TextChoices):
    """The only grounds on which an entry's content is erased at once, outside disposal: content
    that it is itself a crime to possess. Nothing else may use that path."""

    CHILD_ABUSE_MATERIAL = (
        "child_abuse_material",
        _("Child sexual abuse material (brottsbalken 16 kap. 10 a §)"),
    )


class AmendmentKind(models.TextChoices):
    PLATFORM_EDIT = "platform_edit", _("Edited on the platform")
    CORRECTION = "correction", _("Correction")


class RequestIntake(models.TextChoices):
    REGISTRAR = "registrar", _("Received by a registrar")
    PUBLIC_FORM = "public_form", _("Public form")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    DECIDED = "decided", _("Decided")
    DELIVERED = "delivered", _("Delivered")


class RequestDecision(models.TextChoices):
    RELEASE = "release", _("Released")
    PARTIAL = "partial", _("Partly released, with masking")
    REFUSE = "refuse", _("Refused")


class DisposalRunStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    APPROVED = "approved", _("Approved")
    EXECUTED = "executed", _("Executed")


class RecordSource(models.TextChoices):
    """Which path a document came in by: its entry is found by this origin and its source id,
    so that no other path sending the same id can reach it."""

    PLATFORM = "platform", _("The platform (webhook or polling)")
    INGEST = "ingest", _("The ingestion API")
    REGISTRAR = "registrar", _("A registrar")
    API = "api", _("The register API")


class ContentRemoval(models.TextChoices):
    """Why an entry's content is removed from every copy of it."""

    DISPOSAL = "disposal", _("Disposal (gallring)")
    ERASURE = "erasure", _("Erasure of unlawful content")


class MediaKind(models.TextChoices):
    """What a document's media file is, as the platform names it."""

    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")
    ATTACHMENT = "attachment", _("Attachment")


class MediaStatus(models.TextChoices):
    """Where the fetch of a media file stands."""

    PENDING = "pending", _("Waiting to be fetched")
    STORED = "stored", _("Stored")
    FAILED = "failed", _("Could not be fetched")
