"""Labelling aid: check a gold file against the PDF it labels.

    python samples/gold/tools/check_gold.py samples/gold/X.json [samples/X.pdf]
    python samples/gold/tools/check_gold.py samples/gold/X.json --numbers 7

For every statistic / citation / legal reference it checks that ``raw`` is
printed on ``page``; for every footnote that its text is printed on ``page``;
for every section that its heading is printed on ``page_start`` and that its
first and last words are printed somewhere in the document; for every
reference that its title is printed and does not keep a legend mark ("*"). An item whose ``raw`` starts at the end
of ``page`` and ends on the next page is listed as running over the page
break (to look at), not as a problem. Matching ignores case, white space,
hyphens, quotes and superscript marker digits glued to words cannot be
told apart, so a miss is reported for the labeller to look at, not fixed.

``--numbers N`` prints every number and number word on page N with the gold
statistics labelled on that page, as a checklist for a second read (English,
Spanish and French number words; "1 450 333" with space-grouped thousands is
one number).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve twenty thirty hundred thousand million "
    "dozen half twice uno una dos tres cuatro cinco seis siete ocho nueve diez once doce veinte cien mil millón "
    "un une deux trois quatre cinq sept huit neuf dix douze quinze vingt trente quarante cinquante soixante "
    "cent mille millions milliard moitié"
).split()
# a number as printed: digits with "." / "," and, in French, groups of three
# digits separated by a (narrow) no-break space or a plain space ("1 450 333")
# marks a KEY SOURCES list may set after an entry, explained by a legend
# ("* Not available online."): not part of the title
MARKS = ("*", "†", "‡")
NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)(?:,\d+)?|\d[\d.,]*"


def squash(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("\u00ad", "")
    return re.sub(r"[\s\-\u2010\u2011\"'“”‘’«»]", "", text)


def page_texts(pdf: Path) -> list[str]:
    """Per page: the full-width text, then the left and right halves read
    one after the other (so text set in two columns is also found)."""
    import pdfplumber

    out = []
    with pdfplumber.open(pdf) as doc:
        for p in doc.pages:
            w, h = float(p.width), float(p.height)
            halves = [p.crop((0, 0, w / 2, h)).extract_text() or "", p.crop((w / 2, 0, w, h)).extract_text() or ""]
            out.append((p.extract_text() or "") + "\n\u0000\n" + "\n".join(halves))
    return out


def check(gold_path: Path, pdf: Path) -> int:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    texts = page_texts(pdf)
    flat = [squash(t) for t in texts]
    whole = "".join(flat)
    problems = 0

    def on_page(s: str, page: int) -> bool:
        return 1 <= page <= len(flat) and squash(s) in flat[page - 1]

    def over_break(s: str, page: int) -> bool:
        """Printed from the end of ``page`` on to the next page: some split of
        the string has its head on ``page`` and its tail on ``page + 1``."""
        s = squash(s)
        if not (1 <= page < len(flat)):
            return False
        return any(s[:i] in flat[page - 1] and s[i:] in flat[page] for i in range(3, len(s) - 2))

    for table in ("statistics", "citations", "legal_references"):
        for i, item in enumerate(gold[table]):
            if not on_page(item["raw"], item["page"]):
                if over_break(item["raw"], item["page"]):
                    print(f"{table}[{i}] {item['raw']!r} runs from page {item['page']} over to page {item['page'] + 1} (look at it)")
                    continue
                where = [n + 1 for n, t in enumerate(flat) if squash(item["raw"]) in t]
                print(f"{table}[{i}] {item['raw']!r} not on page {item['page']} (found on {where})")
                problems += 1
    for i, fn in enumerate(gold["footnotes"]):
        if not on_page(fn["text"], fn["page"]):
            print(f"footnotes[{i}] #{fn['number']} text not on page {fn['page']}: {fn['text'][:60]!r}")
            problems += 1
    for i, sec in enumerate(gold["sections"]):
        if not on_page(sec["heading"], sec["page_start"]):
            print(f"sections[{i}] heading {sec['heading']!r} not on page {sec['page_start']}")
            problems += 1
        for key in ("first_words", "last_words"):
            if sec.get(key) and squash(sec[key]) not in whole:
                print(f"sections[{i}] {key} {sec[key]!r} not printed")
                problems += 1
    for i, ref in enumerate(gold["references"]):
        for key in ("title", "translation", "note"):
            if ref.get(key) and squash(ref[key]) not in whole:
                print(f"references[{i}] {key} {ref[key][:60]!r} not printed")
                problems += 1
            if ref.get(key) and ref[key].rstrip(". ").endswith(MARKS):
                print(f"references[{i}] {key} {ref[key][-40:]!r} keeps a legend mark (the note holds its meaning)")
                problems += 1
    counts = {k: len(gold[k]) for k in ("sections", "statistics", "citations", "legal_references", "footnotes", "references")}
    print(f"{gold_path.name}: {problems} problem(s); counts {counts}")
    return 1 if problems else 0


def numbers(gold_path: Path, pdf: Path, page: int) -> int:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = page_texts(pdf)[page - 1].split("\u0000")[0]
    pattern = re.compile(NUMBER + r"|\b(?:" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)
    for line in text.splitlines():
        hits = [m.group(0) for m in pattern.finditer(line)]
        if hits:
            print(f"  {hits}  | {line}")
    print("gold statistics on this page:")
    for s in gold["statistics"]:
        if s["page"] == page:
            print(f"  {s['kind']:8} {s['value']:>14} {s['raw']!r}")
    return 0


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip())
        return 2
    gold_path = Path(argv[0])
    rest = argv[1:]
    pdf = None
    if rest and not rest[0].startswith("--"):
        pdf = Path(rest.pop(0))
    if pdf is None:
        pdf = gold_path.parent.parent / (gold_path.stem + ".pdf")
    if rest and rest[0] == "--numbers":
        return numbers(gold_path, pdf, int(rest[1]))
    return check(gold_path, pdf)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
