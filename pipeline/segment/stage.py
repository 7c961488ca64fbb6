"""Segment: page layout -> MGI section tree, paragraphs, footnotes, metadata.

Headings are found from typography (the parse stage's ``heading`` role, or a
short unpunctuated body block that is bold, larger than the body text or in
capitals), consecutive heading blocks are joined when the joined wording fits
better, and each heading is named by ``pipeline.segment.headings.classify`` (fuzzy
phrase matching against the wording in ``configs/headings/<lang>.yaml``, all
configured languages at once, then per-dimension key-word sets):

* the parts (contents, objectives, introduction, context, key findings,
  COVID-19, key sources, annexes),
* the six MiGOF dimensions in their local, national and translated editions,
* "Examples of well-developed areas" / "Areas with potential for further
  development".

A dimension heading opens a ``dimension`` section only when the next named
heading after it is a well-developed / further-development part (or numbered
"d.x"); the short names on the KEY FINDINGS overview pages ("MIGRANTS' RIGHTS
PAGE 17") stay ``subsection`` s. A heading whose wording is unknown becomes a
``subsection`` of the current part and is reported in ``warnings``. The
contents page ("CONTEXT // 10", "CONTEXTO . . . 5") is cross-checked against
the parts found (``pipeline.segment.contents``). A KEY FINDINGS summary holds as many
paragraphs as its sibling summaries; a paragraph after the last one is the
part's own text again.

Body blocks become paragraphs, joined across column and page breaks when the
first does not end a sentence; lists give one paragraph per item; in KEY
SOURCES author headings and entries are told apart.

The units (blocks and headings) are made in ``pipeline.segment.units``,
paragraphs and list items in ``pipeline.segment.paragraphs``, the KEY SOURCES
lines in ``pipeline.segment.key_sources``, the metadata in
``pipeline.segment.metadata``; this module builds the section tree.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.config import Config
from pipeline.datamodel import Footnote, Layout, Paragraph, Section, Segmented
from pipeline.segment.contents import cross_check, strip_leaders, toc_entries
from pipeline.segment.headings import MATCH_THRESHOLD, SUB_KINDS, Match, Wording, classify
from pipeline.segment.key_sources import add_source_line, recut_sources
from pipeline.segment.metadata import document_record, extract_metadata
from pipeline.segment.flow import measure
from pipeline.segment.geometry import locate
from pipeline.segment.paragraphs import Para, append_piece, continues, flows_on, pieces
from pipeline.text.normalize import Lexicon
from pipeline.segment.units import Unit, body_size, clean, decide_dimensions, font_family, join_headings, layout_units, page_pointers

__all__ = ["MATCH_THRESHOLD", "NO_DIMENSIONS", "Match", "Wording", "classify", "segment"]

NO_DIMENSIONS = "no MiGOF dimensions found (not an MGI profile?)"
PART_KINDS = ("contents", "objectives", "introduction", "context", "key_findings", "covid19", "key_sources", "annex")


# --------------------------------------------------------------------------
# footnotes
# --------------------------------------------------------------------------

NOTE_RE = re.compile(r"^\s*(\d{1,3})\s+(\S.*)$", re.S)


def _footnotes(layout: Layout, doc_id: str, section_of_marker: dict, section_of_page: dict) -> list[Footnote]:
    notes: list[dict] = []
    for page in layout.pages:
        found = [(n.number, n.text, n.bbox) for n in page.footnotes]
        if not found:  # parse gave note blocks only
            for b in page.blocks:
                if b.role == "footnote":
                    m = NOTE_RE.match(b.text)
                    found.append((int(m.group(1)), m.group(2), b.bbox) if m else (None, b.text, b.bbox))
        for number, text, bbox in found:
            text = clean(text)
            if number is None and notes and page.number - notes[-1]["last_page"] <= 1:
                # a note continued on the next page (never from further back:
                # small unnumbered text pages later is no continuation)
                prev = notes[-1]
                if prev["text"].endswith("-") and text[:1].islower():
                    prev["text"] = prev["text"][:-1] + text
                else:
                    prev["text"] = f"{prev['text']} {text}".strip()
                prev["last_page"] = page.number
                continue
            notes.append({"number": number, "page": page.number, "last_page": page.number, "text": text, "bbox": bbox})
    out, seen = [], Counter()
    for n in notes:
        key = f"{n['page']}-{n['number'] if n['number'] is not None else 'c'}"
        seen[key] += 1
        if seen[key] > 1:
            key += f"-{seen[key]}"
        section = section_of_marker.get((n["page"], n["number"])) or section_of_page.get(n["page"])
        out.append(Footnote(doc_id=doc_id, footnote_id=f"{doc_id}:f{key}", number=n["number"], page=n["page"],
                            text=n["text"], section_id=section, bbox=n["bbox"], page_end=n["last_page"]))
    return out


# --------------------------------------------------------------------------
# the stage
# --------------------------------------------------------------------------


@dataclass
class Sec:
    kind: str
    dimension: int | None
    heading: str
    page: int
    bbox: tuple | None
    parent: int | None
    level: int
    overview: bool = False  # a KEY FINDINGS dimension summary ("MIGRANTS' RIGHTS PAGE 12")


def segment(layout: Layout, config: Config) -> Segmented:
    """Sections, paragraphs, footnotes and the document row of one layout."""
    wording = Wording.load(config)
    lexicon = Lexicon.shared((ln.text for page in layout.pages for b in page.blocks for ln in b.lines),
                         config.union_pattern("parse", "hyphen_prefix"), config.union_list("parse", "hyphenation_patterns"))
    warnings: list[str] = []
    units = page_pointers(join_headings(layout_units(layout, body_size(layout)), wording), wording)
    for u in units:
        if u.heading:
            u.match = classify(u.text, wording)
    units = [u for u in units if u.role != "caption" or (u.match and u.match.kind not in (None, "ignore"))]
    toc_idx, entries = toc_entries(units, wording)
    for i in toc_idx:
        units[i].heading, units[i].match, units[i].toc = False, None, True
    decide_dimensions(units)
    cross_check(layout, units, entries, wording, warnings)
    units = recut_sources(units, wording)
    flow = measure(layout)

    secs: list[Sec] = []
    paras: list[Para] = []
    structured = any(u.heading and u.match and u.match.kind not in (None, "ignore") for u in units)
    part = dim = sub = cur = None  # indices into secs
    part_paras = 0  # paragraphs made before the current part opened
    stack: list[tuple[int, float, int]] = []  # open subsections (index, heading size, step number or 0)
    texts_at: dict[int, int] = {}  # paragraphs made when each section opened

    def open_section(kind, dimension, heading, u, parent):
        level = secs[parent].level + 1 if parent is not None else 1
        secs.append(Sec(kind, dimension, clean(heading), u.page, u.bbox, parent, level))
        return len(secs) - 1

    front_title: set[int] = set()
    top_size = max((u.size for u in units if u.page == units[0].page), default=0.0)
    for i, u in enumerate(units):  # the cover title: the leading, largest headings of the first page
        if not u.heading or u.page != units[0].page or (u.match and u.match.kind not in (None, "ignore")):
            break
        if u.size < 0.8 * top_size:
            break
        if front_title and (u.bold != units[min(front_title)].bold
                            or font_family(u.blocks[0].font) != font_family(units[min(front_title)].blocks[0].font)):
            break  # a subtitle set in another weight ("REPUBLIC OF CHILE" under the bold title)
        front_title.add(i)
    if front_title:
        first = units[0]
        cur = open_section("front_matter", None, " ".join(units[i].text for i in sorted(front_title)), first, None)

    for i, u in enumerate(units):
        if i in front_title:
            continue
        m = u.match if u.heading else None
        kind = m.kind if m else None
        if m and kind == "ignore":
            continue
        if (m is not None and kind in PART_KINDS and part is not None and secs[part].kind == kind and dim is None
                and len(paras) == part_paras):
            kind = None  # "PREPAREDNESS ... (COVID-19)" right under "COVID-19 ANALYSIS"
            u.known = True
        as_text = kind is None and (
            (part is None and structured)  # cover and front matter
            or (part is not None and secs[part].kind == "key_sources")  # author headings
        )
        if m is not None and not as_text:
            if kind is not None:
                stack.clear()
            if kind in PART_KINDS:
                part = cur = open_section(kind, None, u.text, u, None)
                part_paras = len(paras)
                dim = sub = None
            elif kind == "dimension":  # a top-level part of its own, like KEY FINDINGS before it
                part = dim = cur = open_section("dimension", m.dimension, u.text, u, None)
                sub = None
            elif kind in SUB_KINDS:
                d = secs[dim].dimension if dim is not None else (m.numbers[0] if m.numbers and 1 <= m.numbers[0] <= 6 else None)
                if dim is not None and m.numbers and m.numbers[0] != d:
                    warnings.append(f"p{u.page}: {u.text!r} numbered for dimension {m.numbers[0]} but found under dimension {d}")
                parent = dim if dim is not None else part
                sub = cur = open_section(kind, d, u.text, u, parent)
            else:
                parent = sub if sub is not None else part
                if parent is not None and secs[parent].kind == "contents":
                    parent = None
                # nest under an open sub-heading set larger ("The MGI process" > "1 Launch of ...")
                step = _step(u.text, stack)
                while stack and stack[-1][2]:
                    stack.pop()  # the step before this one ("1 Launch ..." before "2 Data collection ...")
                if step == 1 and stack and texts_at.get(stack[-1][0]) == len(paras):
                    pass  # "The MGI process" right above "1 Launch of ...": the steps go under it, whatever their size
                elif step <= 1:
                    while stack and stack[-1][1] <= u.size + 0.3:
                        stack.pop()
                if stack:
                    parent = stack[-1][0]
                d = secs[parent].dimension if parent is not None else None
                label = wording.page_label_text.search(u.text) if m.overview else None
                heading = u.text[: label.start()] if label else u.text
                cur = open_section("subsection", d, STEP_RE.sub("", heading, count=1) if step else heading, u, parent)
                secs[cur].overview = bool(m.overview)
                texts_at[cur] = len(paras)
                stack.append((cur, u.size, step))
                if not u.known:
                    warnings.append(f"p{u.page}: unknown heading kept as subsection: {clean(u.text)[:80]!r}")
            continue
        # body text (or an unnamed heading kept as text)
        if cur is None:
            cur = open_section("front_matter", None, _front_heading(u), u, None)
        last = paras[-1] if paras and paras[-1].section == cur else None
        if secs[cur].kind == "key_sources":
            add_source_line(paras, last, cur, u, wording)
            continue
        for piece in pieces(u, wording, flow):
            if secs[cur].kind == "contents" and not piece.markers:
                piece.text = strip_leaders(piece.text)
            if (last is not None and piece.dashed and last.kind == "body" and secs[cur].kind != "contents"
                    and continues(last.text, piece.dashed[0], wording.abbreviations)):
                # "... through the Migrant Office, which" / (figure, pull quote) / "– like other offices – ..."
                piece.text, piece.markers = piece.dashed
                append_piece(last, piece, lexicon)
                continue
            if (last is not None and not piece.new_item and last.kind in ("body", "list_item")
                    and secs[cur].kind != "contents" and (continues(last.text, piece.text, wording.abbreviations)
                                                          or flows_on(last, piece))):
                append_piece(last, piece, lexicon)
                continue
            if _summary_full(secs, paras, cur):
                cur = secs[cur].parent  # the part's own text after its last dimension summary
                stack.clear()
            last = Para(cur, piece.kind, piece.text, piece.page, piece.page, piece.bbox, piece.bold, list(piece.markers),
                        tail=piece.tail, open_end=piece.open_end, slack=piece.slack)
            paras.append(last)

    if not secs:  # an empty layout still gets one section
        secs.append(Sec("front_matter", None, "", 1, None, None, 1))
    return _assemble(layout, config, secs, paras, warnings)


STEP_RE = re.compile(r"^\s*(\d{1,2})\s+(?=[^\W\d_])")  # "1 Launch of ..." (no full stop: not "1.1.")


def _step(text: str, stack: list[tuple[int, float, int]]) -> int:
    """The step number of a heading numbered "1 ...", "2 ..." (a sequence of
    steps under one heading; the printed number is not part of the heading),
    0 when it is not one: "n ..." counts only when step n - 1 is open."""
    m = STEP_RE.match(text)
    if not m:
        return 0
    n = int(m.group(1))
    if n == 1 or (stack and stack[-1][2] == n - 1):
        return n
    return 0


def _summary_full(secs: list[Sec], paras: list[Para], cur: int | None) -> bool:
    """Does a new paragraph after the dimension summary ``cur`` belong to the
    part instead? The summaries under a "NAME PAGE n" pointer are alike: when
    the earlier summaries of the part hold at most k paragraphs each and
    ``cur`` already holds k, what follows is the part's own text again ("The
    following sections present ..." after the six summaries)."""
    if cur is None or not secs[cur].overview or secs[cur].parent is None:
        return False
    held = Counter(p.section for p in paras)
    siblings = [i for i, s in enumerate(secs[:cur]) if s.overview and s.parent == secs[cur].parent]
    if not siblings or any(held[i] == 0 for i in siblings):
        return False
    return held[cur] >= max(held[i] for i in siblings)


def _front_heading(u: Unit) -> str:
    text = clean(u.text)
    return text if len(text) <= 120 else text[:117].rsplit(" ", 1)[0] + "…"


def _assemble(layout: Layout, config: Config, secs: list[Sec], paras: list[Para], warnings: list[str]) -> Segmented:
    doc_id = layout.doc_id
    sid = [f"{doc_id}:s{i + 1}" for i in range(len(secs))]
    # every section's subtree (sections are in document order, children after parents)
    ancestors: list[list[int]] = []
    for i, s in enumerate(secs):
        chain, p = [i], s.parent
        while p is not None:
            chain.append(p)
            p = secs[p].parent
        ancestors.append(chain)
    texts: list[list[str]] = [[] for _ in secs]
    page_end = [s.page for s in secs]
    for p in paras:
        for a in ancestors[p.section]:
            texts[a].append(p.text)
            page_end[a] = max(page_end[a], p.page_end)
    for i in range(len(secs) - 1, -1, -1):  # a child's heading page counts for its parent
        if secs[i].parent is not None:
            page_end[secs[i].parent] = max(page_end[secs[i].parent], page_end[i])
    sections = tuple(
        Section(doc_id=doc_id, section_id=sid[i], parent_id=sid[s.parent] if s.parent is not None else None, kind=s.kind,
                dimension=s.dimension, heading=s.heading, page_start=s.page, page_end=page_end[i], order=i + 1,
                text="\n\n".join(texts[i]), level=s.level, bbox=s.bbox)
        for i, s in enumerate(secs)
    )
    paragraphs = tuple(
        Paragraph(doc_id=doc_id, paragraph_id=f"{doc_id}:p{k + 1}", section_id=sid[p.section], order=k + 1,
                  page_start=p.page_start, page_end=p.page_end, text=p.text, kind=p.kind, bold=p.bold, bbox=p.bbox,
                  markers=tuple(p.markers), page_breaks=tuple(p.breaks))
        for k, p in enumerate(paras)
    )
    section_of_marker = {}
    for para in paragraphs:
        for m in para.markers:
            section_of_marker.setdefault((m.page, m.number), para.section_id)
    section_of_page: dict[int, str] = {}
    for para in paragraphs:
        for page in range(para.page_start, para.page_end + 1):
            section_of_page[page] = para.section_id
    footnotes = _footnotes(layout, doc_id, section_of_marker, section_of_page)

    meta = extract_metadata(layout, config, "\n".join(p.text for p in paragraphs))
    error = None if any(s.kind == "dimension" for s in sections) else NO_DIMENSIONS
    return Segmented(
        document=document_record(layout, config, meta, error),
        sections=sections,
        paragraphs=paragraphs,
        footnotes=tuple(footnotes),
        warnings=tuple(warnings),
        geometry=locate(layout, paragraphs, footnotes),
    )
