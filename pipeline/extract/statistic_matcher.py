"""Statistics in a text: the pure matcher behind ``mgi_statistics``.

:func:`find_statistics` finds number candidates (:mod:`pipeline.text.numbers`),
decides kind, unit and raw text of each with the compiled
:class:`~pipeline.extract.statistic_rules.StatisticRules`, then the
qualifier, the subject and the sentence of every statistic.

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
  age phrase; ratios -> the noun after them.
  :func:`pipeline.extract.statistics.refine_subject` (an
  optional statistical model, English only) may replace it.
* Sentence: the doc's sentences when a parser annotated it (``DEP``),
  otherwise punctuation-based boundaries computed from the text, where the
  configured abbreviations ("No.", "Art.", "e.g.") are not boundaries -- so a
  ``sentencizer`` (which splits "Law No. 21.325") is not used, and our
  pipeline has none.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc

from pipeline.extract import statistic_forms as forms
from pipeline.extract.statistic_rules import StatisticRules
from pipeline.text.numbers import SPACE_CLASS

_WORD = r"[^\W\d_]+(?:['’\-][^\W\d_]+)*"
_WORD_RE = re.compile(_WORD)
_SPACE = SPACE_CLASS
_GAP = re.compile(rf"(?:{_SPACE}*,)?{_SPACE}*")


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
    value_high: float | None = None


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
    value_high: float | None = None  # "18-25 ans": the high end


def _in_ranges(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b or a < end <= b or a <= start < b for a, b in ranges)


def _candidates(text: str, rules: StatisticRules) -> list[_Cand]:
    return [_Cand(n.start, n.end, n.value or 0.0, n.digits, weak=n.weak, year_like=n.year_like,
                  excluded=n.value is None) for n in rules.finder.find(text)]


def _noun_phrase_after(text: str, pos: int, rules: StatisticRules, value: float):
    """(head_end, unit, phrase) of the counted noun after ``pos``, or None.

    Head-last languages also read modifiers coordinated by commas and
    "and"/"or" up to the plural head ("36 planning, monitoring ... and
    analysis tools", "76,348 community and returnee beneficiaries") and
    acronyms as modifiers ("six IOM missions", "three core MDS objectives")."""
    words: list[re.Match] = []
    cursor = pos
    coordinated = False
    m_conn = rules.re_scale_conn.match(text, cursor)
    if m_conn and text[cursor:m_conn.start() + 1].strip() == "" and value >= 1000:
        cursor = m_conn.end()
    limit = rules.noun_max
    while len(words) < limit:
        m = _GAP.match(text, cursor)
        gap_end = m.end()
        if words and gap_end == cursor:
            break
        if not words and gap_end == cursor and cursor == pos:
            break  # glued to the number
        if "," in text[cursor:gap_end]:
            if not words or rules.head_first or not rules.coordinators:
                break
            coordinated, limit = True, 2 * rules.noun_max + 2
        wm = _WORD_RE.match(text, gap_end)
        if not wm:
            break
        word = wm.group(0)
        low = word.lower()
        if low in rules.coordinators and words and not rules.head_first:
            coordinated, limit = True, 2 * rules.noun_max + 2
            cursor = wm.end()
            continue
        if low in rules.noun_stop or low in rules.words.values or low in rules.time_units:
            break
        if word[0].isupper() and not rules.capitalised_nouns:
            if not rules.head_first and len(word) >= 2 and word.isupper():
                words.append(wm)  # an acronym modifying the head: "IOM missions"
                cursor = wm.end()
                continue
            # only a capitalised plural right after the number: "10,000 Venezuelans"
            if words or not rules.capitalised_first or not rules.looks_plural(word) or value == 1:
                break
            words.append(wm)
            break
        words.append(wm)
        cursor = wm.end()
        if not rules.head_first and rules.looks_plural(word) and value != 1:
            nxt = re.compile(rf"{_SPACE}+({_WORD})").match(text, cursor)
            if not (coordinated and nxt and nxt.group(1).islower() and nxt.group(1) not in rules.noun_stop):
                break  # the head; in a coordination a plural may modify ("data collection ... tools")
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
    if coordinated and value != 1:
        while words and not rules.looks_plural(words[-1].group(0)):
            words.pop()
        if not words:
            return None
    head = words[-1]
    if head.group(0).isupper() or (value != 1 and not rules.looks_plural(head.group(0))):
        return None
    if coordinated and value == 1:
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
    freq = rules.forms.re_frequency_word
    if not cands and (freq is None or not freq.search(text)):
        return []
    masks = forms.masked_ranges(text, exclude_ranges)
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
    live = _issue12_forms(text, live, cands, rules)
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
    last_count: dict[int, str | None] = {}
    for c in live:
        if c.start < consumed:
            continue
        s_start, sentence = sentences.around(c.start)
        if sentence.endswith("?"):
            continue  # a question asserts no quantity (evaluation questions)
        if c.kind is None and c.digits and not c.year_like and s_start in money_in_sentence:
            c.kind, c.unit = "money", money_in_sentence[s_start]
        if c.kind is None and not c.year_like:
            _bare_number(text, c, rules, s_start, last_count.get(s_start))
        if c.kind == "count":
            last_count[s_start] = c.unit
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
                             subject, sentence, s_start, raw, c.value_high))
        consumed = c.raw_end
    return out


_COMPARISON = frozenset({"more_than", "less_than", "at_least", "up_to"})


def _issue12_forms(text: str, live: list[_Cand], cands: list[_Cand], rules: StatisticRules) -> list[_Cand]:
    """Dash ranges, chart axes, frequencies, powers of ten
    (:mod:`pipeline.extract.statistic_forms`)."""
    f = rules.forms
    for a, b in zip(live, live[1:]):  # "18-25 ans", "6-8 individuals": one statistic
        if a.excluded or b.excluded or a.year_like or b.year_like or not b.kind or a.kind not in (None, b.kind):
            continue
        if f.range_dash.match(text[a.end:b.start]) and b.value > a.value:
            a.kind, a.unit, a.subject, a.age, a.value_high = b.kind, b.unit, b.subject, b.age, b.value
            a.raw_start, a.raw_end = a.start, b.raw_end
            b.excluded = True
    live = [c for c in live if not c.excluded]
    run: list[_Cand] = []
    for c in live + [None]:  # chart axes: "0% 10% 20% ... 100%"
        if c is not None and run and text[run[-1].raw_end:c.start].strip(" \t\n") == "" and c.kind == run[-1].kind:
            run.append(c)
            continue
        if forms.is_axis_run([r.value for r in run]):
            for r in run:
                r.excluded = True
        run = [c] if c is not None else []
    for c in live:
        if c.excluded:
            continue
        if c.kind is None and c.digits:  # "2.29 × 10⁻²¹"
            power = forms.power_of_ten(text, c.end)
            if power:
                c.value, c.raw_end = float(f"{c.value!r}e{power[0]}"), power[1]
        pos = c.raw_end
        if f.re_times is not None and c.kind is None and (m := f.re_times.match(text, pos)):
            pos = m.end()
        per = forms.per_unit(text, pos, rules)
        if per and c.kind in (None, "count"):  # "one in-person meeting per month", "3 times a year"
            c.kind, c.unit, c.raw_end, c.weak, c.subject = "other", per[0], per[1], False, c.subject
    if f.re_frequency_word is not None:  # "once per week", "twice a month"
        for m in f.re_frequency_word.finditer(text):
            per = forms.per_unit(text, m.end(), rules)
            if per:
                c = _Cand(m.start(), m.end(), f.frequency_words[m.group(1).lower()], False, kind="other",
                          unit=per[0], raw_start=m.start(), raw_end=per[1])
                live.append(c)
        live.sort(key=lambda c: c.start)
    return [c for c in live if not c.excluded]


def _bare_number(text: str, c: _Cand, rules: StatisticRules, s_start: int, last_unit: str | None) -> None:
    """Kind of a number with no unit: a threshold, an elliptical count, a
    statistical result or a count in brackets after a label."""
    f = rules.forms
    before = text[max(0, c.start - 60):c.start]
    if f.re_symbol is not None and (m := f.re_symbol.search(before)):
        symbol = " ".join(m.group(1).split())
        if symbol.lower() in f.sample_symbols:
            c.kind, c.unit = "count", None
        else:
            c.kind, c.unit = "other", f.symbol_unit.get(symbol, f.symbol_unit.get(symbol.lower(), symbol))
        c.raw_start = c.left_edge = c.start - len(before) + m.start()  # "n=2,928", "R² = 0.0072"
        return
    if not c.digits and c.weak:
        return
    m = rules.re_qualifier.search(before)
    if m and rules.qualifier_lookup.get(" ".join(m.group(1).lower().split())) in _COMPARISON:
        c.kind, c.unit = forms.threshold_unit(text, c.start - len(before) + m.start(), s_start, rules)
        return
    if not c.digits:
        return
    if f.re_elliptical is not None and f.re_elliptical.search(before):
        c.kind, c.unit = "count", last_unit
        return
    if forms.bracket_label(text, c.start, c.end, rules.noun_stop) and \
            not rules.re_exclude_before.search(text[max(0, c.start - 41):c.start - 1]):  # "section (4)"
        c.kind, c.unit = "count", None
        c.subject = _phrase_before(text, c.start - 1, rules)
