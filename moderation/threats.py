"""The Swedish threat detector: it reads a text word by word through each word's lemma
(simplemma's Swedish dictionary, with Snowball's Swedish stemmer for words the dictionary does
not know, such as "doda" for "döda"), undoes the usual disguises (digits and signs for letters,
starred, stretched and spaced-out letters, invisible characters) and applies rules for how
threats are said in Swedish, reading the lexicon editors keep in admin (ThreatTerm).

Nothing leaves the process. A municipality may add classifiers of its own through the setting
MODERATION_CLASSIFIERS (dotted paths of classes built with ``lexicon=`` that answer
``classify(texts)`` with a list of ``Hit`` per text; see ``Classifier``)."""

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import simplemma
import snowballstemmer

from moderation.choices import DetectorKind, ThreatRule
from moderation.choices import ThreatTermCategory as C
from moderation.detectors import VOWELS, Hit

THREAT_GROUND = "threat-incitement"
INCITEMENT_GROUND = "incitement-to-crime"
HARASSMENT_GROUND = "harassment"
PHRASE_GAP = 2  # other words allowed between the words of a phrase
NEAR = 4  # how far (in words) a person may stand from the verb they go with
INTENT_REACH = 6  # from the future or wish to the harm
MAX_TOKENS = 4000  # a text longer than this is read up to here (the time budget)

# Characters that change nothing a reader sees: zero-width, direction marks, soft hyphen,
# variation selectors and combining marks (a dotted o typed as o + U+0308 is read as "o").
INVISIBLE = re.compile(
    "[\u0300-\u036f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufe00-\ufe0f\ufeff]"
)
# Single letters in a row, each followed by a space, dot or dash: "d ö d a", "s.k.j.u.t.a".
# Word characters and the signs that stand for letters, one token each ("d0da", "sk*ta").
TOKEN = re.compile(
    r"(?P<spaced>(?<![\w*@$€])(?:[^\W\d_][ .\-·]){2,}[^\W\d_](?![\w*@$€]))|(?P<word>[\w*@$€]+)"
)
SPACERS = re.compile(r"[ .\-·]")
CLAUSE_BREAK = re.compile(r"[.!?;:\n\u2026]")
LEET = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "€": "e"}
FOLD = str.maketrans("åäöéü", "aaoeu")
STRETCH = re.compile(r"(.)\1{2,}")
CATEGORIES = tuple(C.values)  # Django builds ``values`` anew at every read
_stemmer = snowballstemmer.stemmer("swedish")


@dataclass(frozen=True)
class LexiconTerm:
    category: str
    term: str


@lru_cache(maxsize=200_000)
def _lemma(form: str) -> tuple[str, bool]:
    """The lemma simplemma gives a lower-case word, and whether its dictionary knows the word
    (the low-memory backend: about 15 MB instead of about 100)."""
    lemma = simplemma.lemmatize(form, lang="sv", low_memory=True).lower()
    return lemma, simplemma.is_known(form, lang="sv", low_memory=True)


def _folded_stem(form: str) -> str:
    return "~" + _stemmer.stemWord(form.translate(FOLD))


def _variants(surface: str) -> set[str]:
    """The words a disguised token may stand for."""
    forms = {surface}
    if any(c.isdigit() or c in "@$€" for c in surface) and any(c.isalpha() for c in surface):
        plain = "".join(LEET.get(c, c) for c in surface)
        forms |= {plain.replace("1", "i"), plain.replace("1", "l")}
    if "*" in surface:
        starred = {f for f in forms if "*" in f}
        for form in starred:
            if form.strip("*") and form.count("*") <= 3:
                forms |= {form.replace("*", vowel) for vowel in VOWELS}
            forms.add(form.replace("*", ""))
    for form in list(forms):
        if STRETCH.search(form):
            forms |= {STRETCH.sub(r"\1", form), STRETCH.sub(r"\1\1", form)}
    return {f for f in forms if f.isalpha()}


@lru_cache(maxsize=200_000)
def token_forms(surface: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The forms a word in a text may stand for; those of them the dictionary does not know
    (only these may be a word with å/ä/ö written as a/o: "nan" for "nån", but "vara" is not
    "våra"); and every form with å/ä/ö as a/o (for the terms that end in *)."""
    forms = _variants(surface)
    loose = frozenset(f for f in forms if not _lemma(f)[1])
    return frozenset(forms), loose, frozenset(f.translate(FOLD) for f in forms)


@lru_cache(maxsize=200_000)
def token_keys(surface: str) -> frozenset[str]:
    """What a word in a text is matched by: its forms and their lemmas, and, for a word the
    dictionary does not know, the Snowball stem of its form with å/ä/ö as a/o."""
    keys: set[str] = set()
    for form in _variants(surface):
        lemma, known = _lemma(form)
        keys |= {form, lemma}
        if not known:
            keys.add(_folded_stem(form))
    return frozenset(keys)


@lru_cache(maxsize=20_000)
def term_keys(word: str) -> frozenset[str]:
    """What a word of the lexicon matches: its form, its lemma and both folded stems."""
    lemma, _known = _lemma(word)
    return frozenset({word, lemma, _folded_stem(word), _folded_stem(lemma)})


@dataclass
class Token:
    surface: str
    start: int
    end: int
    clause: int
    keys: frozenset[str]
    forms: frozenset[str]
    loose: frozenset[str]
    folded: frozenset[str]
    lookup: frozenset[str] = frozenset()  # every key the lexicon's index may hold for it

    def __post_init__(self) -> None:
        self.lookup = self.keys | self.forms | {f.translate(FOLD) for f in self.loose}


def tokens_of(text: str) -> list[Token]:
    """The words of ``text`` with their places in it (offsets into ``text`` as given)."""
    if INVISIBLE.search(text):
        kept = [(i, c) for i, c in enumerate(text) if not INVISIBLE.fullmatch(c)]
        clean = "".join(c for _i, c in kept)
        where = [i for i, _c in kept] + [len(text)]
    else:
        clean, where = text, []
    tokens: list[Token] = []
    clause, previous_end = 0, 0
    for match in TOKEN.finditer(clean):
        if len(tokens) >= MAX_TOKENS:
            break
        start, end = match.span()
        if CLAUSE_BREAK.search(clean, previous_end, start):
            clause += 1
        previous_end = end
        raw = match.group()
        surface = (SPACERS.sub("", raw) if match.lastgroup == "spaced" else raw).lower()
        if where:
            start, end = where[start], where[end - 1] + 1
        tokens.append(
            Token(surface, start, end, clause, token_keys(surface), *token_forms(surface))
        )
    return tokens


@dataclass(frozen=True)
class Match:
    first: int  # token index
    last: int
    term: str

    def overlaps(self, other: "Match") -> bool:
        return self.first <= other.last and other.first <= self.last


# Closed word classes (pronouns, auxiliaries, negations) are matched by their forms as written,
# not through a lemma: "ska" and "skolan" share the lemma "skola".
EXACT_CATEGORIES = {C.INTENT, C.ACTOR, C.TARGET, C.SELF, C.NEGATION, C.CONDITION, C.REPORT}
# Words that, between the words of an idiom, make them something else: a person as object
# ("skjuter jag någon på kontoret" is not "skjuta på").
OBJECT_PRONOUNS = frozenset(
    {"dig", "dej", "er", "honom", "henne", "dem", "dom", "hen", "mig", "oss", "någon", "nån"}
)


@dataclass(frozen=True)
class Word:
    keys: frozenset[str]  # matched against a token's keys (lemmas) or, when exact, its forms
    prefix: str | None = None  # "word*": any form that starts with it
    exact: bool = False
    folded: str = ""


@dataclass
class CompiledTerm:
    term: str
    words: list[Word]


@dataclass
class Lexicon:
    """The lexicon compiled for matching: every category's terms by the keys of their first
    word, so that a text is read once for all categories. Built once per lexicon content
    (``lexicon_compile`` caches it)."""

    first: dict[str, list[tuple[str, CompiledTerm]]] = field(default_factory=dict)
    prefixed: dict[str, list[CompiledTerm]] = field(default_factory=dict)
    words: set[str] = field(default_factory=set)  # every word of every term, for "sk*ta"
    prefix_starts: dict[str, re.Pattern[str]] = field(default_factory=dict)  # per category

    def starred(self, token: Token) -> Token:
        """A token with a star also stands for each lexicon word the star may hide one or two
        letters of ("sk*ta": skjuta)."""
        parts = [re.escape(p) for p in token.surface.split("*")]
        pattern = re.compile(r"\w{0,2}".join(parts))
        found = {w for w in self.words if pattern.fullmatch(w)}
        if not found:
            return token
        keys = token.keys.union(*(term_keys(w) for w in found))
        return Token(
            token.surface,
            token.start,
            token.end,
            token.clause,
            keys,
            token.forms | found,
            token.loose,
            token.folded | found,
        )

    def matches(self, tokens: Sequence[Token]) -> dict[str, list[Match]]:
        """What each category's terms match in ``tokens``, in the order of the tokens."""
        found: dict[str, list[Match]] = defaultdict(list)
        for i, token in enumerate(tokens):
            candidates: dict[str, dict[str, CompiledTerm]] = defaultdict(dict)
            for key in token.lookup:
                for category, term in self.first.get(key, ()):
                    candidates[category][term.term] = term
            for category, starts in self.prefix_starts.items():
                if any(map(starts.match, token.folded)):
                    for term in self.prefixed[category]:
                        if _word_matches(token, term.words[0]):
                            candidates[category][term.term] = term
            for category, terms in candidates.items():
                # In the same order whatever the hash seed: the term the text writes first.
                for term in sorted(terms.values(), key=lambda t: (_not_written(token, t), t.term)):
                    if not _word_matches(token, term.words[0]):
                        continue
                    last = _rest_match(tokens, i, term, category == C.NOT_A_THREAT)
                    if last is not None:
                        found[category].append(Match(i, last, term.term))
        return found


def _not_written(token: Token, term: CompiledTerm) -> bool:
    """Whether ``token`` is not written as ``term``'s first word (it matches a form of it)."""
    return term.words[0].keys.isdisjoint(token.forms)


def _word_matches(token: Token, word: Word) -> bool:
    if word.prefix is not None:
        return any(form.startswith(word.prefix) for form in token.folded)
    if word.exact:
        return not word.keys.isdisjoint(token.forms) or word.folded in token.loose
    return not word.keys.isdisjoint(token.keys)


def _rest_match(tokens: Sequence[Token], i: int, term: CompiledTerm, idiom: bool) -> int | None:
    """The index of the last word of ``term`` starting at token ``i``, or None. An idiom's
    words are not taken apart by a person as object: "skjuta upp mötet" is an idiom, "skjuta
    dig om du" is not "sköta om"."""
    position = i
    for word in term.words[1:]:
        for j in range(position + 1, min(len(tokens), position + 2 + PHRASE_GAP)):
            if tokens[j].clause != tokens[i].clause:
                return None
            if _word_matches(tokens[j], word):
                position = j
                break
            if idiom and not OBJECT_PRONOUNS.isdisjoint(tokens[j].forms):
                return None
        else:
            return None
    return position


@lru_cache(maxsize=8)
def lexicon_compile(terms: frozenset[LexiconTerm]) -> Lexicon:
    lexicon = Lexicon()
    for entry in sorted(terms, key=lambda t: (t.category, t.term)):
        exact = entry.category in EXACT_CATEGORIES
        words: list[Word] = []
        for word in entry.term.lower().split():
            lexicon.words.add(word.rstrip("*"))
            if word.endswith("*"):
                words.append(Word(frozenset(), prefix=word.rstrip("*").translate(FOLD)))
            elif exact:
                words.append(Word(frozenset({word}), exact=True, folded=word.translate(FOLD)))
            else:
                words.append(Word(term_keys(word)))
        compiled = CompiledTerm(entry.term, words)
        if words[0].prefix is not None:
            lexicon.prefixed.setdefault(entry.category, []).append(compiled)
        else:
            for key in words[0].keys | {words[0].folded} - {""}:
                lexicon.first.setdefault(key, []).append((entry.category, compiled))
    for category, prefixed in lexicon.prefixed.items():
        # One pattern per category, so a word that starts no such term costs one match.
        prefixes = sorted({t.words[0].prefix or "" for t in prefixed}, key=len, reverse=True)
        lexicon.prefix_starts[category] = re.compile("|".join(map(re.escape, prefixes)))
    return lexicon


class Classifier(Protocol):
    """What a classifier of the municipality's own answers: for each text, its hits (each with
    its detector kind, span, matched text, reason and suggested ground). It runs in-process:
    nothing may be sent to an outside service."""

    def __init__(self, *, lexicon: Iterable[LexiconTerm]) -> None: ...

    def classify(self, texts: Sequence[str]) -> list[list[Hit]]: ...


class LexiconThreatClassifier:
    """The rules below, on the lexicon editors keep."""

    def __init__(self, *, lexicon: Iterable[LexiconTerm]) -> None:
        self.lexicon = lexicon_compile(frozenset(lexicon))

    def classify(self, texts: Sequence[str]) -> list[list[Hit]]:
        return [self.hits(text) for text in texts]

    def hits(self, text: str) -> list[Hit]:
        tokens = [
            self.lexicon.starred(t) if "*" in t.surface.strip("*") else t for t in tokens_of(text)
        ]
        if not tokens:
            return []
        return _Reading(text, tokens, self.lexicon).hits()


class _Reading:
    """One text read against the lexicon: what each category matched, and the rules on it."""

    def __init__(self, text: str, tokens: list[Token], lexicon: Lexicon):
        self.text = text
        self.tokens = tokens
        matched = lexicon.matches(tokens)
        m = {category: _longest(matched.get(category, [])) for category in CATEGORIES}
        idioms = m[C.NOT_A_THREAT]
        self.m = {
            category: [x for x in found if not any(x.overlaps(i) for i in idioms)]
            if category in (C.HARM, C.INTENT, C.THREAT_PHRASE, C.WEAPON, C.INSULT)
            else found
            for category, found in m.items()
        }
        self.by_clause: dict[int, dict[str, list[Match]]] = defaultdict(lambda: defaultdict(list))
        for category, found in self.m.items():
            for match in found:
                self.by_clause[tokens[match.first].clause][category].append(match)
        self.found: list[Hit] = []
        self.starts: dict[int, int] = {}
        for i, token in enumerate(tokens):
            self.starts.setdefault(token.clause, i)

    # --- helpers ---
    def _in(self, clause: int, category: str) -> list[Match]:
        return self.by_clause.get(clause, {}).get(category, [])

    def _near(self, clause: int, category: str, lo: int, hi: int) -> list[Match]:
        return [m for m in self._in(clause, category) if m.first <= hi and m.last >= lo]

    def _negated(self, clause: int, lo: int, hi: int) -> bool:
        return bool(self._near(clause, C.NEGATION, lo, hi))

    def _clauses(self) -> list[int]:
        return sorted(self.by_clause)

    def _start(self, clause: int) -> int:
        return self.starts[clause]

    def _add(self, kind: str, rule: str, ground: str, parts: Sequence[Match]) -> None:
        first = min(p.first for p in parts)
        last = max(p.last for p in parts)
        start, end = self.tokens[first].start, self.tokens[last].end
        words = " + ".join(p.term for p in sorted(parts, key=lambda p: p.first))
        self.found.append(Hit(kind, start, end, self.text[start:end], f"{rule}: {words}", ground))

    def _threat(self, rule: str, parts: Sequence[Match]) -> None:
        self._add(DetectorKind.THREAT, rule, THREAT_GROUND, parts)

    # --- the rules ---
    def hits(self) -> list[Hit]:
        for clause in self._clauses():
            reported = bool(self._in(clause, C.REPORT))
            called = self._call(clause, reported)
            if not called:
                self._intent_harm(clause, reported)
                self._imperative(clause)
                if not reported:
                    self._conditional(clause)
            self._phrases(clause)
            self._family(clause)
            if not reported and not called:
                self._weapon(clause)
            self._insult(clause)
        return _distinct(self.found)

    def _person_before(self, clause: int, category: str, index: int) -> Match | None:
        found = self._near(clause, category, index - NEAR, index - 1)
        return found[-1] if found else None

    def _intent_harm(self, clause: int, reported: bool) -> None:
        """A person and a future or wish with harm: "jag ska döda dig", "ni borde hängas"."""
        for fate in self._in(clause, C.FATE):
            # Harm that befalls someone: that someone is named before it ("du ska dö").
            intents = self._near(clause, C.INTENT, fate.first - INTENT_REACH, fate.first - 1)
            if not intents or self._negated(clause, intents[0].first - 2, fate.first):
                continue
            named = self._near(clause, C.TARGET, intents[0].first - INTENT_REACH, fate.first - 1)
            # or right after it, the verb second: "snart brinner ert kontor", "då dör du"
            named += self._near(clause, C.TARGET, fate.last + 1, fate.last + 1)
            if named and not reported:
                self._threat(ThreatRule.INTENT_HARM, [named[0], intents[0], fate])
        for harm in self._in(clause, C.HARM):
            intents = [
                i
                for i in self._near(clause, C.INTENT, harm.first - INTENT_REACH, harm.first - 1)
                if i.last < harm.first
            ]
            if not intents:
                continue
            intent = intents[0]
            if self._negated(clause, intent.first - 2, harm.first):
                continue
            victims = self._near(clause, C.SELF, harm.last + 1, harm.last + NEAR)
            targets_after = self._near(clause, C.TARGET, intent.last + 1, harm.last + NEAR)
            if victims and not targets_after:
                continue  # "han sa att han skulle döda mig": the writer tells what was done
            actor = self._person_before(clause, C.ACTOR, intent.first)
            subjects = self._near(clause, C.TARGET, intent.first - INTENT_REACH, intent.first - 1)
            subject = subjects[-1] if subjects else None
            starts = intent.first == self._start(clause)
            if reported and not (actor or targets_after):
                continue
            person = actor or subject or (targets_after[0] if targets_after else None)
            if person is None and not starts:
                continue
            parts = [p for p in (person, intent, harm) if p is not None]
            self._threat(ThreatRule.INTENT_HARM, parts + targets_after[:1])

    def _conditional(self, clause: int) -> None:
        """Harm promised on a condition, the person after the verb: "om ni river skolan så
        bränner jag ner ert kontor"."""
        for harm in self._in(clause, C.HARM):
            actor = self._near(clause, C.ACTOR, harm.first + 1, harm.first + 1)
            condition = self._near(clause - 1, C.CONDITION, 0, harm.first) + self._near(
                clause, C.CONDITION, 0, harm.first - 1
            )
            if actor and condition and not self._negated(clause, harm.first - 2, harm.last + 2):
                self._threat(ThreatRule.CONDITIONAL, [condition[-1], harm, actor[0]])

    def _phrases(self, clause: int) -> None:
        """Threats in so many words ("du är död"), and knowing where someone lives."""
        for category, rule in (
            (C.THREAT_PHRASE, ThreatRule.THREAT_PHRASE),
            (C.RESIDENCE, ThreatRule.RESIDENCE),
        ):
            for phrase in self._in(clause, category):
                if not self._negated(clause, phrase.first - 2, phrase.last):
                    self._threat(rule, [phrase])

    def _family(self, clause: int) -> None:
        """A family member with harm or a veiled warning: "synd om något hände dina barn"."""
        for family in self._in(clause, C.FAMILY):
            near = family.first - NEAR, family.last + NEAR
            owner = self._near(clause, C.TARGET, family.first - 1, family.first - 1)
            if not owner:
                continue
            danger = self._in(clause, C.WARNING) or self._in(clause, C.HARM)
            if danger and not self._negated(clause, *near):
                self._threat(ThreatRule.FAMILY, [owner[0], family, danger[0]])

    def _weapon(self, clause: int) -> None:
        """A weapon brought to a place or a person by someone who says they will."""
        for clauses in ((clause,), (clause, clause + 1)):
            weapons = [w for c in clauses for w in self._in(c, C.WEAPON)]
            places = [p for c in clauses for p in self._in(c, C.PLACE)]
            persons = [p for c in clauses for p in self._in(c, C.ACTOR) + self._in(c, C.INTENT)]
            if weapons and places and persons and not any(self._in(c, C.REPORT) for c in clauses):
                if not self._negated(clause, weapons[0].first - 3, weapons[0].last):
                    person = min(persons, key=lambda p: abs(p.first - weapons[0].first))
                    self._threat(ThreatRule.WEAPON_PLACE, [person, weapons[0], places[0]])
                return

    def _call(self, clause: int, reported: bool) -> bool:
        """A call to others to do harm: "alla till kommunhuset och bränn ner det"."""
        calls = self._in(clause, C.CALL)
        harms = self._in(clause, C.HARM) or self._in(clause, C.WEAPON)
        if not calls or not harms or reported:
            return False
        if self._negated(clause, calls[0].first - 2, harms[0].last):
            return False
        self._add(DetectorKind.INCITEMENT, ThreatRule.CALL, INCITEMENT_GROUND, [calls[0], harms[0]])
        return True

    def _imperative(self, clause: int) -> None:
        """An order to harm someone, first in its clause: "skjut dem", "häng politikerna"."""
        first = self._start(clause)
        for harm in self._in(clause, C.HARM):
            if harm.first > first + 1 or self._near(clause, C.INTENT, first, harm.first - 1):
                continue
            if self._near(clause, C.ACTOR, first, harm.first - 1):
                continue
            verb = harm.term.split()[0]
            if not {verb, _stemmer.stemWord(verb)} & self.tokens[harm.first].forms:
                continue  # "skjuter", "dödade": not an order (the order is the stem or "döda")
            objects = self._near(clause, C.TARGET, harm.last + 1, harm.last + NEAR)
            objects += self._near(clause, C.PLACE, harm.last + 1, harm.last + NEAR)
            if objects:
                self._add(
                    DetectorKind.INCITEMENT,
                    ThreatRule.IMPERATIVE,
                    INCITEMENT_GROUND,
                    [harm, objects[0]],
                )

    def _insult(self, clause: int) -> None:
        """An insult aimed at someone: "din jävla idiot", "ni är idioter"."""
        alone = len(self.tokens) <= 3  # a reply that is only an insult is aimed at someone
        for insult in self._in(clause, C.INSULT):
            aimed = alone or self._near(
                clause, C.TARGET, insult.first - 2 * NEAR, insult.last + NEAR
            )
            if aimed and not self._negated(clause, insult.first - 3, insult.first - 1):
                self._add(DetectorKind.HARASSMENT, ThreatRule.INSULT, HARASSMENT_GROUND, [insult])


def _longest(matches: list[Match]) -> list[Match]:
    """Matches not inside a longer one of their category ("slå" inside "slå ihjäl")."""
    by_first: dict[int, list[Match]] = defaultdict(list)
    for match in matches:
        by_first[match.first].append(match)
    reach = 2 + PHRASE_GAP * 8  # no term spans more words than this

    def inside(m: Match) -> bool:
        return any(
            o.last >= m.last and o.last - o.first > m.last - m.first
            for first in range(m.first - reach, m.first + 1)
            for o in by_first.get(first, ())
        )

    return [m for m in matches if not inside(m)]


def _distinct(hits: list[Hit]) -> list[Hit]:
    """One hit per kind and span: a second rule over the same words adds nothing to read."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for hit in hits:
        key = (hit.detector, hit.start, hit.end)
        if key not in seen:
            seen.add(key)
            out.append(hit)
    return out
