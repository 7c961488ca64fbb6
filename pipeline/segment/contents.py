"""The contents page: its entries, and the cross-check of the parts found.

An entry is a label and a printed folio ("CONTEXT // 10", "CONTEXTO . . . 5",
"ANNEXES ____ 31", "KEY FINDINGS 11"); the leader between them (dots, spaced
dots, middle dots, underscores, an ellipsis, "//", "|") is not part of the
label, and ``strip_leaders`` takes it out of the contents text too. The
folio -> PDF page offset comes from the page-number furniture ("7",
"Page 7", "Página 7 de 15": the number that keeps the same distance to the
PDF page on most pages), else from the parts found; an offset that would
put an entry outside the document is not used.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.datamodel import Layout
from pipeline.segment.headings import Match, Wording, classify
from pipeline.text.phrases import fold

LEADER = r"(?://|\||…|(?:[.·∙•_‥…]\s*){2,})"
TOC_RE = re.compile(rf"^(?P<label>.+?)\s*{LEADER}\s*(?P<folio>\d{{1,3}})\s*$")
TOC_LOOSE_RE = re.compile(r"^(?P<label>\D+?)\s+(?P<folio>\d{1,3})\s*$")
LEADER_RUN_RE = re.compile(r"\s*(?:[.·∙•_‥…]\s*){3,}(?=\d{1,3}\s*$|\d{1,3}\s)")
TRAILING_LEADER_RE = re.compile(r"(?:\s*[.·∙•_‥…]){2,}\s*$")
NUMBER_RE = re.compile(r"(?<![\d.,])\b(\d{1,3})\b(?![.,]?\d)")


def _clean(text: str) -> str:
    return " ".join(text.split())


def strip_leaders(text: str) -> str:
    """"CONTEXTO . . . . . 5" -> "CONTEXTO 5" (a run of three or more leader
    characters before a folio becomes one space)."""
    return LEADER_RUN_RE.sub(" ", text)


def entry_label(label: str) -> str:
    return _clean(TRAILING_LEADER_RE.sub("", label))


def toc_entries(units: list, wording: Wording) -> tuple[set[int], list[tuple[str, int, Match]]]:
    """Indices of units that are contents entries, and the entries (label, folio, match).

    A contents page is the page of a ``contents`` heading, or a page with three
    or more "LABEL ... 12" lines naming parts. Every unit after the heading on
    that page is an entry; a folio printed as its own block (a table column)
    is paired with the labels in reading order.
    """
    per_page: Counter = Counter()
    for u in units:
        m = TOC_RE.match(u.text) or TOC_LOOSE_RE.match(u.text)
        if not m:  # (a line ending in no folio is no entry: its text is not folded)
            continue
        if wording.page_label.search(" " + fold(u.text)):  # "MIGRANTS' RIGHTS PAGE 12": key findings overview
            continue
        if classify(entry_label(m.group("label")), wording).kind not in (None, "ignore"):
            per_page[u.page] += 1
    starts = {u.page: i for i, u in reversed(list(enumerate(units)))
              if u.heading and u.match and u.match.kind == "contents" and not TOC_RE.match(u.text)}
    starts.update({page: -1 for page, n in per_page.items() if n >= 3 and page not in starts})
    idx: set[int] = set()
    entries: list[tuple[str, int, Match]] = []
    labels: list[str] = []
    folios: list[int] = []

    def add(m: re.Match) -> None:
        label = entry_label(m.group("label"))
        entries.append((label, int(m.group("folio")), classify(label, wording)))

    def flush() -> None:
        if len(labels) == len(folios):
            entries.extend((lab, fol, classify(lab, wording)) for lab, fol in zip(labels, folios))
        labels.clear()
        folios.clear()

    for i, u in enumerate(units):
        first = starts.get(u.page)
        if first is None or i <= first:
            m = TOC_RE.match(u.text) if u.heading else None
            if m:
                idx.add(i)
                add(m)
            continue
        idx.add(i)
        for line in _line_texts(u):
            m = TOC_RE.match(line) or TOC_LOOSE_RE.match(line)
            if m:
                add(m)
            elif line.isdigit() and len(line) <= 3:
                folios.append(int(line))
            elif any(c.isalpha() for c in line):
                labels.append(entry_label(line))
        if i + 1 == len(units) or units[i + 1].page != u.page:
            flush()
    return idx, entries


def _line_texts(u) -> list[str]:
    lines = [_clean(ln.text) for b in u.blocks for ln in b.lines if ln.text.strip()]
    return lines or [u.text]


def folio_offset(layout: Layout) -> int | None:
    """PDF page minus printed folio, from the page-number furniture.

    Every 1-3 digit number of a page's furniture is a candidate folio; the
    offset shared by most pages wins ("Página 7 de 15": the page count gives
    a different offset on every page, the folio the same one). Offsets that
    put a folio outside 1..n_pages are not candidates."""
    support: Counter = Counter()
    n_pages = layout.n_pages or len(layout.pages)
    for page in layout.pages:
        offsets = set()
        for b in page.blocks:
            if b.role == "furniture":
                for m in NUMBER_RE.finditer(b.text):
                    folio = int(m.group(1))
                    if 1 <= folio <= n_pages + 10:
                        offsets.add(page.number - folio)
        support.update(offsets)
    if not support:
        return None
    best = max(support.items(), key=lambda kv: (kv[1], -abs(kv[0]), -kv[0]))
    return best[0] if best[1] >= 2 or len(layout.pages) <= 2 else None


def _plausible(offset: int | None, entries, n_pages: int) -> bool:
    """Most entries land inside the document (a truncated file may lose the last parts)."""
    if offset is None:
        return False
    inside = [1 <= folio + offset <= n_pages for _, folio, m in entries if m.kind and m.kind != "ignore"]
    return 2 * sum(inside) > len(inside)


def cross_check(layout: Layout, units: list, entries, wording: Wording, warnings: list[str]) -> None:
    """Promote missing parts listed on the contents page; warn when still missing."""
    found: dict[tuple, int] = {}
    for u in units:
        if u.heading and u.match and u.match.kind:
            found.setdefault((u.match.kind, u.match.dimension), u.page)
    n_pages = layout.n_pages or len(layout.pages)
    offset = folio_offset(layout)
    if not _plausible(offset, entries, n_pages):
        diffs = Counter(found[(m.kind, m.dimension)] - folio for _, folio, m in entries if (m.kind, m.dimension) in found)
        offset = next((d for d, _ in sorted(diffs.items(), key=lambda kv: (-kv[1], abs(kv[0])))
                       if _plausible(d, entries, n_pages)), None)
    for label, folio, m in entries:
        key = (m.kind, m.dimension)
        if not m.kind or m.kind == "ignore":
            continue
        page = folio + offset if offset is not None and 1 <= folio + offset <= n_pages else None
        if key not in found:
            for u in units:
                if u.toc or (page is not None and abs(u.page - page) > 1) or len(u.text) > 160:
                    continue
                um = u.match if u.heading else classify(u.text, wording)
                if um and (um.kind, um.dimension) == key and (u.heading or not um.keywords):
                    u.heading, u.match = True, um
                    found[key] = u.page
                    break
            else:
                where = f"page {folio}" + (f", PDF page {page}" if page is not None
                                           else f", beyond the last page {n_pages}" if offset is not None else "")
                warnings.append(f"contents lists {label!r} ({where}) but no such section was found")
                continue
        if page is not None and abs(found[key] - page) > 1:
            warnings.append(f"contents lists {label!r} on PDF page {page} but it starts on page {found[key]}")
