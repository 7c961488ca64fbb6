"""Labelling aid: where are another edition's gold items printed in this PDF?

    python samples/gold/tools/repage.py samples/gold/A.json samples/B.pdf

For a PDF that sets the same text as an already labelled one in another
design, it lists, table by table and in the gold's order, every item of
``A.json`` with the pages of ``B.pdf`` where its string is printed (``raw``
for statistics / citations / legal references, the text for footnotes, the
heading for sections; the same matching as ``check_gold.py``: case, white
space, hyphens and quotes ignored, so letter-spaced headings are found). It
proposes the first such page not before the previous item's page and marks
with ``?`` every item printed on more than one page from there on, with
``!`` every item it cannot find, so the labeller knows which ones to read
twice.

It writes nothing and decides nothing: each proposed page is to be checked
against the page text and image before it goes into a gold file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_gold import page_texts, squash  # noqa: E402

KEYS = {
    "sections": ("heading", "page_start"),
    "statistics": ("raw", "page"),
    "citations": ("raw", "page"),
    "legal_references": ("raw", "page"),
    "footnotes": ("text", "page"),
}


def propose(strings: list[str], flat: list[str]) -> list[tuple[int | None, list[int], str]]:
    """For each string in reading order: (proposed page, candidate pages, flag)."""
    out = []
    prev = 1
    for s in strings:
        key = squash(s)
        pages = [n + 1 for n, t in enumerate(flat) if key and key in t]
        later = [p for p in pages if p >= prev]
        if not later:
            out.append((None, pages, "!"))
            continue
        flag = "?" if len(later) > 1 else " "
        prev = later[0]
        out.append((later[0], pages, flag))
    return out


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip())
        return 2
    gold = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    flat = [squash(t) for t in page_texts(Path(argv[1]))]
    for table, (text_key, page_key) in KEYS.items():
        items = gold[table]
        print(f"== {table} ({len(items)})")
        # footnotes restart their numbering in an annex; keep the gold's order
        rows = propose([str(it[text_key]) for it in items], flat)
        for i, (it, (page, pages, flag)) in enumerate(zip(items, rows)):
            label = str(it[text_key])[:70]
            print(f"{flag} [{i}] old p{it[page_key]} -> {page}  {pages}  {label!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
