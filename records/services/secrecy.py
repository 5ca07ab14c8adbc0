"""Secrecy markings on register entries (OSL 5:5) and the provision they cite."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import permission_require
from core.actors import model_save
from core.exceptions import ApplicationError
from records.choices import RegistrationBasis, RegistrationRule
from records.models import Record
from records.quoting import quotations_find
from records.retention import retention_defaults_get, retention_follow
from records.services.common import record_locked
from records.services.registration import numbers_allocate

PROVISION_PATTERN = re.compile(r"\d+\s*kap\.?\s*\d+\s*[a-z]?\s*§", re.IGNORECASE)


def provision_validate(provision: str, field: str) -> str:
    provision = " ".join((provision or "").split())
    if not provision:
        raise ValidationError({field: _("Secrecy needs the OSL provision.")})
    if not PROVISION_PATTERN.search(provision) or len(provision) > 200:
        raise ValidationError(
            {field: _("Give the provision as chapter and section, e.g. “OSL 26 kap. 1 §”.")}
        )
    return provision


def _secrecy_set(record: Record, *, secret: bool, provision: str, actor: User) -> Record:
    record = record_locked(record)
    record.is_secret = secret
    record.secrecy_provision = provision
    record.secrecy_marked_at = timezone.now()
    record.secrecy_marked_by = actor
    fields = ["is_secret", "secrecy_provision", "secrecy_marked_at", "secrecy_marked_by"]
    if secret and not record.is_registered:
        # OSL 5:1: a secret document is always registered, whatever kept it in order before.
        defaults = retention_defaults_get([record.channel_id])
        fields += retention_follow(record, RegistrationBasis.REGISTERED, defaults)
        record.registration_basis = RegistrationBasis.REGISTERED
        record.registration_rule = RegistrationRule.SECRET
        fields += ["registration_basis", "registration_rule"]
    model_save(record, actor, update_fields=fields)
    if secret:
        # Free text elsewhere that pastes the entry's words is withheld with it.
        quotations_find([record])
    if record.is_registered and record.number is None:
        numbers_allocate([record])  # last: the series stays locked until the commit
    return record


@transaction.atomic
def record_secrecy_mark(*, record: Record, provision: str, actor: User) -> Record:
    """Mark an entry secret (OSL 5:5): the provision, the date and who marked it."""
    permission_require(actor, "records.mark_secret_record")
    provision = provision_validate(provision, "secrecy_provision")
    return _secrecy_set(record, secret=True, provision=provision, actor=actor)


@transaction.atomic
def record_secrecy_unmark(*, record: Record, actor: User) -> Record:
    """Remove the secrecy marking; the history keeps the earlier marking, its date and who."""
    permission_require(actor, "records.mark_secret_record")
    if not Record.objects.filter(pk=record.pk, is_secret=True).exists():
        raise ApplicationError(_("The entry is not marked secret."), code="not_secret")
    return _secrecy_set(record, secret=False, provision="", actor=actor)
