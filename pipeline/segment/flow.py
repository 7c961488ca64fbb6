"""Where a paragraph goes on across a column or page break, from the
document's own measurements.

The text alone cannot tell that a paragraph whose last line on a page ends
a sentence goes on at the top of the next page. The geometry can:

* in a justified document, the last line of a paragraph is short (set flush
  left); a line that fills the measure up to the right edge at the foot of a
  column is not the paragraph's last;
* in a document that indents its paragraphs, a new paragraph at the top of a
  column starts indented; a line flush at the left edge there goes on with the
  paragraph before;
* in a ragged-right text, a line inside a paragraph ends where the next word
  did not fit: when the first word at the top of the next column would have
  fitted in the space left at the end of the last line, that line ended its
  paragraph (``fits``); when it would not, and the text does not end a
  sentence there, the paragraph goes on.

``measure`` reads, on the layout's body blocks: the left and right edges of
the running text per page column, whether lines inside paragraphs end at the
right edge (justified), and the first-line indent the document uses (if any).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline.datamodel import Layout, Line


@dataclass(frozen=True)
class TextFlow:
    edges: dict[tuple[int, int], tuple[float, float]]  # (page, column) -> (left, right) of the running text
    indent: float | None  # first-line indent (em), None when paragraphs are not indented
    justified: bool


def _mode(values: list[float], step: float) -> float | None:
    counts = Counter(round(v / step) * step for v in values)
    return max(counts.items(), key=lambda kv: (kv[1], -kv[0]))[0] if counts else None


def measure(layout: Layout) -> TextFlow:
    by_col: dict[tuple[int, int], list[Line]] = {}
    blocks = []
    for page in layout.pages:
        for b in page.blocks:
            if b.role == "body" and b.lines:
                blocks.append(b)
                by_col.setdefault((page.number, b.column), []).extend(b.lines)
    edges = _edges({k: [(ln.bbox[0], ln.bbox[2]) for ln in v] for k, v in by_col.items()})
    offsets: list[float] = []
    full = inner = 0
    for b in blocks:
        left, right = edges[(b.page, b.column)]
        size = max(b.size, 1.0)
        if len(b.lines) < 2 or right - left < 8 * size:
            continue
        first, second = b.lines[0], b.lines[1]
        if abs(second.bbox[0] - left) < 0.3 * size and 0.4 * size <= first.bbox[0] - left <= 4 * size:
            offsets.append((first.bbox[0] - left) / size)
        for ln in b.lines[1:-1]:
            if abs(ln.bbox[0] - left) < 0.3 * size:
                inner += 1
                full += ln.bbox[2] >= right - 0.3 * size
    indent = None
    m = _mode(offsets, 0.1)
    if m is not None and sum(1 for o in offsets if abs(o - m) <= 0.15) >= max(3, 0.5 * len(offsets)):
        indent = m
    return TextFlow(edges, indent, inner > 0 and full >= 0.7 * inner)


def _edges(by_col: dict[tuple[int, int], list[tuple[float, float]]], min_lines: int = 6) -> dict:
    """(left, right) of the running text per (page, column): the most common
    left end and the 90th percentile right end of its lines; a column with
    fewer than ``min_lines`` lines takes those of its column index over the
    whole document (a page holding the end of a paragraph only)."""
    by_index: dict[int, list[tuple[float, float]]] = {}
    for (_page, column), spans in by_col.items():
        by_index.setdefault(column, []).extend(spans)

    def measure_spans(spans: list[tuple[float, float]]) -> tuple[float, float]:
        left = _mode([a for a, _b in spans], 1.0)
        rights = sorted(b for _a, b in spans)
        return (left if left is not None else spans[0][0], rights[int(0.9 * (len(rights) - 1))])

    overall = {column: measure_spans(spans) for column, spans in by_index.items()}
    return {key: measure_spans(spans) if len(spans) >= min_lines else overall[key[1]] for key, spans in by_col.items()}


def _edge(flow: TextFlow, ln: Line) -> tuple[float, float]:
    return flow.edges.get((ln.page, ln.column), (ln.bbox[0], ln.bbox[2]))


def open_end(flow: TextFlow, last: Line) -> bool:
    """The last line of a block does not end its paragraph by its length: it
    fills the measure of a justified text, or (in an indented, ragged text) it
    is not short. A justified line that ends a sentence must reach the edge
    to a tenth of an em: a paragraph's last line that merely comes close
    (its natural width a point or two short) ends the paragraph."""
    left, right = _edge(flow, last)
    size = max(last.size, 1.0)
    if flow.justified:
        ends = last.text.rstrip().rstrip('"”’»)').endswith((".", "!", "?"))
        return last.bbox[2] >= right - (0.1 if ends else 0.3) * size
    if flow.indent:
        return last.bbox[2] >= right - max(2.5 * size, 0.15 * (right - left))
    return False


def slack(flow: TextFlow, last: Line) -> float:
    """The room (pt) left between the end of ``last`` and the right edge of its column."""
    return max(0.0, _edge(flow, last)[1] - last.bbox[2])


def first_word(first: Line) -> float:
    """The width (pt) the first word of ``first`` and a space before it take,
    from the line's mean character width (the words' own boxes are not kept)."""
    text = first.text.strip()
    if not text:
        return 0.0
    per_char = (first.bbox[2] - first.bbox[0]) / len(text)
    return per_char * (len(text.split()[0]) + 1)


def at_left(flow: TextFlow, first: Line) -> bool:
    """``first`` starts at the left edge of its column (not indented)."""
    left, _right = _edge(flow, first)
    return abs(first.bbox[0] - left) < 0.3 * max(first.size, 1.0)


def flush_start(flow: TextFlow, first: Line) -> bool:
    """The first line of a block sits at the left edge, and the document marks
    its paragraphs by indenting them or by a short last line (justified text)."""
    left, _right = _edge(flow, first)
    size = max(first.size, 1.0)
    if flow.indent:
        return first.bbox[0] - left < 0.5 * flow.indent * size
    return flow.justified and abs(first.bbox[0] - left) < 0.3 * size
