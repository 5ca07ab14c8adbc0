"""What a data subject receives: the decision and answer, and for an access request everything
held about them (privacy.registry), as a readable document in Swedish with Stockholm times
beside the same data as JSON. Other people's identity numbers, e-mail addresses and phone
numbers are masked, and the words the officer chose; the person's own identifiers stay. The
preview and the delivery are built by ``package_build``, so what is previewed is what is sent."""

import json
from dataclasses import dataclass, replace
from typing import IO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from privacy.choices import SubjectRequestKind
from privacy.models import SubjectRequest
from privacy.registry import HeldData
from records.masking import PersonalDataHit, mask_personal_data, mask_terms, personal_data_find
from records.zipfiles import Part, StoredFile, zip_write

READABLE_NAME = "registerutdrag.html"
DATA_NAME = "registerutdrag.json"


def _masked(data: HeldData, *, keep: list[str], terms: list[str]) -> HeldData:
    def mask(value: str) -> str:
        return mask_terms(mask_personal_data(value, keep=keep), terms)

    return replace(
        data,
        what=mask(data.what),
        text=mask(data.text),
        details={name: mask(value) for name, value in data.details.items() if value},
    )


@dataclass(frozen=True)
class Package:
    request: SubjectRequest
    held: list[HeldData]
    readable: str

    @property
    def warnings(self) -> list[PersonalDataHit]:
        """Personal data other than the person's own still in the package (for the preview)."""
        keep = {value.lower() for value in self.request.identifiers}
        texts = [d.text for d in self.held] + [v for d in self.held for v in d.details.values()]
        return [
            hit
            for text in texts
            for hit in personal_data_find(text)
            if hit.matched.strip().lower() not in keep
        ]

    def data(self) -> dict[str, object]:
        request = self.request
        return {
            "case_number": request.case_number,
            "kind": request.kind,
            "received_at": request.received_at.isoformat(),
            "decision": request.decision,
            "answer": request.answer,
            "held": [held.as_json() for held in self.held],
        }

    def files(self) -> dict[str, Part]:
        """The readable document, the JSON and the person's stored media files (``media/``),
        these by their name in storage: they are copied into the ZIP in chunks."""
        data = json.dumps(self.data(), ensure_ascii=False, indent=2)
        files: dict[str, Part] = {READABLE_NAME: self.readable.encode(), DATA_NAME: data.encode()}
        for held_file in (f for held in self.held for f in held.files if f.stored_as):
            files[held_file.name] = StoredFile(held_file.stored_as)
        return files

    def zip(self) -> IO[bytes]:
        """The package as the person receives it, in a temporary file (records.zipfiles)."""
        return zip_write(self.files().items())


def package_build(request: SubjectRequest, held: list[HeldData]) -> Package:
    """The package as it would be sent now, from what the searches found (``held``)."""
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        if request.kind != SubjectRequestKind.ACCESS:
            held = []
        held = [
            _masked(data, keep=list(request.identifiers), terms=list(request.masked_terms))
            for data in held
        ]
        readable = render_to_string(
            "privacy/package/document.html", {"subject_request": request, "held": held}
        )
    return Package(request=request, held=held, readable=readable)
