"""What a review page shows: a document's rows with their boxes, its printed
lines (for picking text on the page) and, per row, the gold item it would be
in a gold file (``pipeline.evaluate.gold`` format).

Rows come from the Parquet tables in OUT (what was written), sorted by id;
the lines from the parse intermediate ``OUT/work/<doc_id>/layout.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.datamodel import Layout
from pipeline.evaluate.gold import attribution_of, parse_reference_key
from pipeline.store.tables import TABLE_SPECS
from pipeline.store.workdir import STAGE_FILES, doc_dir, read_model

# table -> (id column, page column); one box per row on its page
BOXED = {
    "sections": ("section_id", "page_start"),
    "paragraphs": ("paragraph_id", "page_start"),
    "footnotes": ("footnote_id", "page"),
    "statistics": ("stat_id", "page"),
    "citations": ("citation_id", "page"),
    "legal_references": ("legal_id", "page"),
    "references": ("reference_id", "page"),
}
# the gold lists a person labels on the page, and the fields kept in an item
GOLD_FIELDS = {
    "sections": ("kind", "dimension", "heading", "page_start"),
    "statistics": ("page", "kind", "value", "unit", "qualifier", "subject", "raw"),
    "citations": ("page", "style", "author", "year", "year_suffix", "raw"),
    "legal_references": ("page", "instrument", "number", "year", "raw"),
    "footnotes": ("number", "page", "text"),
    "references": ("author", "year", "year_suffix", "title", "note", "translation"),
}
ATTRIBUTED = ("statistics", "citations", "legal_references")


def _natural(text: Any) -> tuple:
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", str(text)))


def _plain(value: Any) -> Any:
    """A Parquet value as JSON (tuples and arrays as lists, floats kept)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):
        return _plain(value.tolist())
    return value


def read_table(out: Path, table: str) -> list[dict]:
    """All rows of ``OUT/<table>/``, read with the table's declared schema
    (empty when the table is absent)."""
    from pipeline.store.write import read_table as read_arrow

    path = Path(out) / table
    if not path.exists() or not any(path.rglob("*.parquet")):
        return []
    return [{k: _plain(v) for k, v in row.items()} for row in read_arrow(out, table).to_pylist()]


@dataclass
class DocData:
    """One document's rows (table -> rows sorted by id) and its printed lines."""

    record: dict
    rows: dict[str, list[dict]] = field(default_factory=dict)
    pages: list[dict] = field(default_factory=list)  # {number, width, height, lines: [[x0, top, x1, bottom, text]]}
    pdf: Path | None = None

    @property
    def doc_id(self) -> str:
        return str(self.record["doc_id"])


def gold_item(table: str, row: dict, sections: dict[str, dict], ref_keys: dict[str, str]) -> dict:
    """The gold item a confirmed row becomes (``"checked": true``)."""
    item: dict[str, Any] = {"checked": True}
    for name in GOLD_FIELDS[table]:
        item[name] = row.get(name)
    if table in ATTRIBUTED:
        item["section_kind"], item["dimension"] = attribution_of(row.get("section_id"), sections)
    if table == "citations":
        item["reference"] = ref_keys.get(row.get("reference_id") or "")
        for name in ("title", "date"):
            if row.get(name) is not None:
                item[name] = row[name]
    return item


def _ref_key(ref: dict) -> str | None:
    """'author|year+suffix' of a KEY SOURCES row, when the gold format can read it back."""
    key = f"{ref['author']}|{'' if ref['year'] is None else ref['year']}{ref['year_suffix'] or ''}"
    try:
        parse_reference_key(key)
    except ValueError:
        return None
    return key


def _pdf_path(record: dict, out: Path) -> Path | None:
    source = Path(str(record.get("source_file") or ""))
    for candidate in (source, Path.cwd() / source, Path(out).parent / source):
        if candidate.is_file():
            return candidate
    return None


def _pages(out: Path, doc_id: str) -> list[dict]:
    path = doc_dir(Path(out), doc_id) / STAGE_FILES["parse"]
    try:
        layout = read_model(path, Layout)
    except Exception:  # noqa: BLE001 - no layout: the page has no text to pick
        return []
    pages = []
    for p in layout.pages:
        lines = [[round(ln.bbox[0], 1), round(ln.bbox[1], 1), round(ln.bbox[2], 1), round(ln.bbox[3], 1), ln.text]
                 for b in p.blocks for ln in b.lines if ln.text.strip()]
        pages.append({"number": p.number, "width": p.width, "height": p.height, "lines": lines})
    return pages


def load(out: Path, doc_ids: list[str] | None = None) -> list[DocData]:
    """Every document of OUT (or those of ``doc_ids``), sorted by doc_id."""
    out = Path(out)
    tables: dict[str, dict[str, list[dict]]] = {}
    for table in BOXED:  # rows grouped by document once, not searched per document
        for row in read_table(out, table):
            tables.setdefault(table, {}).setdefault(str(row.get("doc_id")), []).append(row)
    docs = sorted(read_table(out, "documents"), key=lambda r: _natural(r["doc_id"]))
    if doc_ids:
        wanted = set(doc_ids)
        docs = [d for d in docs if d["doc_id"] in wanted]
    result = []
    for record in docs:
        data = DocData(record=record, pdf=_pdf_path(record, out))
        for table, (id_col, _) in BOXED.items():
            rows = tables.get(table, {}).get(str(record["doc_id"]), [])
            data.rows[table] = sorted(rows, key=lambda r: _natural(r[id_col]))
        sections = {s["section_id"]: s for s in data.rows["sections"]}
        refs = {r["reference_id"]: _ref_key(r) for r in data.rows["references"]}
        for table in GOLD_FIELDS:
            for row in data.rows[table]:
                row["_gold"] = gold_item(table, row, sections, refs)
        for table in ATTRIBUTED:  # what the side panel filters on
            for row in data.rows[table]:
                row["_section_kind"], row["_dimension"] = row["_gold"]["section_kind"], row["_gold"]["dimension"]
        data.pages = _pages(out, record["doc_id"]) if record.get("status") != "failed" else []
        result.append(data)
    return result


def columns(table: str) -> list[str]:
    """The table's columns in schema order (what the detail panel lists)."""
    return list(TABLE_SPECS[table].columns)
