"""Segment: page layout -> MGI section tree, paragraphs, footnotes, metadata.

Headings are found from typography (the parse stage's ``heading`` role, or a
short unpunctuated body block that is bold, larger than the body text or in
capitals), consecutive heading blocks are joined when the joined wording fits
better, and each heading is named by ``pipeline.headings.classify`` (fuzzy
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
the parts found (``pipeline.contents``). A KEY FINDINGS summary holds as many
paragraphs as its sibling summaries; a paragraph after the last one is the
part's own text again.

Body blocks become paragraphs, joined across column and page breaks when the
first does not end a sentence; lists give one paragraph per item; in KEY
SOURCES author headings and entries are told apart.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.config import Config
from pipeline.datamodel import (
    Block,
    Footnote,
    Layout,
    Marker,
    PageBreak,
    Paragraph,
    Section,
    Segmented,
)
from pipeline.segment.contents import cross_check, strip_leaders, toc_entries
from pipeline.segment.headings import MATCH_THRESHOLD, NUMBERING_RE, SUB_KINDS, Match, Wording, classify
from pipeline.segment.metadata import document_record, extract_metadata

__all__ = ["MATCH_THRESHOLD", "NO_DIMENSIONS", "Match", "Wording", "classify", "segment"]

NO_DIMENSIONS = "no MiGOF dimensions found (not an MGI profile?)"
PART_KINDS = ("contents", "objectives", "introduction", "context", "key_findings", "covid19", "key_sources", "annex")

BULLET_RE = re.compile(r"^\s*(?:[•●▪■◦‣∙·○\-–—]|\((?:[ivxlcdm]+|[a-z]|\d{1,2})\)|(?:\d{1,2}|[a-z])[.)])\s+(?=\S)")
SENTENCE_END = tuple('.!?:"”»')
DASHES = "–—"  # a block starting with one is a list item, or a sentence going on around a figure


# --------------------------------------------------------------------------
# units: the blocks that matter, in reading order
# --------------------------------------------------------------------------


@dataclass
class Unit:
    page: int
    column: int
    bbox: tuple[float, float, float, float]
    text: str
    size: float
    bold: bool
    role: str
    markers: list[Marker]
    blocks: list[Block]
    heading: bool = False
    match: Match | None = None
    known: bool = False  # named wording demoted to subsection (no warning)
    toc: bool = False  # an entry of a contents page
    source: str | None = None  # KEY SOURCES line read as "author" by its context
    weight: bool = False  # KEY SOURCES line printed bold (``bold`` also counts heading-like lines)

    @property
    def last_page(self) -> int:
        return self.blocks[-1].page if self.blocks else self.page


def _clean(text: str) -> str:
    return " ".join(text.split())


def _body_size(layout: Layout) -> float:
    sizes: Counter = Counter()
    for page in layout.pages:
        for b in page.blocks:
            if b.role == "body":
                sizes[round(b.size, 1)] += len(b.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _looks_like_heading(block: Block, body_size: float) -> bool:
    """A short, unpunctuated block set apart by weight, size or capitals (or by parse)."""
    text = _clean(block.text)
    length, words = _extent(text)
    if not text or length > 200 or words > 25:
        return False
    first = next((c for c in text if c.isalnum() or c in "(["), "")
    if not first or not (first.isupper() or first.isdigit()):
        return False
    if (BULLET_RE.match(text) and not NUMBERING_RE.match(text)) or sum(c.isalpha() for c in text) < 3:
        return False  # a list item, or a letter of vertical table text
    if text.endswith((":", ",", ";")) or (text.endswith(".") and block.size < body_size * 1.1):
        return False  # a bold lead-in sentence or a stray sentence end
    if block.role == "heading":
        return True
    if block.role not in ("body", "caption") or length > 160 or words > 22:
        return False
    letters = [c for c in text if c.isalpha()]
    caps = len(letters) >= 4 and all(c.isupper() for c in letters)
    numbered = NUMBERING_RE.match(text)
    return block.bold or block.size >= body_size * 1.15 or caps or bool(numbered and numbered.group(2))


def _extent(text: str) -> tuple[int, int]:
    """Length and word count of a text; a letter-spaced one ("F O R M U L A T E
    P O L I C Y") counts its letters, about six a word, not its spaced tokens."""
    tokens = text.split()
    if len(tokens) >= 4 and sum(len(t) == 1 for t in tokens) >= 0.6 * len(tokens):
        letters = len(text.replace(" ", ""))
        return letters, max(1, round(letters / 6))
    return len(text), len(tokens)


def _units(layout: Layout, body_size: float) -> list[Unit]:
    out = []
    for page in layout.pages:
        for b in page.blocks:
            if b.role not in ("body", "heading", "caption") or not b.text.strip():
                continue
            if b.role == "caption" and not _looks_like_heading(b, body_size):
                continue  # a figure caption; a heading in a shaded box may come as a caption
            for part in _split_heading_block(b) if _looks_like_heading(b, body_size) else [b]:
                out.append(Unit(part.page, part.column, part.bbox, part.text.strip(), part.size, part.bold, part.role,
                                list(part.markers), [part], heading=_looks_like_heading(part, body_size)))
    # a heading is never continued by a lower-case sentence: it was a bold lead-in
    for u, nxt in zip(out, out[1:]):
        if u.heading and not nxt.heading and nxt.page == u.page and nxt.text[:1].islower():
            u.heading = False
    return out


def _split_heading_block(b: Block) -> list[Block]:
    """Two headings set as one block ("The MGI process" / "1 Launch of ..."):
    cut where the font family changes or a line starts with a number."""
    lines = [ln for ln in b.lines if ln.text.strip()]
    cuts = [k for k in range(1, len(lines))
            if _family(lines[k].font) != _family(lines[k - 1].font) or NUMBERING_RE.match(lines[k].text)]
    if not cuts:
        return [b]
    parts = []
    for a, z in zip([0, *cuts], [*cuts, len(lines)]):
        group = lines[a:z]
        text = " ".join(ln.text.strip() for ln in group)
        bbox = (min(ln.bbox[0] for ln in group), group[0].bbox[1], max(ln.bbox[2] for ln in group), group[-1].bbox[3])
        parts.append(b.model_copy(update={"text": text, "raw": "\n".join(ln.raw for ln in group), "bbox": bbox,
                                          "font": group[0].font, "size": group[0].size, "bold": group[0].bold,
                                          "markers": tuple(m for ln in group for m in ln.markers) if len(group) == 1 else (),
                                          "lines": tuple(group)}))
    return parts


def _joinable(a: Unit, b: Unit) -> bool:
    if not (a.heading and b.heading) or a.page != b.page or a.bold != b.bold or NUMBERING_RE.match(b.text):
        return False
    if _family(a.blocks[-1].font) != _family(b.blocks[0].font):
        return False
    if abs(a.size - b.size) > 0.1 * max(a.size, b.size):
        return False
    gap = b.bbox[1] - a.bbox[3]
    return -2.0 <= gap <= 1.6 * max(a.size, b.size) or _beside(a, b)


def _beside(a: Unit, b: Unit) -> bool:
    """``b`` goes on ``a``'s last line, to its right (one heading line cut in two blocks)."""
    last = a.blocks[-1].bbox if a.blocks else a.bbox
    return abs(b.bbox[1] - last[1]) <= 0.3 * max(a.size, b.size) and b.bbox[0] >= last[2] - 1


def _family(font: str) -> str:
    """"AAAAAA+DejaVuSerif-Bold" -> "dejavuserif" (subset tag and style dropped)."""
    return re.split(r"[-,]", font.split("+", 1)[-1])[0].lower()


def _join_headings(units: list[Unit], wording: Wording) -> list[Unit]:
    """Join a heading split over consecutive blocks when the join reads better."""
    out: list[Unit] = []
    for k, u in enumerate(units):
        prev = out[-1] if out else None
        if prev is not None and len(prev.blocks) < 4 and len(prev.text) + len(u.text) <= 240 and _joinable(prev, u):
            ma, mb = classify(prev.text, wording), classify(u.text, wording)
            joined = f"{prev.text} {u.text}"
            mab = classify(joined, wording)
            alone = max([m.score for m in (ma, mb) if m.kind] or [0.0])
            if _beside(prev, u):  # side by side: only when the wording asks for it, maybe with the next line
                nxt = units[k + 1] if k + 1 < len(units) else None
                if not (mab.kind and mab.score >= alone) and nxt is not None and _joinable(u, nxt):
                    mab = classify(f"{joined} {nxt.text}", wording)
                    alone = max(alone, classify(nxt.text, wording).score if classify(nxt.text, wording).kind else 0.0)
                take = mab.kind not in (None, "ignore") and mab.score >= alone
            else:
                take = (mab.kind and mab.score >= alone) or (
                    not ma.kind and not mb.kind and not prev.text.endswith(tuple("0123456789")))
            if take:
                prev.text = joined
                prev.bbox = (min(prev.bbox[0], u.bbox[0]), prev.bbox[1], max(prev.bbox[2], u.bbox[2]), u.bbox[3])
                prev.blocks += u.blocks
                continue
        out.append(u)
    return out


def _page_pointers(units: list[Unit], wording: Wording) -> list[Unit]:
    """A page pointer ("PAGE 13", "PÁGINA 13") is never a heading of its own.

    On the KEY FINDINGS overview pages it follows a dimension's short name;
    when it wraps ("... MOBILITÉ PAGE" / "12", or the name / "PAGE 13") the
    wrapped part is put back on the heading before it (which ``classify``
    then reads as an overview entry); a pointer with no heading before it on
    its page is dropped."""
    out: list[Unit] = []
    for u in units:
        text = _clean(u.text)
        prev = out[-1] if out else None
        near = prev is not None and prev.heading and prev.page == u.page and len(u.text) <= 20
        wrapped_number = near and text.isdigit() and len(text) <= 3 and wording.page_word_end.search(prev.text)
        pointer = bool(wording.page_pointer.match(text)) and not text.isdigit()
        if wrapped_number or (pointer and near and not wording.page_label_text.search(prev.text)):
            prev.text = f"{prev.text} {text}"
            prev.bbox = (min(prev.bbox[0], u.bbox[0]), prev.bbox[1], max(prev.bbox[2], u.bbox[2]), u.bbox[3])
            continue
        if pointer:
            continue
        out.append(u)
    return out


# --------------------------------------------------------------------------
# headings in context: contents entries, dimension sections
# --------------------------------------------------------------------------


def _decide_dimensions(units: list[Unit]) -> None:
    """Keep a dimension match only where a dimension section really starts."""
    heads = [i for i, u in enumerate(units) if u.heading and u.match and u.match.kind not in (None, "ignore")]
    has_sub = any(units[i].match.kind in SUB_KINDS for i in heads)
    accepted: set[int] = set()
    for pos, i in enumerate(heads):
        m = units[i].match
        if m.kind != "dimension" or m.overview:  # "NAME PAGE 23" is a KEY FINDINGS summary, whatever follows
            continue
        nxt = units[heads[pos + 1]].match if pos + 1 < len(heads) else None
        if nxt and (nxt.kind in SUB_KINDS or (nxt.numbers and nxt.numbers[0] == m.dimension and len(nxt.numbers) > 1)):
            accepted.add(i)
    if not has_sub:  # editions without numbered parts: the last non-overview occurrence of each
        last: dict[int, int] = {}
        for i in heads:
            m = units[i].match
            if m.kind == "dimension" and not m.overview and (not m.keywords or m.numbers):
                last[m.dimension] = i  # (key words alone, unnumbered and without parts after it, are too weak)
        accepted = set(last.values())
    # a "d.1" part right after an unknown heading: that heading is dimension d
    found = {units[i].match.dimension for i in accepted}
    for i, u in enumerate(units):
        m = u.match
        if u.heading and m and m.kind in SUB_KINDS and m.numbers and 1 <= m.numbers[0] <= 6 and m.numbers[0] not in found:
            j = i - 1
            while j >= 0 and not units[j].heading:
                j -= 1
            if j >= 0 and units[j].match and units[j].match.kind is None:
                units[j].match = Match("dimension", m.numbers[0], units[j].match.score)
                accepted.add(j)
                found.add(m.numbers[0])
    for i in heads:
        m = units[i].match
        if m.kind == "dimension" and i not in accepted:
            units[i].match = Match(None, None, m.score, m.numbers, m.overview)
            units[i].known = True


# --------------------------------------------------------------------------
# paragraphs
# --------------------------------------------------------------------------


@dataclass
class Piece:
    """A body unit or one item of it (list item, KEY SOURCES entry)."""

    page: int
    text: str
    markers: list[Marker]
    bbox: tuple
    bold: bool
    kind: str  # body | list_item | source_author | source_entry
    new_item: bool = False  # starts a list item / entry
    dashed: tuple[str, list[Marker]] | None = None  # an item's text with its "–" kept: it may be a sentence going on


@dataclass
class Para:
    section: int
    kind: str
    text: str
    page_start: int
    page_end: int
    bbox: tuple
    bold: bool
    markers: list[Marker] = field(default_factory=list)
    breaks: list[PageBreak] = field(default_factory=list)


def _list_cuts(lines) -> list[int]:
    """Lines of a block that start a new piece: a bullet ("•", "(ii)", "2."), or,
    after a list item, a line back at the left of the bullets that follows a
    finished item ("... related issues;" / "As it seeks to:")."""
    cuts, bullet_x0 = [], None
    for k, ln in enumerate(lines):
        text = ln.text.strip()
        if BULLET_RE.match(text):
            bullet_x0 = ln.bbox[0]
            if k:
                cuts.append(k)
        elif (k and bullet_x0 is not None and ln.bbox[0] < bullet_x0 - 1
              and lines[k - 1].text.rstrip().endswith((".", ";", ":"))):
            cuts.append(k)
            bullet_x0 = None
    return cuts


def _split_unit(u: Unit) -> list[tuple[str, list[Marker], tuple, int]]:
    """Split a unit's text at the lines ``_list_cuts`` finds."""
    if len(u.blocks) != 1 or len(u.blocks[0].lines) < 2:
        return [(u.text, u.markers, u.bbox, u.page)]
    lines = [ln for ln in u.blocks[0].lines if ln.text.strip()]
    wanted = set(_list_cuts(lines))
    cuts, pos = [0], 0
    for k, ln in enumerate(lines):
        probe = ln.text.strip()[:12]
        found = u.text.find(probe, pos)
        if found < 0:
            return [(u.text, u.markers, u.bbox, u.page)]
        pos = found + 1
        if k in wanted:
            cuts.append(found)
    cuts.append(len(u.text))
    out = []
    for a, b in zip(cuts, cuts[1:]):
        seg = u.text[a:b]
        lead = len(seg) - len(seg.lstrip())
        seg = seg.strip()
        if seg:
            marks = [m.model_copy(update={"offset": m.offset - a - lead}) for m in u.markers if a <= m.offset < b or (b == len(u.text) and m.offset == b)]
            out.append((seg, marks, u.bbox, u.page))
    return out


def _strip_prefix(text: str, markers: list[Marker], n: int) -> tuple[str, list[Marker]]:
    return text[n:], [m.model_copy(update={"offset": max(m.offset - n, 0)}) for m in markers]


def _source_lines(units: list[Unit], wording: Wording) -> list[Unit]:
    """KEY SOURCES re-cut into printed lines; a year label printed in its own
    column ("2021a") is put in front of the entry line beside it."""
    out: list[Unit] = []
    by_page: dict[int, list[tuple]] = {}
    for u in units:
        for b in u.blocks:
            lines = b.lines or ()
            if not lines:
                out.append(u)
                continue
            for ln in lines:
                if ln.text.strip():
                    by_page.setdefault(ln.page, []).append((ln, u.heading or ln.bold))
    for page in sorted(by_page):
        items = by_page[page]
        labels, rest = [], []
        for ln, bold in items:
            t = ln.text.strip()
            m = wording.year_label.match(t)
            (labels if m and m.end() == len(t) and not bold else rest).append((ln, bold))
        prefix: dict[int, object] = {}
        for lab, _ in labels:
            near = [(abs(ln.bbox[1] - lab.bbox[1]), k) for k, (ln, _) in enumerate(rest)
                    if ln.bbox[0] > lab.bbox[2] and abs(ln.bbox[1] - lab.bbox[1]) <= 0.6 * lab.size and k not in prefix]
            if near:
                prefix[min(near)[1]] = lab
            else:
                rest.append((lab, False))
        for k, (ln, bold) in enumerate(rest):
            lab = prefix.get(k)
            text, marks, bbox = ln.text.strip(), list(ln.markers), ln.bbox
            if lab is not None:
                head = lab.text.strip() + " "
                lead = len(ln.text) - len(ln.text.lstrip())
                text = head + text
                marks = [m.model_copy(update={"offset": m.offset - lead + len(head)}) for m in marks]
                bbox = (lab.bbox[0], min(lab.bbox[1], bbox[1]), bbox[2], max(lab.bbox[3], bbox[3]))
            out.append(Unit(page, ln.column, bbox, text, ln.size, bold, ln.role, marks, [], heading=False,
                            weight=ln.bold))
    return out


def _recut_sources(units: list[Unit], wording: Wording) -> list[Unit]:
    """Replace the units of every KEY SOURCES part by its printed lines."""
    out: list[Unit] = []
    i = 0
    while i < len(units):
        u = units[i]
        out.append(u)
        i += 1
        if u.heading and u.match and u.match.kind == "key_sources":
            j = i
            while j < len(units) and not (units[j].heading and units[j].match and units[j].match.kind not in (None, "ignore")):
                j += 1
            lines = _source_lines(units[i:j], wording)
            _source_authors(lines, wording)
            out += lines
            i = j
    return out


def _source_authors(lines: list[Unit], wording: Wording) -> None:
    """Mark the author headings of a KEY SOURCES list printed without bold
    (capitals, another colour or size): the lines before an entry that has a
    year label ("2021a ..."), without one themselves, not ending with ".",
    and starting after a finished entry (or in capitals). Lists whose
    headings are bold are left to the weight (``_add_source_line``)."""
    entry = [bool(wording.year_label.match(v.text)) for v in lines]
    if any(v.weight and not e for v, e in zip(lines, entry)):
        return
    i = 0
    while i < len(lines):
        if entry[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and not entry[j]:
            j += 1
        for k in range(i, j if j < len(lines) else i):
            head = " ".join(v.text.strip() for v in lines[k:j])
            before = lines[k - 1].text.rstrip() if k else ""
            starts = not before or before.endswith((*SENTENCE_END, ")")) or _capitals(lines[k].text)
            if starts and not head.endswith(".") and len(head) <= 200 and not lines[k].text.lstrip()[:1].islower():
                for v in lines[k:j]:
                    v.source = "author"
                break
        i = j


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _add_source_line(paras: list["Para"], last: "Para | None", section: int, v: Unit, wording: Wording) -> None:
    """One printed KEY SOURCES line: an author heading (bold, no year label),
    the start of an entry (a year label), or more of the previous one."""
    if v.source == "author":
        what = "author"
    elif wording.year_label.match(v.text):
        what = "entry"
    else:
        what = "author" if v.bold and len(v.text) <= 200 else "more"
    piece = Piece(v.page, v.text, v.markers, v.bbox, v.bold, "source_author" if what == "author" else "source_entry")
    if last is not None and (
        (what == "author" and last.kind == "source_author" and (v.source == "author" or _continues(last.text, v.text)))
        or (what == "more" and last.kind == "source_entry"
            and (v.bbox[0] > last.bbox[0] + 3 or not last.text.endswith(".") or v.text[:1].islower()))
    ):
        _append(last, piece)
        return
    paras.append(Para(section, piece.kind, v.text, v.page, v.page, v.bbox, v.bold, list(v.markers)))


def _pieces(u: Unit, wording: Wording) -> list[Piece]:
    parts = _split_unit(u)
    out = []
    for t, mk, bb, page in parts:
        m = BULLET_RE.match(t)
        if m:
            dashed = (t, mk) if t.lstrip()[:1] in DASHES else None
            t, mk = _strip_prefix(t, mk, m.end())
            out.append(Piece(page, t, mk, bb, u.bold, "list_item", True, dashed))
        else:
            out.append(Piece(page, t, mk, bb, u.bold, "body", False))
    return out


def _continues(prev: str, nxt: str, abbreviations: tuple[str, ...] = ()) -> bool:
    """Does ``nxt`` carry on the sentence ``prev`` left unfinished?

    A full stop ends the sentence unless it closes an abbreviation ("(Law
    No." / "21.325) (2022) ...") or a parenthesis is still open, and the
    next text starts with a digit, a lower-case letter or closing punctuation."""
    prev, nxt = prev.rstrip(), nxt.lstrip()
    if not prev or not nxt:
        return False
    first = nxt[0]
    if prev.endswith(".") and (first.isdigit() or first.islower() or first in ")]},;:%"):
        last_word = prev.split()[-1].lstrip("([{")
        if last_word in abbreviations or _open_parenthesis(prev):
            return True
    if prev.endswith(SENTENCE_END):
        return False
    if first.islower() or first in "([{,;–—-%" or first.isdigit():
        return not prev.endswith(";") or first.islower()
    if prev.endswith(";"):  # the end of a list item
        return False
    last_word = prev.split()[-1]
    return prev.endswith((",", "-", "–", "—")) or last_word[:1].islower()


def _open_parenthesis(text: str) -> bool:
    """An opening bracket of the last 200 characters is not closed."""
    tail = text[-200:]
    return tail.count("(") > tail.count(")")


def _append(p: Para, piece: Piece) -> None:
    prev = p.text.rstrip()
    if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and piece.text[:1].islower():
        base, sep = prev[:-1], ""
    elif piece.text[:1] in ",;:":  # "... runs courses" / (figure) / ", some of them ..."
        base, sep = prev, ""
    else:
        base, sep = prev, " "
    offset = len(base) + len(sep)
    p.markers += [m.model_copy(update={"offset": m.offset + offset}) for m in piece.markers]
    if piece.page != p.page_end:
        p.breaks.append(PageBreak(offset=offset, page=piece.page))
        p.page_end = piece.page
    p.text = base + sep + piece.text


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
            text = _clean(text)
            if number is None and notes:
                prev = notes[-1]
                if prev["text"].endswith("-") and text[:1].islower():
                    prev["text"] = prev["text"][:-1] + text
                else:
                    prev["text"] = f"{prev['text']} {text}".strip()
                continue
            notes.append({"number": number, "page": page.number, "text": text, "bbox": bbox})
    out, seen = [], Counter()
    for n in notes:
        key = f"{n['page']}-{n['number'] if n['number'] is not None else 'c'}"
        seen[key] += 1
        if seen[key] > 1:
            key += f"-{seen[key]}"
        section = section_of_marker.get((n["page"], n["number"])) or section_of_page.get(n["page"])
        out.append(Footnote(doc_id=doc_id, footnote_id=f"{doc_id}:f{key}", number=n["number"], page=n["page"],
                            text=n["text"], section_id=section, bbox=n["bbox"]))
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
    warnings: list[str] = []
    units = _page_pointers(_join_headings(_units(layout, _body_size(layout)), wording), wording)
    for u in units:
        if u.heading:
            u.match = classify(u.text, wording)
    units = [u for u in units if u.role != "caption" or (u.match and u.match.kind not in (None, "ignore"))]
    toc_idx, entries = toc_entries(units, wording)
    for i in toc_idx:
        units[i].heading, units[i].match, units[i].toc = False, None, True
    _decide_dimensions(units)
    cross_check(layout, units, entries, wording, warnings)
    units = _recut_sources(units, wording)

    secs: list[Sec] = []
    paras: list[Para] = []
    structured = any(u.heading and u.match and u.match.kind not in (None, "ignore") for u in units)
    part = dim = sub = cur = None  # indices into secs
    part_paras = 0  # paragraphs made before the current part opened
    stack: list[tuple[int, float]] = []  # open subsections (index, heading size)

    def open_section(kind, dimension, heading, u, parent):
        level = secs[parent].level + 1 if parent is not None else 1
        secs.append(Sec(kind, dimension, _clean(heading), u.page, u.bbox, parent, level))
        return len(secs) - 1

    front_title: set[int] = set()
    top_size = max((u.size for u in units if u.page == units[0].page), default=0.0)
    for i, u in enumerate(units):  # the cover title: the leading, largest headings of the first page
        if not u.heading or u.page != units[0].page or (u.match and u.match.kind not in (None, "ignore")):
            break
        if u.size < 0.8 * top_size:
            break
        if front_title and (u.bold != units[min(front_title)].bold
                            or _family(u.blocks[0].font) != _family(units[min(front_title)].blocks[0].font)):
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
                while stack and stack[-1][1] <= u.size + 0.3:
                    stack.pop()
                if stack:
                    parent = stack[-1][0]
                d = secs[parent].dimension if parent is not None else None
                label = wording.page_label_text.search(u.text) if m.overview else None
                cur = open_section("subsection", d, u.text[: label.start()] if label else u.text, u, parent)
                secs[cur].overview = bool(m.overview)
                stack.append((cur, u.size))
                if not u.known:
                    warnings.append(f"p{u.page}: unknown heading kept as subsection: {_clean(u.text)[:80]!r}")
            continue
        # body text (or an unnamed heading kept as text)
        if cur is None:
            cur = open_section("front_matter", None, _front_heading(u), u, None)
        last = paras[-1] if paras and paras[-1].section == cur else None
        if secs[cur].kind == "key_sources":
            _add_source_line(paras, last, cur, u, wording)
            continue
        for piece in _pieces(u, wording):
            if secs[cur].kind == "contents" and not piece.markers:
                piece.text = strip_leaders(piece.text)
            if (last is not None and piece.dashed and last.kind == "body" and secs[cur].kind != "contents"
                    and _continues(last.text, piece.dashed[0], wording.abbreviations)):
                # "... through the Migrant Office, which" / (figure, pull quote) / "– like other offices – ..."
                piece.text, piece.markers = piece.dashed
                _append(last, piece)
                continue
            if (last is not None and not piece.new_item and last.kind in ("body", "list_item")
                    and secs[cur].kind != "contents" and _continues(last.text, piece.text, wording.abbreviations)):
                _append(last, piece)
                continue
            if _summary_full(secs, paras, cur):
                cur = secs[cur].parent  # the part's own text after its last dimension summary
                stack.clear()
            last = Para(cur, piece.kind, piece.text, piece.page, piece.page, piece.bbox, piece.bold, list(piece.markers))
            paras.append(last)

    if not secs:  # an empty layout still gets one section
        secs.append(Sec("front_matter", None, "", 1, None, None, 1))
    return _assemble(layout, config, secs, paras, warnings)


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
    text = _clean(u.text)
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
    )
