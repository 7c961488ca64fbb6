"""Text normalisation of printed lines: ligatures, soft hyphens, hyphens, line-end hyphens.

The contract wants NFC text with ligatures expanded and line-end hyphens
joined. Only the Unicode "Alphabetic Presentation Forms" ligature block is
NFKC-folded (so superscripts, fractions, non-breaking spaces and the like are
left alone), then the whole string is NFC-normalised.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from pipeline.text.hyphenation import dictionary

SOFT_HYPHEN = "\u00ad"
# U+2010 HYPHEN: what CSS engines print where they hyphenate a line
# (``hyphenate-character``), and some fonts' hyphen glyph; read as "-"
HYPHEN = "\u2010"
# ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ (U+FB00..U+FB06) and the Armenian ones (U+FB13..U+FB17)
_LIGATURE_RE = re.compile("[\ufb00-\ufb06\ufb13-\ufb17]")
SUPERSCRIPT_DIGITS = {
    "\u2070": "0", "\u00b9": "1", "\u00b2": "2", "\u00b3": "3", "\u2074": "4",
    "\u2075": "5", "\u2076": "6", "\u2077": "7", "\u2078": "8", "\u2079": "9",
}
SUPERSCRIPT_CHARS = "".join(SUPERSCRIPT_DIGITS)
# a word that ends in a hyphen after a letter: the candidate for a line-end break
_END_HYPHEN_RE = re.compile(r"(\w+)-$")
_START_WORD_RE = re.compile(r"^([^\W\d_][\w]*)")
# hyphenated words printed mid-line: "well-being", "whole-of-government"
HYPHENATED_RE = re.compile(r"\b([^\W\d_]+(?:-[^\W\d_]+)+)\b")


def normalize(text: str) -> str:
    """Ligatures expanded, soft hyphens dropped, U+2010 HYPHEN read as "-", NFC."""
    if _LIGATURE_RE.search(text):
        text = _LIGATURE_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    if SOFT_HYPHEN in text:
        text = text.replace(SOFT_HYPHEN, "")
    if HYPHEN in text:  # so a line broken at it joins as at "-" ("Muni\u2010" / "cipal")
        text = text.replace(HYPHEN, "-")
    return unicodedata.normalize("NFC", text)


def superscript_value(text: str) -> int | None:
    """``"¹²"`` -> 12; None unless every character is a superscript digit."""
    if not text or any(ch not in SUPERSCRIPT_DIGITS for ch in text):
        return None
    return int("".join(SUPERSCRIPT_DIGITS[ch] for ch in text))


@dataclass
class Lexicon:
    """What a document prints: hyphenated compounds (mid-line) and plain
    words, each with the number of times it is printed."""

    compounds: Counter = field(default_factory=Counter)
    words: Counter = field(default_factory=Counter)
    # compounds printed in lower case: a compound printed only capitalised is
    # a name's spelling ("Economic Co-operation"), not the running text's
    lower: Counter = field(default_factory=Counter)
    # words printed after the first word of a line: a word the document
    # prints only at line starts may be the rest of a word cut without a
    # hyphen ("WELL-DEVELOP" / "ED AREAS" in a narrow margin column)
    inner: set[str] = field(default_factory=set)
    # word parts the language keeps hyphenated at a line break
    # (configs/parse/<lang>.yaml ``hyphen_prefix``): prefixes before a word
    # ("non-binding", "multi-stakeholder") and, written with a leading hyphen,
    # particles after one ("-in": "buy-in", "-up": "follow-up")
    keep_prefix: re.Pattern | None = None
    # hyphenation pattern sets of the configured languages
    # (configs/parse/<lang>.yaml ``hyphenation_patterns``, pyphen names):
    # the one the document's own syllable breaks follow judges breaks it
    # gives no evidence on (``syllable_point``)
    patterns: tuple[str, ...] = ()

    after_break: bool = False  # the previous line added ended in a hyphen
    # (head, tail) of the words broken at line-end hyphens ("com", "munity")
    breaks: list[tuple[str, str]] = field(default_factory=list)
    _head: str = ""
    n_lines: int = 0
    _hyphenates: bool | None = None  # ``breaks_words``, measured once
    _dictionary: object = None  # ``syllable_point``'s pattern set, chosen once (False: none)

    @classmethod
    def of(cls, lines, keep_prefix: re.Pattern | None = None, patterns: tuple[str, ...] = ()) -> "Lexicon":
        """The lexicon of a document's printed lines, in reading order."""
        lexicon = cls(keep_prefix=keep_prefix, patterns=tuple(patterns))
        for line in lines:
            lexicon.add(line)
        return lexicon

    @classmethod
    def shared(cls, lines, keep_prefix: re.Pattern | None = None, patterns: tuple[str, ...] = ()) -> "Lexicon":
        """``of``, read only: the lexicon last built here when the lines and
        settings are the same (parse and segment read a document's lines
        alike), else a new one. Never ``add`` to it."""
        key = (tuple(lines), keep_prefix, tuple(patterns))
        if _SHARED and _SHARED[0][0] == key:
            return _SHARED[0][1]
        lexicon = cls.of(key[0], keep_prefix, patterns)
        _SHARED[:] = [(key, lexicon)]
        return lexicon

    def add(self, line: str) -> None:
        """Add the next printed line (in reading order). The halves of a word
        broken at a line end ("perti-" / "nentes") are not words of the document."""
        body = line
        self._hyphenates = self._dictionary = None
        self.n_lines += 1
        if self.after_break:
            start = _START_WORD_RE.match(line.lstrip())
            if self._head and start and start.group(1)[:1].islower():
                self.breaks.append((self._head, start.group(1)))
            body = body.split(None, 1)[1] if len(body.split(None, 1)) > 1 else ""
        self.after_break = line.endswith("-")
        if self.after_break:
            m = _END_HYPHEN_RE.search(line)
            self._head = m.group(1) if m and m.group(1)[-1:].isalpha() else ""
            body = body.rsplit(None, 1)[0] if len(body.split()) > 1 else ""
        for m in HYPHENATED_RE.finditer(body) if "-" in body else ():  # (a compound has a hyphen)
            self.compounds[m.group(1).lower()] += 1
            if m.group(1)[:1].islower():
                self.lower[m.group(1).lower()] += 1
        rest = body.split(None, 1)
        if len(rest) > 1:  # (no word runs across the space: the first word's and the others' are the line's)
            inner = words_in(rest[1])
            self.words.update(words_in(rest[0]) + inner)
            self.inner.update(inner)
        else:
            self.words.update(words_in(body))


    def breaks_words(self, least: int = 4, enough_lines: int = 200) -> bool:
        """Does the document hyphenate words at line ends? Measured over its
        line-end hyphens before a lower-case word: at least one joins into a
        word it prints whole elsewhere, whose halves are not both words of it
        ("com-" + "munity", "Ac-" + "cording"). A document with ``least`` or
        more line-end hyphens and not one such break only breaks lines at the
        hyphens of its compounds ("tax-" + "exempt", "work-" + "spaces"), and
        so does a document of ``enough_lines`` lines or more with fewer line-end
        hyphens (a document that hyphenates words shows many). Shorter, with
        fewer, the evidence is too thin: it is taken to hyphenate."""
        if self._hyphenates is None:
            thin = len(self.breaks) < least and self.n_lines < enough_lines
            self._hyphenates = thin or any(
                (head + tail).lower() in self.words and not (head.lower() in self.words and tail.lower() in self.words)
                for head, tail in self.breaks
            )
        return self._hyphenates

    def syllable_point(self, head: str, tail: str, least: int = 8, share: float = 1.0) -> bool | None:
        """Is the break between ``head`` and ``tail`` a point where the
        document's hyphenation patterns break the word ``head + tail``? The
        pattern set is the configured one that gives the most of the
        document's own syllable breaks (halves of a word it prints whole),
        taken when it gives at least ``share`` of ``least`` or more of them
        (all of them by default: a document hyphenated by another engine,
        Typst's patterns or InDesign's dictionary, agrees with a pattern set
        on ~99% of its breaks and would have its other syllable breaks,
        "entre-preneurship", "acade-mics", read as compounds).
        None when no set is taken (or pyphen is missing): no sign."""
        if self._dictionary is None:
            self._dictionary = _pick_patterns(self, least, share)
        if not self._dictionary:
            return None
        return len(head) in self._dictionary.positions((head + tail).lower())


def _pick_patterns(lexicon: Lexicon, least: int, share: float):
    known = [(h.lower(), t.lower()) for h, t in lexicon.breaks if (h + t).lower() in lexicon.words
             and not (h.lower() in lexicon.words and t.lower() in lexicon.words)]
    if len(known) < least or not lexicon.patterns:
        return False
    best, hits = False, 0
    for name in lexicon.patterns:
        if name not in _DICTIONARIES:
            _DICTIONARIES[name] = dictionary(name)
        d = _DICTIONARIES[name]
        if d is None:  # no pyphen: the patterns are an optional sign
            return False
        n = sum(1 for h, t in known if d and len(h) in d.positions(h + t))
        if d and n > hits:
            best, hits = d, n
            if hits == len(known):  # no later set can give more: theirs are not loaded
                break
    return best if hits >= share * len(known) else False


_DICTIONARIES: dict[str, object] = {}
_SHARED: list[tuple[tuple, Lexicon]] = []  # (lines and settings, lexicon): ``Lexicon.shared``'s last one


def join_hyphen(prev: str, nxt: str, lexicon: Lexicon) -> bool | None:
    """Decide how line ``prev`` (ending in a hyphen) joins line ``nxt``.

    Returns True to drop the hyphen and glue the halves, False to keep the
    hyphen and glue ("well-" + "being"), None when ``prev`` does not end in a
    letter-hyphen break or the hyphen is a suspended one ("eight-" + "or
    nine-digit"): join with a space as usual. Evidence first (the forms the
    document prints, counted), then the language's word parts, then rules.
    """
    m = _END_HYPHEN_RE.search(prev)
    if not m or not prev.endswith("-") or prev.endswith("--"):
        return None
    head = m.group(1)
    if nxt[:1] == "-" and nxt[1:2].isalpha() and head[-1:].isalpha():
        return True  # "inter-" + "-institutional": the compound's hyphen repeated at the line start, printed once
    if not nxt[:1].isalnum():
        return None
    start = _START_WORD_RE.match(nxt)
    tail = start.group(1) if start else ""
    joined = (head + tail).lower()
    if not nxt[:1].islower():
        # "Inter-" + "American", "COVID-" + "19": keep the hyphen, glue; but an
        # acronym broken in two ("UN-" + "HCR", "Mi-" + "GOF") joins when the
        # document prints it whole
        return bool(tail) and tail.isupper() and joined in lexicon.words
    if not head[-1:].isalpha() or head[:1].isdigit():
        return False  # "2021-" + "word": a range or compound, keep it
    whole = prev.rsplit(None, 1)[-1]  # "evidence-" or "whole-of-"
    form = (whole + tail).lower().lstrip("(\"'“‘[")
    # the document's own evidence: the word printed hyphenated or whole
    # elsewhere; printed both ways, the more frequent form ("Co-operation"
    # once in a title, "cooperation" four times), the hyphen on a tie
    hyphenated, solid = lexicon.compounds[form], lexicon.words[joined]
    if solid and head[:1].islower() and not lexicon.lower[form]:
        return True  # "co-" + "operation" in running text, printed whole there and hyphenated only in a name
    if hyphenated or solid:
        return solid > hyphenated
    if _suspended(head, tail, nxt, lexicon):
        return None  # "eight-" + "or nine-digit": a suspended hyphen, a space follows it
    if _SUSPENDED_BEFORE_RE.search(prev):
        return False  # "eight- or nine-" + "digit": the compound a suspended hyphen announced
    if not lexicon.breaks_words():
        return False  # a document that never breaks inside a word: a compound's own hyphen
    if lexicon.keep_prefix is not None and whole.rstrip("-") == head and lexicon.keep_prefix.match(head) and len(tail) >= 4:
        return False  # "non-" + "binding": a prefix the language hyphenates
    if len(head) >= 3:
        # a break at a hyphen of a longer compound: "one-size-" + "fits-all",
        # "one-" + "size-fits-all"; short halves stay syllables ("ca-" +
        # "pacity-building", "migration-re-" + "lated", "medium-s-" + "ized")
        if nxt[len(tail) : len(tail) + 1] == "-" and ("-" in whole.rstrip("-") or head.lower() in lexicon.words):
            return False
    if lexicon.keep_prefix is not None and len(head) >= 3 and lexicon.keep_prefix.match("-" + tail):
        return False  # "buy-" + "in", "follow-" + "up": a particle the language hyphenates after a word
    if (head[:1].isupper() and min(len(head), len(tail)) >= 3 and not _sentence_start(prev)
            and head.lower() in lexicon.words and tail.lower() in lexicon.words):
        return False  # "Spanish-" + "speaking", "Government-" + "led": a proper word, then a word
    if len(tail) >= 2 and tail.lower() in lexicon.words and lexicon.syllable_point(head, tail) is False:
        # "one-" + "stop", "at-" + "home": no point where the document's patterns break a word, and
        # the part after the break a word of the document itself (another hyphenator than the
        # patterns, Typst's or InDesign's, breaks "entre-" + "preneurship", "telemed-" + "icine")
        return False
    # Two lower-case words of the document ("work-" + "place", "more-" + "over",
    # "market-" + "able"): measured on random designs and the samples, in a
    # document that hyphenates words such a break is far more often a syllable
    # break of a word printed once than a compound's own hyphen
    return True  # a syllable break: "Bo-" + "livia", "com-" + "munity"


def _sentence_start(prev: str) -> bool:
    """Does the last word of ``prev`` open a sentence ("... migration. More-")?"""
    words = prev.split()
    return len(words) >= 2 and words[-2].endswith((".", "!", "?", ":"))


def _suspended(head: str, tail: str, nxt: str, lexicon: Lexicon) -> bool:
    """Is ``tail`` (the first word of line ``nxt``) a short word the document
    prints inside its lines, after a ``head`` it prints as a word, and
    followed by a hyphenated compound, as after a suspended hyphen ("eight-" /
    "or nine-digit", "short-" / "and long-term"; not "individu-" / "al
    follow-up", "implement-" / "ing migration-related")?"""
    rest = nxt[len(tail) :].split(None, 1)
    return (len(tail) <= 3 and tail.lower() in lexicon.inner and head.lower() in lexicon.words
            and nxt[len(tail) : len(tail) + 1] == " " and bool(rest) and HYPHENATED_RE.match(rest[0]) is not None)


# a line ending in the second half of a suspended pair: "... eight- or nine-"
_SUSPENDED_BEFORE_RE = re.compile(r"[^\W\d_]- (?:[^\W\d_]+ ){1,2}[^\W\d_]+-$")


def join_cut(prev: str, nxt: str, lexicon: Lexicon) -> bool:
    """Is the break between line ``prev`` and line ``nxt`` a word cut without
    a hyphen (a word longer than a narrow column, cut where the column ends:
    "EXAMPLES OF W" / "ELL-DEVELOPED", "WELL-DEVELOP" / "ED AREAS")? Yes when
    the letters either side of the break make a word the document prints,
    and the letters after it are no word the document prints anywhere but at
    the start of a line. Only for columns where such cuts happen (margin
    items): in running text a line always breaks at a space or a hyphen."""
    head = _END_LETTERS_RE.search(prev)
    tail = _START_LETTERS_RE.match(nxt)
    if not head or not tail:
        return False
    a, b = head.group(0), tail.group(0)
    if a[-1].islower() and b[0].isupper():
        return False  # "word" / "Next": a new word starts the line
    if len(b) < 2 or nxt[len(b) : len(b) + 1] in _APOSTROPHES:
        return False  # "DE" / "L’ADMINISTRATION": an elided word, not the rest of a cut one
    return (a + b).lower() in lexicon.words and b.lower() not in lexicon.inner


_APOSTROPHES = ("'", "\u2019", "\u02bc")
_END_LETTERS_RE = re.compile(r"[^\W\d_]+$")
_START_LETTERS_RE = re.compile(r"^[^\W\d_]+")


def words_in(text: str) -> list[str]:
    """Lower-cased words of ``text``, each time printed (to recognise "According" split as "Ac-cording")."""
    if text.isascii():  # (lower case keeps ASCII letters letters, one for one)
        return _WORD_RE.findall(text.lower())
    return [w.lower() for w in _WORD_RE.findall(text)]


_WORD_RE = re.compile(r"[^\W\d_]{2,}")
