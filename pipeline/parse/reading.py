"""Reading order of a page's lines: regions top to bottom; in a region,
full-width lines top to bottom and between them a band of column lines read
column by column, or, for a margin column of side-heads, each side-head
before its paragraph (``reading_order``; split from ``pipeline.parse.columns``)."""

from __future__ import annotations

from statistics import median

from pipeline.parse.layout import PLine


def bands(ordered: list[PLine]) -> list[list[PLine]]:
    """Runs of column lines of one region between full-width lines (full-width
    lines excluded)."""
    out: list[list[PLine]] = []
    cur: list[PLine] = []
    for ln in ordered:
        if ln.column == 0 or (cur and ln.region != cur[0].region):
            if cur:
                out.append(cur)
                cur = []
        if ln.column != 0:
            cur.append(ln)
    if cur:
        out.append(cur)
    return out


def reading_order(lines: list[PLine]) -> list[PLine]:
    """Regions top to bottom; in a region, full-width lines top to bottom and
    a band of columns between them read column by column, or, when one of two
    columns is a margin of side-heads, each side-head before the paragraph it
    stands beside (``_margin_column``)."""
    ordered = sorted(lines, key=lambda ln: (ln.region, ln.row, ln.x0))
    out: list[PLine] = []
    band: list[PLine] = []
    for ln in ordered:
        if band and ln.region != band[0].region:
            out.extend(_read_band(band))
            band = []
        if ln.column == 0:
            if band:
                out.extend(_read_band(band))
                band = []
            out.append(ln)
        else:
            band.append(ln)
    out.extend(_read_band(band))
    return out


def _read_band(band: list[PLine]) -> list[PLine]:
    by_column = sorted(band, key=lambda b: (b.column, b.row, b.x0))
    side = _margin_column(band)
    if side is None:
        return by_column
    main = [ln for ln in by_column if ln.column != side]
    main_rows = {ln.row for ln in main}
    # a side-head goes before the line it starts beside; a margin item with
    # no main text beside it (a heading above the text) by its position
    pending = _margin_groups([ln for ln in by_column if ln.column == side])
    out: list[PLine] = []
    for ln in main:
        while pending and (pending[0][0].row == ln.row or (pending[0][0].row not in main_rows and pending[0][-1].row < ln.row)):
            out.extend(pending.pop(0))
        out.append(ln)
    for group in pending:
        out.extend(group)
    for ln in band:
        ln.margin = ln.column == side
    return out


def _margin_groups(lines: list[PLine]) -> list[list[PLine]]:
    """Consecutive lines of a margin column set as one item (normal leading)."""
    groups: list[list[PLine]] = []
    for ln in lines:
        if groups and ln.top - groups[-1][-1].bottom <= 0.8 * max(ln.size, groups[-1][-1].size):
            groups[-1].append(ln)
        else:
            groups.append([ln])
    return groups


def _margin_column(band: list[PLine]) -> int | None:
    """The column of a band that is a margin of side-heads (or margin notes)
    beside a main text column: much narrower, holding few lines, in short
    items each of which starts on the first line of a paragraph of the main
    column (a side-head's first baseline is its paragraph's). None for
    ordinary columns of text, or a table whose first column is narrow."""
    cols: dict[int, list[PLine]] = {}
    for ln in band:
        cols.setdefault(ln.column, []).append(ln)
    if len(cols) != 2:
        return None
    (ca, la), (cb, lb) = sorted(cols.items())
    for side, s_lines, m_lines in ((ca, la, lb), (cb, lb, la)):
        s_width = max(ln.x1 for ln in s_lines) - min(ln.x0 for ln in s_lines)
        m_width = max(ln.x1 for ln in m_lines) - min(ln.x0 for ln in m_lines)
        if s_width > 0.6 * m_width or len(s_lines) > len(m_lines):
            continue
        if side > min(cols) and median([ln.size for ln in s_lines]) >= median([ln.size for ln in m_lines]) - 0.3:
            continue  # right of the text in its size: a short column (two note columns), not margin notes
        main = sorted(m_lines, key=lambda ln: ln.row)
        pitches = sorted(b.baseline - a.baseline for a, b in zip(main, main[1:]) if b.baseline > a.baseline)
        pitch = pitches[len(pitches) // 2] if pitches else 1.2 * main[0].size
        opens: set[int] = set()  # rows where a main paragraph starts
        for i, ln in enumerate(main):
            if i == 0 or ln.baseline - main[i - 1].baseline >= 1.3 * pitch:
                opens.add(ln.row)
        groups = _margin_groups(sorted(s_lines, key=lambda ln: ln.row))
        if all(
            group[0].row in opens
            or not any(ln.top < group[-1].bottom and ln.bottom > group[0].top for ln in main)
            for group in groups
        ) and any(group[0].row in opens for group in groups):
            return side
    return None
