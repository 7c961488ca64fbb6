"""Extract stage: ``Segmented`` -> ``Extracted`` (statistics, citations,
legal references, KEY SOURCES, footnote links).

``extract(segmented, config)``:

1. links every footnote to the paragraph holding its marker
   (``Paragraph.markers``: number + page; the footnote with that number on
   the marker's page, else on the next page -- numbering may restart in
   annexes) and gives it that paragraph's section;
2. parses the KEY SOURCES section into ``Reference`` rows
   (:mod:`pipeline.extract.references`);
3. runs the language's spaCy pipeline (:func:`pipeline.extract.nlp.make_nlp`) over
   every paragraph and footnote text, in reading order: each paragraph
   followed by the footnotes whose markers it holds;
4. builds ``Statistic`` (not in ``extract.skip_section_kinds_for_facts``),
   ``Citation`` (not in ``extract.skip_section_kinds_for_citations``,
   default front_matter, contents, key_sources) and ``LegalReference`` rows
   (not in ``extract.skip_section_kinds_for_legal``, default front_matter,
   contents: a law listed in KEY SOURCES is a mention too) with ids ``<doc_id>:st<n>``, ``:c<n>``, ``:l<n>``,
   ``:r<n>`` numbered in reading order; ``page`` is the page of the first
   character (``Paragraph.page_breaks``), offsets are into the text;
5. resolves ibid citations and links citations to references.

Ibid: a body "(ibid.)" repeats the previous body citation (same paragraph or
an earlier one). A footnote's "Ibid." repeats the previous footnote (CONTRACT
/ gold): an earlier citation of the same note, else the nearest earlier note
of the same section naming a source -- its last citation, or the organisation
it points to without a year ("See the National Migration Service's page on
..." -> author National Migration Service, year null, no reference; patterns
in ``configs/citations/<lang>.yaml``) -- else author/year null. Author, year,
suffix, title, date and reference are copied from the citation repeated
(:mod:`pipeline.extract.ibid`).

Citation -> reference: a citation whose author names a KEY SOURCES heading
(the whole heading, the name before its parenthesis, the name inside it, or
its acronym; compared casefolded, without accents and punctuation) links to
that author's entry of the same year and suffix, or to the only entry of
that year when the citation has no suffix. Otherwise a citation carrying a
title (narrative "title (year)", quoted title, legal instrument) links to
the entry whose title or translation it names (same legal instrument and
number at the start of the title, equal text, or one containing the other),
preferring the same year; its author becomes that entry's heading (and a
name printed before the year that is not that heading was the work's title:
it fills ``title``). Else ``reference_id`` is null.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from pipeline.config import Config
from pipeline.datamodel import (
    Citation,
    Extracted,
    Footnote,
    LegalReference,
    Paragraph,
    Reference,
    Section,
    Segmented,
    Statistic,
)
from pipeline.extract.component import docs_of
from pipeline.extract.citation_forms import is_acronym
from pipeline.extract.ibid import resolve_ibid
from pipeline.extract.nlp import make_nlp, pipeline_language
from pipeline.extract.statistics import span_record, statistic_spans

DEFAULT_SKIP_CITATIONS = ("front_matter", "contents", "key_sources")
# Legal references are mentions of instruments wherever printed: the KEY
# SOURCES entries ("Ley No. 21.325, Ley de migración ...") count too
# (CONTRACT.md: one row per mention; the hand-labelled gold does the same).
DEFAULT_SKIP_LEGAL = ("front_matter", "contents")
_STAT_KINDS = {"percent", "count", "money", "other"}
_QUALIFIERS = {"approximately", "more_than", "less_than", "at_least", "up_to"}
_STYLES = {"parenthetical", "narrative", "ibid"}


# --------------------------------------------------------------------------
# reading stream
# --------------------------------------------------------------------------


@dataclass
class Item:
    """One text the pipeline reads: a paragraph or a footnote."""

    text: str
    section_id: str | None
    kinds: frozenset[str]
    paragraph: Paragraph | None = None
    footnote: Footnote | None = None
    # where a footnote is read: (paragraph index, marker offset, 1, footnote index);
    # a paragraph: (paragraph index, 0, 0, 0). Orders ibid resolution.
    anchor: tuple = (0, 0, 0, 0)

    def position(self, start: int) -> tuple:
        """Reading position of a character: footnotes at their marker."""
        if self.footnote is None:
            return (self.anchor[0], start, 0, 0, 0)
        return (*self.anchor, start)

    def page_at(self, offset: int) -> int:
        if self.footnote is not None:
            return self.footnote.page
        page = self.paragraph.page_start
        for pb in sorted(self.paragraph.page_breaks, key=lambda b: b.offset):
            if offset >= pb.offset:
                page = pb.page
        return page


def section_kinds(sections: Iterable[Section]) -> dict[str, frozenset[str]]:
    """section_id -> kinds of the section and all its ancestors."""
    by_id = {s.section_id: s for s in sections}
    out: dict[str, frozenset[str]] = {}
    for sid in by_id:
        kinds: set[str] = set()
        cur, seen = by_id.get(sid), set()
        while cur is not None and cur.section_id not in seen:
            seen.add(cur.section_id)
            kinds.add(cur.kind)
            cur = by_id.get(cur.parent_id) if cur.parent_id else None
        out[sid] = frozenset(kinds)
    return out


def link_footnotes(paragraphs: list[Paragraph], footnotes: Iterable[Footnote]) -> tuple[list[Footnote], list[str]]:
    """Footnotes with ``paragraph_id``/``section_id`` of the paragraph holding
    their marker (marker page first, then the next page)."""
    notes = list(footnotes)
    index: dict[tuple[int, int], list[int]] = {}
    for i, fn in enumerate(notes):
        if fn.number is not None:
            index.setdefault((fn.page, fn.number), []).append(i)
    linked: dict[int, Paragraph] = {}
    warnings: list[str] = []
    for para in paragraphs:
        for marker in sorted(para.markers, key=lambda m: m.offset):
            hit = None
            for page in (marker.page, marker.page + 1):
                hit = next((i for i in index.get((page, marker.number), []) if i not in linked), None)
                if hit is not None:
                    break
            if hit is None:
                warnings.append(f"footnote marker {marker.number} on page {marker.page} has no footnote")
                continue
            linked[hit] = para
    out = []
    for i, fn in enumerate(notes):
        para = linked.get(i)
        if para is not None:
            fn = fn.model_copy(update={"paragraph_id": para.paragraph_id, "section_id": para.section_id})
        out.append(fn)
    return out, warnings


def reading_stream(
    paragraphs: list[Paragraph], footnotes: list[Footnote], kinds: dict[str, frozenset[str]]
) -> list[Item]:
    """Paragraphs in order, each followed by the footnotes its markers call;
    unlinked footnotes after the last paragraph starting on or before their page."""
    pos = {p.paragraph_id: i for i, p in enumerate(paragraphs)}
    keyed: list[tuple[tuple, Item]] = []
    for i, p in enumerate(paragraphs):
        item = Item(p.text, p.section_id, kinds.get(p.section_id or "", frozenset()), paragraph=p, anchor=(i, 0, 0, 0))
        keyed.append(((i, 0, 0, 0), item))
    for j, fn in enumerate(footnotes):
        if fn.paragraph_id in pos:
            i = pos[fn.paragraph_id]
            offset = next((m.offset for m in paragraphs[i].markers if m.number == fn.number), 0)
            key = (i, 1, offset, j)
            anchor = (i, offset, 1, j)
        else:
            before = [i for i, p in enumerate(paragraphs) if p.page_start <= fn.page]
            key = (before[-1] if before else -1, 2, fn.page, fn.number or 0, j)
            anchor = (key[0], 10**9 + fn.page, 2, j)
        item = Item(fn.text, fn.section_id, kinds.get(fn.section_id or "", frozenset()), footnote=fn, anchor=anchor)
        keyed.append((key, item))
    keyed.sort(key=lambda k: k[0])
    return [item for _, item in keyed]


# --------------------------------------------------------------------------
# citation -> reference
# --------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def normalise(text: str | None, articles: tuple[str, ...] = ()) -> str:
    """Casefold, strip accents, join hyphenated words, punctuation to
    spaces, drop one leading article of ``articles`` (as normalised; the
    references wording's ``title_leading_articles``). Memoised: titles are
    compared again for every citation looked up by title."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = re.sub(r"[\-\u00ad\u2010\u2011]", "", plain)  # "San-tiago", "Multi-Partner": hyphens joined
    plain = re.sub(r"[^\w]+", " ", plain).strip()
    for article in articles:
        if plain.startswith(article + " "):
            return plain[len(article) + 1:]
    return plain


class ReferenceIndex:
    """Look KEY SOURCES entries up by author (+ year, suffix) or by title."""

    def __init__(self, references: list[Reference], legal_rules: Any, articles: Iterable[str] = ()):
        from pipeline.extract.references import heading_names

        self.references = references
        self.legal_rules = legal_rules
        # leading articles dropped from names and titles, normalised as they are
        self.articles = tuple(a for a in (normalise(str(x)) for x in articles) if a)
        self.by_author: dict[str, list[Reference]] = {}
        for ref in references:
            if not ref.author:
                continue
            for name in heading_names(ref.author):
                key = self.key(name)
                if key:
                    group = self.by_author.setdefault(key, [])
                    if ref not in group:
                        group.append(ref)
        self._legal_head = {ref.reference_id: self._first_legal(ref.title) for ref in references}

    def _first_legal(self, text: str | None) -> tuple[str, str] | None:
        if not text or self.legal_rules is None:
            return None
        from pipeline.extract.legal import find_legal_references

        found = find_legal_references(text, self.legal_rules)
        if found and found[0].start <= 2:
            return (found[0].instrument, found[0].number)
        return None

    def key(self, text: str | None) -> str:
        """``text`` as names and titles are compared (``normalise``)."""
        return normalise(text, self.articles)

    def knows_author(self, author: str | None) -> bool:
        return self.key(author) in self.by_author

    def by_author_year(self, author: str | None, year: int | None, suffix: str | None) -> Reference | None:
        entries = self.by_author.get(self.key(author), [])
        exact = [r for r in entries if r.year == year and (r.year_suffix or None) == (suffix or None)]
        if year is None:
            return exact[0] if len(exact) == 1 else None
        if exact:
            return exact[0]
        if suffix is None:
            same_year = [r for r in entries if r.year == year]
            if len(same_year) == 1:
                return same_year[0]
        return None

    def by_title(self, names: list[str], year: int | None, suffix: str | None) -> Reference | None:
        keys = [self.key(n) for n in names if n]
        legal = []
        if self.legal_rules is not None:
            from pipeline.extract.legal import find_legal_references

            for n in names:
                legal += [(m.instrument, m.number) for m in find_legal_references(n or "", self.legal_rules)]
        best: tuple[float, int] | None = None
        best_ref = None
        for order, ref in enumerate(self.references):
            score = 0.0
            ref_keys = [k for k in (self.key(ref.title), self.key(ref.translation)) if k]
            for key in keys:
                for rk in ref_keys:
                    if key == rk:
                        score = max(score, 3.0)
                    elif _contains(key, rk) or _contains(rk, key):
                        score = max(score, 1.0)
            head = self._legal_head.get(ref.reference_id)
            if head is not None and head in legal:
                score = max(score, 2.0)
            if score == 0:
                continue
            if year is not None and ref.year == year:
                score += 0.5 + (0.25 if (ref.year_suffix or None) == (suffix or None) else 0)
            if best is None or score > best[0]:
                best, best_ref = (score, order), ref
        return best_ref


def _contains(outer: str, inner: str) -> bool:
    """``inner`` (two words or more, 10+ chars) stands in ``outer`` on word boundaries."""
    if len(inner) < 10 or len(inner.split()) < 2:
        return False
    return f" {inner} " in f" {outer} "


# --------------------------------------------------------------------------
# the stage
# --------------------------------------------------------------------------


@dataclass
class _Draft:
    item: Item
    style: str
    raw: str
    author: str | None
    year: int | None
    suffix: str | None
    title: str | None  # printed title of the work (column ``title``)
    start: int
    end: int
    reference_id: str | None = None
    date: str | None = None
    link: str | None = None  # the name to look KEY SOURCES titles up by, when not the title


def _language(segmented: Segmented, config: Config) -> str:
    return pipeline_language(segmented.document.language, config)


def extract(segmented: Segmented, config: Config) -> Extracted:
    """Statistics, citations, legal references and references of one document."""
    from pipeline.extract.citations import implicit_source
    from pipeline.extract.geometry import Placer
    from pipeline.extract.citations import rules_for as citation_rules_for
    from pipeline.extract.legal import rules_for as legal_rules_for
    from pipeline.extract.references import build_rules as reference_rules
    from pipeline.extract.references import parse_references

    document = segmented.document
    doc_id = document.doc_id
    lang = _language(segmented, config)
    settings = config.section("extract")
    skip_facts = frozenset(settings.get("skip_section_kinds_for_facts", ["front_matter", "contents", "key_sources"]))
    skip_cites = frozenset(settings.get("skip_section_kinds_for_citations", DEFAULT_SKIP_CITATIONS))
    skip_legal = frozenset(settings.get("skip_section_kinds_for_legal", DEFAULT_SKIP_LEGAL))
    warnings: list[str] = []

    kinds = section_kinds(segmented.sections)
    paragraphs = sorted(segmented.paragraphs, key=lambda p: p.order)
    footnotes, link_warnings = link_footnotes(paragraphs, segmented.footnotes)
    warnings += link_warnings

    source_paras = [p for p in paragraphs if "key_sources" in kinds.get(p.section_id or "", frozenset())]
    if not source_paras:
        source_paras = [p for p in paragraphs if p.kind in ("source_author", "source_entry")]
    ref_rules = reference_rules(config.wording("references", lang))
    references = parse_references(source_paras, doc_id, ref_rules)
    if any(not r.author for r in references):
        warnings.append("KEY SOURCES: entries before the first author heading have no author")

    nlp = make_nlp(lang, config)
    stream = reading_stream(paragraphs, footnotes, kinds)
    stream = [it for it in stream if it.text.strip()]

    statistics: list[Statistic] = []
    drafts: list[_Draft] = []
    legal_refs: list[LegalReference] = []
    for item, sdoc in zip(stream, nlp.pipe(docs_of(nlp, [it.text for it in stream]))):
        in_sources = item.paragraph is not None and item.paragraph.kind in ("source_author", "source_entry")
        if not (item.kinds & skip_legal):
            limit = _translation_start(item.text, ref_rules) if "key_sources" in item.kinds else None
            legal_refs += _legal(item, sdoc, doc_id, len(legal_refs), limit)
        if in_sources:
            continue
        if not (item.kinds & skip_facts):
            statistics += _statistics(item, sdoc, doc_id, len(statistics))
        if not (item.kinds & skip_cites):
            drafts += _citation_drafts(item, sdoc)

    index = ReferenceIndex(references, legal_rules_for(lang, str(config.config_dir)),
                           config.union_list("references", "title_leading_articles"))
    _link_references(drafts, index)
    notes_read = sorted((it for it in stream if it.footnote is not None), key=lambda it: it.anchor)
    cite_rules = citation_rules_for(lang, str(config.config_dir))
    resolve_ibid(drafts, [it.footnote for it in notes_read], lambda text: implicit_source(text, cite_rules))
    citations = [_citation_row(d, doc_id, n) for n, d in enumerate(drafts, start=1)]
    placer = Placer(segmented, footnotes)
    statistics, citations, legal_refs = ([placer.place(r) for r in rows] for rows in (statistics, citations, legal_refs))
    references = [placer.place_reference(r, source_paras) for r in references]

    return Extracted(
        document=document,
        footnotes=tuple(footnotes),
        statistics=tuple(statistics),
        citations=tuple(citations),
        legal_references=tuple(legal_refs),
        references=tuple(references),
        warnings=tuple(warnings),
    )


def _ids(item: Item) -> tuple[str | None, str | None]:
    if item.footnote is not None:
        return None, item.footnote.footnote_id
    return item.paragraph.paragraph_id, None


_TERMINATOR = re.compile(r"[.!?:;]")


def _statistics(item: Item, sdoc, doc_id: str, count: int) -> list[Statistic]:
    out = []
    paragraph_id, footnote_id = _ids(item)
    if item.paragraph is not None and item.paragraph.kind == "body" and len(item.text.split()) >= 12 \
            and not _TERMINATOR.search(item.text):
        return out  # table cells read as one block: no sentence, no statistic
    for span in statistic_spans(sdoc):
        rec = span_record(span)
        if rec.get("kind") not in _STAT_KINDS or rec.get("value") is None:
            continue
        start = rec.get("char_start")
        start = span.start_char if start is None else int(start)
        end = rec.get("char_end")
        end = span.end_char if end is None else int(end)
        qualifier = rec.get("qualifier")
        out.append(
            Statistic(
                doc_id=doc_id,
                stat_id=f"{doc_id}:st{count + len(out) + 1}",
                paragraph_id=paragraph_id,
                footnote_id=footnote_id,
                section_id=item.section_id,
                page=item.page_at(start),
                kind=rec["kind"],
                raw=rec.get("raw") or item.text[start:end],
                value=float(rec["value"]),
                unit=rec.get("unit"),
                qualifier=qualifier if qualifier in _QUALIFIERS else None,
                subject=rec.get("subject"),
                sentence=rec.get("sentence") or _sentence(span, item.text),
                char_start=start,
                char_end=end,
                value_high=rec.get("value_high"),
            )
        )
    return out


def _sentence(span, text: str) -> str:
    try:
        return span.sent.text
    except ValueError:
        return text


def _translation_start(text: str, ref_rules) -> int | None:
    """Where the English translation of a KEY SOURCES entry starts: the
    instruments it names repeat the entry's own ("(Decree ... Repealing
    Decree No. 155 of 1977 ...)" after "deroga Decreto No. 155 de 1977")."""
    from pipeline.extract.references import parse_entry

    translation = parse_entry(text, ref_rules).translation
    if not translation:
        return None
    pattern = r"\(\s*" + r"\s+".join(re.escape(w) for w in translation.split()) + r"\s*\)"
    found = list(re.finditer(pattern, text))
    return found[-1].start() if found else None


def _legal(item: Item, sdoc, doc_id: str, count: int, limit: int | None = None) -> list[LegalReference]:
    out = []
    paragraph_id, footnote_id = _ids(item)
    for span in _spans(sdoc, "mgi_legal_references"):
        if limit is not None and span.start_char >= limit:
            continue
        out.append(
            LegalReference(
                doc_id=doc_id,
                legal_id=f"{doc_id}:l{count + len(out) + 1}",
                paragraph_id=paragraph_id,
                footnote_id=footnote_id,
                section_id=item.section_id,
                page=item.page_at(span.start_char),
                instrument=span._.legal_instrument,
                number=span._.legal_number,
                year=span._.legal_year,
                raw=span.text,
                char_start=span.start_char,
                char_end=span.end_char,
            )
        )
    return out


def _citation_drafts(item: Item, sdoc) -> list[_Draft]:
    out = []
    for span in _spans(sdoc, "mgi_citations"):
        style = span._.cite_style
        if style not in _STYLES:
            continue
        out.append(
            _Draft(
                item=item,
                style=style,
                raw=span.text,
                author=span._.cite_author,
                year=span._.cite_year,
                suffix=span._.cite_suffix,
                title=span._.cite_title,
                start=span.start_char,
                end=span.end_char,
                date=span._.cite_date,
                link=span._.cite_link,
            )
        )
    return out


def _spans(sdoc, key: str) -> list:
    try:
        group = sdoc.spans[key]
    except KeyError:
        return []
    return sorted(group, key=lambda s: (s.start_char, s.end_char))


def _link_references(drafts: list[_Draft], index: ReferenceIndex) -> None:
    for d in drafts:
        if d.style == "ibid":
            continue
        if d.author and index.knows_author(d.author):
            ref = index.by_author_year(d.author, d.year, d.suffix)
            d.reference_id = ref.reference_id if ref else None
            continue
        if d.link or d.title or d.author:
            names = [n for n in (d.link or d.title, d.author) if n]
            ref = index.by_title(names, d.year, d.suffix)
            if ref is not None:
                d.reference_id = ref.reference_id
                if d.title is None and d.author and not is_acronym(d.author) and index.key(d.author) != index.key(ref.author):
                    d.title = d.author  # the name printed before the year was the work's title
                d.author = ref.author or d.author


def _citation_row(d: _Draft, doc_id: str, n: int) -> Citation:
    paragraph_id, footnote_id = _ids(d.item)
    return Citation(
        doc_id=doc_id,
        citation_id=f"{doc_id}:c{n}",
        paragraph_id=paragraph_id,
        footnote_id=footnote_id,
        section_id=d.item.section_id,
        page=d.item.page_at(d.start),
        style=d.style,
        raw=d.raw,
        author=d.author,
        year=d.year,
        year_suffix=d.suffix,
        reference_id=d.reference_id,
        char_start=d.start,
        char_end=d.end,
        title=d.title,
        date=d.date,
    )
