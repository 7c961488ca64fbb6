"""Columns: gutters, regions, lines cut at gutters (reading order: ``pipeline.parse.reading``).

Geometry on the rows of one page (``pipeline.parse.layout.group_rows``);
coordinates are pdfplumber's (points, origin at the top-left).

* gutters: vertical whitespace strips that split many rows with text on both
  sides (an occupancy grid of the page, one numpy pass), narrowed to where the
  columns part and chosen for even column widths; or the edge of a sparse
  sidebar of side-heads;
* regions: the page cut into horizontal bands at full-width elements (rules
  and coloured boxes reaching across a gutter, text rows running through
  it), each with the gutters of its own rows;
* lines: a row cut at its region's gutters;
* reading order: regions top to bottom; in a region, full-width lines top to
  bottom and between them a band of column lines read column by column, or,
  for a margin column of side-heads, each side-head before its paragraph.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from operator import attrgetter

import numpy as np

from pipeline.parse.layout import BBoxT, PLine, Word, size_counts
from pipeline.parse.reading import bands

_X0 = attrgetter("x0")


# --------------------------------------------------------------------------
# gutters and regions
# --------------------------------------------------------------------------


def _occupancy(rows: list[list[Word]], width: float, height: float, fill_gap: float, bin_size: float):
    """Cells (``bin_size`` grid) where text is printed: a word, or a word space under ``fill_gap`` em. Returns
    (the cell boxes: top, bottom, left, right, ends excluded, in the grid of the cell rows with text only; the
    grid's width; its number of rows (cell rows with text); word sizes)."""
    nx, ny = int(width / bin_size) + 2, int(height / bin_size) + 2
    boxes: list[tuple[int, int, int, int]] = []
    sizes: list[float] = []
    for row in rows:
        for x0, top, x1, bottom in _runs(row, fill_gap):  # (0 if 0 > v else v: max(v, 0))
            a, b = int((0 if 0 > top else top) / bin_size), int((0 if 0 > bottom else bottom) / bin_size) + 1
            boxes.append((a if a < ny else ny, b if b < ny else ny, int((0 if 0 > x0 else x0) / bin_size),
                          int((0 if 0 > x1 else x1) / bin_size) + 1))
        sizes.extend([w.size for w in row])
    boxes = [box for box in boxes if box[0] < box[1]]  # (an empty slice of the page's grid)
    n_text, end = 0, 0  # the cell rows of the boxes that mark a cell, counted once
    cells: list[tuple[int, int, int, int]] = []
    shift = 0  # a cell row r of the current run of rows with text is row r + shift of those rows alone
    for a, b, c0, c1 in sorted(box for box in boxes if box[2] < min(box[3], nx)):
        if b > end:
            if a > end:  # a new run of rows starts at a
                shift = n_text - a
            n_text, end = n_text + b - (a if a > end else end), b
        cells.append((a + shift, b + shift, c0, c1))
    return cells, nx, n_text, sizes


# rows' runs, kept while one page's regions are found (``column_regions``): id -> (row, fill_gap, runs)
_RUNS: dict[int, tuple] | None = None


def _runs(row: list[Word], fill_gap: float) -> list[BBoxT]:
    """A row's words merged where the space between them is under ``fill_gap`` em."""
    hit = _RUNS.get(id(row)) if _RUNS is not None else None
    if hit is not None and hit[0] is row and hit[1] == fill_gap:
        return hit[2]
    ws = sorted(row, key=_X0)
    x0, x1, top, bottom = ws[0].x0, ws[0].x1, ws[0].top, ws[0].bottom
    out: list[BBoxT] = []
    for w in ws[1:]:
        if w.x0 - x1 <= fill_gap * (1.0 if 1.0 > w.size else w.size):  # max(), min() spelled out
            x1, top, bottom = (w.x1 if w.x1 > x1 else x1), (w.top if w.top < top else top), (w.bottom if w.bottom > bottom else bottom)
        else:
            out.append((x0, top, x1, bottom))
            x0, x1, top, bottom = w.x0, w.x1, w.top, w.bottom
    out.append((x0, top, x1, bottom))
    if _RUNS is not None:
        _RUNS[id(row)] = (row, fill_gap, out)
    return out


def find_gutters(
    rows: list[list[Word]], width: float, height: float, *, fill_gap: float, min_width: float, min_rows_fraction: float,
    min_lines: float, min_column_fraction: float = 0.2, bin_size: float = 2.0, span: tuple[float, float] | None = None,
    sidebar: bool = False,
) -> list[tuple[float, float]]:
    """Vertical whitespace strips that separate text columns in ``rows``.

    A grid cell is occupied where a word (or a word space shorter than
    ``fill_gap`` em) is printed. For every x, count the grid rows where that x
    is empty but the row has text both left and right of it: a candidate strip
    is a run of x where that count is a large share of the text rows, at least
    ``min_width`` points wide. Each strip is narrowed to its core (the x where
    the count is within 10 % of the strip's highest), which is where the
    columns really part: a ragged or indented column widens the empty strip on
    one side only.

    Among the candidate strips, the set (one or two gutters) is chosen whose
    columns are all at least ``min_column_fraction`` of the text width
    (``span``: the page's text extent; default the extent of ``rows``) and, of
    those, the most even in width: columns of a page are set to one measure,
    while the wide gap between a contents entry and its page number, or a
    hanging year column, makes uneven ones. With ``sidebar`` (a whole page),
    a page without such strips may still have the gutter of a sparse sidebar
    (``_side_gutter``).
    """
    if not rows:
        return []
    boxes, nx, n_text, sizes = _occupancy(rows, width, height, fill_gap, bin_size)
    if n_text == 0:
        return []
    sizes.sort()  # the median as numpy's
    half = len(sizes) // 2
    line_h = float(sizes[half] if len(sizes) % 2 else (sizes[half - 1] + sizes[half]) / 2) * 1.2
    if not sidebar and n_text < 0.5 * min_lines * line_h / bin_size:
        return []  # too few rows to part as many as any test below asks (no row parts at an x twice)
    g = np.zeros((n_text, nx), dtype=bool)  # the grid of the cell rows with text (no empty row made)
    for a, b, c0, c1 in boxes:
        g[a:b, c0:c1] = True
    # each row of g has text; at x, the rows spanning x (first cell <= x <= last) less those with text at x part
    cross = g.sum(axis=0)
    first, last = g.argmax(axis=1), nx - g[:, ::-1].argmax(axis=1)  # (last: one past)
    split = np.cumsum(np.bincount(first, minlength=nx + 1)[:nx] - np.bincount(last, minlength=nx + 1)[:nx]) - cross
    threshold = max(min_rows_fraction * n_text, min_lines * line_h / bin_size)
    ok = split >= threshold
    # a short column beside a long one (the end of a paragraph at the top of
    # the second column): few rows part there, but hardly any row runs
    # through the strip; rows with text on one side only do not speak against it
    # (or, for a column of several lines, among the rows that do not run through
    # the whole middle of the text: a full-width header or notes under both
    # columns run through every x alike)
    if span is None:
        used = np.flatnonzero(g.any(axis=0))
        span = (used[0] * bin_size, (used[-1] + 1) * bin_size)
    quarter = 0.25 * (span[1] - span[0])
    mid = g[:, int((span[0] + quarter) / bin_size) : int((span[1] - quarter) / bin_size) + 1]
    part = ~mid.all(axis=1) if mid.shape[1] else np.ones(g.shape[0], dtype=bool)
    ok |= (split >= 0.5 * min_lines * line_h / bin_size) & (cross <= 0.15 * n_text)
    ok |= (split >= min_lines * line_h / bin_size) & (g[part].sum(axis=0) <= 0.15 * max(int(part.sum()), 1))
    # a single line there (a paragraph's last line carried to the top of the
    # next column) beside a column of several lines, when no more than a
    # stray row (a running header) crosses
    if n_text >= min_lines * line_h / bin_size:
        ok |= (split >= 0.6 * line_h / bin_size) & (cross <= 0.05 * n_text)
    lo, hi = int(0.12 * nx), int(0.88 * nx)
    ok[:lo] = False
    ok[hi:] = False
    # candidate strips: (core start, core end, count at the core) in points
    strips: list[tuple[float, float, int]] = []
    clean: dict[tuple[float, float, int], bool] = {}  # hardly any row runs across the core
    ends = np.flatnonzero(np.diff(ok[lo:hi].astype(np.int8), prepend=0, append=0)) + lo  # each run of ok: start, end
    for start, x in zip(ends[::2].tolist(), ends[1::2].tolist()):
        if (x - start) * bin_size < min_width:
            continue
        seg = split[start:x]
        # the core: where most rows part; and, where that is not also where
        # the fewest rows run across, there too (a year column inside the
        # right column of a two-column list parts more rows than the gutter,
        # but its entries' author lines run across it): the even widths choose
        through = cross[start:x]
        clear = through <= through.min() + max(1.0, 0.4 * line_h / bin_size)  # less than a line more
        # each run of x where the fewest rows run across, and, in a strip as wide as a
        # column (over a short middle column: both its gutters), each where about as
        # many rows part as at its strongest
        wide = (x - start) * bin_size >= min_column_fraction * (span[1] - span[0])
        zones = [np.ones(len(seg), dtype=bool), *_runs_of(clear), *(_runs_of(seg >= 0.9 * seg.max()) if wide else [])]
        for allowed in zones:
            c0, c1, count = _core(seg, allowed)
            core = ((start + c0) * bin_size, (start + c1 + 1) * bin_size, count)
            if not any(a < core[1] and core[0] < b for a, b, _c in strips):
                strips.append(core)
                # (and fewer rows run across than part there: a river of word
                # spaces in a short column parts a few of the rows running through it)
                low = int(through[c0 : c1 + 1].min())
                clean[core] = low <= 0.15 * n_text and low < count
    edge_l, edge_r = span
    min_col = min_column_fraction * (edge_r - edge_l)
    if not strips:
        side = _side_gutter(rows, fill_gap, min_width, span, min_col) if sidebar else None
        return [side] if side else []
    strongest = max(c for _a, _b, c in strips)
    # a weaker strip stays when hardly any row runs across it (the gutter
    # before a third column that holds less text than the first two)
    strips = [s for s in strips if s[2] >= 0.5 * strongest or clean[s]][:12]
    strips.sort()  # a combination's columns left to right (one wide strip yields its cores in any order)
    # each strip ended where a column's labels start inside it (a year column
    # beside its entries) before the columns' widths are compared
    strips = [(g0, g1, c) for (g0, g1), (_a, _b, c) in zip(_trim_to_edges(rows, [(a, b) for a, b, _c in strips], fill_gap, min_width), strips)]
    bests: dict[int, tuple] = {}
    for k in (2, 1):  # at most three columns
        for combo in combinations(strips, k):
            edges = [edge_l] + [v for g0, g1, _c in combo for v in (g0, g1)] + [edge_r]
            widths = [edges[i + 1] - edges[i] for i in range(0, len(edges), 2)]
            if min(widths) < min_col:
                continue
            # a column's text narrower than that is still a column when the
            # measures are even and it starts at the column's edge (a
            # paragraph's last line carried to the top of the third column)
            even = max(widths) <= 1.1 * min(widths)
            if any(w < min_col and not (even and off <= 2 * bin_size) for w, off in _text_widths(g, combo, edges, bin_size)):
                continue
            key = (max(widths) / min(widths), -min(c for _a, _b, c in combo), combo[0][0])
            if k not in bests or key < bests[k][0]:
                bests[k] = (key, combo)
    if bests:
        # three columns, unless two are far more even (a river of word spaces
        # down a narrow justified column is no gutter between columns of one measure)
        k = 2 if 2 in bests and (1 not in bests or bests[2][0][0] <= 1.5 * bests[1][0][0]) else 1
        return _trim_to_edges(rows, [(g0, g1) for g0, g1, _c in bests[k][1]], fill_gap, min_width)
    side = _side_gutter(rows, fill_gap, min_width, span, min_col) if sidebar else None
    return [side] if side else []


def _trim_to_edges(rows: list[list[Word]], gutters: list[tuple[float, float]], fill_gap: float, min_width: float) -> list[tuple[float, float]]:
    """Each gutter ended where text of the next column starts inside it at one
    x in two rows or more: a column's year labels ("2005a" beside its
    entries in a narrow column) part fewer rows than the gutter, and the
    strip counted as empty takes them in; a row with a label there does not
    run through the gutter."""
    out: list[tuple[float, float]] = []
    for g0, g1 in gutters:
        starts = sorted(r[0] for row in rows for r in _runs(row, fill_gap) if g0 + min_width < r[0] < g1 - 0.5)
        aligned = [x for x in starts if sum(1 for y in starts if abs(x - y) <= 1.0) >= 2]
        out.append((g0, min(aligned)) if aligned else (g0, g1))
    return out


def _runs_of(mask: np.ndarray) -> list[np.ndarray]:
    """Each run of True in ``mask``, as a mask of its own."""
    edges, x = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))), np.arange(len(mask))
    return [(x >= a) & (x < b) for a, b in zip(edges[::2], edges[1::2])]


def _core(seg: np.ndarray, allowed: np.ndarray) -> tuple[int, int, int]:
    """The run around the highest count of ``seg`` among ``allowed`` x where
    the count is within 10 % of it: (first, last, count)."""
    peak = int(np.argmax(np.where(allowed, seg, -1)))
    floor = 0.9 * seg[peak]
    c0 = c1 = peak
    while c0 > 0 and seg[c0 - 1] >= floor and allowed[c0 - 1]:
        c0 -= 1
    while c1 + 1 < len(seg) and seg[c1 + 1] >= floor and allowed[c1 + 1]:
        c1 += 1
    return c0, c1, int(seg[peak])


def _text_widths(g: np.ndarray, combo, edges: list[float], bin_size: float) -> list[tuple[float, float]]:
    """Width of the text each column of ``combo`` holds, in the grid rows that
    no gutter runs through (a heading hanging across the gutter is not part of
    the column it starts in: a hanging year-label column stays narrow), and
    how far right of the column's left edge it starts."""
    crossed = np.zeros(g.shape[0], dtype=bool)
    for g0, g1, _c in combo:
        crossed |= g[:, int((g0 + g1) / 2 / bin_size)]
    kept = g[~crossed]
    widths = []
    for i in range(0, len(edges), 2):
        a, b = int(edges[i] / bin_size), int(edges[i + 1] / bin_size) + 1
        used = np.flatnonzero(kept[:, a:b].any(axis=0)) if len(kept) else []
        widths.append(((used[-1] - used[0] + 1) * bin_size, a * bin_size + used[0] * bin_size - edges[i]) if len(used) else (0.0, float("inf")))
    return widths


def _side_gutter(
    rows: list[list[Word]], fill_gap: float, min_width: float, span: tuple[float, float], min_col: float
) -> tuple[float, float] | None:
    """The gutter of a sparse sidebar: most rows have nothing left of one edge
    well inside the text area (the body column's, where many lines start), a
    few hold text left of it too (side-heads beside the first line of their
    paragraph, margin notes), and hardly any run across it (a part heading
    hanging into the margin). Too few rows part there for ``find_gutters``'
    share of rows, but the edge is sharp enough that one row suffices. The
    gutter runs from the sidebar's widest text to the leftmost body text."""
    n = len(rows)
    if n < 4:
        return None
    runs_by_row = [_runs(row, fill_gap) for row in rows]
    starts: Counter = Counter(round(r[0]) for runs in runs_by_row for r in runs)
    for edge, count in starts.most_common(3):
        if count < 3 or edge - span[0] < min_col or span[1] - edge < min_col:
            continue
        # sidebar text starts at the sidebar (not a bullet just left of the edge)
        side = [r for runs in runs_by_row for r in runs if r[2] <= edge - min_width and r[0] <= edge - min_col]
        if not side:
            continue
        left_end = max(r[2] for r in side)
        body_left = min((r[0] for runs in runs_by_row for r in runs if r[0] > left_end), default=span[1])
        if body_left - left_end < min_width:
            continue
        mid = (left_end + body_left) / 2
        crossing = sum(1 for runs in runs_by_row if any(r[0] < mid < r[2] for r in runs))
        body = sum(1 for runs in runs_by_row if runs[0][0] > mid)
        parted = sum(
            1 for runs in runs_by_row if runs[0][0] < mid < runs[-1][0] and not any(r[0] < mid < r[2] for r in runs)
        )
        if parted and body >= 0.5 * n and crossing <= 0.15 * n:
            return (left_end, body_left)
    return None


@dataclass(slots=True)
class Region:
    """A horizontal band of the page with its own column gutters."""

    top: float
    bottom: float
    rows: list[int]  # indices into the page's rows
    gutters: list[tuple[float, float]]


def _crosses(row: list[Word], gutters: list[tuple[float, float]], fill_gap: float, heads: "Headings | None" = None) -> bool:
    """Text of the row runs through a gutter (a full-width line), or a word
    space of larger type bridges it (``Headings.bridges``)."""
    if any(x0 < (g0 + g1) / 2 < x1 for x0, _t, x1, _b in _runs(row, fill_gap) for g0, g1 in gutters):
        return True
    ws = sorted(row, key=lambda w: w.x0)
    return heads is not None and any(heads.bridges(a, b, g) for a, b in zip(ws, ws[1:]) for g in gutters)


@dataclass(slots=True)
class Headings:
    """Tells a heading's word space that lies across a gutter from the gutter:
    the size of the running text, and where the lines right of each gutter start."""

    size: float
    starts: dict[tuple[float, float], float]

    @classmethod
    def of(cls, rows: list[list[Word]], gutters: list[tuple[float, float]], size: float | None = None) -> "Headings":
        starts: dict[tuple[float, float], float] = {}
        for g0, g1 in gutters:
            mid = (g0 + g1) / 2
            xs: Counter = Counter()
            for row in rows:
                right = [w.x0 for w in row if w.x0 >= mid]
                if right and all(w.x1 <= mid or w.x0 >= mid for w in row):
                    xs[round(min(right) * 2) / 2] += 1
            if xs:
                starts[(g0, g1)] = xs.most_common(1)[0][0]
        return cls(text_size(rows) if size is None else size, starts)

    def bridges(self, a: Word, b: Word, gutter: tuple[float, float]) -> bool:
        """The space between words A and B is a heading's word space: both set
        in one font and size well above the text's, on either side of the
        gutter within an em of it, and B does not start where the lines of
        the next column do (a letter-spaced part heading, "COVID-19" |
        "ANALYSIS", whose wide word space lies across a gutter)."""
        g0, g1 = gutter
        start = self.starts.get(gutter, g1)
        return (
            a.font == b.font
            and abs(a.size - b.size) < 0.05
            and a.size >= 1.3 * self.size
            and g0 - a.size <= a.x1 <= (g0 + g1) / 2 <= b.x0 <= start + a.size
            and abs(b.x0 - start) > 1.0
        )


def text_size(rows: list[list[Word]]) -> float:
    """The size most characters of the rows are set in (the running text's)."""
    raw: dict[float, int] = {}  # characters per exact size, then per size rounded
    for row in rows:
        for w in row:
            raw[w.size] = raw.get(w.size, 0) + len(w.text)
    return max(size_counts(raw).items(), key=lambda kv: (kv[1], kv[0]))[0] if raw else 0.0


def _text_columns(rows: list[list[Word]], gutters: list[tuple[float, float]], min_chars: int, fill_gap: float) -> bool:
    """Rows parted at ``gutters`` give pieces of running text (median length);
    full-width rows, which run through a gutter, are not counted. In the rows
    with text on both sides, the pieces right of the last gutter must be
    running text too: the last words of justified lines, spread wide in one
    narrow column, part rows as well, into a long piece and a word or two
    (in three rows or more)."""
    lengths: list[int] = []
    last: list[int] = []
    starts: list[float] = []  # where the piece right of the last gutter starts
    crossing = 0
    cuts = [(g0 + g1) / 2 for g0, g1 in gutters]
    for row in rows:
        if _crosses(row, gutters, fill_gap):
            crossing += 1
            continue
        pieces: dict[int, int] = {}
        first_x: dict[int, float] = {}
        for w in row:
            k = sum(1 for c in cuts if c <= (w.x0 + w.x1) / 2)
            pieces[k] = pieces.get(k, 0) + len(w.text) + 1
            first_x[k] = min(first_x.get(k, w.x0), w.x0)
        lengths.extend(pieces.values())
        if len(pieces) > 1 and len(cuts) in pieces:
            last.append(pieces[len(cuts)])
            starts.append(first_x[len(cuts)])
    lengths.sort()
    last.sort()
    # (measured on three such rows or more: two columns whose lines stand at
    # other heights share a row now and then, "... empleo" / "Puentes UC")
    if len(last) >= 3 and last[len(last) // 2] < min_chars:
        return False
    # the lines of a column start at one x; word gaps of justified lines
    # ("rivers") part rows at scattered x, in a column most rows run across
    if crossing > len(starts) > 1:
        aligned = max(sum(1 for x in starts if abs(x - x0) <= 0.6) for x0 in starts)
        if aligned < 0.5 * len(starts):
            return False
    return bool(lengths) and lengths[len(lengths) // 2] >= min_chars


def column_regions(
    rows: list[list[Word]], width: float, height: float, separators: list[BBoxT] = (), *, fill_gap: float,
    min_width: float, min_rows_fraction: float, min_lines: float, min_column_fraction: float = 0.2, min_line_chars: int = 12,
    size: float | None = None,
) -> list[Region]:
    """The page cut into horizontal regions at full-width elements, each with
    the column gutters found in its own rows.

    Full-width elements are rules and filled boxes (``separators``: x0, top,
    x1, bottom) that reach across a column gutter of the page, or most of the
    text width when the page as a whole has no gutter (a part heading printed
    on a coloured band across both columns, a shaded box), and text rows that
    run through a page gutter (a full-width heading or note). Two columns
    above and two below such an element are two regions, each read column by
    column. A region too short to show a gutter of its own keeps the page's
    when its rows part there. Gutters found in a region alone (not the
    page's) must part lines of running text: the pieces they cut rows into
    hold at least ``min_line_chars`` characters (median), which the labels
    of a chart in a framed box do not. ``size``: ``text_size(rows)``, when known.
    """
    if not rows:
        return []
    global _RUNS
    _RUNS = {}
    try:
        params = dict(fill_gap=fill_gap, min_width=min_width, min_rows_fraction=min_rows_fraction,
                      min_lines=min_lines, min_column_fraction=min_column_fraction)
        return _regions(rows, width, height, separators, params, min_line_chars, size)
    finally:
        _RUNS = None


def _regions(rows, width: float, height: float, separators, params: dict, min_line_chars: int, size: float | None) -> list[Region]:
    fill_gap, min_width, min_column_fraction = params["fill_gap"], params["min_width"], params["min_column_fraction"]
    span = (min(w.x0 for row in rows for w in row), max(w.x1 for row in rows for w in row))
    page_gutters = find_gutters(rows, width, height, span=span, sidebar=True, **params)
    if page_gutters and not _text_columns(rows, page_gutters, min_line_chars, fill_gap):
        # a strip of a justified column's wide word spaces is no gutter; a
        # sparse sidebar beside that column may still be there (side-heads)
        side = _side_gutter(rows, fill_gap, min_width, span, min_column_fraction * (span[1] - span[0]))
        page_gutters = [side] if side and _text_columns(rows, [side], min_line_chars, fill_gap) else []
    cuts: set[float] = set()
    text_width = span[1] - span[0]
    for x0, top, x1, bottom in separators:
        if page_gutters:
            across = x1 - x0 >= 0.5 * text_width and any(x0 < g0 and x1 > g1 for g0, g1 in page_gutters)
        else:
            across = x1 - x0 >= 0.6 * text_width and x0 < (span[0] + span[1]) / 2 < x1
        if across:
            cuts.update((round(top, 1), round(bottom, 1)))
    bounds = [(min(w.top for w in row), max(w.bottom for w in row)) for row in rows]
    size = text_size(rows) if size is None else size
    if page_gutters:
        heads = Headings.of(rows, page_gutters, size)
        for row, (top, bottom) in zip(rows, bounds):
            if _crosses(row, page_gutters, fill_gap, heads):
                cuts.update((round(top, 1) - 0.05, round(bottom, 1) + 0.05))
    edges = sorted(cuts)
    regions: list[Region] = []
    by_slot: dict[int, Region] = {}
    for i, (top, bottom) in enumerate(bounds):
        mid = (top + bottom) / 2
        slot = sum(1 for e in edges if e <= mid)
        region = by_slot.get(slot)
        if region is None:
            region = by_slot[slot] = Region(top, bottom, [], [])
            regions.append(region)
        region.rows.append(i)
        region.top, region.bottom = min(region.top, top), max(region.bottom, bottom)
    if len(regions) == 1:
        regions[0].gutters = page_gutters
        return regions
    for region in regions:
        own = [rows[i] for i in region.rows]
        found = find_gutters(own, width, height, span=span, **params)
        if found and not _text_columns(own, found, min_line_chars, fill_gap):
            found = []  # the labels of a chart or the cells of a small table, not columns of text
        if not found and page_gutters and not any(_crosses(r, page_gutters, fill_gap, heads) for r in own):
            parted = sum(1 for r in own if any(min(w.x0 for w in r) < g0 and max(w.x1 for w in r) > g1 for g0, g1 in page_gutters))
            found = page_gutters if parted else []
        region.gutters = found
    regions.sort(key=lambda r: (r.top, r.bottom))
    return _rejoin_parted(regions, rows, fill_gap, size)


def _rejoin_parted(regions: list[Region], rows: list[list[Word]], fill_gap: float, size: float = 0.0) -> list[Region]:
    """A lone row cut off as running through a page gutter goes back into the
    region below it when that region's own gutters part it (text on both
    sides of each, none through): the page's gutter was a strip of that
    region's columns (the space after a year column), not where they part."""
    out: list[Region] = []
    for k, region in enumerate(regions):
        nxt = regions[k + 1] if k + 1 < len(regions) else None
        if len(region.rows) == 1 and not region.gutters and nxt is not None and nxt.gutters:
            row = rows[region.rows[0]]
            parted = all(min(w.x0 for w in row) < g0 and max(w.x1 for w in row) > g1 for g0, g1 in nxt.gutters)
            if parted and not _crosses(row, nxt.gutters, fill_gap, Headings.of([rows[i] for i in nxt.rows], nxt.gutters, size)):
                nxt.rows.insert(0, region.rows[0])
                nxt.top = min(nxt.top, region.top)
                continue
        out.append(region)
    return out


# --------------------------------------------------------------------------
# lines and reading order
# --------------------------------------------------------------------------


def split_rows(rows: list[list[Word]], regions: list[Region], page: int, size: float | None = None) -> list[PLine]:
    """Cut each row where a column gutter of its region runs through a word gap.

    Other wide gaps (justified short lines, tab stops, table cells) do not cut
    a line: inside one column a row is read left to right.
    """
    lines: list[PLine] = []
    size = text_size(rows) if size is None else size
    for k, region in enumerate(regions):
        gutters = region.gutters
        if not gutters:  # no cut: each row a line
            lines.extend(PLine(page=page, words=sorted(rows[r], key=_X0), row=r, region=k) for r in region.rows)
            continue
        heads = Headings.of([rows[r] for r in region.rows], gutters, size)
        for r in region.rows:
            ws = sorted(rows[r], key=_X0)
            cur, prev_x1 = [ws[0]], ws[0].x1
            for w in ws[1:]:
                gap = w.x0 - prev_x1
                cut = (
                    gap > 0.8 * max(w.size, cur[-1].size)
                    # a tracked-out line's wide word spaces are not gutters
                    and not (w.tracked and cur[-1].tracked and w.font == cur[-1].font and w.size == cur[-1].size)
                    and any(prev_x1 <= (g0 + g1) / 2 <= w.x0 and gap >= 0.5 * (g1 - g0) for g0, g1 in gutters)
                    and not any(heads.bridges(cur[-1], w, g) for g in gutters)
                )
                if cut:
                    lines.append(PLine(page=page, words=cur, row=r, region=k))
                    cur, prev_x1 = [w], w.x1
                else:
                    cur.append(w)
                    prev_x1 = max(prev_x1, w.x1)
            lines.append(PLine(page=page, words=cur, row=r, region=k))
    return lines


def assign_columns(lines: list[PLine], regions: list[Region]) -> int:
    """Set ``column`` (0 = full width) and return the page's number of columns
    (the most any region has)."""
    for ln in lines:
        gutters = regions[ln.region].gutters if ln.region < len(regions) else []
        centers = [(g0 + g1) / 2 for g0, g1 in gutters]
        if not centers or any(ln.x0 < c < ln.x1 for c in centers):
            ln.column = 0
        else:
            mid = (ln.x0 + ln.x1) / 2
            ln.column = 1 + sum(1 for c in centers if c <= mid)
    # a column line right below a full-width line of the same style continues
    # it (a heading wrapped onto a short second line), across regions too
    by_row = sorted(lines, key=lambda ln: (ln.row, ln.x0))
    last_full: PLine | None = None
    for ln in by_row:
        if ln.column == 0:
            last_full = ln
        elif (
            last_full is not None
            and ln.row == last_full.row + 1
            and abs(ln.size - last_full.size) < 0.3
            and ln.font == last_full.font
            and abs(ln.x0 - last_full.x0) < ln.size
            and ln.bottom - last_full.bottom <= 1.6 * ln.size
        ):
            ln.column = 0
            last_full = ln
    # bands between full-width lines that hold a single column are full width
    n_cols = 1
    for band in bands(by_row):
        cols = {ln.column for ln in band}
        if len(cols) == 1:
            for ln in band:
                ln.column = 0
        else:
            n_cols = max(n_cols, max(cols))
    return n_cols
