"""KEY SOURCES: the part re-cut into printed lines, year labels put back in
front of their entries, author headings told apart from entries."""

from __future__ import annotations

from pipeline.segment.headings import Wording
from pipeline.segment.paragraphs import SENTENCE_END, Para, Piece, append_piece, continues
from pipeline.segment.units import Unit


def _source_lines(units: list[Unit], wording: Wording, fonts: dict[int, str] | None = None) -> list[Unit]:
    """KEY SOURCES re-cut into printed lines; a year label printed in its own
    column ("2021a") is put in front of the entry line beside it. ``fonts``
    gets the font of each line (by ``id``)."""
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
            if fonts is not None:
                fonts[id(out[-1])] = ln.font.split("+", 1)[-1]
    return out


def recut_sources(units: list[Unit], wording: Wording) -> list[Unit]:
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
            fonts: dict[int, str] = {}
            lines = _source_lines(units[i:j], wording, fonts)
            _source_authors(lines, wording)
            _author_font(lines, fonts, wording)
            _entry_starts(lines, wording)
            out += lines
            i = j
    return out


def _source_authors(lines: list[Unit], wording: Wording) -> None:
    """Mark the author headings of a KEY SOURCES list printed without bold
    (capitals, another colour or size): the lines before an entry that has a
    year label ("2021a ..."), without one themselves, not ending with ".",
    and starting after a finished entry (or in capitals). Lists whose
    headings are bold are left to the weight (``add_source_line``)."""
    entry = [bool(wording.year_label.match(v.text)) for v in lines]
    if any(v.weight and not e for v, e in zip(lines, entry)):
        return
    firsts = sorted(v.bbox[0] for v, e in zip(lines, entry) if e)
    first_x = firsts[len(firsts) // 2] if firsts else None  # a line further in is an entry's, never a heading
    i = 0
    while i < len(lines):
        if entry[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and not entry[j]:
            j += 1
        k = i
        while k < (j if j < len(lines) else i):
            # a heading ends at a line further in (a year-less entry under it)
            stop = next((m for m in range(k + 1, j) if first_x is not None and lines[m].bbox[0] > first_x + 3), j)
            head = " ".join(v.text.strip() for v in lines[k:stop])
            before = lines[k - 1].text.rstrip() if k else ""
            starts = not before or before.endswith((*SENTENCE_END, ")")) or _capitals(lines[k].text)
            inset = first_x is not None and lines[k].bbox[0] > first_x + 3
            if (starts and not inset and not head.endswith(".") and len(head) <= 200
                    and not lines[k].text.lstrip()[:1].islower()):
                for v in lines[k:stop]:
                    v.source = "author"
                if stop == j:
                    break
                k = stop
                continue
            k += 1
        i = j


def _author_font(lines: list[Unit], fonts: dict[int, str], wording: Wording) -> None:
    """An author heading is an author even when none of its entries has a
    year: when the headings found by their context (``_source_authors``)
    are printed in a font no other line of the list uses (a medium or
    semibold weight the parser does not call bold, another family), every
    short line in that font without a year label is an author heading."""
    def shaped(v: Unit) -> bool:  # could be a heading: short, no year label, no full stop
        t = v.text.strip()
        return not wording.year_label.match(t) and len(t) <= 200 and not t.endswith(".") and not t[:1].islower()

    found = [fonts.get(id(v)) for v in lines if v.source == "author"]
    others = {fonts.get(id(v)) for v in lines if v.source != "author" and not shaped(v)}
    style = {f for f in found if f and found.count(f) >= 2} - others
    if len(style) != 1:
        return
    for v in lines:
        if v.source is None and fonts.get(id(v)) in style and shaped(v):
            v.source = "author"


def _is_author(v: Unit) -> bool:
    return v.source == "author" or v.weight


def _entry_starts(lines: list[Unit], wording: Wording) -> None:
    """Decide, for every line of a KEY SOURCES list below an author heading,
    whether it starts an entry or is more of the entry above: an entry starts
    at its hanging indent, its bullet or its year label, not at a year. Two
    printed signs, each measured on the list itself: the space between
    entries, when the list puts more space between entries than between the
    lines of one entry (the line pitch before labelled entries against the
    smallest pitch of the list); and the hanging indent, when continuation
    lines stand further in than first lines (x measured from the left edge
    of each page column). A line the signs measure as a continuation is one
    whatever its text; one starting with a year is one when the line before
    runs on into it too ("... voces migrantes" / "2019 (Migrant Voices
    Survey)."): a year is taken only from the entry's own label. A line the signs cannot measure (the first of a page
    or column, or a list with neither sign) goes by its text: a year label
    or a new sentence after a finished one starts an entry; at the top of a
    column a line at the first-line position starts one, a line further in
    goes by its text (a year column prints year-less entries there).

    Marks ``source = "entry"`` on year-less entry starts and ``source =
    "more"`` on continuation lines (labelled starts keep ``None``)."""
    n = len(lines)
    labelled = [bool(wording.year_label.match(v.text)) for v in lines]
    left: dict[tuple[int, int], float] = {}
    for v in lines:
        if not _is_author(v):
            key = (v.page, v.column)
            left[key] = min(left.get(key, v.bbox[0]), v.bbox[0])
    rel = [v.bbox[0] - left.get((v.page, v.column), v.bbox[0]) for v in lines]
    pitch: list[float | None] = [None] * n
    for k in range(1, n):
        a, b = lines[k - 1], lines[k]
        if a.page == b.page and a.column == b.column and not _is_author(a) and not _is_author(b):
            d = b.bbox[1] - a.bbox[1]
            if 0 < d < 3 * max(a.size, b.size):
                pitch[k] = d
    # the space between entries
    base = sorted(d for d in pitch if d is not None)
    # (before labels that start an entry by their text too: not "... voces migrantes" / "2019 (Migrant ...")
    before = sorted(d for k, d in enumerate(pitch) if d is not None and labelled[k]
                    and not continues(lines[k - 1].text, lines[k].text, wording.abbreviations))
    cut = None
    if len(base) >= 3 and before:
        low = base[len(base) // 10]
        high = before[len(before) // 2]
        size = sorted(v.size for v in lines)[n // 2]
        if high - low >= 0.12 * size and sum(1 for d in base if d < (low + high) / 2) >= 2:
            cut = (low + high) / 2
        elif _two_pitches(base, low, high, size):
            cut = (low + high) / 2
    # a list whose measured entry starts all carry a year label ("n.d." too)
    # prints no year-less entries: an unmeasured line without one (the top of
    # a column) is more of the entry above, whatever its text
    measured = [labelled[k] for k in range(n) if cut is not None and pitch[k] is not None and pitch[k] >= cut]
    all_labelled = len(measured) >= 3 and all(measured)
    # the hanging indent: first lines at one x, continuation lines further in
    firsts = [rel[k] for k in range(n) if labelled[k]]
    first_x = sorted(firsts)[len(firsts) // 2] if firsts else None
    hanging = False
    if first_x is not None:
        after = [rel[k + 1] for k in range(n - 1) if labelled[k] and not labelled[k + 1]
                 and not _is_author(lines[k + 1]) and pitch[k + 1] is not None and (cut is None or pitch[k + 1] < cut)]
        hanging = len(after) >= 2 and sum(1 for x in after if x > first_x + 3) >= 0.8 * len(after)
    cur = False  # an entry is open (since the last author heading)
    prev_in = False  # the line before is a continuation line further in
    for k, v in enumerate(lines):
        if _is_author(v):
            cur, prev_in = False, False
            continue
        text = v.text.lstrip()
        inset = hanging and rel[k] > first_x + 3
        at_first = hanging and abs(rel[k] - first_x) <= 3
        if not cur:
            start = True
        elif pitch[k] is not None and cut is not None:
            start = pitch[k] >= cut or (at_first and prev_in and not text[:1].islower())
            if labelled[k] and not start:  # a year at the start of a line: a label unless the text runs on
                start = not continues(lines[k - 1].text, text, wording.abbreviations)
        elif hanging and (pitch[k] is not None or at_first):  # continuation lines stand further in
            start = at_first and (labelled[k] or not text[:1].islower())
        else:  # nothing measured (or a line further in at the top of a column, where a
            # year column puts a year-less entry): the text tells
            start = _text_starts_entry(lines[k - 1].text, text, labelled[k], all_labelled, wording)
        if start:
            if not labelled[k] and cur:
                v.source = "entry"
            prev_in = False
        else:
            v.source = "more"
            prev_in = inset or rel[k] > 3
        cur = True


def _text_starts_entry(prev: str, text: str, labelled: bool, all_labelled: bool, wording: Wording) -> bool:
    """With no space or indent measured, the text tells whether a line starts
    an entry: its year label where the line before does not run on into it,
    or a capital after a finished sentence. In a list whose every measured
    entry start carries a label, an unlabelled line never starts one."""
    if not labelled and all_labelled:
        return False
    if continues(prev, text, wording.abbreviations):
        return False
    return labelled or (prev.rstrip().endswith((*SENTENCE_END, ")")) and text[:1].isupper())


def _two_pitches(pitches: list[float], low: float, high: float, size: float) -> bool:
    """Whether a list's line pitches fall in two tight groups, the lines of
    an entry and the lines starting one: a space between entries smaller than
    the usual measure (a year column set with a row gap of a point) is still a
    sign when every pitch of the list sits at one of the two values."""
    if high - low < 0.04 * size:
        return False
    tol = (high - low) / 4
    near_low = sum(1 for d in pitches if abs(d - low) <= tol)
    near_high = sum(1 for d in pitches if abs(d - high) <= tol)
    return near_low >= 3 and near_high >= 3 and near_low + near_high == len(pitches)


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def add_source_line(paras: list["Para"], last: "Para | None", section: int, v: Unit, wording: Wording) -> None:
    """One printed KEY SOURCES line: an author heading (bold, no year label),
    the start of an entry (a year label), or more of the previous one."""
    if v.source == "author":
        what = "author"
    elif v.source == "more":  # measured as more of the entry above, even when it starts with a year
        what = "more"
    elif v.source == "entry" or wording.year_label.match(v.text):
        what = "entry"
    else:
        what = "author" if v.bold and len(v.text) <= 200 else "more"
    piece = Piece(v.page, v.text, v.markers, v.bbox, v.bold, "source_author" if what == "author" else "source_entry")
    # an unmeasured line goes on by its text: indented, after an unfinished
    # sentence, or carrying on one ("Ley No." / "18.695, ...", an open parenthesis)
    goes_on = v.source == "more" or (
        v.bbox[0] > last.bbox[0] + 3 or not last.text.endswith(".") or v.text[:1].islower()
        or continues(last.text, v.text, wording.abbreviations)) if last is not None else False
    if last is not None and (
        (what == "author" and last.kind == "source_author" and (v.source == "author" or continues(last.text, v.text)))
        or (what == "more" and last.kind == "source_entry" and goes_on)
    ):
        append_piece(last, piece)
        return
    paras.append(Para(section, piece.kind, v.text, v.page, v.page, v.bbox, v.bold, list(v.markers)))
