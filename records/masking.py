"""Masking of what must not appear in a public subject or a released copy: Swedish personal
identity and coordination numbers, e-mail addresses and telephone numbers, found exactly as
moderation's detectors find them (``core.personal_data``)."""

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.personal_data import EMAIL, IDENTITY_NUMBER, PHONE, identity_number, is_phone_number


@dataclass(frozen=True)
class PersonalDataHit:
    """Personal data found in a text: what kind (as the masking labels it) and what matched."""

    kind: str
    matched: str


@cache
def _labels(language: str) -> tuple[str, str, str, dict[str, str]]:
    """The labels for identity numbers, e-mail addresses and phone numbers in ``language``, and
    the kind each stands for (translated once per language, not once per text)."""
    with translation.override(language):
        number_label = _("[personal identity number]")
        email_label = _("[e-mail address]")
        phone_label = _("[phone number]")
        kinds = {
            number_label: _("personal identity number"),
            email_label: _("e-mail address"),
            phone_label: _("phone number"),
        }
    return number_label, email_label, phone_label, kinds


def _personal_data_replace(
    text: str, found: list[PersonalDataHit], keep: Collection[str] = ()
) -> str:
    """``text`` with identity numbers, e-mail addresses and phone numbers replaced by labels,
    except those in ``keep`` (any case); each replaced piece is added to ``found``."""
    kept = {value.strip().lower() for value in keep}
    number_label, email_label, phone_label, kinds = _labels(settings.LANGUAGE_CODE)

    def replace(label: str) -> Callable[[re.Match[str]], str]:
        def sub(match: re.Match[str]) -> str:
            if label == number_label and identity_number(match) is None:
                return match[0]
            if label == phone_label and not is_phone_number(match[0]):
                return match[0]
            if match[0].strip().lower() in kept:
                return match[0]
            found.append(PersonalDataHit(kinds[label], match[0]))
            return label

        return sub

    text = IDENTITY_NUMBER.sub(replace(number_label), text)
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
