"""The e-archive package: E-ARK CSIP/SIP 2.x as used by Riksarkivet's FGS Paketstruktur 2.0.

Layout of the ZIP (root folder = OBJID)::

    <OBJID>/METS.xml                              package METS, SHA-256 of every file
    <OBJID>/metadata/descriptive/records.xml      the register entries (our schema, below)
    <OBJID>/metadata/preservation/premis.xml      PREMIS 3 events: capture, amendment, disposal
    <OBJID>/schemas/records.xsd                   the schema of records.xml
    <OBJID>/representations/rep1/METS.xml         representation METS
    <OBJID>/representations/rep1/data/<n>.json    each entry's snapshot and amendments
    <OBJID>/representations/rep1/data/<n>-media-<i>.<ext>  its stored media files (images, …)

Descriptive metadata: ``records.xml`` in a schema of our own (``records.xsd``, in the package).
The published schemas were weighed: the FGS for ärendehantering (Riksarkivet's
"FGS Ärendehantering") describes cases (ärenden) with their handlings and actions, and the
E-ARK ERMS describes a records management system's aggregations and classification scheme;
a social media register has neither cases nor a classification scheme, only single documents
with a platform origin, a counterparty, a registration basis (OSL 5:1) and secrecy (OSL 5:5),
which neither schema has elements for without extensions of our own. So the entries are
described in our schema, delivered with its XSD in ``schemas/`` and validated against it
(tests/records/test_export.py), and the package itself follows E-ARK CSIP/SIP (METS, PREMIS),
which is what FGS Paketstruktur 2.0 demands (docs/e-archive.md).
"""

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils import timezone
from lxml import etree

from records.choices import MediaStatus, UnlawfulContentBasis
from records.models import Record
from records.zipfiles import Part, StoredFile, zip_write

METS_NS = "http://www.loc.gov/METS/"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP_NS = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
PREMIS_NS = "http://www.loc.gov/premis/v3"
RECORDS_NS = "urn:x-orebro:sociala-medier:diarium:1"
METS_NSMAP = {None: METS_NS, "csip": CSIP_NS, "sip": SIP_NS, "xlink": XLINK_NS, "xsi": XSI_NS}
SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
SCHEMA_FILE = Path(__file__).resolve().parent / "schemas" / "records.xsd"
SNAPSHOT_SCHEMA_FILE = Path(__file__).resolve().parent / "schemas" / "snapshot.schema.json"
CONTENT_TYPE = "SOME-DIARIUM"
SOFTWARE = "Sociala medier, Örebro kommun"
SOFTWARE_VERSION = "1.0"


def _m(tag: str) -> str:
    return f"{{{METS_NS}}}{tag}"


def _iso(value: datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


@dataclass
class PackageFile:
    """A file of the package: generated (bytes), or a stored media file read from storage in
    chunks, for its checksum now and into the ZIP when it is written (records.zipfiles)."""

    path: str  # relative to the package (or representation) root
    content: Part
    mimetype: str
    created: str
    file_id: str = field(default_factory=lambda: f"ID{uuid.uuid4()}")
    sha256: str = field(init=False)
    size: int = field(init=False)

    def __post_init__(self) -> None:
        if isinstance(self.content, StoredFile):
            digest, self.size = self.content.digest()
        else:
            digest, self.size = hashlib.sha256(self.content).hexdigest(), len(self.content)
        self.sha256 = digest.upper()


def _file_attrs(item: PackageFile) -> dict[str, str]:
    return {
        "MIMETYPE": item.mimetype,
        "SIZE": str(item.size),
        "CREATED": item.created,
        "CHECKSUM": item.sha256,
        "CHECKSUMTYPE": "SHA-256",
    }


def _flocat(parent: etree._Element, tag: str, href: str, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _m(tag), LOCTYPE="URL", **attrs)
    element.set(f"{{{XLINK_NS}}}type", "simple")
    element.set(f"{{{XLINK_NS}}}href", href)
    return element


def _mets_root(objid: str, label: str, created: str) -> etree._Element:
    root = etree.Element(_m("mets"), nsmap=METS_NSMAP)
    root.set("OBJID", objid)
    root.set("LABEL", label)
    root.set("TYPE", "Other")
    root.set(f"{{{CSIP_NS}}}OTHERTYPE", "Social media records")
    _content_type(root)
    root.set("PROFILE", SIP_PROFILE)
    root.set(
        f"{{{XSI_NS}}}schemaLocation",
        "http://www.loc.gov/METS/ http://www.loc.gov/standards/mets/mets.xsd",
    )
    header = etree.SubElement(
        root, _m("metsHdr"), CREATEDATE=created, LASTMODDATE=created, RECORDSTATUS="NEW"
    )
    header.set(f"{{{CSIP_NS}}}OAISPACKAGETYPE", "SIP")
    software = etree.SubElement(
        header, _m("agent"), ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE"
    )
    etree.SubElement(software, _m("name")).text = SOFTWARE
    _note(software, "SOFTWARE VERSION", SOFTWARE_VERSION)
    # The submitting agent of the SIP profile (SIP10-SIP15), and the records creator
    # (arkivbildare) as FGS Paketstruktur names it: the same organisation.
    for role in ("CREATOR", "ARCHIVIST"):
        organisation = etree.SubElement(header, _m("agent"), ROLE=role, TYPE="ORGANIZATION")
        etree.SubElement(organisation, _m("name")).text = settings.RECORDS_ARCHIVE_CREATOR
        _note(organisation, "IDENTIFICATIONCODE", settings.RECORDS_ARCHIVE_CREATOR_ID)
    return root


def _note(agent: etree._Element, kind: str, text: str) -> None:
    note = etree.SubElement(agent, _m("note"))
    note.set(f"{{{CSIP_NS}}}NOTETYPE", kind)
    note.text = text


def _content_type(element: etree._Element) -> None:
    element.set(f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE", "OTHER")
    element.set(f"{{{CSIP_NS}}}OTHERCONTENTINFORMATIONTYPE", CONTENT_TYPE)


def _new_id() -> str:
    return f"ID{uuid.uuid4()}"


def _file_group(file_sec: etree._Element, use: str, items: list[PackageFile]) -> None:
    group = etree.SubElement(file_sec, _m("fileGrp"), ID=_new_id(), USE=use)
    _content_type(group)
    for item in items:
        element = etree.SubElement(group, _m("file"), ID=item.file_id, **_file_attrs(item))
        _flocat(element, "FLocat", item.path)


def _division(parent: etree._Element, label: str, items: list[PackageFile]) -> etree._Element:
    division = etree.SubElement(parent, _m("div"), ID=_new_id(), LABEL=label)
    for item in items:
        etree.SubElement(division, _m("fptr"), FILEID=item.file_id)
    return division


def _mets(
    objid: str,
    label: str,
    created: str,
    *,
    metadata: tuple[PackageFile | None, PackageFile],
    documentation: PackageFile,
    schema: PackageFile,
    representation: str,
    content: list[PackageFile],
    pointer: PackageFile | None = None,
) -> bytes:
    """A METS document laid out as the CSIP requires, for the package (``pointer``: the
    representation's METS) or for a representation (``content``: its data files)."""
    descriptive, preservation = metadata
    root = _mets_root(objid, label, created)
    dmd_id = ""
    if descriptive is not None:
        dmd = etree.SubElement(root, _m("dmdSec"), ID=_new_id(), CREATED=created, STATUS="CURRENT")
        _flocat(
            dmd,
            "mdRef",
            descriptive.path,
            MDTYPE="OTHER",
            OTHERMDTYPE=CONTENT_TYPE,
            **_file_attrs(descriptive),
        )
        dmd_id = dmd.get("ID", "")
    amd = etree.SubElement(root, _m("amdSec"), ID=_new_id())
    digiprov = etree.SubElement(
        amd, _m("digiprovMD"), ID=_new_id(), CREATED=created, STATUS="CURRENT"
    )
    _flocat(digiprov, "mdRef", preservation.path, MDTYPE="PREMIS", **_file_attrs(preservation))
    file_sec = etree.SubElement(root, _m("fileSec"), ID=_new_id())
    _file_group(file_sec, "Documentation", [documentation])
    _file_group(file_sec, "Schemas", [schema])
    _file_group(file_sec, f"Representations/{representation}", content)
    struct = etree.SubElement(root, _m("structMap"), ID=_new_id(), TYPE="PHYSICAL", LABEL="CSIP")
    top = etree.SubElement(struct, _m("div"), ID=_new_id(), LABEL=objid)
    metadata_div = etree.SubElement(
        top, _m("div"), ID=_new_id(), LABEL="Metadata", ADMID=digiprov.get("ID", "")
    )
    if dmd_id:
        metadata_div.set("DMDID", dmd_id)
    _division(top, "Documentation", [documentation])
    _division(top, "Schemas", [schema])
    representations = _division(top, "Representations", content)
    if pointer is not None:
        representation_div = etree.SubElement(
            representations, _m("div"), ID=_new_id(), LABEL=f"Representations/{representation}"
        )
        _flocat(
            representation_div,
            "mptr",
            pointer.path,
            **{f"{{{XLINK_NS}}}title": pointer.file_id},
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _snapshot_json(record: Record, media_paths: dict[int, str]) -> bytes:
    body = {
        "number": record.number,
        "source_id": record.source_id,
        "permalink": record.permalink,
        "document_date": record.document_date.isoformat(),
        "counterparty": {
            "name": record.counterparty_name,
            "platform_id": record.counterparty_platform_id,
            "handle": record.counterparty_handle,
            "protected": record.counterparty_protected,
        },
        "snapshot": {"text": record.text, "raw_payload": record.raw_payload, "media": record.media},
        "media_files": [
            {
                "position": media.position,
                "kind": media.kind,
                "source_url": media.source_url,
                "status": media.status,
                "path": media_paths.get(media.pk, ""),
                "content_type": media.content_type,
                "size": media.size,
                "sha256": media.sha256,
                "error": media.error,
            }
            for media in record.media_files.all()
        ],
        "sha256": record.sha256,
        "amendments": [
            {
                "kind": a.kind,
                "occurred_at": a.occurred_at.isoformat(),
                "text": a.text,
                "raw_payload": a.raw_payload,
                "sha256": a.sha256,
                "reason": a.reason,
            }
            for a in record.amendments.all()
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True).encode()


def _descriptive_xml(records: list[Record], data_paths: dict[int, str]) -> bytes:
    root = etree.Element(f"{{{RECORDS_NS}}}register", nsmap={None: RECORDS_NS})
    # A reply from the channel names the source id of the entry it answers.
    answered = dict(
        Record.objects.filter(
            pk__in={r.in_reply_to_id for r in records if r.in_reply_to_id}
        ).values_list("pk", "source_id")
    )
    for record in records:
        entry = etree.SubElement(root, f"{{{RECORDS_NS}}}entry")
        values = [
            ("number", record.number or ""),
            ("documentDate", _iso(record.document_date)),
            ("registeredAt", _iso(record.registered_at) if record.registered_at else ""),
            ("direction", record.direction),
            ("channel", record.channel.name),
            ("platform", record.channel.platform),
            ("sourceId", record.source_id),
            ("subject", record.subject),
            ("publicSubject", record.public_subject),
            ("counterparty", "" if record.counterparty_protected else record.counterparty_name),
            ("registrationBasis", record.registration_basis),
            ("registrationRule", record.registration_rule),
            ("status", record.status),
            ("sha256", record.sha256),
        ]
        if record.in_reply_to_id in answered:
            values.insert(7, ("inReplyTo", answered[record.in_reply_to_id]))
        for name, value in values:
            etree.SubElement(entry, f"{{{RECORDS_NS}}}{name}").text = value
        if record.is_secret:
            secrecy = etree.SubElement(entry, f"{{{RECORDS_NS}}}secrecy")
            secrecy.set("provision", record.secrecy_provision)
            if record.secrecy_marked_at:
                secrecy.set("markedAt", _iso(record.secrecy_marked_at))
        if record.retention_class:
            retention = etree.SubElement(entry, f"{{{RECORDS_NS}}}retention")
            retention.set("class", record.retention_class.code)
            retention.set("decision", record.retention_class.decision_reference)
            if record.disposal_due:
                retention.set("disposalDue", record.disposal_due.isoformat())
        if record.pk in data_paths:
            etree.SubElement(entry, f"{{{RECORDS_NS}}}file").text = data_paths[record.pk]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _p(tag: str) -> str:
    return f"{{{PREMIS_NS}}}{tag}"


def _premis_identifier(parent: etree._Element, tag: str, value: str) -> None:
    identifier = etree.SubElement(parent, _p(tag))
    etree.SubElement(identifier, _p(f"{tag}Type")).text = "local"
    etree.SubElement(identifier, _p(f"{tag}Value")).text = value


def _record_events(record: Record) -> list[tuple[datetime, str, str]]:
    """Capture, each amendment, erasure of unlawful content, and disposal: (when, PREMIS event
    type, detail)."""
    events = [
        (
            record.captured_at,
            "capture",
            f"Captured from {record.channel.platform}; SHA-256 {record.sha256}",
        ),
    ]
    events += [
        (a.occurred_at, "modification", f"{a.get_kind_display()}: {a.reason}; SHA-256 {a.sha256}")
        for a in record.amendments.all()
    ]
    if record.content_erased_at:
        events.append(
            (
                record.content_erased_at,
                "deletion",
                f"Content erased as unlawful ({record.content_erasure_basis}: "
                f"{UnlawfulContentBasis(record.content_erasure_basis).label}) under decision "
                f"{record.content_erasure_reference}; metadata and SHA-256 of the original kept",
            )
        )
    if record.disposed_at:
        decision = record.retention_class.decision_reference if record.retention_class else ""
        events.append(
            (
                record.disposed_at,
                "deletion",
                f"Disposed of by disposal run {record.disposal_run_id} under decision {decision}",
            )
        )
    return events


def _premis_xml(records: list[Record], files: list[PackageFile]) -> bytes:
    """The package's PREMIS: each entry as an intellectual entity with its events; or, for a
    representation (``files``), each data file with its SHA-256 fixity."""
    root = etree.Element(_p("premis"), nsmap={"premis": PREMIS_NS, "xsi": XSI_NS}, version="3.0")
    events: list[tuple[str, datetime, str, str]] = []
    for item in files:
        obj = etree.SubElement(root, _p("object"))
        obj.set(f"{{{XSI_NS}}}type", "premis:file")
        _premis_identifier(obj, "objectIdentifier", item.path)
        characteristics = etree.SubElement(obj, _p("objectCharacteristics"))
        fixity = etree.SubElement(characteristics, _p("fixity"))
        etree.SubElement(fixity, _p("messageDigestAlgorithm")).text = "SHA-256"
        etree.SubElement(fixity, _p("messageDigest")).text = item.sha256
        etree.SubElement(characteristics, _p("size")).text = str(item.size)
        etree.SubElement(etree.SubElement(characteristics, _p("format")), _p("formatDesignation"))
        designation = characteristics.find(f"{_p('format')}/{_p('formatDesignation')}")
        assert designation is not None
        etree.SubElement(designation, _p("formatName")).text = item.mimetype
    if not files:
        for record in records:
            identifier = record.number or f"{record.channel.slug}:{record.source_id}"
            obj = etree.SubElement(root, _p("object"))
            obj.set(f"{{{XSI_NS}}}type", "premis:intellectualEntity")
            _premis_identifier(obj, "objectIdentifier", identifier)
            events += [(identifier, *event) for event in _record_events(record)]
    for n, (identifier, when, kind, detail) in enumerate(events, start=1):
        event = etree.SubElement(root, _p("event"))
        _premis_identifier(event, "eventIdentifier", f"event-{n}")
        etree.SubElement(event, _p("eventType")).text = kind
        etree.SubElement(event, _p("eventDateTime")).text = _iso(when)
        info = etree.SubElement(event, _p("eventDetailInformation"))
        etree.SubElement(info, _p("eventDetail")).text = detail
        outcome = etree.SubElement(event, _p("eventOutcomeInformation"))
        etree.SubElement(outcome, _p("eventOutcome")).text = "success"
        _premis_identifier(event, "linkingObjectIdentifier", identifier)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _documentation(records: list[Record], created: str) -> bytes:
    lines = [
        f"{SOFTWARE} {SOFTWARE_VERSION}",
        f"Skapad / created: {created}",
        f"Poster / entries: {len(records)}",
        "",
        "metadata/descriptive/records.xml: diarieposterna (schemas/records.xsd).",
        "metadata/preservation/premis.xml: PREMIS-händelser (capture, modification, deletion).",
        "representations/rep1/data/*.json: varje posts ögonblicksbild (text, rådata, media) och",
        "tillägg; SHA-256 i METS.xml. Gallrade poster, och poster vars olagliga innehåll raderats,",
        "beskrivs utan innehåll (PREMIS-händelsen deletion).",
    ]
    return ("\n".join(lines) + "\n").encode()


def package_build(records: Iterable[Record], *, label: str) -> tuple[str, IO[bytes]]:
    """The package for ``records`` as (OBJID, the ZIP in a temporary file: the caller closes
    it). Disposed entries, and entries whose unlawful content was erased, are described by
    their metadata and deletion event, without a data file."""
    records = list(records)
    objid = f"uuid-{uuid.uuid4()}"
    created = _iso(timezone.now())
    data_files: list[PackageFile] = []
    data_paths: dict[int, str] = {}
    for record in records:
        if not record.has_content:
            continue
        name = record.number or f"{record.channel.slug}-{record.source_id}"
        name = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
        media_paths: dict[int, str] = {}
        for media in record.media_files.all():
            if media.status == MediaStatus.STORED and media.file:
                extension = str(media.file.name).rsplit(".", 1)[-1]
                media_path = f"data/{name}-media-{media.position}.{extension}"
                stored = StoredFile(str(media.file.name))
                data_files.append(PackageFile(media_path, stored, media.content_type, created))
                media_paths[media.pk] = media_path
        path = f"data/{name}.json"
        data_files.append(
            PackageFile(path, _snapshot_json(record, media_paths), "application/json", created)
        )
        data_paths[record.pk] = f"representations/rep1/{path}"

    def text_file(path: str, content: bytes, mimetype: str = "text/plain") -> PackageFile:
        return PackageFile(path, content, mimetype, created)

    documentation = _documentation(records, created)
    rep_files = [
        text_file("documentation/README.txt", documentation),
        text_file(
            "schemas/snapshot.schema.json", SNAPSHOT_SCHEMA_FILE.read_bytes(), "application/json"
        ),
        text_file("metadata/preservation/premis.xml", _premis_xml(records, data_files), "text/xml"),
    ]
    rep_mets = text_file(
        "representations/rep1/METS.xml",
        _mets(
            f"{objid}-rep1",
            "rep1",
            created,
            metadata=(None, rep_files[2]),
            documentation=rep_files[0],
            schema=rep_files[1],
            representation="rep1",
            content=data_files,
        ),
        "text/xml",
    )
    descriptive = text_file(
        "metadata/descriptive/records.xml", _descriptive_xml(records, data_paths), "text/xml"
    )
    premis = text_file("metadata/preservation/premis.xml", _premis_xml(records, []), "text/xml")
    root_docs = text_file("documentation/README.txt", documentation)
    schema = text_file("schemas/records.xsd", SCHEMA_FILE.read_bytes(), "text/xml")
    package_mets = _mets(
        objid,
        label,
        created,
        metadata=(descriptive, premis),
        documentation=root_docs,
        schema=schema,
        representation="rep1",
        content=[rep_mets],
        pointer=rep_mets,
    )

    parts: list[tuple[str, Part]] = [(f"{objid}/METS.xml", package_mets)]
    parts += [
        (f"{objid}/{item.path}", item.content)
        for item in (descriptive, premis, root_docs, schema, rep_mets)
    ]
    parts += [
        (f"{objid}/representations/rep1/{item.path}", item.content)
        for item in [*rep_files, *data_files]
    ]
    return objid, zip_write(parts)
