"""The corpus dashboard (``OUT/review/index.html``): one line per document and
the counts its plots are drawn from (the script draws them as SVG)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from pipeline.review.data import BOXED, DocData


def _sorted_counts(counter: Counter, limit: int | None = None) -> list[list[Any]]:
    items = sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return [[str(k), v] for k, v in (items[:limit] if limit else items)]


def index_data(docs: list[DocData], result: dict | None) -> dict:
    lines = []
    by_dimension: Counter = Counter()
    by_kind: Counter = Counter()
    by_finding: Counter = Counter()
    sources: Counter = Counter()
    years: Counter = Counter()
    languages: Counter = Counter()
    failed = []
    for doc in docs:
        r = doc.record
        lines.append({
            "doc_id": doc.doc_id, "title": r.get("title"), "source_file": r.get("source_file"), "status": r.get("status"),
            "n_pages": r.get("n_pages"), "language": r.get("language"), "year": r.get("profile_year"),
            "rows": {t: len(doc.rows[t]) for t in BOXED}, "warnings": len(r.get("warnings") or []),
            "error": r.get("error"), "href": f"{doc.doc_id}.html",
        })
        if r.get("status") == "failed":
            failed.append([str(r.get("source_file")), str(r.get("error") or "unknown")])
            continue
        for s in doc.rows["statistics"]:
            dim = s.get("_dimension")
            by_dimension[f"dimension {dim}" if dim else "outside the dimensions"] += 1
            by_kind[s.get("kind")] += 1
            by_finding[s.get("_section_kind") or "none"] += 1
        for c in doc.rows["citations"]:
            if c.get("author"):
                sources[c["author"]] += 1
        years[r.get("profile_year") or "unknown"] += 1
        languages[r.get("language") or "unknown"] += 1
    return {
        "index": True,
        "documents": lines,
        "plots": [
            {"title": "Statistics per dimension", "bars": _sorted_counts(by_dimension)},
            {"title": "Statistics per kind", "bars": _sorted_counts(by_kind)},
            {"title": "Statistics per finding (section kind)", "bars": _sorted_counts(by_finding)},
            {"title": "Most cited sources", "bars": _sorted_counts(sources, 15)},
            {"title": "Documents per year", "bars": sorted(([str(k), v] for k, v in years.items()), key=lambda kv: kv[0])},
            {"title": "Documents per language", "bars": _sorted_counts(languages)},
        ],
        "failed": sorted(failed),
        "gold": None if result is None else {"tables": result["tables"]},
        "tables": list(BOXED),
    }
