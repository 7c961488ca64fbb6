"""Where each paragraph and footnote is printed, line by line (``TextGeometry``).

The paragraphs and notes are joined from the layout's lines (a space between
lines, line-end hyphens joined, markers removed), so each printed line is
found again in the joined text: the first line whose opening characters start
the text, then every following line (in reading order, other roles and
unmatched lines skipped) whose opening characters come next. A line found
gives a ``TextLine`` (offset, length, page, bbox); the extract stage turns a
span's characters into a box from them (``pipeline.extract.geometry``).
"""

from __future__ import annotations

from typing import Sequence

from pipeline.datamodel import Footnote, Layout, Line, Paragraph, TextGeometry, TextLine

KEY = 12  # opening characters of a line compared with the text
SLACK = 6  # characters the next line may start after the previous one ended
MISSES = 12  # unmatched lines skipped before giving up


def _core(line: Line) -> str:
    return " ".join(line.text.split())


def _inside(bbox, box) -> bool:
    if box is None:
        return True
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    return box[0] - 2 <= cx <= box[2] + 2 and box[1] - 2 <= cy <= box[3] + 2


def align(text: str, lines: Sequence[Line], first_box=None, found: Sequence[TextLine] = ()) -> tuple[TextLine, ...]:
    """The lines of ``lines`` (reading order) that print ``text``, with their
    offsets; ``found``: lines already placed (the search goes on after them)."""
    out: list[TextLine] = list(found)
    cursor, misses = (out[-1].offset + out[-1].length if out else 0), 0
    for line in lines:
        if not out and first_box is not None and not _inside(line.bbox, first_box):
            continue  # (the first line is inside the paragraph's box: the others are not read)
        core = _core(line)
        if not core:
            continue
        stem = core[:-1] if core.endswith("-") and len(core) > 1 else core
        key = stem[:KEY]
        if not out:
            lead = core.find(text[:KEY]) if text else -1  # after a bullet or enumerator
            if not _inside(line.bbox, first_box) or not 0 <= lead <= 6:
                continue
            if lead:
                bbox = line.bbox
                line = line.model_copy(update={"bbox": (bbox[0] + (bbox[2] - bbox[0]) * lead / len(core), *bbox[1:])})
                stem = stem[lead:]
            at = 0
        else:
            at = text.find(key, cursor, cursor + len(key) + SLACK)
            if at < 0:
                misses += 1
                if misses > MISSES:
                    break
                continue
        misses = 0
        if out and out[-1].offset + out[-1].length > at:  # a line ends where the next begins
            out[-1] = out[-1].model_copy(update={"length": max(at - out[-1].offset, 0)})
        length = min(len(stem) + (1 if core.endswith("-") and text[at + len(stem):at + len(stem) + 1] == "-" else 0),
                     len(text) - at)
        out.append(TextLine(offset=at, length=length, page=line.page, bbox=line.bbox))
        cursor = at + length
        if cursor >= len(text) - 1:
            break
    return tuple(out)


def _lines_by_page(layout: Layout, roles: tuple[str, ...]) -> dict[int, list[Line]]:
    return {p.number: [ln for b in p.blocks if b.role in roles for ln in (b.lines or ())] for p in layout.pages}


def locate(layout: Layout, paragraphs: Sequence[Paragraph], footnotes: Sequence[Footnote]) -> tuple[TextGeometry, ...]:
    """The printed lines of every paragraph and footnote that could be found."""
    body = _lines_by_page(layout, ("body", "heading", "caption"))
    notes = _lines_by_page(layout, ("footnote",))
    out: list[TextGeometry] = []
    for p in paragraphs:
        lines = [ln for page in range(p.page_start, p.page_end + 1) for ln in body.get(page, ())]
        found = align(p.text, lines, p.bbox)
        if found:
            out.append(TextGeometry(owner_id=p.paragraph_id, lines=found))
    for f in footnotes:
        lines = [ln for page in (f.page, f.page + 1) for ln in notes.get(page, ())]
        text = f.text
        found = ()
        for i, ln in enumerate(lines):  # the note's first line starts with its number (in text, or in raw as a marker)
            core = _core(ln)
            if f.number is not None and not core.startswith(str(f.number)):
                core = " ".join(ln.raw.split())
            if f.number is not None and core.startswith(str(f.number)):
                rest = core[len(str(f.number)):].lstrip()
                if rest and text.startswith(rest[:KEY]):
                    shift = len(core) - len(rest)
                    first = TextLine(offset=0, length=min(len(rest), len(text)), page=ln.page,
                                     bbox=(ln.bbox[0] + (ln.bbox[2] - ln.bbox[0]) * shift / max(len(core), 1), *ln.bbox[1:]))
                    found = align(text, lines[i + 1:], None, (first,))
                    break
        if not found:
            found = align(text, lines, f.bbox)
        if found:
            out.append(TextGeometry(owner_id=f.footnote_id, lines=found))
    return tuple(out)
