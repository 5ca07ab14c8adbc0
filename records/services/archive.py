"""The archive: fixity audits of the snapshots and e-archive export packages."""

import json
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import permission_require
from records.access import SECRET_PERMISSION
from records.choices import RecordStatus
from records.models import FixityAudit, Record, RecordAmendment, SecretAccessLog
from records.services.common import registrar_emails


def fixity_audit_run(*, actor: User) -> FixityAudit:
    """Recompute the hash of every snapshot and amendment still held; e-mail the registrars
    about any that no longer matches."""
    permission_require(actor, "records.view_record")
    audit = FixityAudit.objects.create()
    mismatches: list[dict[str, Any]] = []
    checked = 0
    active = Record.objects.filter(status=RecordStatus.ACTIVE).only(
        "pk", "number", "text", "raw_payload", "media", "sha256"
    )
    for record in active.iterator(chunk_size=500):
        checked += 1
        if record.computed_hash() != record.sha256:
            mismatches.append({"record": record.pk, "number": record.number or ""})
    amendments = RecordAmendment.objects.filter(record__status=RecordStatus.ACTIVE).only(
        "pk", "record_id", "text", "raw_payload", "sha256"
    )
    for amendment in amendments.iterator(chunk_size=500):
        checked += 1
        if amendment.computed_hash() != amendment.sha256:
            mismatches.append({"record": amendment.record_id, "amendment": amendment.pk})
    audit.checked = checked
    audit.mismatches = mismatches
    audit.finished_at = timezone.now()
    audit.save(update_fields=["checked", "mismatches", "finished_at"])
    recipients = registrar_emails()
    if mismatches and recipients:
        with translation.override(settings.LANGUAGE_CODE):
            send_mail(
                subject=_("Fixity audit: %d snapshots do not match their hash") % len(mismatches),
                message="\n".join(json.dumps(m) for m in mismatches),
                from_email=None,
                recipient_list=recipients,
            )
    return audit


def records_export(*, records: list[Record], actor: User, label: str = "") -> tuple[str, IO[bytes]]:
    """An e-archive package (E-ARK SIP, FGS Paketstruktur 2.0) of ``records`` as (file name,
    the ZIP in a temporary file: the caller closes it). It carries secret content, so only
    registrars export; each secret entry's export is logged."""
    permission_require(actor, SECRET_PERMISSION)
    if not records:
        raise ValidationError({"records": _("Choose the entries to export.")})
    from records.export import package_build

    entries = list(
        Record.objects.filter(pk__in=[r.pk for r in records])
        .select_related("channel", "retention_class")
        .prefetch_related("amendments", "media_files")
        .order_by("document_date", "pk")
    )
    objid, payload = package_build(entries, label=label or _("Social media records"))
    SecretAccessLog.objects.bulk_create(
        SecretAccessLog(record=r, user=actor, purpose=f"e-archive export {objid}")
        for r in entries
        if r.is_secret
    )
    return f"{objid}.zip", payload
