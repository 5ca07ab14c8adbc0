"""The e-archive package: E-ARK CSIP/SIP 2.x as used by Riksarkivet's FGS Paketstruktur 2.0.

Layout of the ZIP (root folder = OBJID)::

    <OBJID>/METS.xml                              package METS, SHA-256 of every file
    <OBJID>/metadata/descriptive/records.xml      the register entries (our schema, below)
    <OBJID>/metadata/preservation/premis.xml      PREMIS 3 events: capture, amendment, disposal
    <OBJID>/schemas/records.xsd                   the schema of records.xml
    <OBJID>/representations/rep1/METS.xml         representation METS
    <OBJID>/representations/rep1/data/<n>.json    each entry's snapshot and amendments
"""

import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.utils import timezone
from lxml import etree

from records.models import Record

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
SOFTWARE = "Sociala medier, Örebro kommun"
SOFTWARE_VERSION = "1.0"


def _m(tag: str) -> str:
    return f"{{{METS_NS}}}{tag}"


def _iso(value: datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


@dataclass
class PackageFile:
    path: str  # relative to the package (or representation) root
    content: bytes
    mimetype: str
    created: str
    file_id: str = field(default_factory=lambda: f"ID{uuid.uuid4()}")

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest().upper()


def _file_attrs(item: PackageFile) -> dict[str, str]:
    return {
        "MIMETYPE": item.mimetype,
        "SIZE": str(len(item.content)),
        "CREATED": item.created,
        "CHECKSUM": item.sha256,
        "CHECKSUMTYPE": "SHA-256",
    }


def _flocat(parent: etree._Element, tag: str, href: str, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _m(tag), LOCTYPE="URL", **attrs)
    element.set(f"{{{XLINK_NS}}}type", "simple")
    element.set(f"{{{XLINK_NS}}}href", href)
    return element


def _mets_root(objid: str, label: str, created: str, *, package: bool) -> etree._Element:
    root = etree.Element(_m("mets"), nsmap=METS_NSMAP)
    root.set("OBJID", objid)
    root.set("LABEL", label)
    root.set("TYPE", "OTHER")
    root.set(f"{{{CSIP_NS}}}OTHERTYPE", "Social media records")
    root.set(f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE", "OTHER")
    root.set(f"{{{CSIP_NS}}}OTHERCONTENTINFORMATIONTYPE", "SOME-DIARIUM")
    root.set("PROFILE", SIP_PROFILE)
    root.set(
        f"{{{XSI_NS}}}schemaLocation",
        "http://www.loc.gov/METS/ http://www.loc.gov/standards/mets/mets.xsd",
    )
    header = etree.SubElement(root, _m("metsHdr"), CREATEDATE=created, RECORDSTATUS="NEW")
    header.set(f"{{{CSIP_NS}}}OAISPACKAGETYPE", "SIP")
    software = etree.SubElement(
        header, _m("agent"), ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE"
    )
    etree.SubElement(software, _m("name")).text = SOFTWARE
    note = etree.SubElement(software, _m("note"))
    note.set(f"{{{CSIP_NS}}}NOTETYPE", "SOFTWARE VERSION")
    note.text = SOFTWARE_VERSION
    if package:
        archivist = etree.SubElement(header, _m("agent"), ROLE="ARCHIVIST", TYPE="ORGANIZATION")
        etree.SubElement(archivist, _m("name")).text = "Örebro kommun"
    return root


def _representation_mets(objid: str, files: list[PackageFile], created: str) -> bytes:
    root = _mets_root(f"{objid}-rep1", "rep1", created, package=False)
    file_sec = etree.SubElement(root, _m("fileSec"), ID=f"ID{uuid.uuid4()}")
    group = etree.SubElement(file_sec, _m("fileGrp"), ID=f"ID{uuid.uuid4()}", USE="Data")
    for item in files:
        element = etree.SubElement(group, _m("file"), ID=item.file_id, **_file_attrs(item))
        _flocat(element, "FLocat", item.path)
    struct = etree.SubElement(
        root, _m("structMap"), ID=f"ID{uuid.uuid4()}", TYPE="PHYSICAL", LABEL="CSIP"
    )
    top = etree.SubElement(struct, _m("div"), ID=f"ID{uuid.uuid4()}", LABEL="rep1")
    data = etree.SubElement(top, _m("div"), ID=f"ID{uuid.uuid4()}", LABEL="Data")
    for item in files:
        etree.SubElement(data, _m("fptr"), FILEID=item.file_id)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _snapshot_json(record: Record) -> bytes:
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


def _premis_xml(records: list[Record]) -> bytes:
    def p(tag: str) -> str:
        return f"{{{PREMIS_NS}}}{tag}"

    root = etree.Element(p("premis"), nsmap={"premis": PREMIS_NS}, version="3.0")
    events: list[tuple[str, datetime, str, str, str]] = []
    for record in records:
        identifier = record.number or f"{record.channel.slug}:{record.source_id}"
        obj = etree.SubElement(root, p("object"))
        obj.set(f"{{{XSI_NS}}}type", "premis:intellectualEntity")
        oid = etree.SubElement(obj, p("objectIdentifier"))
        etree.SubElement(oid, p("objectIdentifierType")).text = "local"
        etree.SubElement(oid, p("objectIdentifierValue")).text = identifier
        events.append(
            (
                identifier,
                record.captured_at,
                "capture",
                f"Captured from {record.channel.platform}; SHA-256 {record.sha256}",
                "success",
            )
        )
        for amendment in record.amendments.all():
            events.append(
                (
                    identifier,
                    amendment.occurred_at,
                    "modification",
                    f"{amendment.get_kind_display()}: {amendment.reason}; "
                    f"SHA-256 {amendment.sha256}",
                    "success",
                )
            )
        if record.disposed_at:
            decision = record.retention_class.decision_reference if record.retention_class else ""
            events.append(
                (
                    identifier,
                    record.disposed_at,
                    "deletion",
                    f"Disposed of by disposal run {record.disposal_run_id} "
                    f"under decision {decision}",
                    "success",
                )
            )
    for n, (identifier, when, kind, detail, outcome) in enumerate(events, start=1):
        event = etree.SubElement(root, p("event"))
        eid = etree.SubElement(event, p("eventIdentifier"))
        etree.SubElement(eid, p("eventIdentifierType")).text = "local"
        etree.SubElement(eid, p("eventIdentifierValue")).text = f"event-{n}"
        etree.SubElement(event, p("eventType")).text = kind
        etree.SubElement(event, p("eventDateTime")).text = _iso(when)
        info = etree.SubElement(event, p("eventDetailInformation"))
        etree.SubElement(info, p("eventDetail")).text = detail
        outcome_info = etree.SubElement(event, p("eventOutcomeInformation"))
        etree.SubElement(outcome_info, p("eventOutcome")).text = outcome
        link = etree.SubElement(event, p("linkingObjectIdentifier"))
        etree.SubElement(link, p("linkingObjectIdentifierType")).text = "local"
        etree.SubElement(link, p("linkingObjectIdentifierValue")).text = identifier
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def package_build(records: Iterable[Record], *, label: str) -> tuple[str, bytes]:
    """The package for ``records`` as (OBJID, ZIP bytes). Disposed entries are described by
    their tombstone and disposal event, without a data file."""
    records = list(records)
    objid = f"uuid-{uuid.uuid4()}"
    created = _iso(timezone.now())
    data_files: list[PackageFile] = []
    data_paths: dict[int, str] = {}
    for record in records:
        if record.is_disposed:
            continue
        name = record.number or f"{record.channel.slug}-{record.source_id}"
        name = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
        path = f"data/{name}.json"
        data_files.append(PackageFile(path, _snapshot_json(record), "application/json", created))
        data_paths[record.pk] = f"representations/rep1/{path}"
    rep_mets = PackageFile(
        "representations/rep1/METS.xml",
        _representation_mets(objid, data_files, created),
        "text/xml",
        created,
    )
    descriptive = PackageFile(
        "metadata/descriptive/records.xml",
        _descriptive_xml(records, data_paths),
        "text/xml",
        created,
    )
    premis = PackageFile(
        "metadata/preservation/premis.xml", _premis_xml(records), "text/xml", created
    )
    schema = PackageFile("schemas/records.xsd", SCHEMA_FILE.read_bytes(), "text/xml", created)

    root = _mets_root(objid, label, created, package=True)
    dmd = etree.SubElement(
        root, _m("dmdSec"), ID=f"ID{uuid.uuid4()}", CREATED=created, STATUS="CURRENT"
    )
    _flocat(
        dmd,
        "mdRef",
        descriptive.path,
        MDTYPE="OTHER",
        OTHERMDTYPE="SOME-DIARIUM",
        **_file_attrs(descriptive),
    )
    amd = etree.SubElement(root, _m("amdSec"), ID=f"ID{uuid.uuid4()}")
    digiprov = etree.SubElement(
        amd, _m("digiprovMD"), ID=f"ID{uuid.uuid4()}", CREATED=created, STATUS="CURRENT"
    )
    _flocat(digiprov, "mdRef", premis.path, MDTYPE="PREMIS", **_file_attrs(premis))
    file_sec = etree.SubElement(root, _m("fileSec"), ID=f"ID{uuid.uuid4()}")
    schemas_group = etree.SubElement(file_sec, _m("fileGrp"), ID=f"ID{uuid.uuid4()}", USE="Schemas")
    schema_file = etree.SubElement(
        schemas_group, _m("file"), ID=schema.file_id, **_file_attrs(schema)
    )
    _flocat(schema_file, "FLocat", schema.path)
    rep_group = etree.SubElement(
        file_sec, _m("fileGrp"), ID=f"ID{uuid.uuid4()}", USE="Representations/rep1"
    )
    rep_file = etree.SubElement(rep_group, _m("file"), ID=rep_mets.file_id, **_file_attrs(rep_mets))
    _flocat(rep_file, "FLocat", rep_mets.path)
    struct = etree.SubElement(
        root, _m("structMap"), ID=f"ID{uuid.uuid4()}", TYPE="PHYSICAL", LABEL="CSIP"
    )
    top = etree.SubElement(struct, _m("div"), ID=f"ID{uuid.uuid4()}", LABEL=objid)
    etree.SubElement(
        top,
        _m("div"),
        ID=f"ID{uuid.uuid4()}",
        LABEL="Metadata",
        DMDID=dmd.get("ID"),
        ADMID=digiprov.get("ID"),
    )
    schemas_div = etree.SubElement(top, _m("div"), ID=f"ID{uuid.uuid4()}", LABEL="Schemas")
    etree.SubElement(schemas_div, _m("fptr"), FILEID=schema.file_id)
    rep_div = etree.SubElement(top, _m("div"), ID=f"ID{uuid.uuid4()}", LABEL="Representations/rep1")
    _flocat(rep_div, "mptr", rep_mets.path, **{f"{{{XLINK_NS}}}title": rep_mets.file_id})
    package_mets = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{objid}/METS.xml", package_mets)
        for item in (descriptive, premis, schema, rep_mets):
            archive.writestr(f"{objid}/{item.path}", item.content)
        for item in data_files:
            archive.writestr(f"{objid}/representations/rep1/{item.path}", item.content)
        for folder in ("representations/rep1/metadata/", "representations/rep1/schemas/"):
            archive.writestr(f"{objid}/{folder}", b"")
    return objid, buffer.getvalue()
