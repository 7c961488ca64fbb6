"""Figures and call-outs: text that is part of a graphic, not of the running text.

* Charts drawn as vector graphics: a bar chart is three or more filled
  rectangles with no text inside them that share an edge (horizontal bars
  starting from one axis, vertical bars standing on one baseline); a line
  chart is an open stroked path of several points with a straight axis line
  near it. The chart's box grows by the graphics touching it (axis lines,
  ticks, grid lines). Text lines overlapping that box vertically and
  horizontally (bar labels, values) are the figure's, and so are lines set in
  the same small size just above or below it (tick labels, a legend).
  Tables are not charts: their rules and shaded cells hold text, and grid
  lines alone make no chart.
* Pull quotes: a filled box in the column holding a short sentence set in
  italic larger than the body ("“The municipality always applies ...”").
  A heading on a shaded band is bold or capitals and not a sentence.

Both kinds of line get the role ``caption``: the segment stage leaves them
out of sections and paragraphs, and the statistics of a chart's labels are
not read as the text's.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from pipeline.parse.layout import PLine, Word

BBox = tuple[float, float, float, float]

# a sentence: ends with . ! ? (… closing quotes or brackets after it), or is quoted
_SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’»)\]]*$")
_QUOTED_RE = re.compile(r"^[\"'“‘«„]")


def _inside(w: Word, box: BBox, pad: float = 0.5) -> bool:
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return box[0] - pad <= cx <= box[2] + pad and box[1] - pad <= cy <= box[3] + pad


def _box(obj: dict) -> BBox:
    return (float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"]))


def _touch(a: BBox, b: BBox, pad: float) -> bool:
    return a[0] - pad <= b[2] and b[0] - pad <= a[2] and a[1] - pad <= b[3] and b[1] - pad <= a[3]


def _union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _aligned_groups(marks: list[BBox], min_marks: int) -> list[list[BBox]]:
    """Groups of at least ``min_marks`` marks sharing their left edge (bars
    from a vertical axis) or their bottom edge (bars on a baseline), each
    mark within a few bar widths of the next."""
    groups: list[list[BBox]] = []
    for edge, along in ((0, 1), (3, 0)):  # (shared coordinate, coordinate the bars are stacked along)
        by_edge: dict[int, list[BBox]] = {}
        for m in marks:
            by_edge.setdefault(round(m[edge]), []).append(m)
        for key in sorted(by_edge):
            same = sorted(by_edge[key] + by_edge.get(key + 1, []), key=lambda m: m[along])
            same = list(dict.fromkeys(same))
            if len(same) < min_marks:
                continue
            run = [same[0]]
            for m in same[1:]:
                thick = (run[-1][along + 2] - run[-1][along]) or 1.0
                if m[along] - run[-1][along + 2] <= 3 * thick + 2:
                    run.append(m)
                else:
                    if len(run) >= min_marks:
                        groups.append(run)
                    run = [m]
            if len(run) >= min_marks:
                groups.append(run)
    return [g for g in groups if _bars(g)]


def _bars(group: list[BBox]) -> bool:
    """Bars of a chart, not the cells of a table: one thickness, lengths that
    differ (the values), a gap between neighbours (table cells abut)."""
    horizontal = len({round(m[0]) for m in group}) <= 2  # sharing the left edge
    lengths = [(m[2] - m[0]) if horizontal else (m[3] - m[1]) for m in group]
    thick = [(m[3] - m[1]) if horizontal else (m[2] - m[0]) for m in group]
    starts = sorted(group, key=lambda m: m[1] if horizontal else m[0])
    gaps = [
        (b[1] - a[3]) if horizontal else (b[0] - a[2]) for a, b in zip(starts, starts[1:])
    ]
    return (
        min(thick) >= 2.0
        and max(thick) <= 1.3 * min(thick)
        and max(lengths) >= 1.15 * min(lengths)
        and min(gaps) >= 0.5
    )


def chart_boxes(graphics: list[dict], words: list[Word], width: float, height: float, min_bars: int = 3) -> list[BBox]:
    """Boxes of the charts drawn on a page (see the module docstring)."""
    if not graphics:
        return []
    page_area = width * height
    objects = [_box(g) for g in graphics]
    index: list[tuple[list, list]] = []  # the words' centres by y, made when first needed

    def holds_text(b: BBox, pad: float = 0.5) -> bool:
        if not index:
            by_y = sorted(((w.top + w.bottom) / 2, (w.x0 + w.x1) / 2) for w in words)
            index.append(([c[0] for c in by_y], by_y))
        ys, centres = index[0]
        lo, hi = bisect_left(ys, b[1] - pad), bisect_right(ys, b[3] + pad)
        return any(b[0] - pad <= cx <= b[2] + pad for _cy, cx in centres[lo:hi])

    free: list[BBox] = []  # filled rectangles with no text inside
    for g, b in zip(graphics, objects):
        area = (b[2] - b[0]) * (b[3] - b[1])
        if g["kind"] == "rect" and g.get("fill") and 2.0 <= area <= 0.25 * page_area and not holds_text(b):
            free.append(b)
    seeds = [_union(group) for group in _aligned_groups(free, min_bars)]
    # line charts: an open stroked path of several points next to a straight axis line
    straight = [b for g, b in zip(graphics, objects) if g["kind"] == "line"]
    for g, b in zip(graphics, objects):
        if (
            g["kind"] == "curve"
            and not g.get("fill")
            and int(g.get("points", 0)) >= 4
            and (b[2] - b[0]) * (b[3] - b[1]) <= 0.25 * page_area
            and not holds_text(b, -0.5)
            and any(_touch(b, s, 3.0) for s in straight)
        ):
            seeds.append(b)
    if not seeds:
        return []
    # grow each chart by the graphics touching it (axes, ticks, grid lines),
    # never by a page-wide object (a rule under the header, a background)
    small = [b for b in objects if (b[2] - b[0]) < 0.9 * width and (b[3] - b[1]) < 0.9 * height]
    charts: list[BBox] = []
    for seed in seeds:
        box = seed
        for _ in range(3):
            grown = _union([box] + [b for b in small if _touch(box, b, 2.0)])
            if grown == box:
                break
            box = grown
        merged = False
        for i, other in enumerate(charts):
            if _touch(box, other, 2.0):
                charts[i] = _union([box, other])
                merged = True
                break
        if not merged:
            charts.append(box)
    return sorted(charts, key=lambda b: (b[1], b[0]))


def mark_figure_text(lines: list[PLine], charts: list[BBox]) -> None:
    """Role ``caption`` for the lines that belong to a chart: overlapping its
    box, or in the size of its labels within a line and a half above / below it."""
    for box in charts:
        own = [ln for ln in lines if ln.x1 > box[0] and ln.x0 < box[2] and ln.bottom > box[1] and ln.top < box[3]]
        if not own:
            continue
        sizes = {round(ln.size, 1) for ln in own}
        for ln in own:
            ln.role = "caption"
        for ln in lines:
            if ln.role == "caption" or not (ln.x1 > box[0] and ln.x0 < box[2]):
                continue
            near = box[1] - 1.6 * ln.size <= ln.bottom and ln.top <= box[3] + 1.6 * ln.size
            if near and round(ln.size, 1) in sizes:
                ln.role = "caption"


def text_boxes(graphics: list[dict], width: float, height: float) -> list[BBox]:
    """Filled rectangles that may hold text (shaded boxes, bands), page-wide
    backgrounds excluded."""
    out = []
    for g in graphics:
        if g["kind"] == "rect" and g.get("fill"):
            b = _box(g)
            w, h = b[2] - b[0], b[3] - b[1]
            if w >= 40 and h >= 12 and not (w >= 0.9 * width and h >= 0.9 * height):
                out.append(b)
    return out


def mark_pull_quotes(lines: list[PLine], boxes: list[BBox], body: float, larger: float = 1.1, min_words: int = 4) -> None:
    """Role ``caption`` for a pull quote: the lines of a filled box, italic,
    larger than the body (``larger`` × ``body``) and together a sentence."""
    if not boxes:
        return
    # each line's first word's centre, once for all boxes (tried alone first: most lines are outside a box)
    firsts = [((ln.words[0].x0 + ln.words[0].x1) / 2, (ln.words[0].top + ln.words[0].bottom) / 2) if ln.words else None
              for ln in lines]
    for box in boxes:
        left, top, right, bottom = box[0] - 1.0, box[1] - 1.0, box[2] + 1.0, box[3] + 1.0  # (as _inside, pad 1.0)
        inside = [ln for ln, c in zip(lines, firsts) if ln.role in ("body", "heading")
                  and (c is None or (left <= c[0] <= right and top <= c[1] <= bottom)) and all(_inside(w, box, 1.0) for w in ln.words)]
        if not inside:
            continue
        chars = sum(len(ln.text) for ln in inside) or 1
        italic = sum(len(ln.text) for ln in inside if ln.italic) * 2 > chars
        bold = sum(len(ln.text) for ln in inside if ln.bold) * 2 > chars
        size = max(ln.size for ln in inside)
        text = " ".join(" ".join(ln.text for ln in inside).split())
        letters = [c for c in text if c.isalpha()]
        caps = bool(letters) and all(c.isupper() for c in letters)
        sentence = len(text.split()) >= min_words and (_SENTENCE_END_RE.search(text) or _QUOTED_RE.match(text))
        if italic and not bold and not caps and size >= larger * body and sentence:
            for ln in inside:
                ln.role = "caption"
