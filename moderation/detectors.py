"""Detectors: what in a text may need a moderator, each hit saying what matched and where.

Personal identity numbers and contact details are those of ``core.personal_data``, the same the
register's masking hides. Word lists are matched with Swedish normalisation: any case, å/ä/ö
written as a/o, digits and signs for letters, stretched letters, hidden zero-width characters,
and inflected endings."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from core.personal_data import EMAIL, PHONE, identity_numbers, is_phone_number
from moderation.choices import DetectorKind, WordListKind


@dataclass(frozen=True)
class Hit:
    detector: str
    start: int
    end: int
    matched: str
    detail: str = ""
    ground_code: str | None = None


@dataclass(frozen=True)
class WordEntry:
    list: str
    term: str
    ground_code: str | None = None


# --- Personal identity and coordination numbers, phone numbers, e-mail addresses, links -----
LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)


def personal_numbers(text: str) -> list[Hit]:
    hits = []
    for found in identity_numbers(text):
        kind = (
            DetectorKind.COORDINATION_NUMBER if found.coordination else DetectorKind.PERSONAL_NUMBER
        )
        hits.append(Hit(kind, found.start, found.end, found.matched, "", "sensitive-information"))
    return hits


def _contact_hits(text: str, taken: list[tuple[int, int]]) -> list[Hit]:
    hits = []
    for detector, pattern, ground in (
        (DetectorKind.EMAIL, EMAIL, "sensitive-information"),
        (DetectorKind.LINK, LINK, "marketing"),
        (DetectorKind.PHONE, PHONE, "sensitive-information"),
    ):
        for match in pattern.finditer(text):
            start, end = match.span()
            matched = match.group()
            if detector == DetectorKind.LINK:
                trimmed = matched.rstrip(".,;:!?)")
                end -= len(matched) - len(trimmed)
                matched = trimmed
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            if detector == DetectorKind.PHONE and not is_phone_number(matched):
                continue
            taken.append((start, end))
            hits.append(Hit(detector, start, end, matched, "", ground))
    return hits


# --- Word lists ------------------------------------------------------------------------------
# Each letter also matches what people type instead: the letter without its dots or ring, a
# digit or a sign that looks like it.
LOOKALIKES = {
    "a": "a4@",
    "b": "b8",
    "e": "e3€",
    "i": "i1!|",
    "l": "l1|",
    "o": "o0",
    "s": "s5$",
    "t": "t7",
    "z": "z2",
    "å": "åa",
    "ä": "äa4@",
    "ö": "öo0ø",
}
INVISIBLE = "[\u00ad\u200b\u200c\u200d\u2060\ufeff]*"
# Swedish inflection: plural, definite form, genitive, adjective and participle endings.
ENDINGS = [
    "arnas",
    "arna",
    "ornas",
    "orna",
    "ernas",
    "erna",
    "iska",
    "iskt",
    "isk",
    "igt",
    "iga",
    "ig",
    "ande",
    "ende",
    "ade",
    "at",
    "ad",
    "ts",
    "ar",
    "or",
    "er",
    "en",
    "et",
    "na",
    "ns",
    "as",
    "es",
    "s",
    "t",
    "n",
    "a",
    "e",
]
VOWELS = "aeiouyåäö"


def _letters(word: str) -> str:
    parts = []
    for char in word:
        options = LOOKALIKES.get(char, char)
        parts.append("[" + re.escape(options) + "]+" if len(options) > 1 else re.escape(char) + "+")
    return INVISIBLE.join(parts)


@lru_cache(maxsize=4096)
def word_pattern(term: str) -> re.Pattern[str]:
    term = term.lower()
    if term.endswith("*"):
        body = _letters(term.rstrip("*")) + r"\w*"
    else:
        stems = {term}
        if term[-1] in VOWELS and len(term) > 3:
            stems.add(term[:-1])
        endings = "(?:" + "|".join(ENDINGS) + ")?"
        body = "(?:" + "|".join(_letters(stem) for stem in sorted(stems, key=len, reverse=True))
        body += ")" + endings
    return re.compile(r"(?<![\w@$€|!])" + body + r"(?![\w@$€])", re.IGNORECASE)


def word_hits(text: str, words: Iterable[WordEntry]) -> list[Hit]:
    hits = []
    for word in words:
        detector = (
            DetectorKind.BANNED_WORD
            if word.list == WordListKind.BANNED
            else DetectorKind.SUSPECT_WORD
        )
        for match in word_pattern(word.term).finditer(text):
            hits.append(
                Hit(
                    detector, match.start(), match.end(), match.group(), word.term, word.ground_code
                )
            )
    return hits


def detect(text: str, words: Iterable[WordEntry] = ()) -> list[Hit]:
    """Every hit in ``text``, in order of where it starts."""
    found = personal_numbers(text)
    taken = [(hit.start, hit.end) for hit in found]
    found += _contact_hits(text, taken)
    found += word_hits(text, words)
    return sorted(found, key=lambda hit: (hit.start, hit.end))
