"""Hand-built ``Layout`` objects for the segmenter's unit tests."""

from __future__ import annotations

from pipeline.datamodel import Block, Layout, Line, Marker, Page, PageFootnote


class LayoutBuilder:
    """Add blocks page by page, top to bottom; ``build()`` gives the Layout."""

    def __init__(self, doc_id: str = "doc-00000000"):
        self.doc_id = doc_id
        self.pages: list[dict] = []
        self.new_page()

    def new_page(self) -> "LayoutBuilder":
        self.pages.append({"blocks": [], "notes": [], "y": 72.0})
        return self

    @property
    def page_no(self) -> int:
        return len(self.pages)

    def block(self, text: str, role: str = "body", size: float = 10.0, bold: bool = False, column: int = 0,
              markers: tuple[tuple[int, int], ...] = (), lines: list[str] | None = None, x0: float = 72.0,
              line_x0: list[float] | None = None, line_x1: list[float] | None = None) -> "LayoutBuilder":
        page = self.pages[-1]
        y = page["y"]
        line_texts = lines or [text]
        line_objs = []
        for k, lt in enumerate(line_texts):
            lx = line_x0[k] if line_x0 else x0
            rx = line_x1[k] if line_x1 else 520.0
            line_objs.append(Line(page=self.page_no, text=lt, raw=lt, bbox=(lx, y + k * size * 1.2, rx, y + (k + 1) * size * 1.2),
                                  font="Helvetica-Bold" if bold else "Helvetica", size=size, bold=bold, column=column, role=role))
        bottom = y + len(line_texts) * size * 1.2
        marks = tuple(Marker(number=n, offset=o, page=self.page_no) for n, o in markers)
        page["blocks"].append(Block(page=self.page_no, role=role, column=column, bbox=(x0, y, 520.0, bottom), text=text,
                                    raw="\n".join(line_texts), font="Helvetica-Bold" if bold else "Helvetica", size=size,
                                    bold=bold, markers=marks, lines=tuple(line_objs)))
        page["y"] = bottom + size
        return self

    def heading(self, text: str, size: float = 16.0, **kw) -> "LayoutBuilder":
        return self.block(text, role="heading", size=size, bold=True, **kw)

    def body(self, text: str, **kw) -> "LayoutBuilder":
        return self.block(text, **kw)

    def folio(self, number: int | str) -> "LayoutBuilder":
        """Page-number furniture: a number, or a text ("Página 7 de 15")."""
        page = self.pages[-1]
        page["blocks"].append(Block(page=self.page_no, role="furniture", column=0, bbox=(290.0, 800.0, 300.0, 810.0),
                                    text=str(number), raw=str(number), font="Helvetica", size=8.0))
        return self

    def note(self, number: int | None, text: str) -> "LayoutBuilder":
        self.pages[-1]["notes"].append(PageFootnote(number=number, page=self.page_no, text=text, bbox=(72.0, 760.0, 520.0, 780.0)))
        return self

    def build(self) -> Layout:
        pages = tuple(
            Page(number=i + 1, width=595.0, height=842.0, blocks=tuple(p["blocks"]), footnotes=tuple(p["notes"]))
            for i, p in enumerate(self.pages)
        )
        return Layout(doc_id=self.doc_id, source_file=f"{self.doc_id}.pdf", sha256="0" * 64, n_pages=len(pages), pages=pages)
