"""Page images of a review page: each PDF page drawn once with PDFium to a
JPEG under ``OUT/review/<doc_id>/``, skipped when the file is already there
for the same PDF (its sha256 in the file name) and scale."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

from pipeline.store.workdir import atomic_write_bytes

SCALE = 1.5  # 108 dpi: readable body text
QUALITY = 70


def image_name(sha256: str, page: int, scale: float) -> str:
    return f"p{page:04d}-{sha256[:8]}-{int(round(scale * 100))}.jpg"


def draw_pages(pdf: Path, sha256: str, dest: Path, pages: list[int], scale: float = SCALE,
               tick: Callable[[], None] | None = None) -> dict[int, str]:
    """Draw ``pages`` (1-based) of ``pdf`` into ``dest``; page -> file name.

    A page that cannot be drawn is left out (the review page shows its boxes
    on a blank sheet)."""
    import io

    import pypdfium2 as pdfium

    dest.mkdir(parents=True, exist_ok=True)
    names: dict[int, str] = {}
    document = None
    try:
        for number in pages:
            name = image_name(sha256, number, scale)
            target = dest / name
            if not target.is_file():
                try:
                    if document is None:
                        document = pdfium.PdfDocument(str(pdf))
                    image = document[number - 1].render(scale=scale).to_pil().convert("RGB")
                    buffer = io.BytesIO()
                    image.save(buffer, format="JPEG", quality=QUALITY, optimize=True)
                    atomic_write_bytes(target, buffer.getvalue())
                except Exception as exc:  # noqa: BLE001 - PDFium raises its own errors; one page is not the document
                    print(f"warning: {pdf.name} page {number} could not be drawn ({exc.__class__.__name__})", file=sys.stderr)
                    if tick:
                        tick()
                    continue
            names[number] = name
            if tick:
                tick()
    finally:
        if document is not None:
            document.close()
    return names


class Progress:
    """A one-line progress bar on stderr while pages are drawn."""

    def __init__(self, total: int, enabled: bool = True, width: int = 30):
        self.total, self.done, self.width = max(total, 1), 0, width
        self.enabled = enabled and total > 0 and sys.stderr.isatty()

    def tick(self) -> None:
        self.done += 1
        if self.enabled:
            filled = self.width * self.done // self.total
            sys.stderr.write(f"\rdrawing pages [{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()
