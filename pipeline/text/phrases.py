"""Text folding and fuzzy phrase matching: one home for both.

``fold`` makes wording comparable across case, accents and punctuation;
``Phrase`` is one configured wording (``...`` matches any words) and
``phrase_score`` says how well a heading or label matches it. Used by the
segmenter (headings, contents) and the metadata reader.
"""

from __future__ import annotations

import bisect
import difflib
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

SINGLE_WORD_MIN_RATIO = 0.9  # fuzzy match of a one-word phrase


def fold(text: str) -> str:
    """Lower-case, accents and punctuation removed, spaces collapsed.

    "MIGRANTS' RIGHTS" and "Migrants’ rights" both give "migrants rights";
    "Áreas con potencial" gives "areas con potencial".
    """
    if not text.isascii():  # (ASCII has no decomposition and no combining marks)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’`´]", "", text.lower())
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Phrase:
    """One configured wording, pre-folded; ``...`` in it matches any words."""

    raw: str
    folded: str
    tokens: tuple[str, ...]
    regex: re.Pattern | None

    @classmethod
    def of(cls, raw: str) -> "Phrase":
        parts = [fold(p) for p in re.split(r"\.\.\.|…", raw)]
        folded = " ".join(p for p in parts if p)
        regex = None
        if len(parts) > 1:
            regex = re.compile(r"^" + r"\b.*\b".join(re.escape(p) for p in parts if p) + r"$")
        return cls(raw, folded, tuple(folded.split()), regex)


@lru_cache(maxsize=8192)
def _letters(text: str) -> dict[str, int]:
    """Each character's count (difflib's ``quick_ratio`` multiset)."""
    counts: dict[str, int] = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    return counts


@lru_cache(maxsize=8192)
def _token_counts(text: str) -> Counter:
    return Counter(text.split())


@lru_cache(maxsize=8192)
def _n_words(text: str) -> int:
    return len(text.split())


# folded text's characters, each a field of 11 bits in one integer (``_packed``):
# 10 for its count (a text under 1024 characters), a guard bit above it
_ALPHABET = {ch: 11 * i for i, ch in enumerate(" 0123456789abcdefghijklmnopqrstuvwxyz")}
_GUARDS = sum(1 << (shift + 10) for shift in _ALPHABET.values())


@lru_cache(maxsize=8192)
def _packed(text: str) -> int | None:
    """Each character's count in its field; None for a text of 1024
    characters or more, or with a character outside folded text's."""
    if len(text) >= 1024:
        return None
    packed = 0
    for ch, n in _letters(text).items():
        shift = _ALPHABET.get(ch)
        if shift is None:
            return None
        packed += n << shift
    return packed


def shared_letters(a: str, b: str) -> int:
    """The size of the characters' shared multiset (difflib's ``quick_ratio``
    matches): for folded texts, the fields' minima summed in a few integer
    operations (a guard bit set where a's count >= b's; the field sums, under
    2047, are the number modulo 2047)."""
    x, y = _packed(a), _packed(b)
    if x is not None and y is not None:
        ge = (((x | _GUARDS) - y) & _GUARDS) >> 10
        mask = ge * 1023
        return ((y & mask) | (x & ~mask)) % 2047
    ca, cb = _letters(a), _letters(b)
    if len(ca) > len(cb):
        ca, cb = cb, ca
    get = cb.get
    matches = 0
    for ch, n in ca.items():
        m = get(ch)
        if m:
            matches += n if n < m else m
    return matches


def ratio(a: str, b: str, floor: float = 0.8) -> float:
    """difflib ratio, or 0.0 early when even its cheap upper bound is below ``floor``."""
    if not a and not b:
        return 1.0
    matches = shared_letters(a, b)  # difflib's quick_ratio, without building a matcher
    if 2.0 * matches / (len(a) + len(b)) < floor:
        return 0.0
    return _ratio(a, b)


@lru_cache(maxsize=8192)
def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def phrase_score(folded_text: str, phrase: Phrase) -> float:
    """How well a (folded) heading text matches a configured phrase, 0..1.

    The maximum of the character ratio and a token-containment score that
    tolerates up to two extra words ("1.1. Migration governance: Examples of
    well-developed areas" against "Examples of well-developed areas").
    """
    if not folded_text or not phrase.folded:
        return 0.0
    if phrase.regex is not None:
        return 0.95 if phrase.regex.search(folded_text) else 0.0
    if folded_text == phrase.folded:
        return 1.0
    la, lb = len(folded_text), len(phrase.folded)
    score = 0.0
    if 2 * min(la, lb) / (la + lb) >= 0.8:  # the ratio cannot reach a match otherwise
        score = ratio(folded_text, phrase.folded)
    n_phrase = len(phrase.tokens)
    if n_phrase == 1:
        # one word: only a near-identical spelling ("SOURCES" is not "RESOURCES",
        # "FUENTES" is not "PUENTES"; "INTRODUCTON" still is "INTRODUCTION")
        return score if score >= SINGLE_WORD_MIN_RATIO else 0.0
    if n_phrase >= 2:
        n_text = _n_words(folded_text)
        if n_text <= n_phrase + 2:
            if f" {phrase.folded} " in f" {folded_text} ":
                score = max(score, 0.9 - 0.02 * (n_text - n_phrase))
            else:
                mine, theirs = _token_counts(folded_text), _token_counts(phrase.folded)
                common = sum(min(n, theirs[w]) for w, n in mine.items() if w in theirs)
                overlap = common / max(n_text, n_phrase)
                score = max(score, overlap * 0.95)
    return score


class PhraseIndex:
    """Which of a list of phrases a text can score above 0 against: the
    ones ``phrase_score`` compares at all (a ``...`` pattern; a length within
    the character ratio's reach; enough words for the word-overlap score),
    so that matching a heading skips the rest. Indices ascend, so the first
    best phrase stays the first."""

    def __init__(self, items: tuple[Phrase, ...]):
        self.patterns = tuple(i for i, p in enumerate(items) if p.regex is not None and p.folded)
        plain = [(len(p.folded), i) for i, p in enumerate(items) if p.regex is None and p.folded]
        self.by_length = sorted(plain)
        self.lengths = [n for n, _ in self.by_length]
        self.by_word: dict[str, list[tuple[int, int]]] = {}  # word -> (words in the phrase, index)
        for _, i in plain:
            tokens = items[i].tokens
            if len(tokens) >= 2:
                for word in set(tokens):
                    self.by_word.setdefault(word, []).append((len(tokens), i))

    def candidates(self, folded_text: str) -> list[int]:
        if not folded_text:
            return []
        la = len(folded_text)
        # 2 min / (la + lb) >= 0.8  <=>  2/3 la <= lb <= 3/2 la (a margin of one for rounding)
        lo = bisect.bisect_left(self.lengths, math.floor(la * 2 / 3) - 1)
        hi = bisect.bisect_right(self.lengths, math.ceil(la * 3 / 2) + 1)
        found = set(self.patterns)
        found.update(i for _, i in self.by_length[lo:hi])
        # the word-overlap score: phrases of two words or more, at most two fewer
        # than the text's, sharing a word with it (else the overlap is 0)
        words = folded_text.split()
        least = len(words) - 2
        by_word = self.by_word
        for word in set(words):
            found.update(i for n, i in by_word.get(word, ()) if n >= least)
        return sorted(found)


def phrases(values) -> tuple[Phrase, ...]:
    return tuple(Phrase.of(str(v)) for v in (values or ()))
