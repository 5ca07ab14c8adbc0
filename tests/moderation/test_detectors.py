"""The detectors, with real Swedish examples that must and must not fire."""

import pytest

from moderation.choices import DetectorKind as D
from moderation.detectors import WordEntry, detect, personal_numbers

WORDS = [
    WordEntry("banned", "hora", "harassment"),
    WordEntry("suspect", "idiot", "harassment"),
    WordEntry("suspect", "jävla", "harassment"),
    WordEntry("suspect", "skjuta", "threat-incitement"),
    WordEntry("suspect", "knark*", None),
]


def kinds(text: str, words=()) -> list[tuple[str, str]]:
    return [(hit.detector, hit.matched) for hit in detect(text, words)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mitt personnummer är 19121212-1212, kan ni kolla?", (D.PERSONAL_NUMBER, "19121212-1212")),
        ("pnr 121212-1212", (D.PERSONAL_NUMBER, "121212-1212")),
        ("pnr 1212121212 tack", (D.PERSONAL_NUMBER, "1212121212")),
        ("född 201212121212", (D.PERSONAL_NUMBER, "201212121212")),
        ("Hundraåring: 121212+1212", (D.PERSONAL_NUMBER, "121212+1212")),
        ("samordningsnummer 701063-2391", (D.COORDINATION_NUMBER, "701063-2391")),
    ],
)
def test_personal_and_coordination_numbers_are_found(text, expected):
    hits = detect(text)
    assert [(h.detector, h.matched) for h in hits] == [expected]
    assert text[hits[0].start : hits[0].end] == expected[1]
    assert hits[0].ground_code == "sensitive-information"


@pytest.mark.parametrize(
    "text",
    [
        "Ordernummer 4512345678 gäller leveransen.",  # valid date? no: month 12, day 34
        "Ärendenummer 1212121213 hos kommunen.",  # a real date but the Luhn digit is wrong
        "Kundnummer 9913321234",  # month 13
        "Samordningsnummer 701093-2391 finns inte",  # day 93-60 = 33
        "19121212-1213",  # Luhn fails
        "Konto 5020-1212121212",  # part of a longer number
        "Fakturanr 30121212121212",  # 14 digits
    ],
)
def test_no_false_alarm_on_ordinary_numbers(text):
    assert personal_numbers(text) == []


def test_a_phone_number_is_not_a_personal_number():
    assert kinds("Ring mig på 0701234567") == [(D.PHONE, "0701234567")]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("Ring Servicecenter 019-21 10 00", "019-21 10 00"),
        ("mobil 070-123 45 67 efter fem", "070-123 45 67"),
        ("Nås på +46 70 123 45 67", "+46 70 123 45 67"),
        ("tel 08-123 456 78", "08-123 456 78"),
    ],
)
def test_phone_numbers(text, matched):
    assert kinds(text) == [(D.PHONE, matched)]


@pytest.mark.parametrize("text", ["Bussen går kl. 07.45 och 16.10", "År 2024 var det 123 ärenden"])
def test_no_phone_in_times_and_counts(text):
    assert kinds(text) == []


def test_email_and_links():
    text = (
        "Mejla anna.svensson@example.se eller se https://solkraft.example/erbjudande. "
        "Och www.köp.se!"
    )
    assert kinds(text) == [
        (D.EMAIL, "anna.svensson@example.se"),
        (D.LINK, "https://solkraft.example/erbjudande"),
        (D.LINK, "www.köp.se"),
    ]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("Din JÄVLA idiot", ["JÄVLA", "idiot"]),  # case
        ("javla kommun", ["javla"]),  # ä written as a
        ("Politikerna är idioter", ["idioter"]),  # plural
        ("idioterna i stadshuset", ["idioterna"]),  # definite plural
        ("ett idiotiskt beslut", ["idiotiskt"]),  # adjective
        ("1d10t", ["1d10t"]),  # digits for letters
        ("jääääävla", ["jääääävla"]),  # stretched
        ("id\u200biot", ["id\u200biot"]),  # hidden zero-width space
        ("Någon borde skjuter dem", ["skjuter"]),  # verb form
        ("horor", ["horor"]),  # plural of a word ending in a vowel
        ("knarklangare överallt", ["knarklangare"]),  # prefix entry
    ],
)
def test_words_match_with_swedish_normalisation(text, matched):
    assert [hit.matched for hit in detect(text, WORDS)] == matched


@pytest.mark.parametrize(
    "text",
    [
        "Jag vill höra mer om detta",  # höra is not hora: written ö must stay ö
        "Horisonten var vacker i kväll",
        "Idéerna var bra",
        "Skjutsa barnen till skolan",  # skjutsa is not skjuta
        "Ett jävlaranamma utan like",  # a compound that is not on the list
        "Tack för en fin sommar!",
    ],
)
def test_words_do_not_fire_on_ordinary_swedish(text):
    assert detect(text, WORDS) == []


def test_each_hit_says_what_and_where():
    text = "Hej! Ring 070-123 45 67, din idiot."
    hits = detect(text, WORDS)
    assert [(h.detector, h.start, h.end, h.detail) for h in hits] == [
        (D.PHONE, 10, 23, ""),
        (D.SUSPECT_WORD, 29, 34, "idiot"),
    ]
    assert all(text[h.start : h.end] == h.matched for h in hits)
