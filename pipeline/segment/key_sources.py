"""KEY SOURCES: the part re-cut into printed lines, year labels put back in
front of their entries, author headings told apart from entries."""

from __future__ import annotations

from pipeline.segment.headings import Wording
from pipeline.segment.paragraphs import SENTENCE_END, Para, Piece, append_piece, continues
from pipeline.segment.units import Unit


def _source_lines(units: list[Unit], wording: Wording) -> list[Unit]:
    """KEY SOURCES re-cut into printed lines; a year label printed in its own
    column ("2021a") is put in front of the entry line beside it."""
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
            lines = _source_lines(units[i:j], wording)
            _source_authors(lines, wording)
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
    i = 0
    while i < len(lines):
        if entry[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and not entry[j]:
            j += 1
        for k in range(i, j if j < len(lines) else i):
            head = " ".join(v.text.strip() for v in lines[k:j])
            before = lines[k - 1].text.rstrip() if k else ""
            starts = not before or before.endswith((*SENTENCE_END, ")")) or _capitals(lines[k].text)
            if starts and not head.endswith(".") and len(head) <= 200 and not lines[k].text.lstrip()[:1].islower():
                for v in lines[k:j]:
                    v.source = "author"
                break
        i = j


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def add_source_line(paras: list["Para"], last: "Para | None", section: int, v: Unit, wording: Wording) -> None:
    """One printed KEY SOURCES line: an author heading (bold, no year label),
    the start of an entry (a year label), or more of the previous one."""
    if v.source == "author":
        what = "author"
    elif wording.year_label.match(v.text):
        what = "entry"
    else:
        what = "author" if v.bold and len(v.text) <= 200 else "more"
    piece = Piece(v.page, v.text, v.markers, v.bbox, v.bold, "source_author" if what == "author" else "source_entry")
    if last is not None and (
        (what == "author" and last.kind == "source_author" and (v.source == "author" or continues(last.text, v.text)))
        or (what == "more" and last.kind == "source_entry"
            and (v.bbox[0] > last.bbox[0] + 3 or not last.text.endswith(".") or v.text[:1].islower()))
    ):
        append_piece(last, piece)
        return
    paras.append(Para(section, piece.kind, v.text, v.page, v.page, v.bbox, v.bold, list(v.markers)))
