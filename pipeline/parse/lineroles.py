"""Line roles: furniture, caption, footnote, heading, body.

Decided per document, after every page's lines are known:

* ``furniture``: lines in the top/bottom band of the page whose text, digits
  masked, recurs on several pages (running headers/footers), and lone page
  numbers / "page X of Y" in that band;
* ``caption``: lines starting with the configured caption words (Figure,
  Table, Source, ...), plus their continuation lines;
* ``footnote``: the run of small lines at the foot of a page (or a column),
  below the last body line, starting with a numbered note (or with a rule
  above it, for a note continued from the previous page);
* ``heading``: short lines larger or bolder than the body size, or numbered
  like "1.1.";
* ``body``: everything else.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from pipeline.parse.layout import PLine, size_counts

_DIGITS_RE = re.compile(r"\d+")
_SPACE_RE = re.compile(r"\s+")
NUMBERED_HEADING_RE = re.compile(r"^(?:\d{1,2}\.){1,3}\d{0,2}\.?\s+\S|^[IVX]{1,5}\.\s+\S")


@dataclass(frozen=True)
class RoleRules:
    band: float
    min_pages: int
    footnote_max_ratio: float
    heading_size_ratio: float
    heading_max_words: int
    caption_re: re.Pattern
    page_number_re: re.Pattern


def add_size_chars(counts: dict[float, int], ln: PLine) -> None:
    """Add a line's characters per exact word size to ``counts`` (as
    ``measure`` counted them; word by word for a line never measured)."""
    own = ln.size_chars
    if own is None:
        for w in ln.words:
            counts[w.size] = counts.get(w.size, 0) + len(w.text)
    else:
        for size, n in own.items():
            counts[size] = counts.get(size, 0) + n


def body_size(lines: list[PLine]) -> float:
    """The body font size: the most common size by character count.

    Counted per page, then each page votes for its own most common size, so a
    few pages of small-print tables do not outvote the running text.
    """
    raw: dict[int, dict[float, int]] = {}  # page -> characters per exact size
    for ln in lines:
        if ln.words:
            counts = raw.get(ln.page)
            if counts is None:
                counts = raw[ln.page] = {}
            add_size_chars(counts, ln)
    total: Counter = Counter()
    votes: Counter = Counter()
    for page_raw in raw.values():
        counts = size_counts(page_raw)
        total.update(counts)
        votes[max(counts.items(), key=lambda kv: (kv[1], -kv[0]))[0]] += 1
    if not total:
        return 10.0
    return max(votes, key=lambda size: (votes[size], total[size], -size))


def page_body_size(lines: list[PLine], document_body: float, min_chars: int = 400) -> float:
    """A page's own body size when it is set larger than the document's (a report
    whose annexes are in smaller type), else the document's."""
    raw: dict[float, int] = {}  # characters per exact size
    for ln in lines:
        if ln.role == "furniture":
            continue
        add_size_chars(raw, ln)
    counts = size_counts(raw)
    if sum(counts.values()) < min_chars:
        return document_body
    own = max(counts.items(), key=lambda kv: (kv[1], -kv[0]))[0]
    return max(own, document_body)


def furniture_key(text: str) -> str:
    return _SPACE_RE.sub(" ", _DIGITS_RE.sub("#", text.lower())).strip()


def in_band(ln: PLine, height: float, band: float) -> bool:
    return ln.bottom <= band * height or ln.top >= (1 - band) * height


def _segments(ln: PLine) -> list[str]:
    """The line's text cut at wide gaps ("Title ........ | Part   12")."""
    parts: list[list[str]] = [[]]
    prev = None
    for w in ln.words:
        if prev is not None and w.x0 - prev.x1 > 2.0 * max(w.size, prev.size):
            parts.append([])
        parts[-1].append(w.text)
        prev = w
    return [" ".join(p) for p in parts if p]


def mark_furniture(pages: list[tuple[float, list[PLine]]], rules: RoleRules, body: float | None = None) -> None:
    """pages: (height, lines) per page, in page order.

    Candidates are the lines of the top/bottom band (a fraction of the page
    height) and, measured on the document itself, the outermost rows of each
    page (:func:`outer_rows`): a header set in a wide margin lies outside any
    fixed band. An outer row outside the band is furniture only when the same
    text (digits masked) stands at the same height on several pages, or, for
    a page number, when page numbers stand at that height on several pages;
    and never when it is set larger than the body (a heading at the top of a
    page), nor when it is a numbered heading whose very text (numbers
    included) does not recur ("1.2. Areas ..." / "2.2. Areas ...").
    """
    need = max(2, min(rules.min_pages, len(pages)))
    leading_gap = line_gap(pages)
    outer: dict[int, PLine] = {}  # id -> line: outer rows outside the band
    seen: dict[tuple[str, float], set[int]] = defaultdict(set)
    placed: dict[tuple[str, float], list[tuple[float, int]]] = defaultdict(list)  # key -> (edge y, page)
    outer_by_page: list[list[tuple[PLine, float]]] = []
    for height, lines in pages:
        for ln in lines:
            if in_band(ln, height, rules.band):
                for seg in _segments(ln):
                    seen[(furniture_key(seg), round(ln.size))].add(ln.page)
        rows = outer_rows(lines, height, rules.band, leading_gap)
        outer_by_page.append(rows)  # (roles set below leave the geometry as it is: the same rows again)
        for ln, y in rows:
            if body is not None and ln.size > body + 0.5:
                continue
            outer[id(ln)] = ln
            for seg in _segments(ln):
                placed[(_folio_key(seg, rules), round(ln.size))].append((y, ln.page))
                if NUMBERED_HEADING_RE.match(seg):
                    placed[(_exact_key(seg), round(ln.size))].append((y, ln.page))
    margin_ids = {id(ln) for ln in outer.values()}
    heads = _running_heads(pages, rules.band, body, need, margin_ids)
    running = sorted(k for (k, _size), pgs in seen.items() if len(pgs) >= need and len(k) >= 8)
    # outer-row texts that recur at one height, for rows that carry them with a varying part
    # ("PART NAME… 23 | MGI LOCAL PROFILE 2022" where the part name runs into the folio)
    outer_running = [(k, size, places) for (k, size), places in placed.items()
                     if len(k) >= 8 and not k.startswith("=") and len({pg for _y, pg in places}) >= need]
    folios = sorted({k for (k, _size), pgs in seen.items() if len(pgs) >= need and "#" in k and k.strip("# ")})
    _mark_slots(pages, rules.band, body, need, margin_ids)
    for (height, lines), rows in zip(pages, outer_by_page):
        edges = {id(ln): y for ln, y in rows}
        for ln in lines:
            if id(ln) in heads:
                ln.role = "furniture"
                continue
            if not in_band(ln, height, rules.band):
                if id(ln) in outer and id(ln) in edges and any(
                    _recurs_at(placed[(_folio_key(seg, rules), round(ln.size))], edges[id(ln)], need)
                    and (not NUMBERED_HEADING_RE.match(seg)
                         or _recurs_at(placed[(_exact_key(seg), round(ln.size))], edges[id(ln)], need))
                    for seg in _segments(ln)
                ):
                    ln.role = "furniture"
                elif id(ln) in outer and id(ln) in edges and _carries_running(ln, edges[id(ln)], outer_running, need):
                    ln.role = "furniture"
                continue
            for seg in _segments(ln):
                key = (furniture_key(seg), round(ln.size))
                if (
                    len(seen[key]) >= need
                    or rules.page_number_re.match(seg.strip())
                    # a running header with a varying part ("Title — current part")
                    or any(key[0].startswith(k) or key[0].endswith(k) for k in running)
                ):
                    ln.role = "furniture"
                    break
        # the outermost line of a band that carries a recurring folio ("Page #")
        # run together with a varying part name ("PART NAME Page 11")
        for edge in _edge_lines(lines, height, rules.band):
            key = furniture_key(" ".join(w.text for w in edge.words))  # words: run-together text hides the folio
            if edge.role != "furniture" and any(_has_tokens(key, f) for f in folios):
                edge.role = "furniture"
        # the rest of a running header row ("Report title ... | current part"), also
        # set in another size than its folio ("CURRENT PART" small, "11" larger; bottom-aligned
        # or centred on it), but
        # never a line set larger than the body (a heading beside the header)
        for ln in lines:
            if ln.role != "furniture" and (in_band(ln, height, rules.band) or id(ln) in outer):
                for other in lines:
                    if (
                        other.role == "furniture"
                        and _same_row(other, ln)
                        and (
                            abs(other.size - ln.size) < 0.3
                            or (body is not None and ln.size <= body + 0.5 and other.size <= body + 0.5)
                        )
                        and other.page == ln.page
                    ):
                        ln.role = "furniture"
                        break


def _mark_slots(pages: list[tuple[float, list[PLine]]], band: float, body: float | None, need: int,
                margin: set[int] = frozenset()) -> None:
    """A running title alone in its slot: the outermost line of a band, short,
    not larger than the body, flush with the same right edge (or centred on the
    same axis) at the same height on ``need`` pages, whatever its text (the
    current part's title in a CSS ``@top-right`` box: "ADHERE TO…" on two
    pages, "FORMULATE POLICY…" on the next: too few pages for its text to recur)."""
    cands: list[tuple[PLine, float, float]] = []
    for _height, lines in pages:
        if not lines:
            continue
        width = max(ln.x1 for ln in lines) - min(ln.x0 for ln in lines)
        for edge in _edge_lines(lines, _height, band, margin):
            if edge.role == "furniture" or (body is not None and edge.size > body + 0.5) or edge.x1 - edge.x0 > 0.6 * width:
                continue
            if _apart(edge, lines, _height) < edge.size:
                continue  # at the leading of the lines inside it: the last line of the notes, not a slot
            cands.append((edge, edge.x1, (edge.x0 + edge.x1) / 2))
    for edge, right, axis in cands:
        for at in (1, 2):  # flush right, centred
            pages_at = {o.page for o, *xs in cands if abs(xs[at - 1] - (right, axis)[at - 1]) <= 1.5
                        and abs(o.bottom - edge.bottom) <= 1.5}
            if len(pages_at) >= need:
                edge.role = "furniture"
                break


def _apart(edge: PLine, lines: list[PLine], height: float) -> float:
    """The gap between an edge line and the nearest line inward of it (rows
    it shares with other lines left aside); inf when none."""
    if edge.top < height / 2:
        gaps = [ln.top - edge.bottom for ln in lines if ln.top >= edge.bottom - 0.5 and ln is not edge]
    else:
        gaps = [edge.top - ln.bottom for ln in lines if ln.bottom <= edge.top + 0.5 and ln is not edge]
    return min(gaps, default=float("inf"))


def _same_row(a: PLine, b: PLine) -> bool:
    """Do two lines stand in one row: bottom-aligned, or one centred on the
    other (margin boxes of a CSS page set "CURRENT PART" at 6 pt and the folio
    at 8 pt, each centred in the box: baselines a point or two apart)?"""
    if abs(a.bottom - b.bottom) < 1.0:
        return True
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap >= 0.8 * min(a.bottom - a.top, b.bottom - b.top) and abs((a.top + a.bottom) - (b.top + b.bottom)) < 0.5 * min(
        a.bottom - a.top, b.bottom - b.top)


def _running_heads(pages: list[tuple[float, list[PLine]]], band: float, body: float | None, need: int,
                   margin: set[int] = frozenset()) -> set[int]:
    """Topmost lines of the top band set smaller than the body, a blank line
    or more above the text, at a height where such a line stands on ``need``
    pages, whatever its text: a running
    head that changes with each part (the part's title alone, on the one or
    two pages of a short part) recurs by its place, not by its words."""
    if body is None:
        return set()
    tops = []
    for height, lines in pages:
        edge = [ln for ln in _edge_lines(lines, height, band, margin) if ln.top < height / 2]
        if edge and edge[0].size < body - 0.5:
            below = [ln.top - edge[0].bottom for ln in lines if ln.top > edge[0].bottom]
            if below and min(below) > body:  # set apart in the margin, not the first line of small text
                tops.append((edge[0], edge[0].bottom))
    places = [(y, ln.page) for ln, y in tops]
    return {id(ln) for ln, y in tops if _recurs_at(places, y, need, tolerance=1.0)}


def _folio_key(seg: str, rules: RoleRules) -> str:
    """The recurrence key of an outer row's segment: every page number is one key."""
    return "<page>" if rules.page_number_re.match(seg.strip()) else furniture_key(seg)


def _carries_running(ln: PLine, y: float, outer_running: list, need: int) -> bool:
    """Whether an outer row starts or ends with a text that recurs at its height
    on ``need`` pages, in its size (a running header with a varying part)."""
    text = " ".join(w.text for w in ln.words)
    if NUMBERED_HEADING_RE.match(text):
        return False  # a numbered heading at the top of a page: only its very text recurring counts
    key = furniture_key(text)
    return any(round(ln.size) == size and len(key) > len(k) and (key.startswith(k) or key.endswith(k))
               and _recurs_at(places, y, need)
               for k, size, places in outer_running)


def _exact_key(seg: str) -> str:
    """The recurrence key of a numbered heading's text, its number kept: "1.2. Areas ..."
    and "2.2. Areas ..." at the top of two pages are two headings, not a running header;
    "4. PART NAME 30 | TITLE" and "4. PART NAME 31 | TITLE" are one running header."""
    m = _LEADING_NUMBER_RE.match(seg.strip())
    number = m.group(0) if m else ""
    return "=" + number + furniture_key(seg.strip()[len(number):])


_LEADING_NUMBER_RE = re.compile(r"^(?:\d{1,2}\.){1,3}\d{0,2}\.?|^[IVX]{1,5}\.")


def _recurs_at(places: list[tuple[float, int]], y: float, need: int, tolerance: float = 2.0) -> bool:
    """Whether the key stands at height ``y`` (within ``tolerance``) on ``need`` pages."""
    return len({page for py, page in places if abs(py - y) <= tolerance}) >= need


def outer_rows(
    lines: list[PLine], height: float, band: float, leading_gap: float, depth: int = 2
) -> list[tuple[PLine, float]]:
    """The outermost rows of a page outside the band, with their edge height.

    Up to ``depth`` rows from the top (their top as edge height) and from the
    bottom (their bottom), a row being the lines that overlap the outermost
    line vertically. A row counts only when it is set apart from the text
    inside it: its gap to the next row is wider than the gap between that row
    and the one after it, or than the document's ordinary gap between lines
    (``leading_gap``, :func:`line_gap`) when that is smaller (running furniture sits in the margin, away from the
    text block, while the last line of the notes sits at the normal leading),
    and only in the outer quarter of the page.
    """
    rest = [ln for ln in lines if not in_band(ln, height, band)]
    out: list[tuple[PLine, float]] = []
    for top in (True, False):
        pool = sorted(rest, key=lambda ln: ln.top if top else -ln.bottom)
        for _ in range(depth):
            if not pool:
                break
            row = _outer_row(pool, top)
            # (by identity: no two lines of a page are equal, they hold other words)
            in_row = {id(ln) for ln in row}
            inner = [ln for ln in pool if id(ln) not in in_row]
            edge = min(ln.top for ln in row) if top else max(ln.bottom for ln in row)
            if (top and edge > 0.25 * height) or (not top and edge < 0.75 * height):
                break
            if inner:
                nxt = _outer_row(inner, top)
                gap = _gap(row, nxt, top)
                in_next = {id(ln) for ln in nxt}
                after = [ln for ln in inner if id(ln) not in in_next]
                follow = _gap(nxt, _outer_row(after, top), top) if after else 0.0
                if gap < max(1.5 * min(follow, leading_gap), 0.5 * max(ln.size for ln in row)):
                    break
            out.extend((ln, round(edge, 1)) for ln in row)
            pool = inner
    return out


def line_gap(pages: list[tuple[float, list[PLine]]]) -> float:
    """The document's ordinary space between consecutive lines (the median)."""
    gaps: list[float] = []
    for _height, lines in pages:
        ordered = sorted(lines, key=lambda ln: (ln.column, ln.top))
        gaps.extend(
            b.top - a.bottom for a, b in zip(ordered, ordered[1:]) if b.column == a.column and b.top > a.bottom
        )
    gaps.sort()
    return gaps[len(gaps) // 2] if gaps else 0.0


def _outer_row(pool: list[PLine], top: bool) -> list[PLine]:
    """The lines of the outermost row (those overlapping the outermost line)."""
    if top:
        first = min(pool, key=lambda ln: ln.top)
        return [ln for ln in pool if ln.top < first.bottom - 0.2 * first.size]
    first = max(pool, key=lambda ln: ln.bottom)
    return [ln for ln in pool if ln.bottom > first.top + 0.2 * first.size]


def _gap(outer: list[PLine], inner: list[PLine], top: bool) -> float:
    if top:
        return min(ln.top for ln in inner) - max(ln.bottom for ln in outer)
    return min(ln.top for ln in outer) - max(ln.bottom for ln in inner)


def _edge_lines(lines: list[PLine], height: float, band: float, margin: set[int] = frozenset()) -> list[PLine]:
    """The topmost line in the top band and the bottommost in the bottom band;
    with MARGIN (ids of outer rows set apart from the text, :func:`outer_rows`),
    those rows count as lying in their band (a running head in a wide margin)."""
    top = [ln for ln in lines if ln.bottom <= band * height or (id(ln) in margin and ln.top < height / 2)]
    bottom = [ln for ln in lines if ln.top >= (1 - band) * height or (id(ln) in margin and ln.top >= height / 2)]
    out = []
    if top:
        out.append(min(top, key=lambda ln: ln.top))
    if bottom:
        out.append(max(bottom, key=lambda ln: ln.bottom))
    return out


def _has_tokens(key: str, folio: str) -> bool:
    have = Counter(key.split())
    return all(have[t] >= n for t, n in Counter(folio.split()).items())


def mark_captions(lines: list[PLine], rules: RoleRules) -> None:
    """Caption lines and the lines that continue them (same size, font and column)."""
    prev: PLine | None = None
    for ln in lines:
        if ln.role != "body":
            prev = ln if ln.role == "caption" else None
            continue
        if rules.caption_re.match(ln.text):
            ln.role = "caption"
        elif (
            prev is not None
            and prev.role == "caption"
            and prev.column == ln.column
            and abs(prev.size - ln.size) < 0.3
            and prev.font == ln.font
            and 0 < ln.baseline - prev.baseline <= 1.6 * ln.size
        ):
            ln.role = "caption"
        prev = ln


def mark_headings(lines: list[PLine], body: float, rules: RoleRules) -> None:
    """Lines in reading order; a run of more than 3 merely bold lines is a bold paragraph."""
    bold_only: list[PLine] = []

    def flush() -> None:
        if len(bold_only) > 3:
            for b in bold_only:
                b.role = "body"
        bold_only.clear()

    for ln in lines:
        if ln.role == "furniture":
            continue
        reason = _heading_reason(ln, body, rules) if ln.role == "body" else None
        if reason is None:
            flush()
            continue
        ln.role = "heading"
        if reason == "bold":
            if bold_only and (bold_only[-1].page != ln.page or bold_only[-1].column != ln.column):
                flush()
            bold_only.append(ln)
        else:
            flush()
    flush()


def _heading_reason(ln: PLine, body: float, rules: RoleRules) -> str | None:
    words = ln.text.split()
    if not words or len(words) > rules.heading_max_words:
        return None
    letters = "".join(filter(str.isalpha, ln.text))  # (its characters, as a list of them)
    if not letters:
        return None
    if ln.margin and ln.bold and ln.size >= 0.8 * body:
        return "side"  # a side-head, in a margin beside its paragraph (often smaller than the body)
    if ln.size >= rules.heading_size_ratio * body:
        return "larger"
    if NUMBERED_HEADING_RE.match(ln.text) and ln.bold:
        return "numbered"
    stripped = ln.text.strip()
    if (
        len(letters) >= 4
        and all(c.isupper() for c in letters)
        and ln.size >= 0.95 * body
        and len(letters) * 2 >= len(stripped.replace(" ", ""))
        and not stripped.startswith("(")
        and not stripped.endswith((".", ",", ";", ")"))
    ):
        return "caps"
    if ln.bold and ln.size >= 0.95 * body and not stripped.endswith((",", ";", ".")):
        return "bold"
    return None
