"""Personal data in free text, one definition for the detectors (what a moderator is warned of)
and the masking (what a public subject or a released copy hides), so the two cannot disagree.

Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer,
day + 60) are checked with python-stdnum: a real calendar date and the Luhn check digit, so an
ordinary ten-digit number is not taken for one. Contact details are e-mail addresses and Swedish
telephone numbers (8 to 13 digits, so times and counts are not taken for one)."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from stdnum import luhn
from stdnum.exceptions import ValidationError as NumberInvalid
from stdnum.se import personnummer

IDENTITY_NUMBER = re.compile(
    r"(?<![\d+\-])(?P<century>\d{2})?(?P<yymmdd>\d{6})\s?(?P<sign>[-+]?)\s?(?P<last>\d{4})(?!\d)"
)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}(?![\w])")
PHONE = re.compile(r"(?<![\w+])(?:\+46|0046|0)[\s\-]?\(?0?\d{1,3}\)?(?:[\s\-/]?\d){5,9}(?!\d)")
PHONE_DIGITS = range(8, 14)
CENTURIES = ("18", "19", "20")
COORDINATION_DAY_OFFSET = 60


@dataclass(frozen=True)
class IdentityNumber:
    """A personal identity or coordination number found in a text."""

    start: int
    end: int
    matched: str
    coordination: bool


def _date_exists(centuries: tuple[str, ...], yymmdd: str, last: str) -> bool:
    """Whether the date part is a real date in one of ``centuries`` (stdnum's own check)."""
    for century in centuries:
        try:
            personnummer.get_birth_date(f"{century}{yymmdd}-{last}")
        except NumberInvalid:
            continue
        return True
    return False


def identity_number(match: re.Match[str]) -> IdentityNumber | None:
    """The number an ``IDENTITY_NUMBER`` match is, or None for an ordinary number."""
    century, yymmdd, last = match["century"], match["yymmdd"], match["last"]
    if century and century not in CENTURIES:
        return None
    day = int(yymmdd[4:])
    coordination = day > COORDINATION_DAY_OFFSET
    birth = f"{yymmdd[:4]}{day - COORDINATION_DAY_OFFSET:02d}" if coordination else yymmdd
    # Without the century either reading will do: 000229 is a date in 2000, not in 1900.
    if not _date_exists((century,) if century else ("19", "20"), birth, last):
        return None
    if not luhn.is_valid(yymmdd + last):
        return None
    return IdentityNumber(match.start(), match.end(), match[0], coordination)


def identity_numbers(text: str) -> Iterator[IdentityNumber]:
    """Each personal identity or coordination number in ``text``, in order."""
    for match in IDENTITY_NUMBER.finditer(text):
        found = identity_number(match)
        if found is not None:
            yield found


def is_phone_number(matched: str) -> bool:
    """Whether a ``PHONE`` match has as many digits as a Swedish telephone number."""
    return sum(c.isdigit() for c in matched) in PHONE_DIGITS
