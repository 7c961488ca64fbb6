"""Labelling aid: print the text of PDF pages (1-based), as pdfplumber reads it.

    python samples/gold/tools/pagetext.py samples/X.pdf          # all pages
    python samples/gold/tools/pagetext.py samples/X.pdf 3 5-7    # some pages
    python samples/gold/tools/pagetext.py samples/X.pdf 3 --png  # also /tmp/page-3.png
    python samples/gold/tools/pagetext.py samples/X.pdf 3 --cols 2  # left strip, then right

Aid only: it prints what is on the page; the labeller reads and decides.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _pages(args: list[str], n: int) -> list[int]:
    if not args:
        return list(range(1, n + 1))
    out: list[int] = []
    for a in args:
        if "-" in a:
            lo, hi = a.split("-", 1)
            out.extend(range(int(lo), int(hi) + 1))
        else:
            out.append(int(a))
    return [p for p in out if 1 <= p <= n]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip())
        return 2
    import pdfplumber

    png = "--png" in argv
    argv = [a for a in argv if a != "--png"]
    cols = 1
    if "--cols" in argv:
        i = argv.index("--cols")
        cols = int(argv[i + 1])
        del argv[i : i + 2]
    path = Path(argv[0])
    with pdfplumber.open(path) as pdf:
        for p in _pages(argv[1:], len(pdf.pages)):
            page = pdf.pages[p - 1]
            print(f"===== page {p} =====")
            if cols == 1:
                print(page.extract_text() or "")
                continue
            w = float(page.width) / cols
            for c in range(cols):
                strip = page.crop((c * w, 0, (c + 1) * w, float(page.height)))
                print(f"----- column {c + 1} -----")
                print(strip.extract_text() or "")
    if png:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        for p in _pages(argv[1:], len(doc)):
            out = f"/tmp/page-{p}.png"
            doc[p - 1].render(scale=0.9).to_pil().save(out)
            print(f"[image] {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
