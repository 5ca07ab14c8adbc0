"""Erasure: the answer to a GDPR erasure request (public documents are kept until disposal),
and the immediate erasure of content that it is unlawful to hold."""

from contextlib import AbstractContextManager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.permissions import permission_require
from core.actors import model_save
from core.exceptions import ApplicationError
from records.choices import ContentRemoval, RecordStatus, UnlawfulContentBasis
from records.lifecycle import content_copies_remove
from records.models import ERASED_CONTENT, ErasureRequest, Record
from records.services.common import amendments_empty, guard_session, record_locked, registrar_emails
from records.services.disposal import record_public_label


def erasure_session() -> AbstractContextManager[None]:
    """Within it, the database trigger accepts that the content columns of snapshots and
    amendments are emptied, and nothing else (migration 0005)."""
    return guard_session("records.erasure")


@transaction.atomic
def erasure_request_answer(
    *, requester: str, description: str, records: list[Record], actor: User
) -> ErasureRequest:
    """Answer a GDPR erasure request (art. 17). Public documents must be kept until the
    disposal their retention class allows; art. 17(3)(b) and (d) exempt them until then."""
    permission_require(actor, "records.add_erasurerequest")
    if not requester.strip() or not description.strip():
        raise ValidationError(_("Give who asks and what the request concerns."))
    with translation.override(settings.LANGUAGE_CODE):
        parts = [
            _(
                "The entries below are public documents (allmänna handlingar). The municipality "
                "must keep them under the Freedom of the Press Act, the Public Access to "
                "Information and Secrecy Act and the Archives Act (Arkivlagen) until they may be "
                "disposed of by a decision. The right to erasure therefore does not apply to "
                "them (GDPR art. 17(3)(b) legal obligation and (d) archiving in the public "
                "interest). They are not published: the public register shows no content."
            ),
            "",
        ]
        for record in records:
            if record.is_disposed:
                line = _("%(number)s: already disposed of; no personal data is kept.")
            elif record.disposal_due:
                line = _("%(number)s: kept until %(due)s, then disposed of.")
            else:
                line = _("%(number)s: kept permanently (bevaras) under the archives rules.")
            parts.append(line % {"number": record_public_label(record), "due": record.disposal_due})
    answer = ErasureRequest(
        requester=requester.strip(),
        description=description.strip(),
        answer="\n".join(parts),
        answered_at=timezone.now(),
        answered_by=actor,
    )
    answer.full_clean()
    answer.save()
    answer.records.set(records)
    return answer


# The subject an erased entry shows everywhere, the public register included.
ERASED_SUBJECT = gettext_lazy("Content erased by law")


@transaction.atomic
def record_unlawful_content_erase(
    *, record: Record, legal_basis: str, decision_reference: str, actor: User
) -> Record:
    """Erase at once the content of an entry that it is a crime to hold (child sexual abuse
    material, brottsbalken 16 kap. 10 a §). This is not disposal: no retention period or run is
    involved, and it serves nothing else; ``legal_basis`` must be an ``UnlawfulContentBasis``.

    The snapshot (text, raw payload, media) and every amendment's content are emptied, and the
    subject replaced by a neutral one (in the history too). Kept: number, dates, channel,
    platform ids, counterparty, registration and retention metadata, and the SHA-256 of the
    original snapshot. The entry is marked erased with when, by whom, on what basis and
    decision; the e-archive export renders that as a PREMIS deletion event, and the registrars
    are told by e-mail (without content)."""
    permission_require(actor, "records.erase_unlawful_content")
    errors: dict[str, str] = {}
    if legal_basis not in UnlawfulContentBasis.values:
        errors["legal_basis"] = _(
            "Content is erased outside disposal only when it is unlawful to hold it."
        )
    decision_reference = " ".join((decision_reference or "").split())
    if not decision_reference:
        errors["decision_reference"] = _("Give the decision the content is erased on.")
    elif len(decision_reference) > 300:
        errors["decision_reference"] = _("The decision reference is at most 300 characters.")
    if errors:
        raise ValidationError(errors)
    record = record_locked(record)
    if not record.has_content:
        raise ApplicationError(_("The content of the entry is already erased."), code="erased")
    with translation.override(settings.LANGUAGE_CODE):
        neutral = str(ERASED_SUBJECT)
    now = timezone.now()
    # The copies go first, while the entry still says what they quote.
    content_copies_remove(records=[record], reason=ContentRemoval.ERASURE, actor=actor)
    with erasure_session():
        record._erasure = True  # type: ignore[attr-defined]
        for name, value in ERASED_CONTENT.items():
            setattr(record, name, type(value)())
        record.subject = record.public_subject = neutral
        record.status = RecordStatus.ERASED
        record.content_erased_at = now
        record.content_erased_by = actor
        record.content_erasure_basis = legal_basis
        record.content_erasure_reference = decision_reference
        model_save(
            record,
            actor,
            update_fields=[
                *ERASED_CONTENT,
                "subject",
                "public_subject",
                "status",
                "content_erased_at",
                "content_erased_by",
                "content_erasure_basis",
                "content_erasure_reference",
            ],
        )
        amendments_empty(record, "_erasure")
    record.history.update(subject=neutral, public_subject=neutral)
    _content_erased_notify(record, actor)
    return record


def _content_erased_notify(record: Record, actor: User) -> None:
    """E-mail the registrars that an entry's content was erased, without the content."""
    recipients = registrar_emails()
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "number": record.number or record.pk,
            "date": f"{timezone.localtime(record.document_date):%Y-%m-%d}",
            "channel": record.channel.name,
            "when": timezone.localtime(record.content_erased_at).strftime("%Y-%m-%d %H:%M"),
            "who": actor.name or actor.email,
            "basis": record.get_content_erasure_basis_display(),
            "reference": record.content_erasure_reference,
        }
        message = (
            _(
                "The content of register entry %(number)s (document date %(date)s, channel "
                "%(channel)s) was erased on %(when)s by %(who)s as unlawful content: %(basis)s. "
                "Decision: %(reference)s. Number, dates, platform ids and the SHA-256 of the "
                "original are kept; the content is held nowhere in the system."
            )
            % values
        )
        subject = _("Register entry %s: unlawful content erased") % values["number"]
    message += f"\n\n{settings.SITE_URL}/admin/records/record/{record.pk}/change/"
    # Only once the erasure is committed: a refused batch rolls back and tells nobody.
    transaction.on_commit(
        lambda: send_mail(
            subject=subject, message=message, from_email=None, recipient_list=recipients
        )
    )
