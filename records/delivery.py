"""What a requester receives for a request for public documents (begäran om allmän handling):
the decision and each released entry as a readable document in Swedish with Stockholm times,
beside the same entries as JSON for machines. The registrar's preview and the delivered package
are built by ``delivery_build``, so what is previewed is what is sent."""

import json
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from records.choices import RequestDecision
from records.masking import PersonalDataHit, mask_personal_data, mask_terms, personal_data_find
from records.models import AccessRequest, Record
from records.zipfiles import zip_write

READABLE_NAME = "beslut-och-handlingar.html"
DECISION_NAME = "beslut.txt"


def released_entry(record: Record, *, masked: bool, terms: list[str]) -> dict[str, Any]:
    """One entry as it is released: masked for a partial release (personal data and the
    decision's own terms), the counterparty withheld when masked or protected."""

    def mask(value: str) -> str:
        return mask_terms(mask_personal_data(value), terms) if masked else value

    hide_counterparty = masked or record.counterparty_protected
    return {
        "number": record.number,
        "document_date": record.document_date.isoformat(),
        "direction": record.direction,
        "channel": record.channel.name,
        "subject": mask(record.subject),
        "counterparty": "" if hide_counterparty else record.counterparty_name,
        "text": mask(record.text),
        "amendments": [
            {"occurred_at": a.occurred_at.isoformat(), "kind": a.kind, "text": mask(a.text)}
            for a in record.amendments.all()
        ],
        "permalink": "" if masked else record.permalink,
        "masked": masked,
    }


@dataclass(frozen=True)
class DeliveredEntry:
    """A released entry: what the JSON holds, and what the readable document shows of it."""

    record: Record
    data: dict[str, Any]
    file_name: str
    warnings: list[PersonalDataHit]

    @property
    def amendments(self) -> list[dict[str, Any]]:
        """The amendments with their kind as words and their time as a datetime."""
        labels = dict(self.record.amendments.model._meta.get_field("kind").choices or [])
        return [
            {
                "kind": labels.get(amendment.kind, amendment.kind),
                "occurred_at": amendment.occurred_at,
                "text": data["text"],
            }
            for amendment, data in zip(
                self.record.amendments.all(), self.data["amendments"], strict=True
            )
        ]


@dataclass(frozen=True)
class Delivery:
    request: AccessRequest
    masked: bool
    decision_text: str
    entries: list[DeliveredEntry]
    readable: str

    @property
    def warnings(self) -> list[PersonalDataHit]:
        return [hit for entry in self.entries for hit in entry.warnings]

    def files(self) -> dict[str, bytes]:
        """The package's files by name: the decision, the readable document, one JSON each."""
        files = {
            DECISION_NAME: (self.decision_text + "\n").encode(),
            READABLE_NAME: self.readable.encode(),
        }
        for entry in self.entries:
            files[entry.file_name] = json.dumps(entry.data, ensure_ascii=False, indent=2).encode()
        return files

    def zip(self) -> IO[bytes]:
        """The package as the requester downloads it, in a temporary file (records.zipfiles)."""
        return zip_write(self.files().items())


def _file_name(record: Record) -> str:
    return (record.number or f"post-{record.pk}").replace(" ", "_").replace("/", "-") + ".json"


def _warnings(data: dict[str, Any]) -> list[PersonalDataHit]:
    texts = [data["subject"], data["counterparty"], data["text"]]
    texts += [amendment["text"] for amendment in data["amendments"]]
    return [hit for text in texts for hit in personal_data_find(text)]


def delivery_build(request: AccessRequest) -> Delivery:
    """The delivery for a decided request, as it would be sent now: the preview shows it and
    the delivery sends it. Entries without content (child abuse material, erased or disposed)
    are left out. Personal data still in what is released is reported as warnings."""
    masked = request.decision == RequestDecision.PARTIAL
    records = request.records.select_related("channel").prefetch_related("amendments")
    entries = [
        DeliveredEntry(
            record=record,
            data=(data := released_entry(record, masked=masked, terms=request.masked_terms)),
            file_name=_file_name(record),
            warnings=_warnings(data),
        )
        for record in records.order_by("pk")
        if record.has_content
    ]
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        decision_text = "\n\n".join(
            part
            for part in (
                _("Decision: %s") % RequestDecision(request.decision).label,
                request.decision_provision,
                request.decision_reason,
                request.appeal_notice,
            )
            if part
        )
        readable = render_to_string(
            "records/delivery/document.html",
            {"access_request": request, "entries": entries, "masked": masked},
        )
    return Delivery(
        request=request,
        masked=masked,
        decision_text=decision_text,
        entries=entries,
        readable=readable,
    )
