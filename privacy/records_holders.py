"""What the register holds about a person: entries where they are the counterparty or are
named in the content, and their own requests for public documents and for erasure. Entries are
public documents (TF 2 kap. 4 §) kept by the disposal rules of their retention class; secret
content is withheld with its provision, erased or disposed content is stated, not given."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy.registry import HeldData, HeldFile, PersonDataHolder, PersonQuery
from records.choices import MediaKind, MediaStatus, RecordStatus, UnlawfulContentBasis
from records.media import EXTENSIONS
from records.models import AccessRequest, ErasureRequest, Record

RECORD_BASIS = gettext_lazy(
    "Public document (allmän handling, TF 2 kap. 4 §) received on the municipality's account, "
    "registered or kept in order (OSL 5 kap. 1 §) and archived under Arkivlagen (1990:782)."
)
REQUEST_BASIS = gettext_lazy(
    "Handling of your request (TF 2 kap.; GDPR art. 6.1 c, legal obligation)."
)


def _date(value: date | None) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def record_retention(record: Record) -> str:
    """How long an entry is kept, in words."""
    if record.retention_class is None:
        return _("Under the information management plan; no retention class set yet.")
    if record.retention_class.keep_forever:
        return _("Kept permanently (bevaras), %s.") % record.retention_class.decision_reference
    return _("Disposed of on %(date)s (%(class)s, %(decision)s).") % {
        "date": _date(record.disposal_due),
        "class": record.retention_class.name,
        "decision": record.retention_class.decision_reference,
    }


def record_withheld(record: Record) -> str:
    """Why the content of an entry is not given, or empty when it is."""
    if record.status == RecordStatus.DISPOSED:
        return _("Disposed of (gallrad) on %s: the content no longer exists.") % _date(
            record.disposed_at and timezone.localtime(record.disposed_at)
        )
    if record.status == RecordStatus.ERASED:
        basis = UnlawfulContentBasis(record.content_erasure_basis).label
        return _(
            "Erased as unlawful content on %(date)s (%(basis)s): only the erasure is kept."
        ) % {
            "date": _date(
                record.content_erased_at and timezone.localtime(record.content_erased_at)
            ),
            "basis": basis,
        }
    if record.is_secret:
        return _("Withheld: secret under %s.") % record.secrecy_provision
    return ""


def _record_text(record: Record) -> str:
    parts = [record.text]
    parts += [
        _("Amended %(date)s: %(text)s")
        % {"date": _date(timezone.localtime(a.occurred_at)), "text": a.text or a.reason}
        for a in record.amendments.all()
    ]
    return "\n\n".join(part for part in parts if part)


def _record_files(record: Record, withheld: str) -> tuple[HeldFile, ...]:
    """The entry's media files: each stored one given in the package under ``media/``, or
    withheld (no hash, no file) as the entry's text is."""
    files = []
    for media in record.media_files.all():
        kind, status = str(MediaKind(media.kind).label), str(MediaStatus(media.status).label)
        if withheld:
            files.append(HeldFile(kind=kind, status=status, withheld=withheld))
            continue
        stored = media.status == MediaStatus.STORED and bool(media.file)
        extension = EXTENSIONS.get(media.content_type, "bin")
        files.append(
            HeldFile(
                kind=kind,
                status=status,
                sha256=media.sha256,
                name=f"media/{record.pk}-{media.position}.{extension}" if stored else "",
                stored_as=str(media.file.name) if stored else "",
            )
        )
    return tuple(files)


def _records(query: PersonQuery) -> Iterable[HeldData]:
    term = query.term
    match = (
        Q(**query.name_lookup("counterparty_name"))
        | Q(counterparty_handle__iexact=term.lstrip("@"))
        | Q(counterparty_platform_id__in=[term, *query.platform_ids])
        | Q(text__icontains=term)
        | Q(permalink=term)
    )
    records = (
        Record.objects.filter(match)
        .select_related("channel", "retention_class")
        .prefetch_related("amendments", "media_files")
        .order_by("document_date", "pk")
    )
    for record in records:
        withheld = record_withheld(record)
        yield HeldData(
            ref=f"records.record:{record.pk}",
            kind=_("Register entry"),
            what=f"{record.number or _('kept in order')}: {record.public_subject}",
            where=record.channel.name,
            when=record.document_date,
            basis=str(RECORD_BASIS),
            retention=record_retention(record),
            shared_with=_(
                "Published by you on %(platform)s; the public register shows only number, "
                "date and a masked subject."
            )
            % {"platform": record.channel.get_platform_display()},
            text="" if withheld else _record_text(record),
            withheld=withheld,
            files=_record_files(record, withheld),
            details={
                _("Name as registered"): record.counterparty_name,
                _("Platform id"): record.counterparty_platform_id,
                _("Link"): "" if withheld else record.permalink,
            },
        )


def _request_held(*, what: str, **fields: Any) -> HeldData:
    """A request to the register someone made: kept in the register, under the plan, shared
    with no one."""
    return HeldData(
        what=what[:200],
        where=_("The register"),
        basis=str(REQUEST_BASIS),
        retention=_("Kept with the register's requests under the information management plan."),
        shared_with=_("No one outside the municipality."),
        **fields,
    )


def _requests(query: PersonQuery) -> Iterable[HeldData]:
    access = AccessRequest.objects.filter(
        Q(**query.name_lookup("requester")) | Q(**query.name_lookup("contact"))
    ).order_by("received_at")
    for request in access:
        yield _request_held(
            ref=f"records.accessrequest:{request.pk}",
            kind=_("Request for public documents"),
            what=request.scope,
            when=request.received_at,
            details={_("Requester"): request.requester, _("Contact"): request.contact},
        )
    erasure = ErasureRequest.objects.filter(**query.name_lookup("requester"))
    erasure = erasure.order_by("received_at")
    for erasure_request in erasure:
        yield _request_held(
            ref=f"records.erasurerequest:{erasure_request.pk}",
            kind=_("Request for erasure"),
            what=erasure_request.description,
            when=erasure_request.received_at,
            text=erasure_request.answer,
            details={_("Requester"): erasure_request.requester},
        )


def _find(query: PersonQuery) -> Iterable[HeldData]:
    yield from _records(query)
    yield from _requests(query)


RECORDS_HOLDER = PersonDataHolder(name="records", find=_find)
