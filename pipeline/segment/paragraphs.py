"""Paragraphs: body units cut into pieces (one per list item) and joined
across column and page breaks when the first does not end a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.datamodel import Marker, PageBreak
from pipeline.segment.flow import TextFlow, at_left, first_word, flush_start, open_end, slack
from pipeline.segment.headings import Wording
from pipeline.segment.units import BULLET_RE, Unit
from pipeline.text.enumeration import inline_enumeration
from pipeline.text.normalize import Lexicon, join_hyphen

ENUM_RE = re.compile(r"^\s*\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)]\s")  # "(a) ", "iii) ", "2. ": not a bullet sign

SENTENCE_END = tuple('.!?:"”»')
DASHES = "–—"  # a block starting with one is a list item, or a sentence going on around a figure


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
    head: tuple[int, int, float] | None = None  # (page, column, top) of its first line, when it opens a block
    flush: bool = False  # that first line is not set off as a paragraph start (``flow.flush_start``)
    tail: tuple[int, int, float, bool] | None = None  # (page, column, bottom, at the left edge) of its last line, when it closes a block
    open_end: bool = False  # that last line does not end the paragraph by its length (``flow.open_end``)
    ragged: bool = False  # the document is set ragged right without first-line indents
    at_left: bool = False  # its first line starts at the left edge of its column
    first_word: float = 0.0  # width (pt) of the first word of its first line and a space
    slack: float = 0.0  # room (pt) left at the end of its last line
    size: float = 0.0  # the font size of its first line
    after_insert: bool = False  # its unit sits right below a figure or pull quote (``Unit.after_insert``)


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
    tail: tuple[int, int, float, bool] | None = None  # where its last line is (``Piece.tail``)
    open_end: bool = False
    slack: float = 0.0  # ``Piece.slack`` of its last piece


def _list_cuts(lines, flow: TextFlow | None = None) -> list[int]:
    """Lines of a block that start a new piece: a bullet ("•", "(ii)", "2."), or,
    after a list item, a line back at the left of the bullets that follows a
    finished item ("... related issues;" / "As it seeks to:"). An enumerator
    wrapped to a line start is running text when "(b)" follows inline, or
    when the line before it fills the measure of a justified text
    (``flow``): a paragraph's last line is not spread to the edge."""
    cuts, bullet_x0 = [], None
    for k, ln in enumerate(lines):
        text = ln.text.strip()
        if BULLET_RE.match(text) and k and inline_enumeration([x.text for x in lines], k):
            continue  # "(a)" wrapped to a line start, "(b)" inline further on: running text
        if (k and flow is not None and flow.justified and ENUM_RE.match(text) and at_left(flow, ln)
                and open_end(flow, lines[k - 1]) and abs(ln.bbox[0] - lines[k - 1].bbox[0]) < 0.3 * max(ln.size, 1.0)):
            continue
        if BULLET_RE.match(text):
            bullet_x0 = ln.bbox[0]
            if k:
                cuts.append(k)
        elif (k and bullet_x0 is not None and ln.bbox[0] < bullet_x0 - 1
              and lines[k - 1].text.rstrip().endswith((".", ";", ":"))):
            cuts.append(k)
            bullet_x0 = None
    return cuts


def _split_unit(u: Unit, flow: TextFlow | None = None) -> list[tuple[str, list[Marker], tuple, int]]:
    """Split a unit's text at the lines ``_list_cuts`` finds."""
    if len(u.blocks) != 1 or len(u.blocks[0].lines) < 2:
        return [(u.text, u.markers, u.bbox, u.page)]
    lines = [ln for ln in u.blocks[0].lines if ln.text.strip()]
    wanted = set(_list_cuts(lines, flow))
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


def pieces(u: Unit, wording: Wording, flow: TextFlow | None = None) -> list[Piece]:
    parts = _split_unit(u, flow)
    out = []
    for t, mk, bb, page in parts:
        m = BULLET_RE.match(t)
        if m:
            dashed = (t, mk) if t.lstrip()[:1] in DASHES else None
            t, mk = _strip_prefix(t, mk, m.end())
            out.append(Piece(page, t, mk, bb, u.bold, "list_item", True, dashed))
        else:
            out.append(Piece(page, t, mk, bb, u.bold, "body", False))
    lines = [ln for b in u.blocks for ln in b.lines if ln.text.strip()]
    if out and lines and flow is not None:
        first, last = lines[0], lines[-1]
        out[0].head, out[0].flush = (first.page, first.column, first.bbox[1]), flush_start(flow, first)
        out[-1].tail, out[-1].open_end = (last.page, last.column, last.bbox[3], at_left(flow, last)), open_end(flow, last)
        ragged = not flow.justified and not flow.indent
        out[0].ragged = out[-1].ragged = ragged
        out[0].at_left, out[0].first_word = at_left(flow, first), first_word(first)
        out[0].size = first.size
        out[0].after_insert = u.after_insert
        out[-1].slack = slack(flow, last)
    return out


def flows_on(p: Para, piece: Piece) -> bool:
    """Does ``piece`` go on with paragraph ``p`` across a column or page break,
    by the geometry (``pipeline.segment.flow``), whatever the text says?"""
    if p.kind != "body" or piece.kind != "body" or piece.new_item or p.tail is None or piece.head is None:
        return False
    (page, column, bottom, left), (n_page, n_column, top) = p.tail, piece.head
    # a break: another column or page, or further down the same column past
    # more room than paragraphs leave between them, after a line of running
    # text at the left edge: in a column of a multi-column page (justified or
    # indented text: a figure set in the column), or right below a figure or
    # pull quote when the text above it ends no sentence (a one-column page,
    # ragged text too)
    gap = top - bottom
    inserted = piece.after_insert and not p.text.rstrip().endswith(SENTENCE_END)
    below = left and gap > 3.0 * max(piece.size, 1.0) and ((column > 0 and not piece.ragged) or inserted)
    if not (n_page != page or n_column != column or gap < -1.0 or below):
        return False
    if piece.ragged:
        # ragged right, no indents: the first word did not fit at the end of the
        # last line, and that line does not end a sentence
        return (piece.at_left and 0 < piece.first_word and p.slack < piece.first_word
                and not p.text.rstrip().endswith(SENTENCE_END))
    return p.open_end and piece.flush


def continues(prev: str, nxt: str, abbreviations: tuple[str, ...] = ()) -> bool:
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
    if prev[-1] in '"”»' and prev[-2:-1].isalnum() and (first.islower() or first.isdigit() or first in "([{,;–—"):
        # a quoted title closed after a word, not after a full stop: '"Advice for a safe winter"' / "(2021), ...",
        # '"good migration governance"' / "– three principles ..."
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


def append_piece(p: Para, piece: Piece, lexicon: Lexicon | None = None) -> None:
    """Append ``piece`` to paragraph ``p``; a line-end hyphen before it is
    decided from the document's ``lexicon`` as inside a block (kept in
    "non-binding", dropped in "com-" + "munity")."""
    prev = p.text.rstrip()
    decision = join_hyphen(prev, piece.text, lexicon) if lexicon is not None and prev.endswith("-") else None
    if decision is not None:
        base, sep = (prev[:-1] if decision else prev), ""
    elif lexicon is None and prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and piece.text[:1].islower():
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
    p.tail, p.open_end, p.slack = piece.tail, piece.open_end, piece.slack
