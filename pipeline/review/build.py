"""`mgi review OUT`: write ``OUT/review/index.html`` and one page per document.

Static files opened from disk: the scripts (``common.js`` and ``index.js``
or ``document.js``) and the style are shipped in ``pipeline/review/assets/``
and written inline; the data of a page is one JSON
block (``<script type="application/json">``, ``<``, ``>``, ``&``, U+2028 and
U+2029 escaped) that the script renders with ``textContent`` only. Rows are
sorted by id and nothing depends on the clock, so the same OUT gives the same
bytes.
"""

from __future__ import annotations

import html
import json
import sys
import typing
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline import types as ptypes
from pipeline.review import dashboard
from pipeline.review.data import BOXED, GOLD_FIELDS, DocData, columns, load
from pipeline.review.images import SCALE, Progress, draw_pages
from pipeline.store.workdir import atomic_write_bytes

COLOURS = {
    "sections": "#7b3294",
    "paragraphs": "#4575b4",
    "footnotes": "#1a9850",
    "statistics": "#d73027",
    "citations": "#fc8d59",
    "legal_references": "#8c510a",
    "references": "#01665e",
}
HIDDEN_AT_START = ("paragraphs",)  # drawn but toggled off: they cover the facts


def asset(name: str) -> str:
    return resources.files("pipeline.review").joinpath("assets", name).read_text(encoding="utf-8")


def script(part: str) -> str:
    """The page's script: the shared part and ``part`` (index.js or document.js) in one function."""
    return ("(function () {\n" + asset("common.js") + asset(part)
            + '  document.body.setAttribute("data-ready", "1");\n})();\n')


def json_block(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


def _choices() -> dict[str, list[str]]:
    return {name: list(typing.get_args(getattr(ptypes, name)))
            for name in ("StatisticKind", "CitationStyle", "Instrument", "SectionKind", "Qualifier")}


def page_html(title: str, body_class: str, data: Any, code: str, style: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title>\n<style>\n{style}</style></head>\n"
        f"<body class=\"{body_class}\"><div id=\"app\"></div>\n"
        f"<script type=\"application/json\" id=\"data\">{json_block(data)}</script>\n"
        f"<script>\n{code}</script>\n</body></html>\n"
    )


def _row_entry(table: str, row: dict) -> dict:
    id_col, page_col = BOXED[table]
    entry = {"id": row[id_col], "page": row.get(page_col), "bbox": row.get("bbox"),
             "page_end": row.get("page_end"), "cols": {k: v for k, v in row.items() if not k.startswith("_")}}
    for name in ("_gold", "_section_kind", "_dimension"):
        if name in row:
            entry[name.lstrip("_")] = row[name]
    return entry


def gold_view(doc: DocData, result: dict | None, golds: dict) -> dict | None:
    """Per-row match / extra, the misses and this document's scores, from ``mgi validate``'s result."""
    if result is None:
        return None
    mine = [d for d in result["documents"] if d["doc_id"] == doc.doc_id]
    if not mine:
        return None
    stem = mine[0]["document"]
    gold = golds[stem][0]
    extras = {(e["table"], str(e.get("id"))) for e in result["extras"] if e["document"] == stem}
    status: dict[str, dict[str, str]] = {}
    for table in BOXED:
        if table not in mine[0]["tables"]:
            continue
        page_col = BOXED[table][1]
        status[table] = {}
        for row in doc.rows[table]:
            rid = str(row[BOXED[table][0]])
            if gold.on_labelled_page(row.get(page_col)):
                status[table][rid] = "extra" if (table, rid) in extras else "match"
    misses = [m for m in result["misses"] if m["document"] == stem and m["table"] != "documents"]
    return {"stem": stem, "gold_file": Path(mine[0]["gold_file"]).name, "tables": mine[0]["tables"],
            "overall": result["tables"], "status": status, "misses": misses,
            "pages_labelled": gold.pages_labelled}


def document_data(doc: DocData, images: dict[int, str], gold: dict | None) -> dict:
    stem = Path(str(doc.record.get("source_file") or doc.doc_id)).stem
    return {
        "doc": doc.record,
        "stem": stem,
        "pages": [{**p, "img": f"{doc.doc_id}/{images[p['number']]}" if p["number"] in images else None} for p in doc.pages],
        "tables": list(BOXED),
        "gold_tables": list(GOLD_FIELDS),
        "colours": COLOURS,
        "hidden": list(HIDDEN_AT_START),
        "columns": {t: columns(t) for t in BOXED},
        "rows": {t: [_row_entry(t, r) for r in doc.rows[t]] for t in BOXED},
        "choices": _choices(),
        "gold": gold,
    }


def build(out: Path, gold_dir: Path | None = None, doc_ids: list[str] | None = None, progress: bool = True,
          scale: float = SCALE) -> Path:
    """Write the review pages of OUT; the path of ``index.html``."""
    out = Path(out)
    target = out / "review"
    docs = load(out, doc_ids)
    result, golds = None, {}
    if gold_dir is not None:
        from pipeline.evaluate.validate import read_golds, validate

        golds = read_golds(Path(gold_dir))
        result = validate(out, Path(gold_dir), golds=golds)  # the gold folder read once
    style = asset("review.css")
    bar = Progress(sum(len(d.pages) for d in docs if d.pdf is not None), enabled=progress)
    for doc in docs:
        images: dict[int, str] = {}
        if doc.pdf is not None and doc.pages:
            images = draw_pages(doc.pdf, str(doc.record["sha256"]), target / doc.doc_id,
                                [p["number"] for p in doc.pages], scale, bar.tick)
        elif doc.pages:
            print(f"warning: {doc.record.get('source_file')} not found: {doc.doc_id} is shown without page images", file=sys.stderr)
        data = document_data(doc, images, gold_view(doc, result, golds))
        text = page_html(f"Review - {doc.record.get('title') or doc.doc_id}", "doc", data, script("document.js"), style)
        atomic_write_bytes(target / f"{doc.doc_id}.html", text.encode("utf-8"))
    bar.close()
    index = dashboard.index_data(docs, result)
    atomic_write_bytes(target / "index.html", page_html("Review - corpus", "index", index, script("index.js"), style).encode("utf-8"))
    return target / "index.html"


def review_command(out: Path, gold_dir: Path | None = None, doc_ids: list[str] | None = None, progress: bool = True) -> int:
    """``mgi review``: 0 written, 2 cannot (one-line error)."""
    from pipeline.errors import MGIError

    if not (Path(out) / "documents").exists():
        print(f"error: {out} holds no output tables (run `mgi run ... --out {out}` first)", file=sys.stderr)
        return 2
    if doc_ids:
        from pipeline.review.data import read_table

        known = {str(r["doc_id"]) for r in read_table(Path(out), "documents")}
        unknown = sorted(set(doc_ids) - known)
        if unknown:
            print(f"error: no document {unknown[0]!r} in {out} (its doc_ids are in OUT/documents, e.g. "
                  f"{min(known) if known else 'none'})", file=sys.stderr)
            return 2
    try:
        index = build(Path(out), gold_dir, doc_ids, progress)
    except MGIError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot write the review pages: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"wrote {index}")
    return 0
