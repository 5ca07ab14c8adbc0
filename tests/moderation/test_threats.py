"""The Swedish threat detector: threats found with the rule and span that found them, the
idioms, negations and reports that are not threats left alone, disguises undone, and bad
input answered in time without an exception."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as settings_module
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.choices import DetectorKind as D
from moderation.choices import ThreatRule, hit_reason
from moderation.threat_defaults import default_terms
from moderation.threats import LexiconTerm, LexiconThreatClassifier

LEXICON = [LexiconTerm(category, term) for category, term in default_terms()]
CLASSIFIER = LexiconThreatClassifier(lexicon=LEXICON)


def threats(text: str) -> list[tuple[str, str]]:
    return [
        (hit.detector, hit.detail.split(":")[0])
        for hit in CLASSIFIER.hits(text)
        if hit.detector != D.HARASSMENT
    ]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Jag ska döda dig", ThreatRule.INTENT_HARM),
        ("Någon borde skjuta er allihop.", ThreatRule.INTENT_HARM),
        ("Politikerna borde hängas", ThreatRule.INTENT_HARM),
        ("vi kommer att slå ihjäl er", ThreatRule.INTENT_HARM),
        ("hoppas du dör", ThreatRule.INTENT_HARM),
        ("Jag vet var du bor", ThreatRule.RESIDENCE),
        ("Det vore synd om något hände dina barn", ThreatRule.FAMILY),
        ("Jag kommer till kommunhuset imorgon med en kniv", ThreatRule.WEAPON_PLACE),
        ("Du är död.", ThreatRule.THREAT_PHRASE),
        ("om ni river skolan så bränner jag ner ert kontor", ThreatRule.CONDITIONAL),
    ],
)
def test_threats_say_which_rule_found_them(text, rule):
    assert (D.THREAT, rule) in threats(text)


@pytest.mark.parametrize(
    "text",
    [
        "Alla till stadshuset ikväll, vi bränner ner skiten!",
        "Skjut dem",
        "Bränn ner stadshuset!",
    ],
)
def test_calls_to_others_are_incitement(text):
    assert {kind for kind, _rule in threats(text)} == {D.INCITEMENT}


@pytest.mark.parametrize(
    "text",
    [
        "jag ska d ö d a dig",  # spaced letters
        "ja ska d0da dig",  # digits for letters
        "jag ska d*da er",  # a starred letter
        "ska sk*ta er allihop",  # a star for two letters
        "hoppas du dööööör",  # stretched letters
        "jag ska sla ihjal dig",  # å/ä written as a
        "jag ska d\u200böda dig",  # a zero-width space
        "JAG SKA DÖDA DIG",
    ],
)
def test_disguises_are_undone(text):
    assert (D.THREAT, ThreatRule.INTENT_HARM) in threats(text)


@pytest.mark.parametrize(
    "text",
    [
        "Jag dör av längtan efter sommaren",
        "Slå till på rean i helgen!",
        "Kan vi skjuta upp mötet till torsdag?",
        "Dags att ta död på myten om att kommunen inte lyssnar",
        "Polisen uppger att en man sköts i Vivalla i natt",
        "Jag blev slagen av min granne igår och polisen gjorde ingenting",
        "Han sa att han skulle döda mig",
        "Ingen ska behöva bli slagen",
        "Ge mig skjuts till skolan",
        "Vi ska krossa Karlskoga i derbyt!",
        "Hänger ni med på Kulturnatten?",
        "Skoterförare som kör på isen kommer att dö om de inte slutar",
        "Vi ska hänga på låset när biblioteket öppnar",
    ],
)
def test_idioms_negations_and_reports_are_not_threats(text):
    assert threats(text) == []


def test_a_hit_gives_its_span_and_reason():
    text = "Hej! Jag ska döda dig."
    (hit,) = CLASSIFIER.hits(text)
    assert text[hit.start : hit.end] == hit.matched == "Jag ska döda dig"
    assert hit.ground_code == "threat-incitement"
    with translation.override("sv"):
        assert hit_reason(hit.detail) == (
            "en person och en framtid eller önskan med skada: jag + ska + döda + dig"
        )


def test_an_edited_lexicon_changes_what_is_found():
    text = "Jag ska pulvrisera dig"
    assert CLASSIFIER.hits(text) == []
    tuned = LexiconThreatClassifier(lexicon=[*LEXICON, LexiconTerm("harm", "pulvrisera")])
    assert [h.detector for h in tuned.hits(text)] == [D.THREAT]


def test_offsets_point_into_the_text_as_given_with_invisible_characters():
    text = "\u200f\u200bNu: jag\u200b ska\u2060 döda dig"
    (hit,) = CLASSIFIER.hits(text)
    assert text[hit.start : hit.end] == hit.matched
    assert hit.matched.startswith("jag")


BAD_INPUT = [
    "",
    "   ",
    "😡🔪🔥💣" * 50,
    "\u202ejag ska döda dig\u202c \u200fשלום\u200f",
    "I swear jag ska kill you, you are dead meat",
    ("Jag tycker att kommunen borde laga vägen vid skolan. " * 200)[:10_000],
    "ö" * 10_000,
    "a " * 5_000,
    "*" * 10_000,
    "0 1 3 4 @ $ € * " * 600,
]


# A guard against catastrophic backtracking, not a speed target (those live in `make bench`):
# a pattern that backtracks on these texts takes minutes or hours, so the bound is far above
# any machine's load (a reading of 1.2 s for one of them on a loaded CI machine failed a
# bound of 1 s).
NO_BACKTRACKING_SECONDS = 30


@pytest.mark.parametrize("text", BAD_INPUT)
def test_bad_input_is_answered_without_catastrophic_backtracking(text):
    began = time.perf_counter()
    CLASSIFIER.hits(text)
    assert time.perf_counter() - began < NO_BACKTRACKING_SECONDS


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_is_read_without_an_exception_and_spans_point_into_it(text):
    for hit in CLASSIFIER.hits(text):
        assert 0 <= hit.start < hit.end <= len(text)
        assert text[hit.start : hit.end] == hit.matched


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "jag",
                "ska",
                "döda",
                "dig",
                "\u200b",
                "*",
                "d0da",
                "s k j u t a",
                "😡",
                "\u202e",
                "inte",
                "om",
                "kniv",
                "kommunhuset",
                "alla",
                "till",
                ".",
                "\n",
                "idiot",
                "du",
            ]
        ),
        max_size=60,
    )
)
def test_threat_words_in_any_order_never_raise(words):
    text = " ".join(words)
    for hit in CLASSIFIER.hits(text):
        assert text[hit.start : hit.end] == hit.matched


def test_the_same_hits_whatever_the_hash_seed():
    """A text gets the same hits and reasons in every process: the order of a set (which
    changes with PYTHONHASHSEED) does not pick the term named in the reason ("samlas", the word
    the text writes, not "samla")."""
    script = (
        "import sys;"
        "from moderation.threat_defaults import default_terms;"
        "from moderation.threats import LexiconTerm, LexiconThreatClassifier;"
        "c = LexiconThreatClassifier(lexicon=[LexiconTerm(*t) for t in default_terms()]);"
        "texts = [line.split('\\t')[-1] for name in sys.argv[1:] for line in open(name)];"
        "print(repr([c.hits(text) for text in texts]))"
    )
    data = Path(settings_module.BASE_DIR) / "bench" / "data"
    files = [str(data / "threats_tune.tsv"), str(data / "threats_holdout.tsv")]
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, *files],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            cwd=settings_module.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2, 3)  # 1 and 2 gave different reasons before
    }
    assert len(outputs) == 1
    assert "call: samlas + krossa" in outputs.pop()
