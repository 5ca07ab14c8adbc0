"""What editors keep in admin: grounds, word lists, reply templates, threat terms, escalation
contacts."""

from typing import Any

from accounts.models import User
from accounts.permissions import permission_require
from core.actors import model_save
from moderation.models import EscalationContact, Ground, ReplyTemplate, ThreatTerm, Word


def catalogue_entry_save(
    *,
    entry: Ground | Word | ReplyTemplate | ThreatTerm | EscalationContact,
    actor: User,
) -> Any:
    """Save a ground, a word-list entry, a reply template, a threat lexicon term or an
    escalation contact kept in admin."""
    meta = entry._meta
    verb = "change" if entry.pk else "add"
    permission_require(actor, f"{meta.app_label}.{verb}_{meta.model_name}")
    entry.full_clean()
    return model_save(entry, actor)
