"""Where a person's data is held, found by the apps that hold it. The register and the
moderation queue each register holders (records in ``PrivacyConfig.ready()``, moderation in
``ModerationConfig.ready()``): this app sits between them and cannot import moderation, as the
register cannot. A holder answers a search with what it holds about the person, each piece with
what, where, when, why (the legal basis), how long and who it was shared with; a holder may also
widen the search with the platform ids of the accounts it found, and may remove what it no
longer needs to hold (retention)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class PersonQuery:
    """What is searched for: the term as given, and the platform ids the search led to.
    ``exact`` matches names whole (a package: "Anna Lind" is not "Anna Lindqvist"); the
    officer's search matches parts, to find the spellings a person has used."""

    term: str
    exact: bool = False
    platform_ids: frozenset[str] = frozenset()

    def name_lookup(self, field: str) -> dict[str, str]:
        """The lookup that matches a name in ``field``: whole (any case) or in part."""
        return {f"{field}__{'iexact' if self.exact else 'icontains'}": self.term}


@dataclass(frozen=True)
class HeldFile:
    """A file held with a piece of data (an entry's image, video or attachment): its kind,
    status and SHA-256, and its name in the package and place in the media storage when it is
    given; ``withheld`` says instead why it is not (then no hash, no file)."""

    kind: str
    status: str
    sha256: str = ""
    name: str = ""  # its name in the package's ZIP
    stored_as: str = ""  # its name in the media storage (never shown)
    withheld: str = ""

    def as_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "status": self.status,
            "sha256": self.sha256,
            "file": self.name,
            "withheld": self.withheld,
        }


@dataclass(frozen=True)
class HeldData:
    """One piece of data held about a person, as the subject-access package lists it.

    ``text`` is the content as held; ``withheld`` says instead why it is not given (secrecy
    with its provision, erasure as unlawful, disposal): then ``text`` is empty."""

    ref: str  # "app_label.model:pk", stable across searches
    kind: str
    what: str
    where: str
    when: datetime | None
    basis: str
    retention: str
    shared_with: str
    text: str = ""
    withheld: str = ""
    details: dict[str, str] = field(default_factory=dict)
    # A platform account whose name and profile link a rectification may correct (art. 16).
    correctable: bool = False
    files: tuple[HeldFile, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "kind": self.kind,
            "what": self.what,
            "where": self.where,
            "when": self.when.isoformat() if self.when else None,
            "legal_basis": self.basis,
            "retention": self.retention,
            "shared_with": self.shared_with,
            "text": self.text,
            "withheld": self.withheld,
            "details": self.details,
            "media": [held_file.as_json() for held_file in self.files],
        }


@dataclass(frozen=True)
class RetentionPeriods:
    """The days after which data that is not a public document is removed (administrator)."""

    orphan_accounts_days: int
    author_notes_days: int
    expired_blocks_days: int
    queue_working_data_days: int


@dataclass(frozen=True)
class ProfileCorrection:
    """A rectification of a platform account: the name and profile link as they should read
    (empty: unchanged), and the case it was decided in."""

    case_number: str
    name: str = ""
    profile_url: str = ""


@dataclass(frozen=True)
class PersonDataHolder:
    """An app's answer to "what do you hold about this person"."""

    name: str
    find: Callable[[PersonQuery], Iterable[HeldData]]
    # The platform ids of the accounts a term names (so the register finds their entries).
    platform_ids: Callable[[PersonQuery], Iterable[str]] | None = None
    # Remove what is held past the periods; returns a line per removed row for the report.
    retain: Callable[[RetentionPeriods, datetime], list[str]] | None = None
    # Correct the accounts of the given refs (its own, ``correctable``) everywhere they are
    # read; returns a line per change, old and new value, for the request's record.
    rectify: Callable[[list[str], ProfileCorrection], list[str]] | None = None


_holders: dict[str, PersonDataHolder] = {}


def person_data_holder_register(holder: PersonDataHolder) -> None:
    """Add ``holder`` (once per name) to every search, package and retention run."""
    _holders[holder.name] = holder


def person_data_holders() -> list[PersonDataHolder]:
    return list(_holders.values())


def person_data_find(term: str, *, exact: bool = False) -> list[HeldData]:
    """Everything every holder holds about the person ``term`` names, oldest first."""
    query = PersonQuery(term=term, exact=exact)
    ids = frozenset(
        platform_id
        for holder in _holders.values()
        if holder.platform_ids is not None
        for platform_id in holder.platform_ids(query)
    )
    query = PersonQuery(term=term, exact=exact, platform_ids=ids)
    found = [data for holder in _holders.values() for data in holder.find(query)]
    return sorted(found, key=held_order)


def person_profile_correct(refs: list[str], correction: ProfileCorrection) -> list[str]:
    """Correct the chosen accounts in every holder that holds them."""
    return [
        line
        for holder in _holders.values()
        if holder.rectify is not None
        for line in holder.rectify(refs, correction)
    ]


def held_order(data: HeldData) -> tuple[bool, float, str]:
    """Oldest first; what has no time last."""
    return (data.when is None, data.when.timestamp() if data.when else 0, data.ref)
