"""Row builders shared by the tests (one place instead of a copy per file)."""

from __future__ import annotations

from pipeline.datamodel import Paragraph


def paragraph(n: int, text: str, kind: str = "body", bold: bool = False, page: int = 1, doc_id: str = "d",
              section: int = 1) -> Paragraph:
    """Paragraph ``n`` of document ``doc_id``, in section ``section``, on ``page``."""
    return Paragraph(doc_id=doc_id, paragraph_id=f"{doc_id}:p{n}", section_id=f"{doc_id}:s{section}", order=n,
                     page_start=page, page_end=page, text=text, kind=kind, bold=bold)
