"""One definition of personal data for the detectors and the masking: they cannot disagree."""

import pytest

from core.personal_data import identity_numbers
from moderation.detectors import personal_numbers
from records.masking import personal_data_find


def numbers(text):
    return [found.matched for found in identity_numbers(text)]


def test_the_check_digit():
    assert numbers("8112189876") == ["8112189876"]
    assert numbers("1212121212") == ["1212121212"]
    assert numbers("1212121213") == []
    assert numbers("8112189875") == []


def test_a_number_anywhere_in_a_text():
    assert numbers("x 19811218-9876 y") == ["19811218-9876"]


def test_coordination_numbers_are_told_apart():
    assert [found.coordination for found in identity_numbers("811278-9873 811218-9876")] == [
        True,
        False,
    ]


@pytest.mark.parametrize(
    "text",
    [
        "811131-9870",  # 31 November: the check digit is right, the date does not exist
        "811218-9876",
        "811278-9873",
        "Ring 070-123 45 67 eller mejla anna@example.se",
        "Kl. 07.45 och 16.10, 123 ärenden",
        "Ordernummer 123456-7890",
    ],
)
def test_masking_hides_exactly_what_the_detectors_find(text):
    detected = [hit.matched for hit in personal_numbers(text)]
    masked = [hit.matched for hit in personal_data_find(text) if hit.kind == "personnummer"]
    assert masked == detected
