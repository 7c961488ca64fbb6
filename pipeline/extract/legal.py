"""Legal references: a named legal instrument with a number.

"Law No. 21.325", "Ley N° 21.325", "Decreto con Fuerza de Ley No. 1",
"Decree with Force of Law No. 1", "Decreto Ley No. 1094", "DFL 1",
"Resolución Exenta No. 70.419", "Ordenanza Municipal No. 113",
"Instructivo Presidencial No. 9", "Loi n° 2018-778", "Lei n.º 13.445".

Rules (CONTRACT.md, "Legal reference"):

* an instrument word (per language, ``configs/legal/<lang>.yaml``), an
  optional number mark ("No.", "N°", "n.º", ...) and a number; the number is
  kept exactly as printed ("21.325", "84", "2018-778", "4/2001");
* without a number mark the instrument word must be capitalised ("DFL 1") and
  the number must not be a bare year ("Law 2018" is not a reference);
* a law named without a number ("the Law on Migration and Foreigners") is not
  a legal reference, nor is "Article 159" alone;
* ``year`` is set when printed beside the number ("Law No. 20.507 (2011)",
  "Decreto No. 155 de 1977", "Decree No. 156 of 2002");
* ``raw`` is the instrument word, mark and number only (the year, when
  printed, is not part of ``raw``).

``find_legal_references(text, rules)`` is the pure matcher; the spaCy
factory ``mgi_legal_references`` puts the matches in
``doc.spans["mgi_legal_references"]`` with the span extensions
``legal_instrument``, ``legal_number``, ``legal_year``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.errors import ConfigError
from pipeline.extract.component import SpanComponent, doc_text
from pipeline.extract.wording import merged_list, wording_chain
from pipeline.text.numbers import first_char_guard

SPAN_KEY = "mgi_legal_references"
INSTRUMENT_ORDER = (
    "decree_with_force_of_law",
    "decree_law",
    "presidential_instruction",
    "ordinance",
    "resolution",
    "decree",
    "law",
    "other",
)
_YEAR_RE = re.compile(r"^(?:1[89]|20)\d{2}$")
_DIGIT = re.compile(r"\d")

@dataclass(frozen=True)
class LegalMatch:
    start: int
    end: int
    instrument: str
    number: str
    year: int | None
    raw: str


@dataclass(frozen=True)
class LegalRules:
    pattern: re.Pattern
    word_instrument: dict[str, str]  # casefolded word -> instrument
    year_after: tuple[re.Pattern, ...]


def build_rules(chain: list[dict[str, Any]]) -> LegalRules:
    """Compile the wording of a language chain (own language first)."""
    word_instrument: dict[str, str] = {}
    for data in chain:
        for instrument, words in (data.get("instruments") or {}).items():
            if instrument not in INSTRUMENT_ORDER:
                raise ConfigError.of("E041", instrument=instrument)
            for word in words or []:
                word_instrument.setdefault(str(word).casefold(), instrument)
    if not word_instrument:
        raise ConfigError.of("E042")
    words = sorted(word_instrument, key=lambda w: (-len(w), w))
    marks = sorted({str(m) for m in merged_list(chain, "number_marks")}, key=lambda m: (-len(m), m))
    word_alt = "|".join(_word_regex(w) for w in words)
    mark_alt = "|".join(re.escape(m) for m in marks) or r"(?!x)x"
    guard = first_char_guard((w.split() or [" "])[0] for w in words)
    pattern = re.compile(
        rf"(?<![\w.]){guard}(?P<inst>{word_alt})(?:\s*(?P<mark>{mark_alt}))?\s*"
        rf"(?P<num>\d+(?:[.\-/]\d+)*)(?![\w])",
        re.IGNORECASE,
    )
    year_after = tuple(re.compile(p) for p in merged_list(chain, "year_after"))
    return LegalRules(pattern=pattern, word_instrument=word_instrument, year_after=year_after)


def _word_regex(word: str) -> str:
    """Instrument word to regex: spaces match any whitespace; a word ending in
    a letter must end at a word boundary."""
    parts = [re.escape(p) for p in word.split()]
    body = r"\s+".join(parts)
    if word[-1].isalnum():
        body += r"(?![^\W\d_])"
    return body


@lru_cache(maxsize=16)
def rules_for(lang: str, config_dir: str = "") -> LegalRules:
    return build_rules(wording_chain("legal", lang, config_dir or None))


def find_legal_references(text: str, rules: LegalRules) -> list[LegalMatch]:
    """Every legal reference in ``text``, in order of position."""
    out: list[LegalMatch] = []
    if not _DIGIT.search(text):  # every reference ends in a number
        return out
    for m in rules.pattern.finditer(text):
        inst_text = m.group("inst")
        number = m.group("num")
        if not m.group("mark"):
            if not inst_text[0].isupper() or _YEAR_RE.match(number):
                continue
        instrument = rules.word_instrument.get(" ".join(inst_text.split()).casefold(), "other")
        year = None
        rest = text[m.end() :]
        for pat in rules.year_after:
            ym = pat.match(rest)
            if ym:
                year = int(ym.group("year"))
                break
        if year is None:
            year = _year_in_number(number)
        out.append(
            LegalMatch(
                start=m.start(),
                end=m.end(),
                instrument=instrument,
                number=number,
                year=year,
                raw=text[m.start() : m.end()],
            )
        )
    return out


def _year_in_number(number: str) -> int | None:
    """French/Portuguese numbers often carry the year: "2018-778", "4/2001"."""
    m = re.fullmatch(r"((?:19|20)\d{2})-\d+", number) or re.fullmatch(r"\d+/((?:19|20)\d{2})", number)
    return int(m.group(1)) if m else None


class LegalReferenceComponent(SpanComponent):
    """spaCy component: legal references into ``doc.spans[SPAN_KEY]``."""

    factory = "mgi_legal_references"
    span_key = SPAN_KEY
    prefix = "legal_"
    fields = ("instrument", "number", "year")

    def __init__(self, nlp: Language, name: str, config_dir: str = ""):
        self.name = name
        self.rules = rules_for(nlp.lang, config_dir)

    def match(self, doc: Doc) -> list[LegalMatch]:
        return find_legal_references(doc_text(doc), self.rules)


@Language.factory(LegalReferenceComponent.factory, default_config={"config_dir": ""})
def make_legal_references(nlp: Language, name: str, config_dir: str) -> LegalReferenceComponent:
    return LegalReferenceComponent(nlp, name, config_dir)


def legal_spans(doc: Doc) -> list[Span]:
    return list(doc.spans[SPAN_KEY]) if SPAN_KEY in doc.spans else []
