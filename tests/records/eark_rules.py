"""Runs the E-ARK CSIP/SIP 2.1.0 Schematron rules (tests/records/eark/) over a METS file, the
way eark-validator 1.1.3 does, with the vocabularies served from the bundled files instead of
being fetched over the network."""

from collections.abc import Callable
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree
from lxml.isoschematron import Schematron

RULES = Path(__file__).resolve().parent / "eark"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
VOCABULARIES = {
    "@TYPE": "CSIPVocabularyContentCategory.xml",
    "@csip:CONTENTINFORMATIONTYPE": "CSIPVocabularyContentInformationType.xml",
    "@csip:OAISPACKAGETYPE": "CSIPVocabularyOAISPackageType.xml",
    "@STATUS": "CSIPVocabularyStatus.xml",
}


def _vocabulary_test(attribute: str, file_name: str) -> str:
    terms = []
    for line in (RULES / "vocabs" / file_name).read_text(encoding="utf-8").splitlines():
        if "Term" not in line:
            continue
        start = line.find(">") + 1
        terms.append(line[start : line.find("<", start)])
    return " or ".join(f"({attribute} = '{escape(term)}')" for term in terms)


@cache
def _substitutions() -> dict[str, str]:
    tests = {f"{a}_vocabulary_test": _vocabulary_test(a, f) for a, f in VOCABULARIES.items()}
    mimetypes = (RULES / "vocabs" / "IANA.txt").read_text(encoding="utf-8").split()
    tests["@MIMETYPE_IANA_test"] = " or ".join(f"(@MIMETYPE = '{m}')" for m in mimetypes)
    return tests


@cache
def _rulesets(profile: str) -> list[tuple[str, Schematron]]:
    rulesets = []
    for path in sorted((RULES / profile).glob("mets_*_rules.xml")):
        text = path.read_text(encoding="utf-8")
        for name, test in _substitutions().items():
            text = text.replace(name, test)
        rulesets.append((path.stem, Schematron(etree.XML(text.encode()), store_report=True)))
    return rulesets


def schematron_failures(
    mets_path: Path, profile: str, *, exempt: Callable[[str, etree._Element], bool] | None = None
) -> list[tuple[str, str, str]]:
    """(rule id, severity, message) of every failed assertion of ``profile`` (CSIP or SIP),
    but those ``exempt(rule id, element it failed on)`` says are excused."""
    document = etree.parse(str(mets_path))
    failures = []
    for _, ruleset in _rulesets(profile):
        ruleset.validate(document)
        for failed in ruleset.validation_report.iter(f"{SVRL}failed-assert"):
            rule = failed.get("id", "")
            if exempt is not None:
                (element,) = document.xpath(failed.get("location", ""))
                if exempt(rule, element):
                    continue
            text = failed.findtext(f"{SVRL}text") or ""
            failures.append((rule, failed.get("role", "ERROR"), text.strip()))
    return failures


def schematron_errors(mets_path: Path, profile: str) -> list[tuple[str, str, str]]:
    return [f for f in schematron_failures(mets_path, profile) if f[1].upper() == "ERROR"]
