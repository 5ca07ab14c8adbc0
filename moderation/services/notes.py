"""Notes moderators keep about an item or an author, and the police-report checklist."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import permission_require
from core.actors import model_save
from core.exceptions import ApplicationError
from moderation.models import Item, Note, PlatformAccount, PoliceReportChecklist


def note_create(
    *,
    text: str,
    item: Item | None = None,
    author: PlatformAccount | None = None,
    actor: User,
) -> Note:
    permission_require(actor, "moderation.add_note")
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    note = Note(item=item, author=author, text=text, created_by=actor)
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def police_checklist_update(
    *,
    checklist: PoliceReportChecklist,
    evidence_secured: bool,
    reported_to_police: bool,
    police_reference: str,
    security_informed: bool,
    complete: bool,
    actor: User,
) -> PoliceReportChecklist:
    permission_require(actor, "moderation.change_policereportchecklist")
    checklist = PoliceReportChecklist.objects.select_for_update().get(pk=checklist.pk)
    if checklist.completed_at:
        raise ApplicationError(_("The checklist is completed."))
    checklist.evidence_secured = evidence_secured
    checklist.reported_to_police = reported_to_police
    checklist.police_reference = police_reference.strip()
    checklist.security_informed = security_informed
    if complete:
        checklist.completed_at = timezone.now()
        checklist.completed_by = actor
    checklist.full_clean()
    model_save(checklist, actor)
    return checklist
