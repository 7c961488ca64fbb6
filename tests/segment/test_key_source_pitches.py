"""KEY SOURCES in a year column whose entries are set one point apart
(Typst's grid with a small row gap, issue 18): the year column looks like a
hanging indent, so a year-less entry stands where continuation lines stand;
the only printed sign is the space between entries, a point, measured as
two tight groups of line pitches."""

from __future__ import annotations

from pipeline.config import load_config
from pipeline.datamodel import Block, Layout, Line, Page
from pipeline.segment.stage import segment

CFG = load_config()

# (x0, text, starts an entry)
ROWS = [
    (62.0, "1990 Decreto No. 830, Promulga Convención sobre los Derechos del Niño (Decree", True),
    (98.0, "Promulgating the Convention on the Rights of the Child).", False),
    (98.0, "Decreto No. 156, Aprueba Plan Nacional de Protección Civil, y deroga Decreto", True),
    (98.0, "No. 155 de 1977, que aprobó el Plan Nacional de Emergencia (Decree Approving", False),
    (98.0, "the National Civil Protection Plan).", False),
    (62.0, "2005a Decreto No. 84, Promulga la Convención internacional sobre la protección", True),
    (98.0, "de los derechos de todos los trabajadores migratorios (Decree Promulgating the", False),
    (98.0, "International Convention).", False),
    (62.0, "2005b Decreto No. 100, Fija el texto refundido de la Constitución Política", True),
    (98.0, "de la República de Chile (Decree Establishing the Constitution).", False),
    (98.0, "Decreto No. 139, Crea el Comité Interministerial para la Comunidad Chilena en", True),
    (98.0, "el Exterior (Decree Establishing the Interministerial Committee).", False),
]


def _layout(inner: float, between: float) -> Layout:
    size, y = 9.45, 120.0
    blocks = [Block(page=1, role="heading", column=0, bbox=(62.0, 80.0, 400.0, 100.0), text="KEY SOURCES",
                    raw="KEY SOURCES", font="DejaVuSans-Bold", size=16.0, bold=True,
                    lines=(Line(page=1, text="KEY SOURCES", raw="KEY SOURCES", bbox=(62.0, 80.0, 200.0, 100.0),
                                font="DejaVuSans-Bold", size=16.0, bold=True, role="heading"),))]
    author = "Government of the Republic of Chile"
    lines = [Line(page=1, text=author, raw=author, bbox=(62.0, y, 240.0, y + size), font="DejaVuSans-Bold", size=size, bold=True)]
    y += size + 6.0
    for k, (x0, text, start) in enumerate(ROWS):
        if k:
            y += between if start else inner
        lines.append(Line(page=1, text=text, raw=text, bbox=(x0, y, 530.0, y + size), font="DejaVuSans", size=size))
    blocks.append(Block(page=1, role="body", column=0, bbox=(62.0, 120.0, 530.0, y + size), text=" ".join(ln.text for ln in lines),
                        raw="\n".join(ln.text for ln in lines), font="DejaVuSans", size=size, lines=tuple(lines)))
    page = Page(number=1, width=595.0, height=842.0, blocks=tuple(blocks))
    return Layout(doc_id="doc-00000000", source_file="doc.pdf", sha256="0" * 64, n_pages=1, pages=(page,))


def _entries(layout: Layout) -> list[str]:
    seg = segment(layout, CFG)
    return [p.text[:16] for p in seg.paragraphs if p.kind == "source_entry"]


def test_year_less_entries_told_apart_by_a_one_point_space():
    expected = [text[:16] for _x, text, start in ROWS if start]
    assert _entries(_layout(inner=11.6, between=12.45)) == expected


def test_uneven_pitches_are_no_sign():
    """Pitches that do not fall in two tight groups measure nothing: the
    year-less entries stay with the entry above (the text cannot tell)."""
    rows = [11.6, 12.45, 11.9, 12.1]
    layout = _layout(inner=11.6, between=12.45)
    page = layout.pages[0]
    body = page.blocks[1]
    lines, y = list(body.lines), body.lines[1].bbox[1]
    for k in range(2, len(lines)):  # uneven pitches
        y += rows[k % len(rows)]
        lines[k] = lines[k].model_copy(update={"bbox": (lines[k].bbox[0], y, 530.0, y + 9.45)})
    layout = layout.model_copy(update={"pages": (page.model_copy(update={"blocks": (page.blocks[0], body.model_copy(update={"lines": tuple(lines)}))}),)})
    assert len(_entries(layout)) < len([r for r in ROWS if r[2]])
