"""Page geometry: words -> rows; lines -> blocks (the column geometry in between
is ``pipeline.parse.columns``; reading order ``pipeline.parse.reading``).

Pure geometry on the words of ONE bulk ``extract_words`` pass per page (no
pdfplumber objects are kept). Coordinates are pdfplumber's: points, origin at
the top-left, ``top`` < ``bottom``.

* rows: words sharing a baseline (sorted by ``bottom``); small raised words
  (superscripts) are moved into the row they are printed against;
* blocks: consecutive lines of one role and column without a paragraph gap or
  first-line indent.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from operator import attrgetter

from pipeline.text.enumeration import ENUM_RE, inline_enumeration
from pipeline.text.normalize import Lexicon, join_cut, join_hyphen

BBoxT = tuple[float, float, float, float]
_X0 = attrgetter("x0")
_BOTTOM_X0 = attrgetter("bottom", "x0")


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    font: str
    size: float
    tracked: bool = False  # re-grouped from letter-spaced glyphs (pipeline.parse.letterspacing)


@dataclass(slots=True)
class PLine:
    """A line under construction (mutable; turned into ``datamodel.Line`` at the end)."""

    page: int
    words: list[Word]
    row: int = 0  # index of the baseline row on the page (top to bottom)
    region: int = 0  # index of the page region (horizontal band, top to bottom)
    margin: bool = False  # in a margin column of side-heads / margin notes
    column: int = 0
    role: str = "body"
    size: float = 0.0  # dominant size by characters
    font: str = ""
    bold: bool = False
    italic: bool = False
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    raw: str = ""
    text: str = ""
    # (number, offset into text, bbox) of superscript / glued markers
    markers: list[tuple[int, int, BBoxT]] = field(default_factory=list)
    label: int | None = None  # a leading raised number (footnote label)
    label_end: int = 0  # index of the first word after the label
    # ``baseline`` once measured (reset by ``measure``: words and size change only there)
    _base: float | None = field(default=None, compare=False, repr=False)
    # characters per exact word size, as ``measure`` counted them (None before)
    size_chars: dict[float, int] | None = field(default=None, compare=False, repr=False)

    @property
    def bbox(self) -> BBoxT:
        return (round(self.x0, 2), round(self.top, 2), round(self.x1, 2), round(self.bottom, 2))

    def measure(self, bold_re: re.Pattern, italic_re: re.Pattern) -> None:
        words = self.words
        words.sort(key=_X0)
        first = words[0]
        x0, x1, top, bottom = first.x0, first.x1, first.top, first.bottom  # then as min() / max() keep them
        raw: dict[float, int] = {}  # characters per exact size
        by_font: dict[str, int] = {}
        for w in words:
            if w.x0 < x0:
                x0 = w.x0
            if w.x1 > x1:
                x1 = w.x1
            if w.top < top:
                top = w.top
            if w.bottom > bottom:
                bottom = w.bottom
            n = len(w.text)
            raw[w.size] = raw.get(w.size, 0) + n
            by_font[w.font] = by_font.get(w.font, 0) + n
        self.x0, self.x1, self.top, self.bottom = x0, x1, top, bottom
        self._base = None
        self.size_chars = raw
        by_size = size_counts(raw)
        self.size = max(by_size.items(), key=lambda kv: (kv[1], kv[0]))[0]
        self.font = max(by_font.items(), key=lambda kv: (kv[1], kv[0]))[0]
        n = sum(by_font.values()) or 1
        self.bold = sum(c for f, c in by_font.items() if bold_re.search(f)) * 2 > n
        self.italic = sum(c for f, c in by_font.items() if italic_re.search(f)) * 2 > n

    @property
    def baseline(self) -> float:
        """Bottom of the words of the dominant size (superscripts excluded)."""
        base = self._base
        if base is None:
            size = self.size
            bots = [w.bottom for w in self.words if -0.6 < w.size - size < 0.6]  # (abs() < 0.6)
            base = self._base = max(bots) if bots else self.bottom
        return base


def size_counts(raw: dict[float, int]) -> dict[float, int]:
    """Counts per exact size summed per size rounded to 0.1 pt (as counting each word at ``round(size, 1)``)."""
    out: dict[float, int] = {}
    for size, n in raw.items():
        key = round(size, 1)
        out[key] = out.get(key, 0) + n
    return out


# --------------------------------------------------------------------------
# rows
# --------------------------------------------------------------------------


def group_rows(words: list[Word], small_ratio: float) -> list[list[Word]]:
    """Words sharing a baseline; raised small words joined to their host row."""
    rows: list[list[Word]] = []
    ref_bottom = ref_size = 0.0
    for w in sorted(words, key=_BOTTOM_X0):
        size, bottom = w.size, w.bottom
        low = size if size < ref_size else ref_size  # min(ref_size, size); below, max(low, 1.0)
        tol = 0.3 * (1.0 if 1.0 > low else low)
        joins = False
        if rows:
            if bottom - ref_bottom <= tol:
                joins = True
            else:
                # on the baseline of the row's last word, a little below the row's
                # first (the lines of two columns need not share baselines)
                last = rows[-1][-1]
                low = size if size < last.size else last.size
                joins = bottom - last.bottom <= 0.3 * (1.0 if 1.0 > low else low) and bottom - ref_bottom <= 2 * tol
        if joins:
            rows[-1].append(w)
        else:
            rows.append([w])
            ref_bottom, ref_size = w.bottom, w.size
    # small words printed inside the height of horizontally adjacent larger
    # words of a neighbour row (superscripts, note labels) join that row
    largest = [max(w.size for w in row) for row in rows]  # per row, kept up to date as words move
    gate = small_ratio > 0
    for i, row in enumerate(rows):
        near = [largest[j] for j in range(max(0, i - 2), min(len(rows), i + 3)) if rows[j]]
        if not row or not near:
            continue
        limit = small_ratio * max(near)
        for w in [w for w in row if w.size <= limit]:
            # (no word of a row whose largest is too small for w can host it: _host not asked)
            if not (gate and w.size > small_ratio * largest[i]) and _host(w, [h for h in row if h is not w], small_ratio):
                continue
            for j in (i + 1, i - 1, i + 2, i - 2):
                if (0 <= j < len(rows) and rows[j] and not (gate and w.size > small_ratio * largest[j])
                        and _host(w, rows[j], small_ratio)):
                    rows[j].append(w)
                    row.remove(w)
                    largest[j] = max(x.size for x in rows[j])
                    largest[i] = max((x.size for x in row), default=None)
                    break
    return [row for row in rows if row]


def _host(w: Word, host: list[Word], small_ratio: float) -> bool:
    """A word of ``host`` is larger than ``w``, beside it, and spans its middle.

    "Beside" is within 0.6 em; a raised number left of the row's first word
    (a note label set with a wider space before its text) may stand 1 em off.
    """
    mid = (w.top + w.bottom) / 2
    first = min((h.x0 for h in host), default=0.0)
    for h in host:
        gap = (1.0 if h.x0 == first and w.x1 <= h.x0 else 0.6) * h.size
        if (
            w.size <= small_ratio * h.size
            and h.x0 - gap <= w.x1
            and w.x0 <= h.x1 + gap
            and h.top - 0.1 * h.size <= mid <= h.bottom
        ):
            return True
    return False


# --------------------------------------------------------------------------
# blocks
# --------------------------------------------------------------------------

BULLET_RE = re.compile(r"^\s*(?:[•●▪■◦○‣∙·\-–—*]|\(?[0-9]{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{2,4}\))\s")


@dataclass(frozen=True)
class Flow:
    """The document's own measurements of its running text, for ``split_blocks``.

    * ``pitch``: modal baseline distance (em) between the lines of one
      paragraph, per body size (rounded to 0.5 pt; key 0.0 = all sizes);
    * ``gap``: the baseline distance (em) from which a gap starts a block, per
      size: halfway between the line pitch and the next most common pitch
      above it (the space between paragraphs), never above line pitch +
      ``paragraph_gap`` nor below line pitch + 0.15 em;
    * ``indent``: the first-line indent (em) used by the document, None when
      its paragraphs are not indented;
    * ``edges``: (left, right) of the running text per (page, column);
    * ``justified``: the lines inside paragraphs end at the right edge;
    * ``loose``: line pitch + ``paragraph_gap`` (em), the gap that starts a
      block of the other roles (notes, headings, captions).
    """

    pitch: dict[float, float]
    gap: dict[float, float]
    indent: float | None
    edges: dict[tuple[int, int], tuple[float, float]]
    justified: bool
    loose: float = 1.65  # the gap (em) that starts a block of other roles (notes, headings)

    def gap_for(self, size: float) -> float:
        key = round(size * 2) / 2
        return self.gap.get(key, self.gap.get(0.0, self.loose))

    def edge(self, ln: PLine) -> tuple[float, float]:
        return self.edges.get((ln.page, ln.column), (ln.x0, ln.x1))


def _mode(values: list[float], step: float) -> float | None:
    counts = Counter(round(v / step) * step for v in values)
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: (kv[1], -kv[0]))[0]


def _runs(lines: list[PLine]):
    """Consecutive body line pairs of one page, column and size, in reading order."""
    for a, b in zip(lines, lines[1:]):
        if (a.role == b.role == "body" and a.page == b.page and a.column == b.column
                and abs(a.size - b.size) < 0.3 and not a.margin and not b.margin):
            yield a, b


def measure_flow(lines: list[PLine], para_gap: float = 0.4) -> Flow:
    """Measure line pitch, paragraph gap, first-line indent, text edges and
    justification on the body lines of a document (``lines`` in reading order)."""
    by_col: dict[tuple[int, int], list[PLine]] = {}
    for ln in lines:
        if ln.role == "body" and not ln.margin:
            by_col.setdefault((ln.page, ln.column), []).append(ln)
    by_index: dict[int, list[PLine]] = {}
    for (_page, column), col in by_col.items():
        by_index.setdefault(column, []).extend(col)

    def measure_edges(col: list[PLine]) -> tuple[float, float]:
        left = _mode([ln.x0 for ln in col], 1.0)
        rights = sorted(ln.x1 for ln in col)
        return (left if left is not None else col[0].x0, rights[int(0.9 * (len(rights) - 1))])

    # a column of a few lines (the end of a paragraph) takes the edges of its column index over the document
    overall = {column: measure_edges(col) for column, col in by_index.items()}
    edges = {key: measure_edges(col) if len(col) >= 6 else overall[key[1]] for key, col in by_col.items()}
    pitches: dict[float, list[float]] = {}
    offsets: list[float] = []
    full = ragged = 0
    for a, b in _runs(lines):
        ratio = (b.baseline - a.baseline) / max(a.size, 1.0)
        if 0.9 <= ratio <= 3.0:
            pitches.setdefault(round(a.size * 2) / 2, []).append(ratio)
            pitches.setdefault(0.0, []).append(ratio)
        left, right = edges[(a.page, a.column)]
        if abs(b.x0 - left) < 0.3 * b.size:
            off = a.x0 - left
            if 0.4 * a.size <= off <= 4 * a.size:
                offsets.append(off / a.size)
        if abs(a.x0 - left) < 0.3 * a.size and 0.9 <= ratio <= 1.6 and right - left > 8 * a.size:
            if a.x1 >= right - 0.3 * a.size:
                full += 1
            else:
                ragged += 1
    pitch: dict[float, float] = {}
    gap: dict[float, float] = {}
    for key, values in pitches.items():
        p0 = _mode(values, 0.05) or 1.2
        pitch[key] = p0
        above = [v for v in values if v > p0 + 0.12]
        p1 = _mode(above, 0.05)
        support = sum(1 for v in above if p1 is not None and abs(v - p1) <= 0.05)
        cut = p0 + para_gap
        if p1 is not None and support >= max(3, 0.02 * len(values)):
            cut = min(cut, max(p0 + 0.15, (p0 + p1) / 2))
        gap[key] = cut
    indent = None
    if len(offsets) >= 3:
        m = _mode(offsets, 0.1)
        near = sum(1 for o in offsets if m is not None and abs(o - m) <= 0.15)
        if m is not None and near >= 3 and near >= 0.5 * len(offsets):
            indent = m
    loose = pitch.get(0.0, 1.25) + para_gap
    return Flow(pitch, gap, indent, edges, full >= 2 * max(ragged, 1), loose)


def split_blocks(lines: list[PLine], flow: Flow, indent: float) -> list[list[PLine]]:
    """Group lines (in reading order) into blocks ≈ paragraphs.

    A new block starts at a change of role or column, a vertical gap wider
    than the document's own paragraph gap (``flow``), a first-line indent (the
    document's own, else ``indent`` em), a line after a short line that ends a
    sentence, a bullet, a footnote label, or a line above the previous one.
    """
    blocks: list[list[PLine]] = []
    left = right = 0.0  # the block's extent, as min() / max() over its lines
    for i, ln in enumerate(lines):
        if blocks:
            blk = blocks[-1]
            prev = blk[-1]
            if _continues(blk, prev, ln, lines[i : i + 13], flow, indent, left, right):
                blk.append(ln)
                if ln.x0 < left:
                    left = ln.x0
                if ln.x1 > right:
                    right = ln.x1
                continue
        blocks.append([ln])
        left, right = ln.x0, ln.x1
    return blocks


def _continues(blk: list[PLine], prev: PLine, ln: PLine, ahead: list[PLine], flow: Flow, indent: float,
               left: float, right: float) -> bool:
    """``ahead``: ``ln`` and the lines after it; ``left``, ``right``: the extent of ``blk``."""
    nxt = ahead[1] if len(ahead) > 1 else None
    if ln.role != prev.role or ln.column != prev.column or ln.page != prev.page:
        return False
    if ln.role == "furniture":
        return ln.row == prev.row + 1 and abs(ln.size - prev.size) < 0.6
    if ln.role == "footnote" and (ln.label is not None or _starts_with_number(ln.text)):
        return False
    size = max(prev.size, ln.size)
    if ln.role != "footnote" and (abs(ln.size - prev.size) > 0.3 or ln.bold != prev.bold):
        return False  # another style: an author line above its entries, a lead-in
    pitch = ln.baseline - prev.baseline
    if pitch <= 0.3 * size:
        return False
    cut = flow.gap_for(size) if ln.role == "body" else flow.loose
    if pitch > cut * size:
        return False
    if ln.x0 > right or ln.x1 < left:
        return False  # no horizontal overlap: another cell / box
    if BULLET_RE.match(ln.text or ln.raw) and not (
        abs(ln.x0 - left) < 0.3 * size
        and (
            inline_enumeration([b.text for b in blk] + [a.text for a in ahead], len(blk))
            or _justified_into(prev, ln, flow, size)
            or _wrapped_enumerator(prev, ln, nxt, size, max(right, flow.edge(ln)[1] if ln.role == "body" else right))
        )
    ):
        return False  # a list item ("(a) ..." wrapped to a line start with "(b)" inline further on is not)
    if _item_ends(blk, prev, ln, size):
        return False
    if len(blk) >= 2 and prev.x0 - ln.x0 >= indent * size and abs(ln.x0 - blk[0].x0) < 0.5 * size:
        return False  # back to the margin after a hanging indent: the next entry
    col_left, col_right = flow.edge(ln) if ln.role == "body" else (left, right)
    col_right = max(col_right, right)
    first_indent = 0.6 * flow.indent if ln.role == "body" and flow.indent else indent
    if ln.x0 - left >= first_indent * size and prev.x0 - left < 0.5 * size and not _at_hang(blk, ln, size):
        # indented after a flush-left line: a new paragraph's first-line indent,
        # unless the next line stays indented too (a hanging indent)
        hanging = (
            nxt is not None
            and nxt.page == ln.page
            and nxt.column == ln.column
            and not BULLET_RE.match(nxt.text or nxt.raw)  # "When it:" over "(i) Adheres ...": a list, no hang
            and abs(nxt.x0 - ln.x0) < 0.5 * size
            and 0 < nxt.baseline - ln.baseline <= cut * size
        )
        if not hanging and (len(blk) > 1 or prev.x1 < col_right - 2 * size or _indent_after_sentence(prev, ln, left, flow)):
            return False
    if (ln.role == "body" and _short_end(prev, ln, col_left, col_right, flow.justified) and not _own_measure(prev, ln, flow)
            and not _indented_paragraph(blk, left, flow)):
        return False
    return True


def _indented_paragraph(blk: list[PLine], left: float, flow: Flow) -> bool:
    """``blk`` is a paragraph opened at the document's own first-line indent
    and gone on flush: in such a document a paragraph starts indented, never
    flush after a short line (a list of flush entries is not one)."""
    if not flow.indent or len(blk) < 2:
        return False
    size = max(blk[0].size, 1.0)
    return abs((blk[0].x0 - left) / size - flow.indent) <= 0.3 and all(abs(b.x0 - left) < 0.3 * size for b in blk[1:])


def _own_measure(prev: PLine, ln: PLine, flow: Flow) -> bool:
    """``prev`` and ``ln`` are set to one narrower measure of a justified
    text (an indented quote): both start and end at the same x, short of the
    column's right edge, so ``prev`` is not a paragraph's short last line."""
    size = max(prev.size, ln.size, 1.0)
    return flow.justified and abs(prev.x1 - ln.x1) <= 0.3 and abs(prev.x0 - ln.x0) <= 0.3 * size


def _indent_after_sentence(prev: PLine, ln: PLine, left: float, flow: Flow) -> bool:
    """``ln`` is set at the document's own first-line indent and starts a
    sentence after one ``prev`` ended: a paragraph's first line after a
    one-line block (the last line of a paragraph carried to the top of a
    page), however long that line (not the wrap of a hanging entry)."""
    if ln.role != "body" or not flow.indent:
        return False
    text, nxt = prev.text.rstrip(), ln.text.lstrip()
    return (abs((ln.x0 - left) / max(ln.size, 1.0) - flow.indent) <= 0.3
            and text.endswith((".", "!", "?")) and nxt[:1].isupper())


def _justified_into(prev: PLine, ln: PLine, flow: Flow, size: float) -> bool:
    """``ln`` opens with an enumerator ("(b) the transfer ...") or a dash
    ("– the Bolivarian Republic ...") flush with the text, after a line set
    out to the right edge of a justified column: a paragraph's last line is
    not spread to the edge, so the running text goes on and the label is part
    of it ("... following:" / "(a) the relocation")."""
    text = ln.text or ""
    if not flow.justified or ln.role != "body" or not (ENUM_RE.match(text) or text[:2] in ("– ", "— ")):
        return False
    _l, col_right = flow.edge(ln)
    return abs(prev.x1 - col_right) <= 0.3 * size and len(prev.words) >= 3


def _wrapped_enumerator(prev: PLine, ln: PLine, nxt: PLine | None, size: float, right: float) -> bool:
    """``ln`` opens with an enumerator ("(a) the relocation of families in")
    flush with the line above, at its leading, and its own text wraps back to
    that same edge on the next line, which opens with no label ("hostels for
    one or two weeks; and"): an enumeration running inside a paragraph that a
    narrow column happened to break before its label, not a list item (an
    item's text wraps at a hanging indent, or the next line is the next item).
    Wraps: the next line's first word would not have fitted after ``ln``
    before ``right`` (the column's edge); a short item ("(iii) ... issues;")
    followed by a paragraph set flush ("As it seeks to:") does not wrap."""
    if nxt is None or nxt.page != ln.page or nxt.column != ln.column or BULLET_RE.match(nxt.text or nxt.raw):
        return False
    if nxt.words:
        first = min(nxt.words, key=lambda w: w.x0)
        if ln.x1 + 0.3 * size + (first.x1 - first.x0) <= right:
            return False
    step, wrap = ln.baseline - prev.baseline, nxt.baseline - ln.baseline
    return (abs(ln.x0 - prev.x0) < 0.3 * size and abs(nxt.x0 - ln.x0) < 0.3 * size
            and len(ln.words) >= 3 and 0 < wrap and abs(step - wrap) <= 0.15 * size)


def _item_ends(blk: list[PLine], prev: PLine, ln: PLine, size: float) -> bool:
    """A list item (``blk`` opens with a bullet) is finished on ``prev`` and
    ``ln`` starts a sentence of its own where the item's text neither starts
    (after its label) nor wraps ("(iii) ... issues;" / "As it seeks to:" set
    with a first-line indent under the list), or below it by more than the
    item's own leading."""
    text, nxt = prev.text.rstrip(), ln.text.lstrip()
    hang = _hang(blk)
    if hang is None or not nxt[:1].isupper() or not text.endswith((";", ".", ":")):
        return False
    inner = [b.baseline - a.baseline for a, b in zip(blk, blk[1:])]
    if inner and ln.baseline - prev.baseline > max(inner) + 0.25 * size:
        return True  # set off by the space between items, not wrapped at the item's leading
    return all(abs(ln.x0 - x) > 0.3 * size for x in [hang, *(b.x0 for b in blk[1:])])


def _hang(blk: list[PLine]) -> float | None:
    """Where the text of a list item starts after its label (``blk`` opens with a bullet)."""
    head = blk[0]
    if not BULLET_RE.match(head.text or head.raw) or len(head.words) < 2:
        return None
    return head.words[1].x0


def _at_hang(blk: list[PLine], ln: PLine, size: float) -> bool:
    """``ln`` wraps the list item ``blk`` under the text after its label, or
    at a hanging indent between the label's end and that text (a label set
    larger than the text, followed by a plain space)."""
    hang = _hang(blk)
    if hang is None:
        return False
    return abs(ln.x0 - hang) < 0.3 * size or blk[0].words[0].x1 - 0.3 * size <= ln.x0 <= hang


def _short_end(prev: PLine, ln: PLine, left: float, right: float, justified: bool) -> bool:
    """``prev`` ends a sentence on a short line and ``ln`` starts a new one at the
    left edge: the last line of a paragraph (space-only breaks without a gap)."""
    text, nxt = prev.text.rstrip(), ln.text.lstrip()
    if not text.endswith((".", "!", "?", ":")) or not nxt[:1].isupper():
        return False
    if abs(ln.x0 - left) > 0.3 * ln.size or abs(prev.x0 - left) > 0.3 * prev.size:
        return False
    slack = 2.0 * prev.size if justified else max(4.0 * prev.size, 0.3 * (right - left))
    if not ln.words or (justified and right - left >= 20 * prev.size):
        return prev.x1 < right - slack
    # ragged right, or a narrow justified column: short only when the next
    # line's first word would have fitted after it (a long word wrapped early
    # leaves a wide gap; a justified line of one word cannot be spread)
    first = min(ln.words, key=lambda w: w.x0)
    return prev.x1 < right - slack and prev.x1 + 0.3 * prev.size + (first.x1 - first.x0) <= right


def _starts_with_number(text: str) -> bool:
    return bool(re.match(r"^\d{1,3}\s", text))


def _closing_quote(text: str, nxt: str) -> bool:
    """Does line ``nxt`` start with the quotation mark that closes the one
    left open in ``text`` (a straight quote opened an odd number of times, or
    an unmatched curly one), followed by a space or punctuation?"""
    if not text or text[-1].isspace() or nxt[:1] not in ('"', "\u201d"):
        return False
    if nxt[1:2] not in ("", " ", ".", ",", ";", ":", ")", "!", "?"):
        return False
    if nxt[0] == '"':
        return text.count('"') % 2 == 1
    return text.count("\u201c") > text.count("\u201d")


def join_lines(lines: list[PLine], lexicon: Lexicon) -> tuple[str, str, list[tuple[int, int, BBoxT]]]:
    """Block text (hyphen breaks joined), raw (lines joined by newlines), markers re-based."""
    text = ""
    markers: list[tuple[int, int, BBoxT]] = []
    for i, ln in enumerate(lines):
        if i == 0:
            base = 0
            text = ln.text
        else:
            decision = join_hyphen(text, ln.text, lexicon) if text.endswith("-") else None
            narrow = (ln.margin and lines[i - 1].margin) or ln.role == lines[i - 1].role == "heading"
            if decision is None and narrow and join_cut(text, ln.text, lexicon):
                decision = False  # a word cut without a hyphen in a margin column or a heading wider than its column
            if decision is None and _closing_quote(text, ln.text):
                decision = False  # '"whole-of-government' / '" approach': a closing quote set at the line start
            if decision is True:
                text = text[:-1]
                base = len(text)
                text += ln.text
            elif decision is False or not text or not ln.text:
                base = len(text)
                text += ln.text
            else:
                text += " "
                base = len(text)
                text += ln.text
        markers.extend((n, base + off, bb) for n, off, bb in ln.markers)
    raw = "\n".join(ln.raw for ln in lines)
    return text, raw, markers
