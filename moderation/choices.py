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
    REPLY = "reply", _("Reply")


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
    THREAT = "threat", _("Threat")
    INCITEMENT = "incitement", _("Call to violence")
    HARASSMENT = "harassment", _("Harassment")


class WordListKind(models.TextChoices):
    BANNED = "banned", _("Banned")
    SUSPECT = "suspect", _("Suspect")


class ThreatTermCategory(models.TextChoices):
    """What a term of the threat lexicon is to the rules that read it (moderation.threats)."""

    HARM = "harm", _("Harm (killing, shooting, beating, burning …)")
    FATE = "fate", _("Harm that befalls the person named before it (dö, brinna …)")
    INTENT = "intent", _("Future or wish (ska, kommer att, borde, hoppas …)")
    ACTOR = "actor", _("Person who would act (jag, vi, någon, ni …)")
    TARGET = "target", _("Person who would be harmed (du, er, honom, politikerna …)")
    SELF = "self", _("The writer as the one harmed (mig, oss): a report, not a threat")
    FAMILY = "family", _("Family member (barn, fru, familj …)")
    WARNING = "warning", _("Veiled warning (synd om, hända något …)")
    RESIDENCE = "residence", _("Knowing where someone lives (vet var du bor …)")
    THREAT_PHRASE = "threat_phrase", _("Threat on its own (du är död …)")
    WEAPON = "weapon", _("Weapon")
    PLACE = "place", _("Place (kommunhuset, skolan …)")
    CALL = "call", _("Call to others to act (alla, samlas, dags att …)")
    INSULT = "insult", _("Insult")
    NOT_A_THREAT = "not_a_threat", _("Idiom that is not a threat (skjuta upp, slå till på rean …)")
    NEGATION = "negation", _("Negation (inte, aldrig, ingen …)")
    CONDITION = "condition", _("Condition (om, ifall, nästa gång …)")
    REPORT = "report", _("Report or news (polisen, enligt, dömdes …)")


class ThreatRule(models.TextChoices):
    """The rules of the threat detector; a hit's detail starts with the rule's value."""

    INTENT_HARM = "intent_harm", _("a person and a future or wish with harm")
    CONDITIONAL = "conditional", _("harm promised on a condition")
    THREAT_PHRASE = "threat_phrase", _("a threat in so many words")
    RESIDENCE = "residence", _("knows where someone lives")
    FAMILY = "family", _("a threat to family")
    WEAPON_PLACE = "weapon_place", _("a weapon brought to a place or a person")
    CALL = "call", _("a call to others to do harm")
    IMPERATIVE = "imperative", _("an order to do harm")
    INSULT = "insult", _("an insult aimed at someone")


class ReconsiderationOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    CHANGED = "changed", _("Changed")


class ItemEvent(models.TextChoices):
    """What a platform event says happened to an item: the one vocabulary of the adapters, the
    ingest API and the intake (the values are the API's words, so they are their own labels)."""

    CREATED = "created", "created"
    EDITED = "edited", "edited"
    REMOVED = "removed", "removed"
    HIDDEN = "hidden", "hidden"
    UNHIDDEN = "unhidden", "unhidden"


class IntakeOutcome(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    UNCHANGED = "unchanged", _("Unchanged")


def hit_reason(detail: str) -> str:
    """A hit's detail as a moderator reads it: a threat rule's code becomes its name."""
    code, sep, rest = detail.partition(": ")
    if code in ThreatRule.values:
        return f"{ThreatRule(code).label}: {rest}" if sep else str(ThreatRule(code).label)
    return detail
