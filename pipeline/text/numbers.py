"""Language-aware number parsing: digits with separators and spelled-out words.

Pure functions, no I/O. The conventions of a language (decimal mark, thousands
separators, number words, scale words) come from the ``number`` and
``number_words`` keys of ``configs/statistics/<lang>.yaml`` and are wrapped in
:class:`NumberFormat` and :class:`NumberWords`.

Digit strings (:func:`parse_number`)
    * A separator that occurs more than once is a thousands separator, and every
      group after the first must have exactly three digits ("1,450,333",
      "1.450.333", "1 450 333"); otherwise the string is not a number
      (``None``: "1.1.2" is a section number, "978.92.1" an identifier).
    * With two different separators the last one is the decimal mark
      ("1,450,333.5", "1.450.333,5"), whatever the language says.
    * A single separator that is the language's decimal mark is decimal
      ("30.7" in English, "30,7" in Spanish).
    * A single separator that is the language's thousands mark is a thousands
      separator only when exactly three digits follow it (group-of-three rule):
      "21.325" in Spanish is 21325, "15.1" in Spanish and "30,7" in English
      have one or two digits after it and are read as decimals (15.1, 30.7).
    * Space-like separators (space, U+00A0, U+202F, U+2009) are only ever
      thousands separators.

Spelled-out numbers (:func:`parse_number_words`) compose additive words
("twenty", "five", "veinticinco", "ciento"), multipliers ("hundred", "cent",
"dozen") and scales ("thousand", "mil", "million", "millones"), and stop at the
first word that does not compose ("three four" is two numbers).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

SPACE_SEPARATORS = frozenset(" \u00a0\u202f\u2009")


@dataclass(frozen=True)
class NumberFormat:
    """Decimal mark and thousands separators of one language."""

    decimal: str = "."
    thousands: frozenset[str] = frozenset({","})
    scales: dict[str, float] = field(default_factory=dict)  # "million" -> 1e6

    @classmethod
    def from_config(cls, wording: dict[str, Any]) -> "NumberFormat":
        spec = wording.get("number", {}) or {}
        decimal = str(spec.get("decimal", "."))
        thousands = frozenset(str(s) for s in spec.get("thousands", [","]))
        scales = {str(k).lower(): float(v) for k, v in (wording.get("scales", {}) or {}).items()}
        return cls(decimal=decimal, thousands=thousands, scales=scales)

    @property
    def space_separators(self) -> str:
        """Space-like thousands separators of this language (for regexes)."""
        return "".join(sorted(c for c in self.thousands if c in SPACE_SEPARATORS))


def parse_number(text: str, fmt: NumberFormat) -> float | None:
    """Value of a digit string such as "1,450,333", "30,7" or "1 450 333".

    Returns ``None`` when the string is not a well-formed number under the
    rules in the module docstring.
    """
    s = text.strip()
    if not s or not s[0].isdigit() or not s[-1].isdigit():
        return None
    parts = re.split(r"(\D)", s)
    digits = parts[0::2]
    seps = parts[1::2]
    if any(not d.isdigit() for d in digits):
        return None
    if not seps:
        return float(s)
    for sep in seps:
        if sep not in SPACE_SEPARATORS and sep not in ".,":
            if sep not in fmt.thousands and sep != fmt.decimal:
                return None
    kinds = []  # one entry per distinct separator, in order of appearance
    for sep in seps:
        if sep not in kinds:
            kinds.append(sep)
    space_like = [k for k in kinds if k in SPACE_SEPARATORS]
    marks = [k for k in kinds if k not in SPACE_SEPARATORS]
    if len(marks) > 2 or (len(marks) == 2 and seps[-1] != marks[-1]):
        return None
    decimal_sep: str | None = None
    if len(marks) == 2:
        decimal_sep = marks[-1]
        if seps.count(decimal_sep) != 1:
            return None
    elif len(marks) == 1:
        mark = marks[0]
        count = seps.count(mark)
        tail = digits[-1]
        if count == 1 and seps[-1] == mark and not space_like:
            if mark == fmt.decimal:
                decimal_sep = mark
            elif len(tail) != 3:
                decimal_sep = mark  # group-of-three rule: "15.1" (es), "30,7" (en)
        elif count == 1 and seps[-1] == mark and space_like:
            # "1 450,5": a mark after space-grouped digits is the decimal
            decimal_sep = mark if (mark == fmt.decimal or len(tail) != 3) else None
    # split integer / fraction
    if decimal_sep is not None:
        idx = len(seps) - 1
        int_groups = digits[: idx + 1]
        int_seps = seps[:idx]
        fraction = digits[-1]
    else:
        int_groups = digits
        int_seps = seps
        fraction = ""
    if int_seps:
        if len(set(int_seps) - SPACE_SEPARATORS) > 1:
            return None
        if not 1 <= len(int_groups[0]) <= 3:
            return None
        if any(len(g) != 3 for g in int_groups[1:]):
            return None
    integer = "".join(int_groups)
    return float(f"{integer}.{fraction}") if fraction else float(integer)


def has_grouping(text: str, fmt: NumberFormat) -> bool:
    """True when the digit string uses thousands separators ("1,450" in en)."""
    value = parse_number(text, fmt)
    if value is None:
        return False
    return bool(re.search(r"\D", text)) and value >= 1000 and value == int(value)


# --------------------------------------------------------------------------
# spelled-out numbers
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberWords:
    """Number words of one language, from the ``number_words`` config key."""

    values: dict[str, float]  # additive: "one" 1, "twenty" 20, "ciento" 100
    multipliers: dict[str, float]  # "hundred" 100, "dozen" 12, "cent" 100
    scales: dict[str, float]  # "thousand" 1e3, "million" 1e6, "mil" 1e3
    joiners: frozenset[str]  # "and", "-", "y", "et", "e"
    indefinite: frozenset[str]  # "a", "an": only before a multiplier/scale
    weak: frozenset[str]  # "one", "un": alone never a count

    @classmethod
    def from_config(cls, wording: dict[str, Any]) -> "NumberWords":
        spec = wording.get("number_words", {}) or {}

        def table(key: str) -> dict[str, float]:
            return {str(k).lower(): float(v) for k, v in (spec.get(key, {}) or {}).items()}

        return cls(
            values=table("values"),
            multipliers=table("multipliers"),
            scales=table("scales"),
            joiners=frozenset(str(j).lower() for j in spec.get("joiners", []) or []),
            indefinite=frozenset(str(j).lower() for j in spec.get("indefinite", []) or []),
            weak=frozenset(str(j).lower() for j in spec.get("weak", []) or []),
        )

    @property
    def vocabulary(self) -> list[str]:
        """Every number word, longest first (for building regexes)."""
        words = set(self.values) | set(self.multipliers) | set(self.scales)
        return sorted(words, key=lambda w: (-len(w), w))

    def is_number_word(self, word: str) -> bool:
        w = word.lower()
        return w in self.values or w in self.multipliers or w in self.scales


def _composes(current: float, new: float) -> bool:
    """May additive ``new`` follow the running ``current`` ("twenty" "five")?"""
    if current == 0:
        return True
    if new >= current:
        return False
    place = 10 ** len(str(int(new)))
    return current % place == 0


def parse_number_words(words: Iterable[str], lexicon: NumberWords) -> tuple[float | None, int]:
    """Value of the longest prefix of ``words`` that spells one number.

    ``words`` are single words with joiners ("and", "y", "-") as separate
    items. Returns ``(value, n_consumed)``; ``(None, 0)`` when the first word
    does not start a number. Trailing joiners are not consumed.
    """
    items = [w.lower() for w in words]
    total = 0.0
    current = 0.0
    last_scale = math.inf
    consumed = 0
    started = False
    pending_joiner = 0
    i = 0
    while i < len(items):
        w = items[i]
        if started and w in lexicon.joiners:
            pending_joiner += 1
            i += 1
            continue
        if not started and w in lexicon.indefinite:
            nxt = items[i + 1] if i + 1 < len(items) else ""
            if nxt in lexicon.multipliers or nxt in lexicon.scales:
                current = 1.0
                started = True
                consumed = i + 1
                i += 1
                continue
            return None, 0
        if w in lexicon.values:
            v = lexicon.values[w]
            if started and not _composes(current, v):
                break
            current += v
        elif w in lexicon.multipliers:
            m = lexicon.multipliers[w]
            if started and current >= m:
                break
            current = (current or 1.0) * m
        elif w in lexicon.scales:
            s = lexicon.scales[w]
            if started and current == 0 and total and s > last_scale:
                total *= s  # "mil millones"
            elif started and s >= last_scale and current == 0:
                break
            else:
                total += (current or 1.0) * s
            current = 0.0
            last_scale = s
        else:
            break
        started = True
        pending_joiner = 0
        i += 1
        consumed = i
    if not started:
        return None, 0
    value = total + current
    return (value if value else None), consumed


def apply_scale(value: float, word: str | None, fmt: NumberFormat) -> float:
    """``value`` times the scale word after it ("1.2" "million" -> 1.2e6)."""
    if not word:
        return value
    return value * fmt.scales.get(word.lower(), 1.0)


# --------------------------------------------------------------------------
# finding numbers in text
# --------------------------------------------------------------------------

SPACE_CLASS = r"[\s\u00a0\u202f\u2009]"
_ASCII_DIGIT = re.compile(r"[0-9]")  # digit numbers start with one (a text without any has none)


def phrase_alternation(phrases: Iterable[Any]) -> str:
    """Regex alternation of literal phrases, longest first; a space matches any space run."""
    items = sorted({str(p) for p in phrases if str(p)}, key=lambda p: (-len(p), p))
    parts = [re.escape(p).replace("\\ ", SPACE_CLASS + "+") for p in items]
    return "|".join(parts) if parts else r"(?!x)x"


def first_char_guard(phrases: Iterable[Any]) -> str:
    """A lookahead for the first characters of ``phrases`` ("(?=[aot])"), to put
    before their alternation: it matches nothing the alternation would not,
    and spares the regex engine trying every phrase at every position
    (under IGNORECASE it does not test a literal's first character fast).
    Empty when a phrase starts with a space (the alternation's space class)."""
    firsts = {str(p)[0] for p in phrases if str(p)}
    if not firsts or any(ch.isspace() for ch in firsts):
        return ""
    return "(?=[" + "".join(re.escape(ch) for ch in sorted(firsts)) + "])"


@dataclass(frozen=True)
class NumberMatch:
    """A number found in a text: digits ("1,450,333", "1.2 million") or words ("three")."""

    start: int
    end: int  # after the scale word, if any
    value: float | None  # None: digits that are not a well-formed number ("1.1.2")
    digits: bool
    weak: bool = False  # a lone weak word ("one", "un")
    year_like: bool = False  # four digits 1800-2100, no separator, no scale


class NumberFinder:
    """Finds digit and spelled-out numbers of one language (patterns compiled once)."""

    def __init__(self, fmt: NumberFormat, words: NumberWords):
        self.fmt, self.words = fmt, words
        sp = re.escape(fmt.space_separators)
        grouped = rf"[0-9]{{1,3}}(?:[{sp}][0-9]{{3}}(?![0-9]))+(?:[.,][0-9]+)?|" if sp else ""
        self.re_digits = re.compile(rf"(?<![0-9])(?:{grouped}[0-9]+(?:[.,][0-9]+)*)")
        vocab = phrase_alternation(words.vocabulary)
        joiners = phrase_alternation(j for j in words.joiners if j != "-")
        hyphen = rf"{SPACE_CLASS}*-{SPACE_CLASS}*|" if "-" in words.joiners else ""
        join = rf"(?:{hyphen}{SPACE_CLASS}+(?:(?:{joiners}){SPACE_CLASS}+)?)"
        indef = (rf"(?:(?:{phrase_alternation(words.indefinite)}){SPACE_CLASS}+)?"
                 if words.indefinite else "")
        guard = first_char_guard([*words.vocabulary, *(words.indefinite if indef else ())])
        self.re_words = re.compile(rf"(?<![\w\-]){guard}{indef}(?:{vocab})(?:{join}(?:{vocab}))*(?!\w)", re.I)
        items = phrase_alternation(words.joiners | words.indefinite)
        self.re_items = re.compile(rf"(?<![\w])(?:{vocab}|{items})(?!\w)", re.I)
        self.re_scale = re.compile(rf"{SPACE_CLASS}+({phrase_alternation(fmt.scales)})(?!\w)", re.I)

    def find(self, text: str) -> list[NumberMatch]:
        """Every number in ``text``, in text order."""
        out: list[NumberMatch] = []
        digit_matches = self.re_digits.finditer(text) if _ASCII_DIGIT.search(text) else ()
        for m in digit_matches:
            value = parse_number(m.group(0), self.fmt)
            end = m.end()
            year_like = value is not None and m.group(0).isdigit() and len(m.group(0)) == 4 \
                and 1800 <= value <= 2100
            scale = self.re_scale.match(text, end)
            if scale and value is not None:  # "1.2 million", "2,5 milliards"
                value *= self.fmt.scales.get(" ".join(scale.group(1).lower().split()), 1.0)
                end, year_like = scale.end(), False
            out.append(NumberMatch(m.start(), end, value, True, year_like=year_like))
        for m in self.re_words.finditer(text):
            items = [(i.group(0), m.start() + i.start(), m.start() + i.end())
                     for i in self.re_items.finditer(m.group(0))]
            while items:
                value, used = parse_number_words([t for t, _, _ in items], self.words)
                if not used:
                    items = items[1:]
                    continue
                chunk, items = items[:used], items[used:]
                weak = used == 1 and chunk[0][0].lower() in self.words.weak
                if value is not None:
                    out.append(NumberMatch(chunk[0][1], chunk[-1][2], value, False, weak=weak))
                while items and items[0][0].lower() in self.words.joiners:
                    items = items[1:]
        return sorted(out, key=lambda n: n.start)
