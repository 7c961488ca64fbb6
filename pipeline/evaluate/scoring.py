"""Matching output rows to gold items, and the scores.

Each document is matched to the gold file named after its PDF stem
(``Path(source_file).stem``) and items are matched one-to-one per table
(CONTRACT.md "Hand-labelled gold files"):

=================  ==========================================================
documents          each labelled field equal (text normalised)
sections           (kind, dimension, page_start); first/last words at the ends
statistics         (page, kind, value); value within relative 1e-6
citations          (page, author normalised or alias, year, year_suffix);
                   title similarity >= 0.8 and date equal when the gold
                   item gives them
legal_references   (instrument, number without "No." and spaces)
footnotes          (number, page); text similarity >= 0.9
references         (author normalised or alias, year, year_suffix); title >= 0.8
=================  ==========================================================

Matching is greedy best-first on similarity with a deterministic order, so a
duplicate in the output is an extra. Precision, recall and F1 are counted
per table and document and micro-averaged over documents; attribution
accuracy checks the (section_kind, dimension) of matched facts. Pure: the
tables come in as DataFrames, the result goes out as a dict.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Callable

from pipeline.errors import ValidationInputError
from pipeline.evaluate.gold import (
    AuthorKeys,
    GoldFile,
    attribution_of,
    gold_stem,
    norm_number,
    norm_suffix,
    norm_text,
    parse_reference_key,
    reference_key,
)

TABLES = ("documents", "sections", "statistics", "citations", "legal_references", "footnotes", "references")
FACT_TABLES = ("statistics", "citations", "legal_references")  # carry section_kind / dimension
ID_COLUMNS = {
    "documents": "doc_id",
    "sections": "section_id",
    "statistics": "stat_id",
    "citations": "citation_id",
    "legal_references": "legal_id",
    "footnotes": "footnote_id",
    "references": "reference_id",
}
# the page an output row stands on, for page-level gold (``pages_labelled``)
PAGE_COLUMNS = {table: "page_start" if table == "sections" else "page" for table in TABLES}
DOCUMENT_FIELDS = ("title", "profile_level", "country", "locality", "profile_year", "publication_year", "language", "isbn")
VALUE_REL_TOL = 1e-6
FOOTNOTE_MIN_SIMILARITY = 0.9
TITLE_MIN_SIMILARITY = 0.8
WORDS_SLACK = 3  # first/last words may start this many words from the section's ends


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------


def _clean(value: Any) -> Any:
    """pandas/numpy scalars -> plain Python; NaN/NA -> None."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return None
    try:
        if value != value:  # NaN
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            return value.item()
        except (ValueError, AttributeError):
            return value
    return value


def _int(value: Any) -> int | None:
    value = _clean(value)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    value = _clean(value)
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _natural(text: Any) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", str(text)))


def similarity(a: str | None, b: str | None) -> float:
    """difflib ratio of the normalised texts (1.0 for two empty texts)."""
    x, y = norm_text(a), norm_text(b)
    if not x and not y:
        return 1.0
    return SequenceMatcher(None, x, y, autojunk=False).ratio()


def _same_title(gold: str | None, out: str | None) -> bool:
    """A labelled title matches at text similarity >= 0.8; null only null."""
    if gold is None or out is None:
        return gold is None and out is None
    return similarity(gold, out) >= TITLE_MIN_SIMILARITY


def values_equal(a: float | None, b: float | None) -> bool:
    """Within relative 1e-6 (float parsing noise); two whole numbers must be
    equal, so a count of 1,450,334 never matches 1,450,333."""
    if a is None or b is None:
        return a is b
    if abs(a - round(a)) < 1e-9 and abs(b - round(b)) < 1e-9:
        return round(a) == round(b)
    return math.isclose(a, b, rel_tol=VALUE_REL_TOL, abs_tol=1e-9)


def _words_at(gold_words: str | None, text: str | None, end: bool) -> bool:
    """The gold words occur within the first (``end=False``) or last words of text."""
    want = norm_text(gold_words).split()
    if not want:
        return True
    have = norm_text(text).split()
    window = len(want) + WORDS_SLACK
    have = have[-window:] if end else have[:window]
    n = len(want)
    return any(have[i : i + n] == want for i in range(len(have) - n + 1))


def shorten(text: Any, n: int = 140) -> str:
    """``text`` on one line, cut to ``n`` characters (an ellipsis marks the cut)."""
    text = " ".join(str(text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def greedy_match(
    gold: list, out: list, key_g: Callable, key_o: Callable, sim: Callable[[Any, Any], float | None]
) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, output index): candidates share a key and
    have a similarity (None = rejected); best similarity first, ties by index."""
    buckets: dict[Any, list[int]] = {}
    for j, o in enumerate(out):
        buckets.setdefault(key_o(o), []).append(j)
    cands = []
    for i, g in enumerate(gold):
        for j in buckets.get(key_g(g), ()):
            s = sim(g, out[j])
            if s is not None:
                cands.append((-s, i, j))
    cands.sort()
    used_g: set[int] = set()
    used_o: set[int] = set()
    pairs = []
    for _, i, j in cands:
        if i not in used_g and j not in used_o:
            used_g.add(i)
            used_o.add(j)
            pairs.append((i, j))
    return sorted(pairs)


# --------------------------------------------------------------------------
# per-table rules: key, similarity, and how an item reads in the report
# --------------------------------------------------------------------------


@dataclass
class Rule:
    key_g: Callable[[Any], Any]
    key_o: Callable[[dict], Any]
    sim: Callable[[Any, dict], float | None]
    show_g: Callable[[Any], tuple[int | None, str]]
    show_o: Callable[[dict], tuple[int | None, str]]


def _rules(authors: AuthorKeys) -> dict[str, Rule]:
    def stat_key(page, kind):
        return (page, kind)

    def stat_sim(g, o):
        if not values_equal(float(g.value), _float(o.get("value"))):
            return None
        return similarity(g.raw, o.get("raw"))

    def cit_key(page, author, year, suffix):
        return (page, authors.key(author), year, norm_suffix(suffix))

    def cit_sim(g, o):
        # title and date are optional gold keys: checked only when labelled
        if "title" in g.model_fields_set and not _same_title(g.title, _clean(o.get("title"))):
            return None
        if "date" in g.model_fields_set and g.date != (_clean(o.get("date")) or None):
            return None
        return similarity(g.raw, o.get("raw"))

    def fn_sim(g, o):
        s = similarity(g.text, o.get("text"))
        return s if s >= FOOTNOTE_MIN_SIMILARITY else None

    def ref_sim(g, o):
        s = similarity(g.title, o.get("title"))
        return s if s >= TITLE_MIN_SIMILARITY else None

    def sec_sim(g, o):
        text = o.get("text")
        if not (_words_at(g.first_words, text, end=False) and _words_at(g.last_words, text, end=True)):
            return None
        return similarity(g.heading, o.get("heading"))

    def legal_sim(g, o):
        same_page = 1.0 if g.page == _int(o.get("page")) else 0.0
        return same_page + similarity(g.raw, o.get("raw")) / 2

    def ys(year, suffix):
        return f"{'n.d.' if year is None else year}{suffix or ''}"

    return {
        "sections": Rule(
            key_g=lambda g: (g.kind, g.dimension, g.page_start),
            key_o=lambda o: (o.get("kind"), _int(o.get("dimension")), _int(o.get("page_start"))),
            sim=sec_sim,
            show_g=lambda g: (g.page_start, f"{g.kind} (dim {g.dimension}) “{shorten(g.heading, 80)}” "
                              f"first: “{shorten(g.first_words, 50)}” last: “{shorten(g.last_words, 50)}”"),
            show_o=lambda o: (_int(o.get("page_start")), f"{o.get('kind')} (dim {_int(o.get('dimension'))}) "
                              f"“{shorten(o.get('heading'), 80)}” first: “{shorten(' '.join(str(o.get('text') or '').split()[:8]), 60)}”"),
        ),
        "statistics": Rule(
            key_g=lambda g: stat_key(g.page, g.kind),
            key_o=lambda o: stat_key(_int(o.get("page")), o.get("kind")),
            sim=stat_sim,
            show_g=lambda g: (g.page, f"“{shorten(g.raw, 60)}” {g.kind} value={g.value:g} unit={g.unit}"),
            show_o=lambda o: (_int(o.get("page")), f"“{shorten(o.get('raw'), 60)}” {o.get('kind')} "
                              f"value={_float(o.get('value')) or 0:g} unit={o.get('unit')} in “{shorten(o.get('sentence'), 90)}”"),
        ),
        "citations": Rule(
            key_g=lambda g: cit_key(g.page, g.author, g.year, g.year_suffix),
            key_o=lambda o: cit_key(_int(o.get("page")), o.get("author"), _int(o.get("year")), o.get("year_suffix")),
            sim=cit_sim,
            show_g=lambda g: (g.page, f"“{shorten(g.raw, 80)}” {g.author} {ys(g.year, g.year_suffix)} ({g.style})"
                              + "".join(f" {k}={getattr(g, k)!r}" for k in ("title", "date") if k in g.model_fields_set)),
            show_o=lambda o: (_int(o.get("page")), f"“{shorten(o.get('raw'), 80)}” {o.get('author')} "
                              f"{ys(_int(o.get('year')), o.get('year_suffix'))} ({o.get('style')})"
                              + "".join(f" {k}={_clean(o.get(k))!r}" for k in ("title", "date") if _clean(o.get(k)) is not None)),
        ),
        "legal_references": Rule(
            key_g=lambda g: (g.instrument, norm_number(g.number)),
            key_o=lambda o: (o.get("instrument"), norm_number(o.get("number"))),
            sim=legal_sim,
            show_g=lambda g: (g.page, f"“{shorten(g.raw, 80)}” {g.instrument} {g.number}"),
            show_o=lambda o: (_int(o.get("page")), f"“{shorten(o.get('raw'), 80)}” {o.get('instrument')} {o.get('number')}"),
        ),
        "footnotes": Rule(
            key_g=lambda g: (g.number, g.page),
            key_o=lambda o: (_int(o.get("number")), _int(o.get("page"))),
            sim=fn_sim,
            show_g=lambda g: (g.page, f"[{g.number}] {shorten(g.text, 120)}"),
            show_o=lambda o: (_int(o.get("page")), f"[{_int(o.get('number'))}] {shorten(o.get('text'), 120)}"),
        ),
        "references": Rule(
            key_g=lambda g: (authors.key(g.author), g.year, norm_suffix(g.year_suffix)),
            key_o=lambda o: (authors.key(o.get("author")), _int(o.get("year")), norm_suffix(o.get("year_suffix"))),
            sim=ref_sim,
            show_g=lambda g: (None, f"{shorten(g.author, 60)} {ys(g.year, g.year_suffix)} “{shorten(g.title, 90)}”"),
            show_o=lambda o: (_int(o.get("page")), f"{shorten(o.get('author'), 60)} {ys(_int(o.get('year')), o.get('year_suffix'))} "
                              f"“{shorten(o.get('title'), 90)}”"),
        ),
    }


# --------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------


def _doc_value(name: str, value: Any) -> Any:
    value = _clean(value)
    if value is None:
        return None
    if name in ("profile_year", "publication_year"):
        return _int(value)
    if name == "isbn":
        return re.sub(r"[^0-9X]", "", str(value).upper())
    return norm_text(str(value))


def _score_document_fields(gold: GoldFile, row: dict) -> tuple[int, list[dict], list[dict]]:
    """Each labelled field is one item; returns (tp, misses, extras)."""
    tp, misses, extras = 0, [], []
    labelled = [f for f in DOCUMENT_FIELDS if f in gold.document.model_fields_set]
    for name in labelled:
        g = _doc_value(name, getattr(gold.document, name))
        o = _doc_value(name, row.get(name))
        if g is not None and g == o:
            tp += 1
            continue
        if g is not None:
            misses.append({"page": None, "text": f"{name} = {getattr(gold.document, name)!r}"})
        if o is not None:
            extras.append({"page": None, "text": f"{name} = {_clean(row.get(name))!r}"})
    return tp, misses, extras


@dataclass
class DocScore:
    document: str
    doc_id: str
    gold_file: str
    counts: dict[str, dict] = field(default_factory=dict)
    misses: list[dict] = field(default_factory=list)
    extras: list[dict] = field(default_factory=list)
    attribution: dict[str, list[int]] = field(default_factory=dict)  # table -> [checked, correct]
    attribution_errors: list[dict] = field(default_factory=list)
    links: list[int] = field(default_factory=lambda: [0, 0])  # citation reference links [checked, correct]


def score_document(stem: str, gold: GoldFile, gold_name: str, doc_row: dict, rows: dict[str, list[dict]]) -> DocScore:
    """Score one document: ``rows`` maps table -> that document's output rows."""
    result = DocScore(document=stem, doc_id=str(doc_row.get("doc_id")), gold_file=gold_name)
    if gold.labels("documents"):
        tp, misses, extras = _score_document_fields(gold, doc_row)
        result.counts["documents"] = prf(tp, len(extras), len(misses))
        result.misses += [{"table": "documents", "document": stem, **m} for m in misses]
        result.extras += [{"table": "documents", "document": stem, **e} for e in extras]

    authors = gold.author_keys()
    rules = _rules(authors)
    sections = {str(s["section_id"]): s for s in rows.get("sections", []) if s.get("section_id") is not None}
    for table, rule in rules.items():
        if not gold.labels(table):
            continue  # not labelled in this file: not scored
        g_items = list(getattr(gold, table))
        o_items = [o for o in rows.get(table, []) if gold.on_labelled_page(_int(o.get(PAGE_COLUMNS[table])))]
        pairs = greedy_match(g_items, o_items, rule.key_g, rule.key_o, rule.sim)
        matched_g = {i for i, _ in pairs}
        matched_o = {j for _, j in pairs}
        result.counts[table] = prf(len(pairs), len(o_items) - len(matched_o), len(g_items) - len(matched_g))
        for i, g in enumerate(g_items):
            if i not in matched_g:
                page, text = rule.show_g(g)
                result.misses.append({"table": table, "document": stem, "page": page, "text": text})
        for j, o in enumerate(o_items):
            if j not in matched_o:
                page, text = rule.show_o(o)
                result.extras.append({"table": table, "document": stem, "page": page, "text": text, "id": o.get(ID_COLUMNS[table])})
        if table in FACT_TABLES:
            _attribution(result, table, rule, pairs, g_items, o_items, sections)
        if table == "citations":
            _links(result, pairs, g_items, o_items, rows.get("references", []), authors)
    return result


def _chain(section_id: Any, sections: dict[str, dict]) -> list[dict]:
    out, seen, sid = [], set(), None if section_id is None else str(section_id)
    while sid and sid in sections and sid not in seen:
        seen.add(sid)
        out.append(sections[sid])
        parent = sections[sid].get("parent_id")
        sid = None if parent is None else str(parent)
    return out


def attribution_ok(gold_kind: str | None, gold_dim: int | None, section_id: Any, sections: dict[str, dict]) -> bool:
    """The gold kind is the kind of the output item's section or of any
    ancestor, and the gold dimension equals that section's dimension."""
    chain = _chain(section_id, sections)
    if not chain:
        return gold_kind is None and gold_dim is None
    return gold_kind in {s.get("kind") for s in chain} and gold_dim == _int(chain[0].get("dimension"))


def _attribution(result: DocScore, table: str, rule: Rule, pairs, g_items, o_items, sections) -> None:
    counts = result.attribution.setdefault(table, [0, 0])
    for i, j in pairs:
        g, o = g_items[i], o_items[j]
        if g.section_kind is None:
            continue  # not labelled
        counts[0] += 1
        if attribution_ok(g.section_kind, g.dimension, o.get("section_id"), sections):
            counts[1] += 1
            continue
        page, text = rule.show_g(g)
        out_sid = None if o.get("section_id") is None else str(o.get("section_id"))
        kind, dim = attribution_of(out_sid, sections)
        result.attribution_errors.append({
            "table": table, "document": result.document, "page": page, "text": text,
            "gold": {"section_kind": g.section_kind, "dimension": g.dimension},
            "output": {"section_kind": kind, "dimension": _int(dim), "section_id": out_sid},
        })


def _links(result: DocScore, pairs, g_items, o_items, out_refs: list[dict], authors: AuthorKeys) -> None:
    """Matched citations whose gold names a reference: does the output's
    reference_id point at a reference with that author, year and suffix?"""
    by_id = {str(r.get("reference_id")): r for r in out_refs}
    for i, j in pairs:
        g = g_items[i]
        if g.reference is None:
            continue
        result.links[0] += 1
        want = reference_key(*parse_reference_key(g.reference), authors)
        ref = by_id.get(str(_clean(o_items[j].get("reference_id"))))
        if ref is not None and reference_key(ref.get("author"), _int(ref.get("year")), ref.get("year_suffix"), authors) == want:
            result.links[1] += 1


def _rows_by_doc(frames: dict[str, Any]) -> dict[str, dict[str, list[dict]]]:
    out: dict[str, dict[str, list[dict]]] = {}
    for table, df in frames.items():
        if df is None or table == "documents":
            continue
        records = [{k: _clean(v) for k, v in rec.items()} for rec in df.to_dict("records")]
        id_col = ID_COLUMNS[table]
        records.sort(key=lambda r: (_natural(r.get("doc_id")), _natural(r.get(id_col))))
        for rec in records:
            out.setdefault(str(rec.get("doc_id")), {}).setdefault(table, []).append(rec)
    return out


def score(frames: dict[str, Any], golds: dict[str, tuple[GoldFile, str]], min_f1: float | None = None) -> dict[str, Any]:
    """Score output tables (``frames``: table -> DataFrame or None) against
    gold files (``golds``: PDF stem -> (GoldFile, file name)). Pure."""
    docs_df = frames.get("documents")
    if docs_df is None:
        raise ValidationInputError.of("E401")
    doc_rows = sorted(({k: _clean(v) for k, v in r.items()} for r in docs_df.to_dict("records")),
                      key=lambda r: _natural(r.get("doc_id")))
    by_stem: dict[str, dict] = {}
    warnings: list[str] = []
    for row in doc_rows:
        stem = Path(str(row.get("source_file") or "")).stem
        if stem in by_stem:
            warnings.append(f"two documents from PDFs named {stem!r}: scored {by_stem[stem]['doc_id']}, ignored {row.get('doc_id')}")
            continue
        by_stem[stem] = row
    unmatched = [name for stem, (_, name) in sorted(golds.items()) if stem not in by_stem]
    if unmatched:
        more = f" (and {len(unmatched) - 1} more gold files)" if len(unmatched) > 1 else ""
        raise ValidationInputError.of("E402", gold=unmatched[0], stem=gold_stem(Path(unmatched[0])), more=more)
    for table in TABLES:
        if table != "documents" and frames.get(table) is None:
            warnings.append(f"the output has no {table} table: scored as empty")
    for stem in sorted(golds):
        row = by_stem[stem]
        if row.get("status") not in (None, "ok"):
            warnings.append(f"{stem}: status {row.get('status')}" + (f" ({shorten(row.get('error'), 100)})" if row.get("error") else ""))
    rows = _rows_by_doc(frames)
    docs = [score_document(stem, gold, name, by_stem[stem], rows.get(str(by_stem[stem].get("doc_id")), {}))
            for stem, (gold, name) in sorted(golds.items())]
    return summarise(docs, warnings, sorted(set(by_stem) - set(golds)), min_f1)


def summarise(docs: list[DocScore], warnings: list[str], unscored: list[str], min_f1: float | None) -> dict[str, Any]:
    tables = {}
    for table in TABLES:
        scored = [d.counts[table] for d in docs if table in d.counts]
        if docs and not scored:
            continue  # no gold file labels this table
        tables[table] = prf(sum(c["tp"] for c in scored), sum(c["fp"] for c in scored), sum(c["fn"] for c in scored))
    attribution = {}
    for table in FACT_TABLES:
        checked = sum(d.attribution.get(table, [0, 0])[0] for d in docs)
        correct = sum(d.attribution.get(table, [0, 0])[1] for d in docs)
        attribution[table] = {"checked": checked, "correct": correct, "accuracy": round(correct / checked, 4) if checked else None}
    links_checked = sum(d.links[0] for d in docs)
    links_correct = sum(d.links[1] for d in docs)
    below = [t for t in tables if min_f1 is not None and tables[t]["f1"] < min_f1]
    return {
        "tables": tables,
        "documents": [{"document": d.document, "doc_id": d.doc_id, "gold_file": d.gold_file, "tables": d.counts,
                       "attribution": {t: {"checked": c[0], "correct": c[1]} for t, c in sorted(d.attribution.items())}}
                      for d in docs],
        "attribution": attribution,
        "reference_links": {"checked": links_checked, "correct": links_correct,
                            "accuracy": round(links_correct / links_checked, 4) if links_checked else None},
        "misses": [m for d in docs for m in d.misses],
        "extras": [e for d in docs for e in d.extras],
        "attribution_errors": [e for d in docs for e in d.attribution_errors],
        "unscored_documents": unscored,
        "warnings": warnings,
        "min_f1": min_f1,
        "below_min_f1": below,
    }

