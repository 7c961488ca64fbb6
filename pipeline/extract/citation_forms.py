"""Dates and titles of citations: the wording-driven helpers of
:mod:`pipeline.extract.citations` (kept apart so that module stays small).

* Dates. The UN editorial footnote style prints a date, not just a year, in
  the parenthesis after the work: "(September 2022)", "(Oslo, 4 February
  2025)", "(septiembre de 2022)", "(4 février 2025)". :func:`parse_date`
  reads such a parenthesis content into (year, date) where date is ISO
  "2025-02-04" when a day is printed, "2022-09" when only a month is; a
  place may come first ("Oslo, ..."). Month names and the words joining day,
  month and year ("4 de febrero de 2025") are per language
  (``months``/``date_joiners`` in ``configs/citations/<lang>.yaml``).
* Titles. A capitalised name before a year may be an author ("the Jesuit
  Migrant Service (2021)") or a work ("Communal Government Programme
  (2020)"). :func:`is_work_title` decides by the name's head noun -- the last
  word before its first joining word in English ("Global Strategic Priorities
  Progress *Reports*", "National *Policy* on Migration"), the first word in
  Spanish, French and Portuguese ("*Programa* Comunal de Gobierno") -- being
  one of the language's ``work_words`` ("programme", "plan", "report",
  "manual", ...). ``head_noun: first|last`` is the document language's own.
* A title is never an acronym alone (:func:`is_acronym`: "UNHCR", "IOM").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pipeline.extract.wording import merged_list

_YEAR = r"(?:1[6-9]|20)\d{2}"
_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9&.\-/]*[A-Z0-9.]$")


@dataclass(frozen=True)
class FormRules:
    date_re: re.Pattern  # a whole parenthesis content that is a date with a month
    months: dict[str, int]  # casefolded month name or abbreviation -> 1..12
    work_words: frozenset[str]
    head_first: bool  # the head noun of a name is its first word (es/fr/pt), else its last before a connector
    part_re: re.Pattern | None  # ", Chapter 4" printed between a work and its date


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _merged_dict(chain: list[dict[str, Any]], key: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for data in chain:
        for name, number in (data.get(key) or {}).items():
            out.setdefault(str(name).casefold(), int(number))
    return out


def build_form_rules(chain: list[dict[str, Any]]) -> FormRules:
    months = _merged_dict(chain, "months")
    bad = sorted(k for k, v in months.items() if not 1 <= v <= 12)
    if bad:
        raise ValueError(f"citations wording: months out of 1..12: {bad}")
    joiners = merged_list(chain, "date_joiners")
    join = rf"(?:\s+(?:{_alt(joiners)}))?" if joiners else ""
    month_alt = _alt(list(months)) if months else r"(?!x)x"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º|°|o)?"
    month = rf"(?P<month>{month_alt})\.?"
    year = rf"(?P<year>{_YEAR})"
    place = r"(?:(?P<place>[^\W\d_][^,;()\d]{0,60}?),\s*)?"
    date_re = re.compile(
        rf"^\s*{place}(?:"
        rf"(?:{day}{join}\s+)?{month}{join},?\s+{year}"  # "4 February 2025", "septiembre de 2022"
        rf"|(?P<month2>{month_alt})\.?\s+(?P<day2>[0-3]?\d),\s*(?P<year2>{_YEAR})"  # "February 4, 2025"
        rf")\s*$",
        re.IGNORECASE,
    )
    parts = merged_list(chain, "work_parts")
    own = chain[0] if chain else {}
    return FormRules(
        date_re=date_re,
        months=months,
        work_words=frozenset(str(w).casefold() for w in merged_list(chain, "work_words")),
        head_first=str(own.get("head_noun", "last")) == "first",
        part_re=re.compile(rf",\s*(?:{'|'.join(parts)})\s*$") if parts else None,
    )


def parse_date(content: str, rules: FormRules) -> tuple[int, str] | None:
    """(year, ISO date or year-month) of a parenthesis content that is a
    printed date with a month; None otherwise (a bare year is no date)."""
    m = rules.date_re.match(content)
    if not m:
        return None
    month_name = " ".join((m.group("month") or m.group("month2")).split()).casefold()
    month = rules.months.get(month_name)
    if month is None:
        return None
    year = int(m.group("year") or m.group("year2"))
    day_text = m.group("day") or m.group("day2")
    if day_text is None:
        return year, f"{year:04d}-{month:02d}"
    day = int(day_text)
    if not 1 <= day <= _days_in(year, month):
        return None
    return year, f"{year:04d}-{month:02d}-{day:02d}"


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31


def is_acronym(text: str | None) -> bool:
    """"UNHCR", "IOM", "OECD-DAC": an acronym alone, never a title."""
    return bool(text) and " " not in text.strip() and bool(_ACRONYM_RE.match(text.strip()))


def is_work_title(name: str | None, connectors: frozenset[str], rules: FormRules) -> bool:
    """Is the capitalised ``name`` a work's title (its head noun a work word)?"""
    if not name or is_acronym(name):
        return False
    words = [w.strip(",.:;\"'“”«»()") for w in name.split()]
    words = [w for w in words if w]
    if not words:
        return False
    if rules.head_first:
        head = words[0]
    else:
        cut = next((i for i, w in enumerate(words) if i and w.casefold() in connectors and not w[:1].isupper()), len(words))
        head = words[cut - 1]
    return head.casefold() in rules.work_words


def strip_part(text: str, end: int, rules: FormRules) -> int:
    """``end`` moved before a work's part printed before its date
    ("UNHCR Programme Manual, Chapter 4| (June 2017)")."""
    if rules.part_re is None:
        return end
    m = rules.part_re.search(text[max(0, end - 80) : end])
    return end - (len(text[max(0, end - 80) : end]) - m.start()) if m else end
