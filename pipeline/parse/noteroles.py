"""Footnote roles: the run of small lines at the foot of a page or column
(:func:`mark_footnotes`) and notes set in columns of their own
(:func:`split_note_columns`); split from :mod:`pipeline.parse.lineroles`."""

from __future__ import annotations

import re
from collections import defaultdict

from pipeline.parse.layout import PLine
from pipeline.parse.lineroles import RoleRules
from pipeline.parse.markers import LONE_NUMBER_RE, MarkerRules, build_text, leading_number


def mark_footnotes(
    lines: list[PLine], body: float, rules: RoleRules, rule_ys: list[float], continued: bool = False,
    last_note: int | None = None,
) -> None:
    """The run of small lines at the foot of each column of a page.

    A run that does not open with a numbered note is a note continued from
    the previous page only when that page had notes (``continued``) and a
    short rule separates it from the body, or, with no rule, when the next
    note of the sequence (``last_note`` + 1, the previous page's last note
    number), set in the same size, follows it in the run. Columns are
    read left to right: a note runs on from the previous column's notes too.
    """
    limit = rules.footnote_max_ratio * body
    by_col: dict[int, list[PLine]] = defaultdict(list)
    for ln in lines:
        if ln.role != "furniture" and not ln.margin:  # side-heads are never notes
            by_col[ln.column].append(ln)
    col_last: int | None = None  # the last note number of the columns read so far on this page
    col_size = 0.0  # and the size of their notes
    for _col, col_lines in sorted(by_col.items()):
        col_lines.sort(key=lambda ln: (ln.top, ln.x0))
        run: list[PLine] = []
        for ln in reversed(col_lines):
            if run and run[-1].top - ln.bottom > 3 * max(ln.size, run[-1].size):
                break  # a wide gap: what lies above is not part of the notes
            if ln.size <= limit and ln.role in ("body", "footnote"):
                run.append(ln)
            else:
                break
        if not run:
            continue
        run.reverse()
        first = run[0]
        numbered = first.label is not None or leading_number(first.text) is not None
        above = [ln for ln in lines if ln.role != "furniture" and ln.top < first.top and ln not in run]
        if not above:
            continue  # a page of small text only: not notes at a foot
        last_body = max(ln.bottom for ln in above)
        ruled = any(last_body - 2 <= y <= first.top + 1 for y in rule_ys)
        # a note runs on from the previous page, or from the previous column's notes
        # (Typst sets the notes of a page in columns in the body's columns)
        on_from = col_last if col_last is not None else last_note
        opened = False
        if not numbered and not (ruled and continued) and (continued or col_last is not None) and on_from is not None:
            # no rule over the notes (Typst, a word processor with the separator off):
            # a note continued is the run's top lines set in the very size of the next
            # note of the sequence below them (and of the previous column's notes)
            opener = next((ln for ln in run if _note_number(ln) is not None), None)
            opened = (opener is not None and _note_number(opener) == on_from + 1
                      and all(abs(ln.size - opener.size) < 0.3 for ln in run[:run.index(opener)])
                      and (col_last is None or abs(opener.size - col_size) < 0.3))
        if numbered or (ruled and continued) or opened:
            for ln in run:
                ln.role = "footnote"
            col_last, col_size = last_note_number(run) or col_last, run[-1].size


def _note_number(ln: PLine) -> int | None:
    """The number a line opens with as a note (its raised label or leading number)."""
    if ln.label is not None:
        return ln.label
    lead = leading_number(ln.text)
    return lead[0] if lead and not lead[1][:1].isdigit() else None  # "1.1. Level of ..." opens no note


def last_note_number(lines: list[PLine]) -> int | None:
    """The highest number opening a note line of a page (None: no numbered note)."""
    numbers = [n for ln in lines if ln.role == "footnote" and (n := _note_number(ln)) is not None]
    return max(numbers) if numbers else None


def split_note_columns(
    lines: list[PLine], rules: MarkerRules, bold_re: re.Pattern, italic_re: re.Pattern
) -> list[PLine]:
    """Notes set in columns of their own (two note columns under a body of
    three, or under one): the page's foot lines read across the note gutter
    as one row are cut at it, and the notes are read column by column. The
    note area is every small line from the page's first note line down.

    The note gutter is measured on the note lines themselves: a vertical strip
    at least an em wide (of the note size) that no word of any note line
    touches, with at least a quarter of the width from the notes' left edge
    to the text's right edge on either side (the gap after a tabbed label
    leaves less than that before it). Lines in
    reading order in, lines in reading order out.
    """
    out = list(lines)
    notes = [ln for ln in lines if ln.role == "footnote"]
    if not notes:
        return out
    # the page's note area: from its first note line down, every small line
    # (the region cuts of the body may have dealt the note lines out to the
    # body's columns)
    zone_top = min(ln.top for ln in notes)
    limit = max(ln.size for ln in notes) + 0.3
    group = [
        ln for ln in lines
        if ln.role in ("footnote", "body") and not ln.margin and ln.top >= zone_top - 0.5 and ln.size <= limit
    ]
    for ln in group:
        ln.role = "footnote"
    # from the notes' own left edge to the right edge of the page's text
    # (a right note column may hold short notes only)
    left = min(ln.x0 for ln in group)
    right = max(ln.x1 for ln in lines if ln.role != "furniture" and not ln.margin)
    cuts = _note_gutters(group, left, right)
    pieces: list[tuple[int, PLine]] = []
    for ln in group:
        for k, words in enumerate(_cut_words(ln.words, cuts)):
            if len(words) == len(ln.words):
                pieces.append((k, ln))
            elif words:
                part = PLine(page=ln.page, words=words, row=ln.row, region=ln.region, margin=ln.margin,
                             column=ln.column, role=ln.role)
                part.measure(bold_re, italic_re)
                build_text(part, rules)
                pieces.append((k, part))
    if not cuts and len({ln.column for ln in group}) > 1 and all(ln.column for ln in group):
        # too short a right note column to show a gutter of its own ("3 Ibid."
        # under a body that fills one column only): the page's column gutter parts them
        pieces = [(ln.column, ln) for _k, ln in pieces]
    pieces.sort(key=lambda kp: (kp[0], kp[1].top, kp[1].x0))
    ids = {id(ln) for ln in group}
    at = next(i for i, ln in enumerate(out) if id(ln) in ids)
    rest = [ln for ln in out if id(ln) not in ids]
    return rest[:at] + [ln for _k, ln in pieces] + rest[at:]


def _note_gutters(group: list[PLine], left: float, right: float) -> list[float]:
    """x positions of the gutters between note columns (empty: one column);
    ``left``/``right``: the page's text frame."""
    if len(group) < 2:
        return []
    size = sorted(ln.size for ln in group)[len(group) // 2]
    spans = sorted((w.x0, w.x1) for ln in group for w in ln.words)
    width = right - left
    gaps: list[tuple[float, float]] = []  # (width, middle) of the strips no word touches
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= size:
            gaps.append((x0 - reach, (reach + x0) / 2))
        reach = max(reach, x1)
    cuts: list[float] = []
    for _w, mid in sorted(gaps, reverse=True):  # the widest first; every column keeps a quarter of the width
        edges = sorted([left, right, *cuts, mid])
        if all(b - a >= 0.25 * width for a, b in zip(edges, edges[1:])) or (
            # a right note column of short notes only ("3. Ibid.") on a page whose
            # text does not reach the frame's right edge: notes start right of it
            mid - left >= 0.25 * width and _labels_right_of(group, mid, size)
        ):
            cuts.append(mid)
    return sorted(cuts)


def _labels_right_of(group: list[PLine], cut: float, size: float) -> bool:
    """A line of ``group`` has text left of ``cut`` and, right of it past a gap
    of at least an em, a note label ("3", "3.") opening a note."""
    for ln in group:
        words = sorted(ln.words, key=lambda w: w.x0)
        for a, b in zip(words, words[1:]):
            if a.x1 <= cut <= b.x0 and b.x0 - a.x1 >= size and LONE_NUMBER_RE.match(b.text.strip()):
                return True
    return False


def _cut_words(words: list, cuts: list[float]) -> list[list]:
    parts: list[list] = [[] for _ in range(len(cuts) + 1)]
    for w in words:
        parts[sum(1 for c in cuts if (w.x0 + w.x1) / 2 > c)].append(w)
    return parts
