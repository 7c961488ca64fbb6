"""Ibid resolution: what an "(ibid.)" or a footnote's "Ibid." repeats.

Works on the extract stage's citation drafts (objects with ``item``,
``style``, ``start``, ``end``, ``author``, ``year``, ``suffix``, ``title``,
``date``, ``reference_id``; ``item`` with ``footnote``, ``paragraph`` and
``position(offset)``), in reading order. Moved out of
:mod:`pipeline.extract.stage` to keep that module small.
"""

from __future__ import annotations

import re
from typing import Callable

from pipeline.datamodel import Footnote


def resolve_ibid(drafts: list, notes: list[Footnote], implicit: Callable[[str], str | None] | None = None) -> None:
    """Copy author/year/suffix/title/date/reference from the citation an ibid repeats.

    Drafts are visited in reading position (a footnote at its marker);
    ``notes``: all footnotes in that order. A footnote's ibid repeats an
    earlier citation of its own note, else the nearest earlier note of the
    same section that names a source: its last citation, or the organisation
    it points to without a year (``implicit(text) -> author | None``); else
    the body citation in the sentence its marker hangs on ("... (Jesuit
    Migrant Service, 2020), and delays ...[7]" / note 7 "... (ibid.)"); else
    nothing."""
    previous_note = {n.footnote_id: notes[i - 1] for i, n in enumerate(notes) if i > 0}
    last_body = None
    last_in_note: dict = {}
    for d in sorted(drafts, key=lambda x: x.item.position(x.start)):
        if d.style == "ibid":
            if d.item.footnote is None:
                source = last_body
            else:
                fid = d.item.footnote.footnote_id
                source = last_in_note.get(fid)
                prev = previous_note.get(fid)
                # the nearest earlier note of the same section naming a source
                while source is None and prev is not None and prev.section_id == d.item.footnote.section_id:
                    source = last_in_note.get(prev.footnote_id)
                    named = implicit(prev.text) if source is None and implicit is not None else None
                    if named:
                        d.author = named
                        break
                    prev = previous_note.get(prev.footnote_id)
                else:
                    if source is None:
                        source = _marker_sentence_citation(last_body, d.item)
            if source is not None:
                d.author, d.year, d.suffix = source.author, source.year, source.suffix
                d.title, d.date = source.title, source.date
                d.reference_id = source.reference_id
        if d.item.footnote is None:
            last_body = d
        else:
            last_in_note[d.item.footnote.footnote_id] = d


_SENTENCE_BREAK = re.compile(r"[.!?][\"”»’)]*\s+\S")


def _marker_sentence_citation(body, note):
    """``body`` (the last body citation before a note's marker) when it stands
    in the paragraph and sentence that carry the marker."""
    fn = note.footnote
    para = body.item.paragraph if body is not None else None
    if fn is None or para is None or para.paragraph_id != fn.paragraph_id:
        return None
    marker = next((m.offset for m in para.markers if m.number == fn.number), None)
    if marker is None or marker < body.end:
        return None
    return None if _SENTENCE_BREAK.search(para.text[body.end : marker]) else body
