"""The two term lists editors keep in admin, the word lists (moderation.detectors) and the threat
lexicon (moderation.threats): each term is written down in one normal form, and the rule of what
a term may be is each list's own (a word-list entry is one word of two letters or more; a threat
term is one or more words), with the star allowed at a word's end only."""

import pytest

from moderation.models import ThreatTerm, Word

pytestmark = pytest.mark.django_db


def add(client, model, **data):
    return client.post(f"/admin/moderation/{model}/add/", {**data, "is_active": "on"})


@pytest.mark.parametrize(
    ("written", "stored"),
    [("  IDIOT ", "idiot"), ("Rabatt*", "rabatt*"), ("ab", "ab"), ("Jä**", "jä**")],
)
def test_a_word_list_entry_is_kept_in_its_normal_form(client, editor, written, stored):
    client.force_login(editor)
    assert add(client, "word", list="suspect", term=written).status_code == 302
    assert Word.objects.filter(term=stored).exists()


@pytest.mark.parametrize("written", ["a", "a*", "*", "ab*c", "två ord", "", "   "])
def test_a_word_list_entry_is_one_word_with_a_star_at_its_end_only(client, editor, written):
    client.force_login(editor)
    refused = add(client, "word", list="suspect", term=written)
    assert refused.status_code == 200
    assert not Word.objects.exists()


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("  Pulvrisera   DIG ", "pulvrisera dig"),
        ("ö*", "ö*"),
        ("vet var du sover", "vet var du sover"),
    ],
)
def test_a_threat_term_is_kept_in_its_normal_form(client, editor, written, stored):
    client.force_login(editor)
    assert add(client, "threatterm", category="harm", term=written).status_code == 302
    assert ThreatTerm.objects.filter(term=stored).exists()


@pytest.mark.parametrize("written", ["sk*ta", "*", "slå *", "", "  "])
def test_a_threat_term_has_a_star_at_a_word_end_only(client, editor, written):
    client.force_login(editor)
    refused = add(client, "threatterm", category="harm", term=written)
    assert refused.status_code == 200
    assert not ThreatTerm.objects.filter(term=written.strip()).exists()
