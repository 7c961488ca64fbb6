"""Units: the layout's blocks that matter to the segmenter, in reading order.

A unit is a body, heading or caption block (or a heading cut out of one);
headings are found from typography (the parse stage's ``heading`` role, or a
short unpunctuated block that is bold, larger than the body text or in
capitals), joined when a heading is split over consecutive blocks and the
joined wording fits better, and page pointers ("PAGE 13") are put back on
the heading they belong to. ``decide_dimensions`` keeps a dimension match
only where a dimension section really starts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.datamodel import Block, Layout, Marker
from pipeline.segment.headings import NUMBERING_RE, SUB_KINDS, Match, Wording, classify

BULLET_RE = re.compile(r"^\s*(?:[•●▪■◦‣∙·○\-–—]|\((?:[ivxlcdm]+|[a-z]|\d{1,2})\)|(?:\d{1,2}|[a-z])[.)])\s+(?=\S)")


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
    after_insert: bool = False  # right below a figure or pull quote (caption lines) on its page

    @property
    def last_page(self) -> int:
        return self.blocks[-1].page if self.blocks else self.page


def clean(text: str) -> str:
    return " ".join(text.split())


def body_size(layout: Layout) -> float:
    sizes: Counter = Counter()
    for page in layout.pages:
        for b in page.blocks:
            if b.role == "body":
                sizes[round(b.size, 1)] += len(b.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _looks_like_heading(block: Block, body_size: float) -> bool:
    """A short, unpunctuated block set apart by weight, size or capitals (or by parse)."""
    text = clean(block.text)
    if len(text) > 400:  # (over 200 letters even letter-spaced: one space a letter at most)
        return False
    length, words = _extent(text)
    if not text or length > 200 or words > 25:
        return False
    first = next((c for c in text if c.isalnum() or c in "(["), "")
    if not first or not (first.isupper() or first.isdigit()):
        return False
    if (BULLET_RE.match(text) and not NUMBERING_RE.match(text)) or sum(map(str.isalpha, text)) < 3:
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


def layout_units(layout: Layout, body_size: float) -> list[Unit]:
    out = []
    for page in layout.pages:
        after = False  # a caption line (a figure, a pull quote) came last on the page
        for b in page.blocks:
            if b.role not in ("body", "heading", "caption") or not b.text.strip():
                continue
            looks = _looks_like_heading(b, body_size)
            if b.role == "caption" and not looks:
                after = True
                continue  # a figure caption; a heading in a shaded box may come as a caption
            for part in _split_heading_block(b) if looks else [b]:
                out.append(Unit(part.page, part.column, part.bbox, part.text.strip(), part.size, part.bold, part.role,
                                list(part.markers), [part],
                                heading=looks if part is b else _looks_like_heading(part, body_size),
                                after_insert=after))
            after = b.role == "caption"
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
            if font_family(lines[k].font) != font_family(lines[k - 1].font) or NUMBERING_RE.match(lines[k].text)]
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


def _joinable(a: Unit, b: Unit, labelled: bool = False) -> bool:
    """``labelled``: ``b`` ends in a page label ("CRISES PAGE 21"), which a
    summary prints lighter: a short name line then counts as not bold."""
    if not (a.heading and b.heading) or a.page != b.page or NUMBERING_RE.match(b.text):
        return False
    if a.bold != b.bold and not (labelled and a.bold):
        return False
    if font_family(a.blocks[-1].font) != font_family(b.blocks[0].font):
        return False
    if abs(a.size - b.size) > 0.1 * max(a.size, b.size):
        return False
    gap = b.bbox[1] - a.bbox[3]
    return -2.0 <= gap <= 1.6 * max(a.size, b.size) or _beside(a, b)


def _beside(a: Unit, b: Unit) -> bool:
    """``b`` goes on ``a``'s last line, to its right (one heading line cut in two blocks)."""
    last = a.blocks[-1].bbox if a.blocks else a.bbox
    return abs(b.bbox[1] - last[1]) <= 0.3 * max(a.size, b.size) and b.bbox[0] >= last[2] - 1


def font_family(font: str) -> str:
    """"AAAAAA+DejaVuSerif-Bold" -> "dejavuserif" (subset tag and style dropped)."""
    return re.split(r"[-,]", font.split("+", 1)[-1])[0].lower()


def join_headings(units: list[Unit], wording: Wording) -> list[Unit]:
    """Join a heading split over consecutive blocks when the join reads better."""
    out: list[Unit] = []
    for k, u in enumerate(units):
        prev = out[-1] if out else None
        labelled = bool(wording.page_label_text.search(u.text))
        if prev is not None and len(prev.blocks) < 4 and len(prev.text) + len(u.text) <= 240 and _joinable(prev, u, labelled):
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


def page_pointers(units: list[Unit], wording: Wording) -> list[Unit]:
    """A page pointer ("PAGE 13", "PÁGINA 13") is never a heading of its own.

    On the KEY FINDINGS overview pages it follows a dimension's short name;
    when it wraps ("... MOBILITÉ PAGE" / "12", or the name / "PAGE 13") the
    wrapped part is put back on the heading before it (which ``classify``
    then reads as an overview entry); a pointer with no heading before it on
    its page is dropped."""
    out: list[Unit] = []
    for u in units:
        text = clean(u.text)
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


def decide_dimensions(units: list[Unit]) -> None:
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
