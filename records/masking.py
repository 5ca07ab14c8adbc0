"""Masking of what must not appear in a public subject or a released copy: Swedish personal
identity and coordination numbers (checked with the Luhn algorithm), e-mail addresses and
telephone numbers. Deliberately small; moderation's detectors are the thorough ones."""

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

PERSONAL_NUMBER = re.compile(
    r"(?<![\d])(?:19|20)?(?P<yymmdd>\d{6})\s?[-+]?\s?(?P<last>\d{4})(?![\d])"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])(?:\+46|0046|0)[\s-]?\(?\d{1,3}\)?(?:[\s-]?\d){5,9}(?![\d])")


@dataclass(frozen=True)
class PersonalDataHit:
    """Personal data found in a text: what kind (as the masking labels it) and what matched."""

    kind: str
    matched: str


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def is_personal_number(yymmdd: str, last: str) -> bool:
    """A personnummer or samordningsnummer (day + 60) with a valid date part and check digit."""
    month, day = int(yymmdd[2:4]), int(yymmdd[4:6])
    if day > 60:
        day -= 60
    return 1 <= month <= 12 and 1 <= day <= 31 and luhn_valid(yymmdd + last)


def _personal_data_replace(
    text: str, found: list[PersonalDataHit], keep: Collection[str] = ()
) -> str:
    """``text`` with identity numbers, e-mail addresses and phone numbers replaced by labels,
    except those in ``keep`` (any case); each replaced piece is added to ``found``."""
    kept = {value.strip().lower() for value in keep}
    with translation.override(settings.LANGUAGE_CODE):
        number_label = _("[personal identity number]")
        email_label = _("[e-mail address]")
        phone_label = _("[phone number]")
        kinds = {
            number_label: _("personal identity number"),
            email_label: _("e-mail address"),
            phone_label: _("phone number"),
        }

    def replace(label: str) -> Callable[[re.Match[str]], str]:
        def sub(match: re.Match[str]) -> str:
            if label == number_label and not is_personal_number(match["yymmdd"], match["last"]):
                return match[0]
            if match[0].strip().lower() in kept:
                return match[0]
            found.append(PersonalDataHit(kinds[label], match[0]))
            return label

        return sub

    text = PERSONAL_NUMBER.sub(replace(number_label), text)
    text = EMAIL.sub(replace(email_label), text)
    return PHONE.sub(replace(phone_label), text)


def mask_personal_data(text: str, keep: Collection[str] = ()) -> str:
    """``text`` with identity numbers, e-mail addresses and phone numbers replaced by labels;
    what is in ``keep`` (a data subject's own address, say) stays."""
    return _personal_data_replace(text, [], keep)


def personal_data_find(text: str) -> list[PersonalDataHit]:
    """What ``mask_personal_data`` masks in ``text``: the detectors' warnings before release."""
    found: list[PersonalDataHit] = []
    _personal_data_replace(text, found)
    return found


def mask_terms(text: str, terms: list[str]) -> str:
    """``text`` with each of ``terms`` (any case) replaced by a label."""
    with translation.override(settings.LANGUAGE_CODE):
        label = _("[masked]")
    for term in sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True):
        text = re.sub(re.escape(term), label, text, flags=re.IGNORECASE)
    return text


def contains_personal_number(text: str) -> bool:
    return any(is_personal_number(m["yymmdd"], m["last"]) for m in PERSONAL_NUMBER.finditer(text))
