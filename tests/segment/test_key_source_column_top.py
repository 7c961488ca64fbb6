"""KEY SOURCES with inline year labels in two page columns (issue 18, long
random profile): an entry that runs over the foot of a column goes on at the
top of the next, where no line pitch is measured. Every entry the list's
spacing does measure carries a year label, so the list prints no year-less
entries and the line at the column top ("Press release, 8 March. ...") is
more of the entry above, not an entry of its own (whose number "8" would be
lost from its entry)."""

from __future__ import annotations

from pipeline.config import load_config
from pipeline.datamodel import Block, Layout, Line, Page
from pipeline.segment.stage import segment

CFG = load_config()
SIZE = 9.45

COL1 = [
    ("2018 Guia: red Santiago migrante.", True),
    ("2020 Programa de Gobierno Comunal (Communal Government", True),
    ("Programme). Not available online.", False),
    ("2021a Plan Comunal de Protección Civil 2017–2020 (Communal", True),
    ("Civil Protection Plan). Not available online.", False),
    ("2022a Pronunciamiento del Consejo Municipal de Santiago", True),
    ("respecto a crisis migratoria.", False),
    ("2022b En el Día de la Mujer : alcaldesa presenta nuevo protocolo", True),
    ("municipal contra el acoso laboral, sexual y la discriminación.", False),
]
COL2 = [
    ("Press release, 8 March. Not available online.", False),
    ("2023 Informe anual de gestión municipal.", True),
    ("2024 Cuenta pública (Annual account). Not", True),
    ("available online.", False),
]


def _line(x0: float, y: float, text: str, column: int, bold: bool = False) -> Line:
    return Line(page=1, text=text, raw=text, bbox=(x0, y, x0 + 200.0, y + SIZE), column=column,
                font="DejaVuSans-Bold" if bold else "DejaVuSans", size=SIZE, bold=bold)


def _layout() -> Layout:
    head = Line(page=1, text="KEY SOURCES", raw="KEY SOURCES", bbox=(62.0, 60.0, 200.0, 76.0),
                font="DejaVuSans-Bold", size=16.0, bold=True, role="heading")
    blocks = [Block(page=1, role="heading", column=0, bbox=head.bbox, text=head.text, raw=head.text,
                    font=head.font, size=16.0, bold=True, lines=(head,))]
    for column, x0, rows, author in ((1, 62.0, COL1, "Municipality of Santiago de Chile"), (2, 310.0, COL2, None)):
        y, lines = 100.0, []
        if author:
            lines.append(_line(x0, y, author, column, bold=True))
            y += SIZE + 6.0
        for k, (text, start) in enumerate(rows):
            if lines and k:
                y += 14.7 if start else 11.7
            lines.append(_line(x0, y, text, column))
        blocks.append(Block(page=1, role="body", column=column, bbox=(x0, 100.0, x0 + 200.0, y + SIZE),
                            text=" ".join(ln.text for ln in lines), raw="\n".join(ln.text for ln in lines),
                            font="DejaVuSans", size=SIZE, lines=tuple(lines)))
    page = Page(number=1, width=595.0, height=842.0, blocks=tuple(blocks))
    return Layout(doc_id="doc-00000000", source_file="doc.pdf", sha256="0" * 64, n_pages=1, pages=(page,))


def test_entry_goes_on_at_the_top_of_the_next_column():
    seg = segment(_layout(), CFG)
    entries = [p.text for p in seg.paragraphs if p.kind == "source_entry"]
    assert [e[:5] for e in entries] == ["2018 ", "2020 ", "2021a", "2022a", "2022b", "2023 ", "2024 "]
    assert entries[4].endswith("discriminación. Press release, 8 March. Not available online.")
