"""Statistic extraction as a spaCy component (``mgi_statistics``).

Importing this module registers the factory, so any pipeline can use it::

    import spacy, pipeline.extract.statistics
    nlp = spacy.blank("es"); nlp.add_pipe("mgi_statistics")
    doc = nlp("En 2020 había más de 1.000 personas (30,7 %).")
    [(s.text, s._.stat_kind, s._.stat_value) for s in doc.spans["mgi_statistics"]]

The component ``match``-es statistics with regexes over ``doc.text`` (compiled
once per language from ``configs/statistics/<lang>.yaml``) and
``set_annotations`` puts one span per statistic in
``doc.spans["mgi_statistics"]`` with the extensions ``stat_kind``,
``stat_value``, ``stat_unit``, ``stat_qualifier``, ``stat_subject``,
``stat_sentence``, ``stat_raw``, ``stat_start`` and ``stat_end``.

Decisions (CONTRACT.md "What counts" -> Statistic):

* Raw text = the number and its unit words, qualifier excluded:
  "30.7%", "15.1 per cent", "99,247,661 Chilean pesos", "USD 5 million",
  "1,450,333 foreign habitual residents" (count: number + counted-noun phrase
  up to its head), "staff of 13", "80 years of age", "two years",
  "one in four". ``stat_start``/``stat_end`` are its exact character offsets;
  the spaCy span is the token-aligned (expanded) version of it.
* ``kind``: percent word -> percent; currency name, ISO code or symbol ->
  money (unit = ISO code; an ambiguous bare "pesos" gives unit None); a time
  unit -> other (durations; ages "N years of age"/"aged N" too), unit the
  canonical English name ("year", "month", ...) so ``other`` rows compare
  across languages; "percentage points" -> other; "one in four" -> other with
  value 0.25 and unit "ratio"; a counted noun -> count with the noun in the
  singular (in the document's language); "a staff of 13" -> count, unit
  "staff member".
* A number with no unit is a statistic only when (a) it is coordinated with
  one that has a unit ("between 10 and 20 per cent", "ages of 18 and 60"), or
  (b) it is a digit number after a money statistic in the same sentence
  ("contributed 99,247,661 Chilean pesos ... and received 4,193,973").
* Not statistics: year-like numbers (four digits 1800-2100 with no separator)
  unless a percent word or a currency follows; dates (a month name before or
  after); numbers right after an identifier word (``exclude_before``:
  "Article", "No.", "section", "page", "target", "top", ...); numbers glued to
  letters ("COVID-19", "DS49", "2021a", "109th", "1st"); identifier chains
  ("C/106/40", ISBNs, "+41.22.717 91 11"); list / section markers at a line
  start ("1.", "1.1."); "one-" compounds and multi-word compounds
  ("one-stop shop", "one-size-fits-all") -- other hyphenated compounds are
  statistics: "two-year" (duration, other), "36-page" and "eight- or
  nine-digit" (counts, unit "page"/"digit", as the gold labels them);
  numbers inside quotation marks (titles of cited works) or inside
  caller-given ranges (``doc._.mgi_exclude_ranges``, e.g. italic titles);
  "one"/"un"/"um" alone ("one of", "one another") is never a count; "top 10"
  is a cut-off, not a rank, and is excluded.
* Subject (rule-based, always): count -> the counted-noun phrase; percent ->
  the noun phrase before "(30.7%)", before "rate of" / a verb such as
  "represented", "was" (``subject.verbs_before``), else the "of X" phrase
  after it, else the phrase after "were"/"was"; ages -> the word before the
  age phrase; ratios -> the noun after them. :func:`refine_subject` (an
  optional statistical model, English only) may replace it.
* Sentence: the doc's sentences when a parser annotated it (``DEP``),
  otherwise punctuation-based boundaries computed from the text, where the
  configured abbreviations ("No.", "Art.", "e.g.") are not boundaries -- so a
  ``sentencizer`` in the pipeline (which splits "Law No. 21.325") is not used.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.config import Config, load_config
from pipeline.extract.component import SpanComponent
from pipeline.text.numbers import SPACE_CLASS, NumberFinder, NumberFormat, NumberWords
from pipeline.text.numbers import phrase_alternation as _alt

SPAN_KEY = "mgi_statistics"
if not Doc.has_extension("mgi_exclude_ranges"):
    Doc.set_extension("mgi_exclude_ranges", default=None)

_WORD = r"[^\W\d_]+(?:['’\-][^\W\d_]+)*"
_WORD_RE = re.compile(_WORD)
_SPACE = SPACE_CLASS


@dataclass(frozen=True)
class StatMatch:
    """One statistic found in a text (offsets into that text)."""

    start: int
    end: int
    kind: str
    value: float
    unit: str | None
    qualifier: str | None
    subject: str | None
    sentence: str
    sentence_start: int
    raw: str


@dataclass
class _Cand:
    start: int  # of the number (words included)
    end: int  # after the number and its scale word
    value: float
    digits: bool
    weak: bool = False
    year_like: bool = False
    # filled by resolution
    kind: str | None = None
    unit: str | None = None
    raw_start: int = -1
    raw_end: int = -1
    subject: str | None = None
    excluded: bool = False
    left_edge: int = -1  # start of a currency prefix / collective noun
    age: bool = False
    range_end: int = -1  # a bare first number of a range ("une à deux semaines"): raw runs to here


# --------------------------------------------------------------------------
# rules compiled from the wording file
# --------------------------------------------------------------------------


def _phrase_table(spec) -> dict[str, str]:
    """{"more than": "more_than", ...} from {"more_than": ["more than", ...]}."""
    return {" ".join(str(p).lower().split()): str(k) for k, ps in (spec or {}).items() for p in ps}


def _lower_set(items) -> frozenset[str]:
    return frozenset(str(i).lower() for i in (items or []))


class StatisticRules:
    """Everything language-specific, compiled once per language."""

    def __init__(self, wording: dict[str, Any], lang: str):
        w = wording
        self.lang = lang
        self.fmt = NumberFormat.from_config(w)
        self.words = NumberWords.from_config(w)
        self.finder = NumberFinder(self.fmt, self.words)
        conn = _alt(w.get("scale_connectors", []))
        self.re_scale_conn = re.compile(rf"{_SPACE}*(?:{conn})(?:{_SPACE}+|(?<=['’]))", re.I)
        self.re_percent = re.compile(rf"{_SPACE}*(?:{_alt(w.get('percent', []))})(?!\w)", re.I)
        cur_names: dict[str, str] = {}
        for iso, names in (w.get("currencies", {}) or {}).items():
            for n in names:
                cur_names.setdefault(str(n), str(iso))
        self.currency_lookup = {k.lower(): v for k, v in cur_names.items()}
        prefix_only = {str(p) for p in w.get("currency_prefix_only", [])}
        after_names = [n for n in cur_names if n not in prefix_only]
        prefix_names = [n for n in cur_names if n in prefix_only or re.fullmatch(r"[A-Z]{3}\$?", n)]
        self.re_currency_after = re.compile(rf"{_SPACE}*({_alt(after_names)})(?!\w)", re.I)
        self.re_currency_before = re.compile(rf"(?<!\w)({_alt(prefix_names)}){_SPACE}*$")
        self.re_currency_nocode = re.compile(
            rf"{_SPACE}*(?:{_alt(w.get('currency_without_code', []))})(?!\w)", re.I)
        self.re_other_units = re.compile(rf"{_SPACE}+({_alt(w.get('other_units', {}))})(?!\w)", re.I)
        self.other_units = {str(k).lower(): str(v) for k, v in (w.get("other_units", {}) or {}).items()}
        self.re_age_after = re.compile(rf"{_SPACE}+(?:{_alt(w.get('age_after', []))})(?!\w)", re.I)
        self.age_words = _lower_set(w.get("age_after", []))
        self.re_age_before = re.compile(rf"(?<!\w)(?:{_alt(w.get('age_before', []))}){_SPACE}+$", re.I)
        self.time_units = {}
        for canon, forms in (w.get("time_units", {}) or {}).items():
            for f in forms:
                self.time_units[str(f).lower()] = str(canon)
        months = _alt(w.get("months", []))
        dconn = w.get("date_connectors", []) or []
        dc = rf"(?:{_alt(dconn)}){_SPACE}+" if dconn else ""
        self.re_month_after = re.compile(rf"{_SPACE}+(?:{dc})?(?:{months})(?!\w)", re.I)
        self.re_month_before = re.compile(rf"(?<!\w)(?:{months}){_SPACE}*$", re.I)
        self.re_ratio = re.compile(rf"{_SPACE}+(?:{_alt(w.get('ratio_connectors', []))}){_SPACE}+$", re.I)
        self.re_range = re.compile(rf"^{_SPACE}*(?:{_alt(w.get('range_connectors', []))}){_SPACE}*$", re.I)
        self.re_exclude_before = re.compile(
            rf"(?<![\w.])(?:{_alt(w.get('exclude_before', []))}){_SPACE}*$", re.I)
        self.collective = {str(k).lower(): str(v) for k, v in (w.get("collective_nouns", {}) or {}).items()}
        subj = w.get("subject", {}) or {}
        of_words = subj.get("of_words", []) or []
        self.re_collective = re.compile(
            rf"(?<!\w)({_alt(self.collective)}){_SPACE}+(?:{_alt(of_words)}){_SPACE}+$", re.I)
        arts = w.get("articles", []) or []
        art = rf"(?:(?:{_alt(arts)}){_SPACE}+)?" if arts else ""
        self.qualifier_lookup = _phrase_table(w.get("qualifiers"))
        self.re_qualifier = re.compile(rf"(?<![\w])({_alt(self.qualifier_lookup)}){_SPACE}+{art}$", re.I)
        self.post_lookup = _phrase_table(w.get("post_qualifiers"))
        self.re_post_qualifier = re.compile(rf"{_SPACE}+({_alt(self.post_lookup)})(?!\w)", re.I)
        self.noun_stop = _lower_set(w.get("noun_stop"))
        self.noun_max = int(w.get("noun_max_words", 4))
        self.head_first = str(w.get("head_position", "last")) == "first"
        self.capitalised_nouns = bool(w.get("capitalised_nouns", False))
        self.capitalised_first = bool(w.get("capitalised_plural_after_number", False))
        sing = w.get("singular", {}) or {}
        self.irregular = {str(k).lower(): str(v) for k, v in (sing.get("irregular", {}) or {}).items()}
        self.invariant = _lower_set(sing.get("invariant"))
        self.not_plural = [re.compile(p) for p in sing.get("not_plural", []) or []]
        self.sing_rules = [(re.compile(a), b) for a, b in sing.get("rules", []) or []]
        self.of_words = _lower_set(of_words)
        self.determiners = _lower_set(subj.get("determiners"))
        self.subject_stop = _lower_set(subj.get("stop"))
        self.subject_stop_suffixes = tuple(str(s) for s in subj.get("stop_suffixes", []) or [])
        self.subject_max = int(subj.get("max_words", 6))
        self.re_verb_before = re.compile(
            rf"(?<!\w)(?:{_alt(subj.get('verbs_before', []))}){_SPACE}+{art}$", re.I)
        copulas = _alt(subj.get("copulas_after", []))
        self.re_copula_after = re.compile(rf"{_SPACE}+(?:{copulas}){_SPACE}+", re.I)
        self.re_of_after = re.compile(rf"{_SPACE}+(?:{_alt(of_words)})(?:{_SPACE}+|(?<=['’]))", re.I)
        self.re_of_before = re.compile(rf"(?<!\w)(?:{_alt(of_words)}){_SPACE}+$", re.I)
        abbrevs = w.get("sentence_abbreviations", []) or []
        self.abbreviations = frozenset(str(a) for a in abbrevs) | frozenset(str(a).lower() for a in abbrevs)
        model = w.get("model") or ()
        self.model_names = tuple(str(m) for m in ([model] if isinstance(model, str) else model))

    # ---- nouns ---------------------------------------------------------

    def singular(self, word: str) -> str:
        low = word.lower()
        if low in self.irregular:
            return self.irregular[low]
        if low in self.invariant or any(p.search(low) for p in self.not_plural):
            return low
        for pattern, repl in self.sing_rules:
            if pattern.search(low):
                return pattern.sub(repl, low, count=1)
        return low

    def looks_plural(self, word: str) -> bool:
        low = word.lower()
        if low in self.irregular or low in self.invariant:
            return True
        if len(low) < 4 or any(p.search(low) for p in self.not_plural):
            return False
        return self.singular(low) != low


_RULES: dict[tuple[str, str], StatisticRules] = {}


def rules_for(lang: str, config: Config | None = None) -> StatisticRules:
    """Compiled rules of ``lang`` (cached per language and config folder;
    a language without a wording file falls back to the default language)."""
    config = config or load_config()
    key = (lang, str(config.config_dir))
    if key not in _RULES:
        wording = config.wording("statistics", lang)
        if not wording:
            wording = config.wording("statistics", str(config.settings.get("default_language", "en")))
        _RULES[key] = StatisticRules(wording, lang)
    return _RULES[key]


# --------------------------------------------------------------------------
# text-level extraction
# --------------------------------------------------------------------------

_QUOTE_RES = (re.compile(r"“[^“”\n]{1,200}”"), re.compile(r'"[^"\n]{1,200}"'),
              re.compile(r"«[^«»\n]{1,200}»"), re.compile(r"(?<![*\w])\*(?!\*)[^*\n]{1,200}\*(?!\*)"))
_ID_CHAIN = re.compile(r"[0-9]+(?:[\-/][0-9]+){2,}|[A-Za-z]+/[0-9]+(?:/[0-9]+)*|[0-9]+/[0-9]+")
_PHONE = re.compile(r"\+[0-9][0-9 .\-()\u00a0]{5,}[0-9]")
_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")
_LIST_MARKER = re.compile(r"(?:^|\n)[ \t]*(?:[-•*][ \t]*)?\(?([0-9]+(?:\.[0-9]+)*)(?:\.|\))(?=[ \t]|$)")
_SECTION_NUMBER = re.compile(r"(?:^|\n)[ \t]*([0-9]+\.[0-9]+(?:\.[0-9]+)*)[ \t]+(?=[A-ZÁÉÍÓÚ])")


def _masked_ranges(text: str, extra) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for rx in _QUOTE_RES + (_ID_CHAIN, _PHONE, _URL):
        ranges.extend(m.span() for m in rx.finditer(text))
    for rx in (_LIST_MARKER, _SECTION_NUMBER):
        ranges.extend(m.span(1) for m in rx.finditer(text))
    for r in extra or ():
        ranges.append((int(r[0]), int(r[1])))
    return sorted(ranges)


def _in_ranges(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b or a < end <= b or a <= start < b for a, b in ranges)


def _candidates(text: str, rules: StatisticRules) -> list[_Cand]:
    return [_Cand(n.start, n.end, n.value or 0.0, n.digits, weak=n.weak, year_like=n.year_like,
                  excluded=n.value is None) for n in rules.finder.find(text)]


def _noun_phrase_after(text: str, pos: int, rules: StatisticRules, value: float):
    """(head_end, unit, phrase) of the counted noun after ``pos``, or None."""
    words: list[re.Match] = []
    cursor = pos
    m_conn = rules.re_scale_conn.match(text, cursor)
    if m_conn and text[cursor:m_conn.start() + 1].strip() == "" and value >= 1000:
        cursor = m_conn.end()
    while len(words) < rules.noun_max:
        m = re.compile(rf"{_SPACE}*").match(text, cursor)
        gap_end = m.end()
        if words and gap_end == cursor:
            break
        if not words and gap_end == cursor and cursor == pos:
            break  # glued to the number
        wm = _WORD_RE.match(text, gap_end)
        if not wm:
            break
        word = wm.group(0)
        low = word.lower()
        if low in rules.noun_stop or low in rules.words.values or low in rules.time_units:
            break
        if word[0].isupper() and not rules.capitalised_nouns:
            # only a capitalised plural right after the number: "10,000 Venezuelans"
            if words or not rules.capitalised_first or not rules.looks_plural(word) or value == 1:
                break
            words.append(wm)
            break
        words.append(wm)
        cursor = wm.end()
        if not rules.head_first and rules.looks_plural(word) and value != 1:
            break
    if not words:
        return None
    if rules.head_first:
        head = words[0]
        if value != 1 and not rules.looks_plural(head.group(0)):
            return None
        kept = [head]
        if value != 1:
            for wm in words[1:]:
                if not rules.looks_plural(wm.group(0)):
                    break
                kept.append(wm)
        return kept[-1].end(), rules.singular(head.group(0)), text[kept[0].start():kept[-1].end()]
    head = words[-1]
    if value != 1 and not rules.looks_plural(head.group(0)):
        return None
    return head.end(), rules.singular(head.group(0)), text[words[0].start():head.end()]


def _clean_phrase(words: list[str], rules: StatisticRules) -> str | None:
    while words and (words[0].lower() in rules.determiners or words[0].lower() in rules.of_words):
        words = words[1:]
    while words and (words[-1].lower() in rules.of_words or words[-1].lower() in rules.determiners):
        words = words[:-1]
    return " ".join(words) or None


def _phrase_before(text: str, pos: int, rules: StatisticRules) -> str | None:
    """Noun phrase ending right before ``pos`` (walks back over words)."""
    window = text[max(0, pos - 160):pos]
    tokens = re.findall(rf"{_WORD}|[^\w\s]", window)
    out: list[str] = []
    rev = list(reversed(tokens))
    for i, tok in enumerate(rev):
        low = tok.lower()
        content = [w for w in out if w.lower() not in rules.of_words and w.lower() not in rules.determiners]
        if not _WORD_RE.fullmatch(tok) or len(content) >= rules.subject_max:
            break
        if low in rules.determiners:
            if out and i + 1 < len(rev) and rev[i + 1].lower() in rules.of_words:
                out.append(tok)  # "tasa de los extranjeros", "rate of the men"
                continue
            break
        if low in rules.subject_stop or low.endswith(rules.subject_stop_suffixes):
            break
        out.append(tok)
    return _clean_phrase(list(reversed(out)), rules)


def _phrase_after(text: str, pos: int, rules: StatisticRules) -> str | None:
    window = text[pos:pos + 160]
    tokens = re.findall(rf"{_WORD}|[^\w\s]", window)
    out: list[str] = []
    for tok in tokens:
        low = tok.lower()
        if not _WORD_RE.fullmatch(tok) or len(out) >= rules.subject_max:
            break
        if not out and low in rules.determiners:
            continue
        if low in rules.subject_stop or (low.endswith(rules.subject_stop_suffixes) and out):
            break
        out.append(tok)
    return _clean_phrase(out, rules)


def _percent_subject(text: str, c: _Cand, rules: StatisticRules, left: int) -> str | None:
    before = text[max(0, left - 80):left]
    m = rules.re_verb_before.search(before)
    if m:
        subj = _phrase_before(text, left - len(before) + m.start(), rules)
        if subj:
            return subj
    m = rules.re_of_after.match(text, c.raw_end)
    if m:
        subj = _phrase_after(text, m.end(), rules)
        if subj:
            return subj
    if re.search(r"\(\s*$", before):
        return _phrase_before(text, left - len(before) + before.rstrip().rfind("("), rules)
    m = rules.re_of_before.search(before)
    if m:
        return _phrase_before(text, left - len(before) + m.start(), rules)
    m = rules.re_copula_after.match(text, c.raw_end)
    if m:
        return _phrase_after(text, m.end(), rules)
    return None


def _resolve(text: str, c: _Cand, rules: StatisticRules, masks: list[tuple[int, int]]) -> None:
    """Decide kind/unit/raw of one candidate, or mark it excluded."""
    before = text[max(0, c.start - 60):c.start]
    prev_char = text[c.start - 1] if c.start else ""
    nxt = text[c.end:c.end + 2]
    if _in_ranges(c.start, c.end, masks):
        c.excluded = True
        return
    if prev_char and (prev_char.isalpha() or prev_char in "/#§+_^") or \
            (prev_char == ":" and c.start >= 2 and text[c.start - 2].isdigit()):  # 10:00
        c.excluded = True
        return
    if prev_char == "-" and c.start >= 2 and text[c.start - 2].isalpha():
        c.excluded = True  # COVID-19
        return
    if nxt[:1] and (nxt[:1].isalpha() or nxt[:1] in "ºª°/" or (nxt[:1] == ":" and nxt[1:2].isdigit())):
        c.excluded = True  # 2021a, 109th, 1st, 1º
        return
    if rules.re_exclude_before.search(before) or rules.re_month_before.search(before):
        c.excluded = True
        return
    c.raw_start, c.raw_end = c.start, c.end
    if nxt[:1] == "-" and (len(nxt) < 2 or not nxt[1].isdigit()):
        _compound(text, c, rules)
        return
    m = rules.re_percent.match(text, c.end)
    if m:
        c.kind, c.unit, c.raw_end = "percent", "%", m.end()
        return
    m = rules.re_currency_after.match(text, c.end)
    if not m:
        mc = rules.re_scale_conn.match(text, c.end)
        if mc and c.value >= 1000:
            m = rules.re_currency_after.match(text, mc.end())
    if m:
        c.kind, c.unit, c.raw_end = "money", rules.currency_lookup.get(" ".join(m.group(1).lower().split())), m.end()
        return
    m = rules.re_currency_nocode.match(text, c.end)
    if m and m.end() > c.end:  # "4.193.973 pesos": code from an earlier amount, else null
        c.kind, c.unit, c.raw_end = "money", None, m.end()
        return
    m = rules.re_currency_before.search(before)
    if m:
        code = m.group(1)
        c.kind, c.unit = "money", rules.currency_lookup.get(code.lower(), code)
        c.raw_start = c.left_edge = c.start - (len(before) - m.start())
        return
    if c.year_like:
        c.excluded = True
        return
    if rules.re_month_after.match(text, c.end):
        c.excluded = True
        return
    m = rules.re_other_units.match(text, c.end)
    if m:
        c.kind, c.unit, c.raw_end = "other", rules.other_units.get(m.group(1).lower()), m.end()
        return
    m = rules.re_age_after.match(text, c.end)
    if m:
        c.kind, c.unit, c.raw_end, c.age = "other", "year", m.end(), True
        return
    wm = re.compile(rf"{_SPACE}+({_WORD})").match(text, c.end)
    if wm and wm.group(1).lower() in rules.time_units:
        c.kind, c.unit, c.raw_end = "other", rules.time_units[wm.group(1).lower()], wm.end()
        c.age = bool(rules.re_age_before.search(before))
        return
    m = rules.re_collective.search(before)
    if m:
        c.kind, c.unit = "count", rules.collective[m.group(1).lower()]
        c.raw_start = c.left_edge = c.start - (len(before) - m.start())
        c.subject = m.group(1)
        return
    if rules.re_age_before.search(before):
        c.kind, c.unit, c.age = "other", "year", True
        return
    found = _noun_phrase_after(text, c.end, rules, c.value)
    if found:
        c.kind, c.unit, c.raw_end, c.subject = "count", found[1], found[0], found[2]
        return


def _compound(text: str, c: _Cand, rules: StatisticRules) -> None:
    """Hyphenated compounds: "two-year" (duration), "36-page" (count), "eight-" (suspended)."""
    m = re.match(rf"-({_WORD})", text[c.end:c.end + 40])
    if not m:
        if re.match(rf"-{_SPACE}+\w", text[c.end:c.end + 3]):  # "eight- or nine-digit"
            c.raw_end = c.end + 1
        else:
            c.excluded = True
        return
    word = m.group(1).lower()
    if word in rules.time_units:
        c.kind, c.unit, c.raw_end = "other", rules.time_units[word], c.end + m.end()
    elif word in rules.age_words:
        c.kind, c.unit, c.raw_end, c.age = "other", "year", c.end + m.end(), True
    elif c.weak or "-" in word or "'" in word or word in rules.noun_stop:
        c.excluded = True  # one-stop shop, one-size-fits-all
    else:
        c.kind, c.unit, c.raw_end = "count", rules.singular(word), c.end + m.end()


def _ratio(text: str, a: _Cand, b: _Cand, rules: StatisticRules) -> bool:
    gap = text[a.end:b.start]
    return bool(b.value) and bool(rules.re_ratio.fullmatch(" " + gap)) and not b.year_like


class _Sentences:
    """Sentence boundaries of a text (punctuation-based)."""

    _END = re.compile(r"[.!?](?:[\"'”’»)\]]*)(?=\s+[\"“«(\[¿¡]?[A-ZÁÉÍÓÚÑÇ0-9])"
                      r"|\n\s*\n|\n(?=[ \t]*[-•*][ \t])")

    def __init__(self, text: str, rules: StatisticRules, doc: Doc | None = None):
        self.text = text
        if doc is not None and doc.has_annotation("DEP"):  # a parser's sentences beat punctuation
            self.starts = [s.start_char for s in doc.sents]
            return
        starts = [0]
        for m in self._END.finditer(text):
            if m.group(0)[0] == ".":
                word = re.search(r"(\S+)$", text[max(0, m.start() - 30):m.start() + 1])
                token = word.group(1) if word else ""
                token = token.lstrip("(\"“")
                if token in rules.abbreviations or token.lower() in rules.abbreviations:
                    continue
                if re.fullmatch(r"[A-Z]\.", token):
                    continue
            nxt = re.compile(r"\s*").match(text, m.end()).end()
            if nxt < len(text):
                starts.append(nxt)
        self.starts = starts

    def around(self, pos: int) -> tuple[int, str]:
        i = bisect.bisect_right(self.starts, pos) - 1
        start = self.starts[max(i, 0)]
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)
        return start, self.text[start:end].strip()


def find_statistics(text: str, rules: StatisticRules, exclude_ranges=None,
                    doc: Doc | None = None, include_ages: bool = True) -> list[StatMatch]:
    """Every statistic in ``text`` (pure; the spaCy component calls this).

    ``include_ages=False`` drops ages ("children under 14 years of age",
    "aged 18"), which the hand-labelled gold files leave out.
    """
    cands = _candidates(text, rules)
    if not cands:
        return []
    masks = _masked_ranges(text, exclude_ranges)
    for c in cands:
        if not c.excluded:
            _resolve(text, c, rules, masks)
    live = [c for c in cands if not c.excluded]
    # ratios "one in four" / "uno de cada cuatro"
    for a, b in zip(live, live[1:]):
        if not b.excluded and not a.excluded and a.kind in (None, "count") and _ratio(text, a, b, rules):
            noun = _noun_phrase_after(text, b.end, rules, 2)
            a.kind, a.unit, a.value = "other", "ratio", a.value / b.value
            a.raw_start, a.raw_end = a.start, b.end
            a.subject = noun[2] if noun else None
            a.weak = False
            b.excluded = True
    live = [c for c in live if not c.excluded]
    # coordination: "between 10 and 20 per cent", "ages of 18 and 60"
    for a, b in zip(live, live[1:]):
        if rules.re_range.match(text[max(a.end, a.raw_end):b.start]) and (a.kind is None) != (b.kind is None):
            src, dst = (a, b) if a.kind else (b, a)
            if dst.year_like or (dst.weak and src.kind == "count"):
                continue
            dst.kind, dst.unit, dst.age = src.kind, src.unit, src.age
            if src.kind == "count":
                dst.subject = src.subject
            if dst is a and a.weak:  # "une à deux semaines": an article-like word is a number
                a.range_end = b.raw_end  # only by its range, so its raw reads the range (gold convention)
    sentences = _Sentences(text, rules, doc)
    out: list[StatMatch] = []
    consumed = -1
    money_in_sentence: dict[int, str | None] = {}
    for c in live:
        if c.start < consumed:
            continue
        s_start, sentence = sentences.around(c.start)
        if c.kind is None and c.digits and not c.year_like and s_start in money_in_sentence:
            c.kind, c.unit = "money", money_in_sentence[s_start]
        if c.kind is None or (c.weak and c.kind == "count") or (c.age and not include_ages):
            continue
        if c.kind == "money":
            if c.unit is None:
                c.unit = money_in_sentence.get(s_start)
            elif money_in_sentence.get(s_start) is None:
                money_in_sentence[s_start] = c.unit
        left = c.left_edge if c.left_edge >= 0 else c.raw_start
        qualifier = None
        before = text[max(0, left - 60):left]
        m = rules.re_qualifier.search(before)
        if m:
            qualifier = rules.qualifier_lookup.get(" ".join(m.group(1).lower().split()))
        m = rules.re_post_qualifier.match(text, c.raw_end)
        if m and qualifier is None:
            qualifier = rules.post_lookup.get(" ".join(m.group(1).lower().split()))
        subject = c.subject
        if c.kind == "percent":
            q_left = left - (len(before) - m.start()) if (m := rules.re_qualifier.search(before)) else left
            subject = _percent_subject(text, c, rules, q_left)
        elif c.kind == "other" and c.age:
            anchor = left
            for rx in (rules.re_qualifier, rules.re_age_before):
                mm = rx.search(text[max(0, anchor - 60):anchor])
                if mm:
                    anchor -= len(text[max(0, anchor - 60):anchor]) - mm.start()
            words = (_phrase_before(text, anchor, rules) or "").split()
            subject = words[-1] if words else None
        raw_end = max(c.raw_end, c.range_end)
        raw = text[c.raw_start:raw_end]
        out.append(StatMatch(c.raw_start, raw_end, c.kind, float(c.value), c.unit, qualifier,
                             subject, sentence, s_start, raw))
        consumed = c.raw_end
    return out


# --------------------------------------------------------------------------
# optional statistical refinement of subjects
# --------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _load_model(names: tuple[str, ...]):
    """The first installed statistical model of ``names``, or None."""
    import spacy

    for name in names:
        try:  # excluded, not just disabled: neither is read, so they are not loaded
            return spacy.load(name, exclude=["ner", "lemmatizer"])
        except (OSError, ImportError, ValueError):
            continue
    return None


def refine_subject(match: StatMatch, model) -> str | None:
    """Subject from a dependency parse of the statistic's sentence, or None.

    Counts: the noun chunk of the noun the number modifies; percents: the
    noun chunk governed by "of" after the percent word, else the subject of
    the verb that governs it. Chunks overlapping the statistic, pronouns,
    determiners and numbers are left out. Small on purpose so it is easy to
    swap; the component only calls it when the rules found no subject.
    """
    sent = model(match.sentence)
    lead = len(match.sentence) - len(match.sentence.lstrip())
    offset = max(match.start - match.sentence_start - lead, 0)
    span = sent.char_span(offset, offset + len(match.raw), alignment_mode="expand")
    if span is None:
        return None

    def chunk_of(tok, overlap: bool = False) -> str | None:
        for ch in sent.noun_chunks:
            if ch.start <= tok.i < ch.end and (overlap or ch.end <= span.start or ch.start >= span.end):
                kept = [t for t in ch if t.dep_ not in ("det", "nummod", "predet", "quantmod", "advmod")
                        and not t.like_num and t.pos_ != "PRON"]
                if kept:
                    return sent.text[kept[0].idx:kept[-1].idx + len(kept[-1].text)]
        return None

    if match.kind == "count":
        return chunk_of(span.root, overlap=True) if span.root.pos_ in ("NOUN", "PROPN") else None
    if match.kind == "percent":
        for tok in span:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            return chunk_of(obj)
        for child in span.root.head.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return chunk_of(child)
    return None


# --------------------------------------------------------------------------
# spaCy component
# --------------------------------------------------------------------------


class StatisticsComponent(SpanComponent):
    """spaCy pipeline component: statistics into ``doc.spans[SPAN_KEY]``."""

    factory = "mgi_statistics"
    span_key = SPAN_KEY
    prefix = "stat_"
    fields = ("kind", "value", "unit", "qualifier", "subject", "sentence", "raw", "start", "end")

    def __init__(self, nlp: Language, name: str, lang: str | None = None,
                 config_path: str | None = None, use_statistical_model: str = "never",
                 config_dir: str | None = None):
        self.name = name
        self.lang = lang or nlp.lang
        self.config = load_config(config_path)
        if config_dir and Path(config_dir) != self.config.config_dir:
            self.config = Config(settings=self.config.settings, config_dir=Path(config_dir))
        self.rules = rules_for(self.lang, self.config)
        self.include_ages = bool(self.config.section("extract").get("ages_are_statistics", True))
        self.use_model = use_statistical_model
        self._model = None
        self._model_loaded = False  # "auto" loads the model when a match first needs it
        if use_statistical_model == "always" and self.rules.model_names:
            self._statistical_model()
            if self._model is None:
                from pipeline.errors import ConfigError

                raise ConfigError(f"none of the statistical models {self.rules.model_names} is installed")

    def _statistical_model(self):
        if not self._model_loaded:
            if self.use_model in ("auto", "always") and self.rules.model_names:
                self._model = _load_model(self.rules.model_names)
            self._model_loaded = True
        return self._model

    def match(self, doc: Doc) -> list[StatMatch]:
        matches = find_statistics(doc.text, self.rules, doc._.mgi_exclude_ranges, doc, self.include_ages)
        if any(not m.subject for m in matches) and (model := self._statistical_model()) is not None:
            matches = [m if m.subject else _with_subject(m, refine_subject(m, model)) for m in matches]
        return matches


def _with_subject(m: StatMatch, subject: str | None) -> StatMatch:
    return dataclasses.replace(m, subject=subject) if subject else m


@Language.factory(StatisticsComponent.factory,
                  default_config={"lang": None, "config_path": None, "config_dir": None,
                                  "use_statistical_model": "never"})
def make_statistics(nlp: Language, name: str, lang: str | None, config_path: str | None,
                    config_dir: str | None, use_statistical_model: str) -> StatisticsComponent:
    """``lang``: wording language (default: the pipeline's); ``config_path``: a
    settings override YAML; ``config_dir``: another configs/ folder;
    ``use_statistical_model``: never | auto | always (subject refinement)."""
    return StatisticsComponent(nlp, name, lang, config_path, use_statistical_model, config_dir)


def statistic_spans(doc: Doc) -> list[Span]:
    """The statistic spans of a processed doc, in text order."""
    if SPAN_KEY not in doc.spans:
        return []
    return sorted(doc.spans[SPAN_KEY], key=lambda s: (s._.stat_start, s._.stat_end))


def span_record(span: Span) -> dict[str, Any]:
    """Column values of a statistic span (``statistics`` table, minus ids/page)."""
    return {"kind": span._.stat_kind, "raw": span._.stat_raw, "value": span._.stat_value,
            "unit": span._.stat_unit, "qualifier": span._.stat_qualifier,
            "subject": span._.stat_subject, "sentence": span._.stat_sentence,
            "char_start": span._.stat_start, "char_end": span._.stat_end}


@lru_cache(maxsize=8)
def _pipeline(lang: str, config_path: str | None, use_model: str) -> Language:
    import spacy

    try:
        nlp = spacy.blank(lang)
    except (ImportError, KeyError, ValueError):
        nlp = spacy.blank("xx")
    nlp.add_pipe("mgi_statistics", config={"lang": lang, "config_path": config_path,
                                           "use_statistical_model": use_model})
    return nlp


def build_pipeline(lang: str, config_path: str | None = None, config: Config | None = None) -> Language:
    """A blank ``lang`` pipeline with ``mgi_statistics`` (cached per language).

    ``use_statistical_model`` comes from the ``extract`` settings of the config.
    """
    config = config or load_config(config_path)
    use = str(config.section("extract").get("use_statistical_model", "never"))
    return _pipeline(lang, config_path, use)
