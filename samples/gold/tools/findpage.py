"""Labelling aid: on which PDF pages (1-based) is a string printed?

    python samples/gold/tools/findpage.py samples/X.pdf "1,450,333" "(INE, 2021a)"

Matching ignores case and collapses whitespace (line breaks included), and a
line-end hyphen is tried both joined and kept. When a string is not found so,
it is looked for once more with all white space removed, so that a
letter-spaced heading ("C O N T E X T" in the text layer) is found too; such
hits are marked "(spaced)". Each hit prints the page and a
short context so the labeller can check it by eye; it decides nothing.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    return re.sub(r"\s+", " ", s).strip().lower()


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip())
        return 2
    import pdfplumber

    with pdfplumber.open(Path(argv[0])) as pdf:
        texts = [(i + 1, p.extract_text() or "") for i, p in enumerate(pdf.pages)]
    for needle in argv[1:]:
        n = _norm(needle)
        hits = []
        for page, text in texts:
            for variant in (_norm(text), _norm(re.sub(r"-\n", "", text))):
                i = variant.find(n)
                if i >= 0:
                    hits.append((page, variant[max(0, i - 40): i + len(n) + 40]))
                    break
        if not hits:
            tight = re.sub(r"\s+", "", n)
            for page, text in texts:
                flat = re.sub(r"\s+", "", _norm(re.sub(r"-\n", "", text)))
                i = flat.find(tight)
                if i >= 0:
                    hits.append((page, "(spaced) " + flat[max(0, i - 30): i + len(tight) + 30]))
        print(f"{needle!r}: {[h[0] for h in hits] or 'NOT FOUND'}")
        for page, ctx in hits:
            print(f"    p{page}: ...{ctx}...")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
