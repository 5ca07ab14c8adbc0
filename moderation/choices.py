from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    POST = "post", _("Post")
    COMMENT = "comment", _("Comment")
    REPLY = "reply", _("Reply")
    MESSAGE = "message", _("Message")
    MENTION = "mention", _("Mention")


class ItemState(models.TextChoices):
    NEW = "new", _("New")
    CLAIMED = "claimed", _("Claimed")
    KEPT = "kept", _("Kept")
    HIDDEN = "hidden", _("Hidden")
    REMOVED = "removed", _("Removed")
    ESCALATED = "escalated", _("Escalated")


class DecisionAction(models.TextChoices):
    KEEP = "keep", _("Keep")
    HIDE = "hide", _("Hide")
    UNHIDE = "unhide", _("Unhide")
    REMOVE = "remove", _("Remove")
    BLOCK = "block", _("Block author")
    UNBLOCK = "unblock", _("Unblock author")
    ESCALATE = "escalate", _("Escalate")
    REOPEN = "reopen", _("Reopen")
    REPLY = "reply", _("Reply with a template")


class PlatformActionKind(models.TextChoices):
    """What is asked of the platform; the names match ``moderation.platforms.base.Action``."""

    HIDE = "hide", _("Hide")
    UNHIDE = "unhide", _("Unhide")
    DELETE = "delete", _("Delete")
    BAN = "ban", _("Ban author")
    UNBAN = "unban", _("Lift ban")
    REPLY = "reply", _("Reply")


class PlatformActionState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    UNSUPPORTED = "unsupported", _("Unsupported: do it by hand")


class DetectorKind(models.TextChoices):
    PERSONAL_NUMBER = "personal_number", _("Personal identity number")
    COORDINATION_NUMBER = "coordination_number", _("Coordination number")
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("E-mail address")
    LINK = "link", _("Link")
    BANNED_WORD = "banned_word", _("Banned word")
    SUSPECT_WORD = "suspect_word", _("Suspect word")


class WordListKind(models.TextChoices):
    BANNED = "banned", _("Banned")
    SUSPECT = "suspect", _("Suspect")


class ReconsiderationOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    CHANGED = "changed", _("Changed")


class IntakeOutcome(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    UNCHANGED = "unchanged", _("Unchanged")
