import pytest

from records.masking import mask_personal_data


@pytest.mark.parametrize(
    "text",
    [
        "811218-9876",
        "8112189876",
        "19811218-9876",
        "198112189876",
        "811278-9873",  # samordningsnummer: day + 60
        "Mitt nummer är 811218 9876, ring mig",
    ],
)
def test_personal_numbers_are_masked(text):
    masked = mask_personal_data(text)
    assert "[personnummer]" in masked
    assert "9876" not in masked
    assert "9873" not in masked


@pytest.mark.parametrize("text", ["811218-9875", "811318-9876", "Ordernummer 123456-7890"])
def test_numbers_failing_luhn_or_date_are_not_personal_numbers(text):
    assert "[personnummer]" not in mask_personal_data(text)


def test_email_and_phone_are_masked():
    masked = mask_personal_data(
        "Skriv till anna.a+x@example.se eller ring 070-123 45 67, +46 19 21 10 00"
    )
    assert masked == "Skriv till [e-postadress] eller ring [telefonnummer], [telefonnummer]"


def test_plain_text_is_untouched():
    text = "Snöröjningen på Storgatan 12 år 2026 var bra"
    assert mask_personal_data(text) == text
