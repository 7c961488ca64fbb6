"""In-text citations: parenthetical, narrative (incl. title + year) and ibid.

What counts (CONTRACT.md "Citation"), and the decisions taken here:

* parenthetical: "(INE, 2021a)", "(Municipality of Santiago de Chile,
  2022a)", "(see ATP, 2018)", "(Puentes UC, n.d.)"; one parenthesis holding
  several sources "(ATP, 2019; INE, 2021b)" gives one citation per source
  (each span then covers that source only, without the brackets; a single
  source's span covers the whole parenthesis). One author with several years
  "(INE, 2021a, 2021b)" gives one citation per year. The bracketless
  footnote form "see: ATP, 2020" / "See also: ATP, 2018." is parenthetical
  too (its span includes the lead-in), and so is a text that is nothing but
  "ATP, 2020." (a footnote holding only a source).
* narrative: a name followed by a parenthesised year, "the Jesuit Migrant
  Service (2021)" (author "Jesuit Migrant Service": leading articles are not
  part of the name). For "National Statistics Institute (Instituto Nacional
  de Estadísticas, INE) (2021a)" the author is the name printed *before* the
  parenthesis, "National Statistics Institute" (the acronym is kept in the
  span's ``cite_link`` only; the orchestrator links either to the KEY
  SOURCES heading). A work's title followed by its year is narrative too:
  "Communal Government Programme (2020)", "Law No. 20.507 (2011)", a quoted
  title '"Access to housing ..." (2020)', "the Ministry of Education's
  National Policy ... (2018)" (author "Ministry of Education"). The span's
  ``cite_title`` holds the title; ``cite_author`` holds the printed name, or
  None when only a title is printed (quoted titles, legal instruments) -- the
  orchestrator then takes the author heading of the KEY SOURCES entry the
  title belongs to.
* NOT citations: a bare year in running text ("in 2017"); a year in
  parentheses after a lower-case word ("the census (2017)": no name is
  printed, so nothing points to a source); year ranges "(2020–2022)"; dates
  "(4 November 2015)", "(November, 2018)"; acronym definitions "(MMPTF)";
  "(Law No. 21.325)" alone (a legal reference, no year).
* UN editorial footnote style (narrative, with a ``date``):
  'IOM Central Evaluation Unit, "Guidance on ..." (September 2022)' (author,
  quoted title, date "2022-09"), '(Oslo, 4 February 2025)' ("2025-02-04"),
  'Author, "Title" (2022)', "UNHCR Programme Manual, Chapter 4 (June 2017)"
  (title, the owning acronym as author). ``title`` is the printed title of a
  work (quoted, legal instrument, owned work, or a name whose head noun is a
  work word, :mod:`pipeline.extract.citation_forms`), never an author's name
  or an acronym; ``link`` the name KEY SOURCES titles are looked up by.
* ibid: "(ibid.)", "Ibid.", "Ibíd.", "ibidem" -> style ``ibid`` with no
  author/year here; the orchestrator copies them from the citation repeated.

Wording (ibid forms, "see"/"véase"/"voir", "n.d."/"s.f.", name connectors,
months, work words, parts of works) lives in ``configs/citations/<lang>.yaml``. ``find_citations(text,
rules)`` is the pure matcher; the factory ``mgi_citations`` stores spans in
``doc.spans["mgi_citations"]`` with the extensions ``cite_style``,
``cite_author``, ``cite_year``, ``cite_suffix``, ``cite_title``, ``cite_date``,
``cite_link``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.extract.citation_forms import FormRules, build_form_rules, is_acronym, is_work_title, parse_date, strip_part
from pipeline.extract.citation_names import ELISION_RE, NUMBER_RE, is_cap, matching_open, name_like, walk_back
from pipeline.extract.component import SpanComponent, doc_text
from pipeline.extract.legal import LegalRules, find_legal_references
from pipeline.extract.legal import rules_for as legal_rules_for
from pipeline.extract.wording import merged_list, wording_chain
from pipeline.text.numbers import first_char_guard

SPAN_KEY = "mgi_citations"
_YEAR = r"(?:1[6-9]|20)\d{2}"
_OPEN_QUOTE = {'"': '"', "”": "“", "»": "«"}
_LOCATOR = r"(?:\s*[,:]\s*(?:pp?\.|para\.|paras\.|chap\.|pág\.|págs\.)?\s*\d+(?:\s*[–-]\s*\d+)?)?"

@dataclass(frozen=True)
class CitationMatch:
    start: int
    end: int
    style: str  # parenthetical | narrative | ibid
    author: str | None
    year: int | None
    suffix: str | None
    title: str | None = None  # the cited work's title when printed (never an acronym alone)
    raw: str = ""
    date: str | None = None  # ISO "2025-02-04" / "2022-09" when a day / month is printed
    link: str | None = None  # the name the orchestrator looks KEY SOURCES titles up by (title when None)


@dataclass(frozen=True)
class CitationRules:
    ibid_re: re.Pattern
    ibid_only_re: re.Pattern
    see_re: re.Pattern  # lead-in at the start of a string
    bracketless_re: re.Pattern
    source_re: re.Pattern  # "Author, 2021a[, 2021b]" (whole string)
    years_only_re: re.Pattern  # "2021a[, 2021b]" (whole string)
    year_token_re: re.Pattern
    reflist_re: re.Pattern  # "UNOCHA. (2002).", "Tennant, Vicky. (2011)." (a reference-list entry inside a note)
    short_source_re: re.Pattern  # "IOM 2023g" (whole parenthesis content, no comma)
    connectors: frozenset[str]
    leading: frozenset[str]
    not_authors: frozenset[str]
    marks: frozenset[str]
    strip_prefixes: tuple[re.Pattern, ...]
    max_words: int
    implicit: tuple[re.Pattern, ...]  # undated source pointers, for footnote ibid
    lowercase_run: int  # lower-case words allowed after a capitalised one ("Institut national de la statistique")
    legal: LegalRules
    dated_re: re.Pattern  # a year or an undated word: none in a text, no bracketless/reference-list/whole-text source
    forms: FormRules  # dates, work titles, parts of works
    quoted_author_re: re.Pattern  # 'Author, ' before a quoted title, at a note's or sentence's start


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=lambda w: (-len(w), w)))


def build_rules(chain: list[dict[str, Any]], legal: LegalRules, marks: list[str]) -> CitationRules:
    ibid = merged_list(chain, "ibid_forms") or ["ibid"]
    see = merged_list(chain, "see_words")
    undated = merged_list(chain, "undated")
    year_alt = rf"(?P<year>{_YEAR})(?P<suffix>[a-z])?(?![\w])"
    if undated:
        year_alt = rf"(?:{year_alt}|(?P<undated>{_alt(undated)}))"
    one_year = rf"(?:{_YEAR}[a-z]?(?![\w])" + (rf"|{_alt(undated)})" if undated else ")")
    ibid_alt = _alt(ibid)
    see_alt = _alt(see) or r"(?!x)x"
    max_words = int(next((d["max_name_words"] for d in chain if "max_name_words" in d), 16))
    return CitationRules(
        ibid_re=re.compile(rf"(?<![\w]){first_char_guard(ibid)}(?:{ibid_alt})(?![\w])\.?", re.IGNORECASE),
        ibid_only_re=re.compile(rf"^\s*(?:{ibid_alt})\.?{_LOCATOR}\s*\.?\s*$", re.IGNORECASE),
        see_re=re.compile(rf"^\s*(?:{see_alt})\s*:?\s*", re.IGNORECASE),
        bracketless_re=re.compile(
            rf"(?<![\w])(?i:{first_char_guard(see)}(?:{see_alt}))\s*:?\s+(?P<author>[^\W\d_][^,;()\n]{{0,120}}?),\s*{year_alt}"
        ),
        source_re=re.compile(
            rf"^\s*(?P<author>[^,;]+?(?:,\s*(?!{one_year})[^,;]+?)*?),\s*(?P<years>{one_year}(?:\s*,\s*{one_year})*){_LOCATOR}\s*\.?\s*$"
        ),
        # a lower-case remark after the year: "(2023, forthcoming)"
        years_only_re=re.compile(rf"^\s*(?P<years>{one_year}(?:\s*[,;]\s*{one_year})*){_LOCATOR}(?:\s*,\s*[^\W\d_A-Z][^\W\d_]*(?:\s+[^\W\d_]+){{0,2}})?\s*$"),
        year_token_re=re.compile(year_alt),
        dated_re=re.compile(_YEAR + (rf"|{_alt(undated)}" if undated else "")),
        reflist_re=re.compile(
            rf"(?:^|(?<=[.;]\s))(?P<author>[^\W\d_][^.;:()\n]{{0,80}}?(?:,\s*[^\W\d_][^\W\d_]*(?:\s+[^\W\d_][^\W\d_]*)?)?"
            rf"(?:,?\s+[A-Z]\.)*)\.\s*\(\s*(?P<years>{one_year}(?:\s*,\s*{one_year})*)\s*\)\.?"
        ),
        short_source_re=re.compile(rf"^\s*(?P<author>[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*){{0,2}})\s+(?P<years>{one_year}){_LOCATOR}\s*$"),
        connectors=frozenset(str(w).casefold() for w in merged_list(chain, "name_connectors")),
        leading=frozenset(str(w).casefold() for w in merged_list(chain, "leading_words")),
        not_authors=frozenset(str(w).casefold() for w in merged_list(chain, "not_authors")),
        marks=frozenset(marks),
        strip_prefixes=tuple(re.compile(p) for p in merged_list(chain, "strip_name_prefixes")),
        max_words=max_words,
        implicit=tuple(re.compile(p) for p in merged_list(chain, "implicit_source_patterns")),
        lowercase_run=int((chain[0] if chain else {}).get("lowercase_name_words", 0)),  # own language only
        legal=legal,
        forms=build_form_rules(chain),
        quoted_author_re=re.compile(
            rf"(?:^|(?<=[.;])\s+)\s*(?:(?i:{see_alt})\s*:?\s+)?(?P<author>[^\W\d_][^.;:()\"“”«»\n]{{0,150}}?),\s*$"
        ),
    )


@lru_cache(maxsize=16)
def rules_for(lang: str, config_dir: str = "") -> CitationRules:
    chain = wording_chain("citations", lang, config_dir or None)
    marks = merged_list(wording_chain("legal", lang, config_dir or None), "number_marks")
    return build_rules(chain, legal_rules_for(lang, config_dir), marks)


# --------------------------------------------------------------------------
# matching
# --------------------------------------------------------------------------


def find_citations(text: str, rules: CitationRules) -> list[CitationMatch]:
    """Every citation in ``text`` (ibid ones without author/year), by position."""
    found: list[CitationMatch] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(matches: list[CitationMatch], span: tuple[int, int]) -> None:
        if matches and free(*span):
            found.extend(matches)
            taken.append(span)

    for m in re.finditer(r"\(([^()]*)\)", text):
        add(*_parenthesis(text, m.start(), m.end(), rules))
    if rules.dated_re.search(text):  # each of these three needs a year or an undated word
        for m in rules.bracketless_re.finditer(text):
            match = _bracketless(text, m, rules)
            if match:
                add([match], (match.start, match.end))
        for m in rules.reflist_re.finditer(text):
            author = " ".join(m.group("author").split())
            if _plausible_author(author, rules) and name_like(author.replace(",", " ").split(), rules):
                add([CitationMatch(m.start(), m.end(), "narrative", author, y, sfx, raw=m.group(0))
                     for y, sfx in _years(m.group("years"), rules)], (m.start(), m.end()))
        whole = _whole_text_source(text, rules)
        if whole:
            add([whole], (whole.start, whole.end))
    for m in rules.ibid_re.finditer(text):
        add([CitationMatch(m.start(), m.end(), "ibid", None, None, None, raw=m.group(0))], (m.start(), m.end()))
    found.sort(key=lambda c: (c.start, c.end))
    return found


def _parenthesis(text: str, start: int, end: int, rules: CitationRules) -> tuple[list[CitationMatch], tuple[int, int]]:
    content = text[start + 1 : end - 1]
    if rules.ibid_only_re.match(content):
        return [CitationMatch(start, end, "ibid", None, None, None, raw=text[start:end])], (start, end)
    ym = rules.years_only_re.match(content)
    if ym:
        return _narrative(text, start, end, ym.group("years"), rules)
    dated = parse_date(content, rules.forms)
    if dated:
        return _dated(text, start, end, dated, rules)
    out: list[CitationMatch] = []
    parts = list(_split_parts(content, start + 1))
    for p_start, p_end in parts:
        part = text[p_start:p_end]
        lead = rules.see_re.match(part)
        a_start = p_start + (lead.end() if lead else 0)
        body = text[a_start:p_end]
        if rules.ibid_only_re.match(body):
            s, e = (start, end) if len(parts) == 1 else (p_start, p_end)
            out.append(CitationMatch(s, e, "ibid", None, None, None, raw=text[s:e]))
            continue
        sm = rules.source_re.match(body) or rules.short_source_re.match(body)
        if not sm:
            continue
        author = " ".join(sm.group("author").split())
        if not _plausible_author(author, rules):
            continue
        s, e = (start, end) if len(parts) == 1 else (p_start, p_end)
        for year, suffix in _years(sm.group("years"), rules):
            out.append(CitationMatch(s, e, "parenthetical", author, year, suffix, raw=text[s:e]))
    return out, (start, end)


def _split_parts(content: str, offset: int):
    """Offsets of the ';'-separated parts of a parenthesis, whitespace trimmed."""
    pos = 0
    for piece in content.split(";"):
        lstrip = len(piece) - len(piece.lstrip())
        s = offset + pos + lstrip
        e = offset + pos + len(piece.rstrip())
        if e > s:
            yield s, e
        pos += len(piece) + 1


def _years(years: str, rules: CitationRules) -> list[tuple[int | None, str | None]]:
    out = []
    for m in rules.year_token_re.finditer(years):
        if m.group("year"):
            out.append((int(m.group("year")), m.group("suffix")))
        else:
            out.append((None, None))
    return out


def _plausible_author(author: str, rules: CitationRules) -> bool:
    if not author or len(author) > 150:
        return False
    first = next((ch for ch in author if ch.isalpha()), "")
    if not first or not first.isupper():
        return False
    if author.casefold().strip(". ") in rules.not_authors:
        return False
    words = author.split()
    if words and words[0].casefold().strip(",.") in rules.not_authors:
        return False
    return not NUMBER_RE.match(words[-1])  # "(Table 3, 2020)" is not a source


def _bracketless(text: str, m: re.Match, rules: CitationRules) -> CitationMatch | None:
    author = " ".join(m.group("author").split())
    if not _plausible_author(author, rules) or not name_like(author.split(), rules):
        return None
    year = int(m.group("year")) if m.group("year") else None
    suffix = m.group("suffix") if m.group("year") else None
    return CitationMatch(m.start(), m.end(), "parenthetical", author, year, suffix, raw=m.group(0))


def _whole_text_source(text: str, rules: CitationRules) -> CitationMatch | None:
    """A text that is nothing but a source, "ATP, 2020." (a footnote), or a
    work and its year, "Migration Governance Framework infosheet, 2016."."""
    stripped = text.strip()
    if len(stripped) > 160:
        return None
    sm = rules.source_re.match(stripped)
    if not sm:
        return None
    printed = " ".join(sm.group("author").split())
    if not _plausible_author(printed, rules) or len(printed.split()) > rules.max_words:
        return None
    # a name is the author; anything else is a work's title ("Migration
    # Governance Framework infosheet, 2016."): author left to the orchestrator
    author, title = (printed, None) if name_like(printed.split(), rules) else (None, printed)
    (year, suffix), *_ = _years(sm.group("years"), rules)
    start = text.index(stripped)
    end = start + len(stripped.rstrip(". "))
    return CitationMatch(start, end, "parenthetical", author, year, suffix, title=title, raw=text[start:end])


def _quoted_author_ok(author: str, rules: CitationRules) -> bool:
    """The author printed before a quoted title: a capitalised name of at
    most ``max_words`` words ("IOM Central Evaluation Unit", "Arild Hauge",
    "Unité centrale d'évaluation de l'OIM" where names keep lower case)."""
    words = author.replace(",", " ").split()
    if not _plausible_author(author, rules) or len(words) > rules.max_words:
        return False
    if words[0].casefold() in rules.leading:
        return False
    if name_like(words, rules):
        return True
    if rules.lowercase_run <= 0:
        return False
    lower = 0
    for w in words:
        if is_cap(w) or w.casefold() in rules.connectors or ELISION_RE.match(w):
            lower = 0
            continue
        lower += 1
        if lower > rules.lowercase_run:
            return False
    return True


# --------------------------------------------------------------------------
# narrative: what is printed before "(2021)"
# --------------------------------------------------------------------------


def _narrative(
    text: str, p_start: int, p_end: int, years: str, rules: CitationRules
) -> tuple[list[CitationMatch], tuple[int, int]]:
    before_end = len(text[:p_start].rstrip())
    found = _title_or_name(text, before_end, rules)
    if found is None:
        return [], (p_start, p_end)
    start, author, link = found
    title = _printed_title(text, start, author, link, rules)
    raw = text[start:p_end]
    out = [
        CitationMatch(start, p_end, "narrative", author, year, suffix, title=title, raw=raw, link=link)
        for year, suffix in _years(years, rules)
    ]
    return out, (start, p_end)


def _printed_title(text: str, start: int, author: str | None, link: str | None, rules: CitationRules) -> str | None:
    """The work's title a narrative citation prints: a quoted title, a legal
    instrument, the work after a possessive owner, or a name whose head noun
    is a work word ("Communal Government Programme"); None for a name that
    is an author ("Jesuit Migrant Service") and for acronyms."""
    if not link or is_acronym(link):
        return None
    if author is None or author != link and not link.startswith(f"{author} ("):
        return link  # quoted, legal, or owned ("Ministry of Education's National Policy")
    # the name itself ("Communal Government Programme"; "Law on Migration and
    # Foreigners (Law No. 21.325)": the name before its parenthesis)
    return author if is_work_title(author, rules.connectors, rules.forms) else None


def _dated(text: str, p_start: int, p_end: int, dated: tuple[int, str], rules: CitationRules):
    """The UN editorial style: a work and the date it was issued.
    'IOM Central Evaluation Unit, "Guidance on ..." (September 2022)',
    '"Review of ..." (Oslo, 4 February 2025)', 'UNHCR Programme Manual,
    Chapter 4 (June 2017)'. A date after anything else ("the IOM Council
    (November 2018)") is no citation."""
    year, date = dated
    end = len(text[:p_start].rstrip())
    if end and text[end - 1] in _OPEN_QUOTE:
        found = _title_or_name(text, end, rules)
        if found is None:
            return [], (p_start, p_end)
        start, author, title = found
    else:
        title_end = strip_part(text, end, rules.forms)
        name = walk_back(text, title_end, rules)
        whole = rules.quoted_author_re.search(text[:title_end] + ",") if title_end < end else None
        if whole:  # a note's whole lead: "(Voir le) Manuel des programmes du HCR"
            w_start = whole.start("author")
            lead = re.match(rf"(?:(?:{'|'.join(map(re.escape, rules.leading))})\s+)+", text[w_start:title_end], re.IGNORECASE)
            w_start += lead.end() if lead else 0
            if _quoted_author_ok(text[w_start:title_end], rules):
                name = (w_start, " ".join(text[w_start:title_end].split()), None)
        if name is None or name[2] is not None:
            return [], (p_start, p_end)
        start, title, _ = name
        words = title.split()
        # a work, with a part printed ("..., Chapter 4") or a plain title
        # ("Report to the 109th Session of the IOM Council (November 2018)" is none)
        plain = title_end < end or not any(w in rules.connectors for w in words)
        if not is_work_title(title, rules.connectors, rules.forms) or not plain:
            return [], (p_start, p_end)
        # an organisation's acronym owning the work is its author ("UNHCR
        # Programme Manual", "Manual de Programas del ACNUR")
        author = next((w for w in (words[0], words[-1]) if len(words) > 1 and is_acronym(w)), None)
    match = CitationMatch(start, p_end, "narrative", author, year, None, title=title, raw=text[start:p_end], date=date)
    return [match], (start, p_end)


def _title_or_name(text: str, end: int, rules: CitationRules) -> tuple[int, str | None, str | None] | None:
    """(start, author, title) of the name or title ending at ``end``."""
    if end == 0:
        return None
    last = text[end - 1]
    if last in _OPEN_QUOTE:  # a quoted title
        opening = _OPEN_QUOTE[last]
        q_start = text.rfind(opening, max(0, end - 400), end - 1)
        if q_start < 0:
            return None
        title = " ".join(text[q_start + 1 : end - 1].split()).rstrip(",.")
        if not title:
            return None
        am = rules.quoted_author_re.search(text[:q_start])
        author = " ".join(am.group("author").split()) if am else None
        if author and _quoted_author_ok(author, rules):  # 'Arild Hauge, "Review of ..." (2025)'
            return am.start("author"), author, title
        return q_start, None, title
    if last == ")":  # "Name (Nombre, ACR) (2021a)", "the Law ... (Law No. 21.325) (2022)"
        g_start = matching_open(text, end - 1)
        if g_start is None:
            return None
        group = " ".join(text[g_start + 1 : end - 1].split())
        name = walk_back(text, len(text[:g_start].rstrip()), rules)
        if name is not None:
            n_start, n_text, owner = name
            if owner is None:
                return n_start, n_text, f"{n_text} ({group})"
            o_start, o_text = owner
            return o_start, o_text, f"{n_text} ({group})"
        legal = find_legal_references(group, rules.legal)
        if legal and legal[0].start == 0 and legal[0].end == len(group):
            return g_start, None, group
        return None
    for lm in find_legal_references(text[max(0, end - 200) : end], rules.legal):
        if lm.end == min(end, 200):  # "Law No. 20.507 (2011)"
            return end - (lm.end - lm.start), None, lm.raw
    name = walk_back(text, end, rules)
    if name is None:
        return None
    n_start, n_text, owner = name
    if owner is None:
        return n_start, n_text, n_text
    o_start, o_text = owner
    return o_start, o_text, n_text


def implicit_source(text: str, rules: CitationRules) -> str | None:
    """The organisation an undated pointer names ("See the National Migration
    Service's page on ...", "Municipality of Santiago de Chile, Acciones
    municipales ...") -- what a following footnote's "Ibid." repeats when the
    note holds no formal citation. None when no pattern names one."""
    for pat in rules.implicit:
        m = pat.search(text.strip())
        if not m:
            continue
        words = m.group("author").split()
        while words and words[0].casefold() in rules.leading:
            words = words[1:]
        first = next((ch for ch in words[0] if ch.isalnum()), "") if words else ""
        if first.isalpha() and first.isupper() and words[0].casefold() not in rules.connectors and name_like(words, rules):
            return " ".join(words)
    return None


# --------------------------------------------------------------------------
# spaCy component
# --------------------------------------------------------------------------


class CitationComponent(SpanComponent):
    """spaCy component: citations into ``doc.spans[SPAN_KEY]``."""

    factory = "mgi_citations"
    span_key = SPAN_KEY
    prefix = "cite_"
    fields = ("style", "author", "year", "suffix", "title", "date", "link")

    def __init__(self, nlp: Language, name: str, config_dir: str = ""):
        self.name = name
        self.rules = rules_for(nlp.lang, config_dir)

    def match(self, doc: Doc) -> list[CitationMatch]:
        return find_citations(doc_text(doc), self.rules)


@Language.factory(CitationComponent.factory, default_config={"config_dir": ""})
def make_citations(nlp: Language, name: str, config_dir: str) -> CitationComponent:
    return CitationComponent(nlp, name, config_dir)


def citation_spans(doc: Doc) -> list[Span]:
    return list(doc.spans[SPAN_KEY]) if SPAN_KEY in doc.spans else []
