"""Statistic forms of reports beyond the MGI profiles (issue 12), applied by
:func:`pipeline.extract.statistic_matcher.find_statistics` after each number
has its own kind:

* chart axes: a run of four or more numbers of one kind, evenly spaced in
  value, with nothing but spaces between them ("0% 10% 20% ... 100%") is the
  tick labels of a chart, not statistics;
* ranges written with a dash ("18-25 ans", "6-8 individuals", "6 – 8"): one
  statistic, ``value`` the low end, ``value_high`` the high end;
* thresholds: a bare number right after a comparison qualifier ("est
  supérieur à 100", "a total RSI score below 0.5") -> count when the sentence
  counts something before it ("le nombre total de bénéficiaires ... est
  supérieur à 100": unit bénéficiaire), else ``other`` with the noun the
  threshold applies to as unit ("score");
* elliptical counts: "the target of 33", "a total of 36" with no noun after
  them -> count with the unit of the nearest earlier count of the sentence;
* a count in brackets after a label: "Ethiopia (10,111)", "IOM staff (14)":
  a digit number alone inside brackets right after a word -> count, subject
  the label;
* statistical results: "R² = 0.0072", "p-value = 2.29 × 10⁻²¹", "p < 0.05"
  -> other, unit the symbol (``statistic_symbols``); "n=2,928" -> count
  (``sample_size_symbols``); a power of ten after "×" is part of the value;
* frequencies: "once per week", "twice a month", "3 times per year", "one
  in-person meeting per month" -> other, unit "per week" (the canonical time
  unit), value the number of times.

:func:`masked_ranges` gives the spans where no number is a statistic; it
runs a mask pattern only over a text holding the characters it needs.

Wording (symbols, frequency words, "per"/"a", "number of", elliptical nouns)
in ``configs/statistics/<lang>.yaml``.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.text.numbers import SPACE_CLASS
from pipeline.text.numbers import phrase_alternation as _alt

StatisticRules = Any  # pipeline.extract.statistic_rules.StatisticRules (which imports this module)

_SPACE = SPACE_CLASS
_WORD = r"[^\W\d_]+(?:['’\-][^\W\d_]+)*"
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_POWER = re.compile(r"\s*[×x✕]\s*10(?:\s*\^\s*(?P<caret>[-−]?\d+)|(?P<sup>[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))")
_DASH_RANGE = re.compile(rf"^(?:-|{_SPACE}*[–—]{_SPACE}*|{_SPACE}+-{_SPACE}+)$")


class FormRules:
    """The compiled wording of these forms (part of ``StatisticRules``)."""

    def __init__(self, w: dict, time_units: dict[str, str]):
        symbols = {str(k): str(v) for k, v in (w.get("statistic_symbols", {}) or {}).items()}
        sample = [str(s) for s in w.get("sample_size_symbols", []) or []]
        self.symbol_unit = {**{k.lower(): v for k, v in symbols.items()}, **symbols}
        self.sample_symbols = frozenset(s.lower() for s in sample)
        names = list(symbols) + sample
        self.re_symbol = re.compile(
            rf"(?<![\w])({_alt(names)}){_SPACE}*(?:=|<|>|≤|≥|<=|>=){_SPACE}*$") if names else None
        per = _alt(w.get("frequency_per", []) or [])
        units = _alt(time_units)
        self.time_units = time_units
        self.re_per = re.compile(rf"{_SPACE}+(?:{per}){_SPACE}+({units})(?!\w)", re.I) if per else None
        freq = {str(k).lower(): float(v) for k, v in (w.get("frequency_words", {}) or {}).items()}
        self.frequency_words = freq
        self.re_frequency_word = re.compile(rf"(?<![\w])({_alt(freq)})(?!\w)", re.I) if freq else None
        times = _alt(w.get("frequency_times", []) or [])
        self.re_times = re.compile(rf"{_SPACE}+(?:{times})(?!\w)", re.I) if times else None
        count_of = _alt(w.get("count_subject", []) or [])
        self.re_count_subject = re.compile(
            rf"(?<![\w])(?:{count_of}){_SPACE}+({_WORD})", re.I) if count_of else None
        ell = _alt(w.get("elliptical_count_nouns", []) or [])
        of = _alt((w.get("subject", {}) or {}).get("of_words", []) or [])
        self.re_elliptical = re.compile(
            rf"(?<![\w])(?:{ell}){_SPACE}+(?:{of})(?:{_SPACE}+|(?<=['’]))$", re.I) if ell and of else None
        self.range_dash = _DASH_RANGE


def power_of_ten(text: str, end: int) -> tuple[int, int] | None:
    """(exponent, end) of "× 10⁻²¹" / "x 10^-21" right after ``end``."""
    m = _POWER.match(text, end)
    if not m:
        return None
    exp = m.group("caret") or m.group("sup").translate(_SUPERSCRIPT)
    return int(exp.replace("−", "-")), m.end()


def is_axis_run(values: list[float]) -> bool:
    """Four or more values, evenly spaced and increasing or decreasing."""
    if len(values) < 4:
        return False
    steps = [b - a for a, b in zip(values, values[1:])]
    return steps[0] != 0 and all(abs(s - steps[0]) <= 1e-9 * max(1.0, abs(steps[0])) for s in steps)


def threshold_unit(text: str, q_start: int, sentence_start: int, rules: "StatisticRules") -> tuple[str, str | None]:
    """(kind, unit) of a bare number after a comparison qualifier at ``q_start``."""
    f = rules.forms
    before = text[sentence_start:q_start]
    if f.re_count_subject is not None:
        found = list(f.re_count_subject.finditer(before))
        if found:
            return "count", rules.singular(found[-1].group(1))
    words = re.findall(_WORD, before)
    if words and words[-1].lower() not in rules.noun_stop:
        return "other", rules.singular(words[-1])
    return "other", None


def bracket_label(text: str, start: int, end: int, stop: frozenset[str]) -> bool:
    """A digit number alone in brackets right after a label: "Ethiopia
    (10,111)", "IOM staff (14) answered"; not a list enumerator ("and (3)
    Knowledge": after a function word, or before a capitalised word)."""
    if start < 2 or text[start - 1] != "(" or text[end:end + 1] != ")":
        return False
    label = re.search(rf"([^\W\d_]{{2,}}){_SPACE}*$", text[max(0, start - 40):start - 1])
    after = text[end + 1:end + 4].lstrip()
    return bool(label) and label.group(1).lower() not in stop and not (after[:1].isupper() or after[:1].isdigit())


def per_unit(text: str, pos: int, rules: "StatisticRules") -> tuple[str, int] | None:
    """("per week", end) of "per week" / "a month" right after ``pos``."""
    f = rules.forms
    if f.re_per is None:
        return None
    m = f.re_per.match(text, pos)
    if not m:
        return None
    return "per " + f.time_units[m.group(1).lower()], m.end()


_QUOTE_RES = (re.compile(r"“[^“”\n]{1,200}”"), re.compile(r'"[^"\n]{1,200}"'),
              re.compile(r"«[^«»\n]{1,200}»"), re.compile(r"(?<![*\w])\*(?!\*)[^*\n]{1,200}\*(?!\*)"))
_ID_CHAIN = re.compile(r"[0-9]+(?:[\-/][0-9]+){2,}|[A-Za-z]+/[0-9]+(?:/[0-9]+)*|[0-9]+/[0-9]+")
_PHONE = re.compile(r"\+[0-9][0-9 .\-()\u00a0]{5,}[0-9]")
_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")
_LIST_MARKER = re.compile(r"(?:^|\n)[ \t]*(?:[-•*][ \t]*)?\(?([0-9]+(?:\.[0-9]+)*)(?:\.|\))(?=[ \t]|$)")
_SECTION_NUMBER = re.compile(r"(?:^|\n)[ \t]*([0-9]+\.[0-9]+(?:\.[0-9]+)*)[ \t]+(?=[A-ZÁÉÍÓÚ])")


# The characters each mask pattern needs: a text without them cannot match it.
_QUOTE_NEEDS = ("“”", '"', "«»", "*")
_DIGIT_CHAIN = re.compile(r"[0-9]+(?:[\-/][0-9]+){2,}")  # _ID_CHAIN in a text without "/"
_ASCII_DIGIT = re.compile(r"[0-9]")


def masked_ranges(text: str, extra) -> list[tuple[int, int]]:
    """Sorted spans where no number is a statistic: quotations, identifier
    chains, phone numbers, URLs, list and section markers, and ``extra``."""
    ranges: list[tuple[int, int]] = []
    masks = [rx for rx, needs in zip(_QUOTE_RES, _QUOTE_NEEDS) if all(ch in text for ch in needs)]
    if "/" in text:
        masks.append(_ID_CHAIN)
    elif "-" in text:
        masks.append(_DIGIT_CHAIN)
    if "+" in text:
        masks.append(_PHONE)
    if "@" in text or "http" in text or "www." in text:
        masks.append(_URL)
    for rx in masks:
        ranges.extend(m.span() for m in rx.finditer(text))
    if _ASCII_DIGIT.search(text):
        for rx in (_LIST_MARKER, _SECTION_NUMBER):
            ranges.extend(m.span(1) for m in rx.finditer(text))
    for r in extra or ():
        ranges.append((int(r[0]), int(r[1])))
    return sorted(ranges)
