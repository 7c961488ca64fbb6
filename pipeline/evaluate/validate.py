"""Score pipeline output against hand-labelled gold files.

``mgi validate OUT --gold samples/gold`` reads the tables ``OUT/<table>/``,
matches each document to the gold file named after its PDF stem
(``Path(source_file).stem``) and matches items one-to-one per table
(CONTRACT.md "Hand-labelled gold files"):

=================  ==========================================================
documents          each labelled field equal (text normalised)
sections           (kind, dimension, page_start); first/last words at the ends
statistics         (page, kind, value); value within relative 1e-6
citations          (page, author normalised or alias, year, year_suffix)
legal_references   (instrument, number without "No." and spaces)
footnotes          (number, page); text similarity >= 0.9
references         (author normalised or alias, year, year_suffix); title >= 0.8
=================  ==========================================================

Matching is greedy best-first on similarity with a deterministic order, so a
duplicate in the output is an extra. Precision, recall and F1 are reported
per table and document and micro-averaged over documents; attribution
accuracy checks the (section_kind, dimension) of matched facts.
"""

from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Callable

from pipeline.errors import GoldFormatError, MGIError, ValidationInputError
from pipeline.evaluate.gold import (
    SKELETON_SUFFIX,
    AuthorKeys,
    GoldFile,
    attribution_of,
    gold_files,
    gold_stem,
    load_gold,
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
DOCUMENT_FIELDS = ("title", "profile_level", "country", "locality", "profile_year", "publication_year", "language", "isbn")
VALUE_REL_TOL = 1e-6
FOOTNOTE_MIN_SIMILARITY = 0.9
TITLE_MIN_SIMILARITY = 0.8
WORDS_SLACK = 3  # first/last words may start this many words from the section's ends
BAR_CELLS = 10


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


def _short(text: Any, n: int = 140) -> str:
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
            show_g=lambda g: (g.page_start, f"{g.kind} (dim {g.dimension}) “{_short(g.heading, 80)}” "
                              f"first: “{_short(g.first_words, 50)}” last: “{_short(g.last_words, 50)}”"),
            show_o=lambda o: (_int(o.get("page_start")), f"{o.get('kind')} (dim {_int(o.get('dimension'))}) "
                              f"“{_short(o.get('heading'), 80)}” first: “{_short(' '.join(str(o.get('text') or '').split()[:8]), 60)}”"),
        ),
        "statistics": Rule(
            key_g=lambda g: stat_key(g.page, g.kind),
            key_o=lambda o: stat_key(_int(o.get("page")), o.get("kind")),
            sim=stat_sim,
            show_g=lambda g: (g.page, f"“{_short(g.raw, 60)}” {g.kind} value={g.value:g} unit={g.unit}"),
            show_o=lambda o: (_int(o.get("page")), f"“{_short(o.get('raw'), 60)}” {o.get('kind')} "
                              f"value={_float(o.get('value')) or 0:g} unit={o.get('unit')} in “{_short(o.get('sentence'), 90)}”"),
        ),
        "citations": Rule(
            key_g=lambda g: cit_key(g.page, g.author, g.year, g.year_suffix),
            key_o=lambda o: cit_key(_int(o.get("page")), o.get("author"), _int(o.get("year")), o.get("year_suffix")),
            sim=lambda g, o: similarity(g.raw, o.get("raw")),
            show_g=lambda g: (g.page, f"“{_short(g.raw, 80)}” {g.author} {ys(g.year, g.year_suffix)} ({g.style})"),
            show_o=lambda o: (_int(o.get("page")), f"“{_short(o.get('raw'), 80)}” {o.get('author')} "
                              f"{ys(_int(o.get('year')), o.get('year_suffix'))} ({o.get('style')})"),
        ),
        "legal_references": Rule(
            key_g=lambda g: (g.instrument, norm_number(g.number)),
            key_o=lambda o: (o.get("instrument"), norm_number(o.get("number"))),
            sim=legal_sim,
            show_g=lambda g: (g.page, f"“{_short(g.raw, 80)}” {g.instrument} {g.number}"),
            show_o=lambda o: (_int(o.get("page")), f"“{_short(o.get('raw'), 80)}” {o.get('instrument')} {o.get('number')}"),
        ),
        "footnotes": Rule(
            key_g=lambda g: (g.number, g.page),
            key_o=lambda o: (_int(o.get("number")), _int(o.get("page"))),
            sim=fn_sim,
            show_g=lambda g: (g.page, f"[{g.number}] {_short(g.text, 120)}"),
            show_o=lambda o: (_int(o.get("page")), f"[{_int(o.get('number'))}] {_short(o.get('text'), 120)}"),
        ),
        "references": Rule(
            key_g=lambda g: (authors.key(g.author), g.year, norm_suffix(g.year_suffix)),
            key_o=lambda o: (authors.key(o.get("author")), _int(o.get("year")), norm_suffix(o.get("year_suffix"))),
            sim=ref_sim,
            show_g=lambda g: (None, f"{_short(g.author, 60)} {ys(g.year, g.year_suffix)} “{_short(g.title, 90)}”"),
            show_o=lambda o: (_int(o.get("page")), f"{_short(o.get('author'), 60)} {ys(_int(o.get('year')), o.get('year_suffix'))} "
                              f"“{_short(o.get('title'), 90)}”"),
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
    tp, misses, extras = _score_document_fields(gold, doc_row)
    result.counts["documents"] = prf(tp, len(extras), len(misses))
    result.misses += [{"table": "documents", "document": stem, **m} for m in misses]
    result.extras += [{"table": "documents", "document": stem, **e} for e in extras]

    authors = gold.author_keys()
    rules = _rules(authors)
    sections = {str(s["section_id"]): s for s in rows.get("sections", []) if s.get("section_id") is not None}
    for table, rule in rules.items():
        g_items = list(getattr(gold, table))
        o_items = rows.get(table, [])
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
            warnings.append(f"{stem}: status {row.get('status')}" + (f" ({_short(row.get('error'), 100)})" if row.get("error") else ""))
    rows = _rows_by_doc(frames)
    docs = [score_document(stem, gold, name, by_stem[stem], rows.get(str(by_stem[stem].get("doc_id")), {}))
            for stem, (gold, name) in sorted(golds.items())]
    return summarise(docs, warnings, sorted(set(by_stem) - set(golds)), min_f1)


def summarise(docs: list[DocScore], warnings: list[str], unscored: list[str], min_f1: float | None) -> dict[str, Any]:
    tables = {}
    for table in TABLES:
        tp = sum(d.counts[table]["tp"] for d in docs)
        fp = sum(d.counts[table]["fp"] for d in docs)
        fn = sum(d.counts[table]["fn"] for d in docs)
        tables[table] = prf(tp, fp, fn)
    attribution = {}
    for table in FACT_TABLES:
        checked = sum(d.attribution.get(table, [0, 0])[0] for d in docs)
        correct = sum(d.attribution.get(table, [0, 0])[1] for d in docs)
        attribution[table] = {"checked": checked, "correct": correct, "accuracy": round(correct / checked, 4) if checked else None}
    links_checked = sum(d.links[0] for d in docs)
    links_correct = sum(d.links[1] for d in docs)
    below = [t for t in TABLES if min_f1 is not None and tables[t]["f1"] < min_f1]
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


# --------------------------------------------------------------------------
# reading OUT and the gold folder
# --------------------------------------------------------------------------


def read_tables(out: Path) -> dict[str, Any]:
    """``OUT/<table>/`` as DataFrames (None for an absent table)."""
    import pandas as pd

    out = Path(out)
    if not out.is_dir():
        raise ValidationInputError.of("E403", out=out)
    frames: dict[str, Any] = {}
    for table in TABLES:
        path = out / table
        if not path.exists() or (path.is_dir() and not any(path.rglob("*.parquet"))):
            frames[table] = None
            continue
        try:
            frames[table] = pd.read_parquet(path)
        except Exception as exc:  # noqa: BLE001 - pyarrow raises many types
            raise ValidationInputError.of("E404", path=path, kind=exc.__class__.__name__, detail=_short(exc, 120)) from None
    if frames["documents"] is None:
        raise ValidationInputError.of("E405", out=out, expected=out / "documents")
    return frames


def read_golds(folder: Path) -> dict[str, tuple[GoldFile, str]]:
    folder = Path(folder)
    if not folder.is_dir():
        raise ValidationInputError.of("E406", folder=folder)
    paths = gold_files(folder)
    if not paths:
        raise ValidationInputError.of("E407", folder=folder)
    golds = {}
    for path in paths:
        gold = load_gold(path)  # refuses a skeleton that still has unchecked items
        if path.name.endswith(SKELETON_SUFFIX):
            raise ValidationInputError.of("E408", path=path, name=path.name[: -len(SKELETON_SUFFIX)])
        golds[gold_stem(path)] = (gold, str(path))
    return golds


def validate(out: Path, gold: Path, min_f1: float | None = None) -> dict[str, Any]:
    golds = read_golds(gold)
    result = score(read_tables(out), golds, min_f1=min_f1)
    result["output"] = str(out)
    result["gold"] = str(gold)
    return result


# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------


def bar(value: float, cells: int = BAR_CELLS) -> str:
    full = max(0, min(cells, round(value * cells)))
    return "█" * full + "░" * (cells - full) + f" {value:.2f}"


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(result: dict[str, Any], chart: str | None = None) -> str:
    lines = ["# Validation report", ""]
    lines.append(f"Output `{result.get('output', '')}` against gold `{result.get('gold', '')}`: "
                 f"{len(result['documents'])} document(s) scored.")
    for w in result["warnings"]:
        lines.append(f"\n> warning: {w}")
    if result["unscored_documents"]:
        lines.append(f"\nNot scored (no gold file): {', '.join(result['unscored_documents'])}")
    lines += ["", "## Scores (micro-averaged over documents)", "",
              "| table | precision | recall | F1 | TP | FP | FN |", "|---|---:|---:|---|---:|---:|---:|"]
    for table, s in result["tables"].items():
        lines.append(f"| {table} | {s['precision']:.3f} | {s['recall']:.3f} | {bar(s['f1'])} | {s['tp']} | {s['fp']} | {s['fn']} |")
    if chart:
        lines += ["", f"![Precision, recall and F1 per table]({chart})"]
    if result.get("min_f1") is not None:
        below = result["below_min_f1"]
        lines += ["", f"Minimum F1 {result['min_f1']}: " + (f"**below** for {', '.join(below)}" if below else "met by every table")]
    lines += ["", "## Per document (F1)", "", "| document | " + " | ".join(TABLES) + " |",
              "|---|" + "---:|" * len(TABLES)]
    for d in result["documents"]:
        lines.append(f"| {_cell(d['document'])} | " + " | ".join(f"{d['tables'][t]['f1']:.2f}" for t in TABLES) + " |")
    lines += ["", "## Attribution accuracy (matched items, section kind and dimension)", "",
              "| table | checked | correct | accuracy |", "|---|---:|---:|---:|"]
    for table, a in result["attribution"].items():
        acc = "n/a" if a["accuracy"] is None else f"{a['accuracy']:.3f}"
        lines.append(f"| {table} | {a['checked']} | {a['correct']} | {acc} |")
    links = result["reference_links"]
    acc = "n/a" if links["accuracy"] is None else f"{links['accuracy']:.3f}"
    lines.append(f"| citation → reference links | {links['checked']} | {links['correct']} | {acc} |")
    for title, key in (("Misses (in gold, not in output)", "misses"), ("Extras (in output, not in gold)", "extras")):
        items = result[key]
        lines += ["", f"## {title}: {len(items)}"]
        for table in TABLES:
            group = [m for m in items if m["table"] == table]
            if not group:
                continue
            lines += ["", f"### {table} ({len(group)})", ""]
            for m in group:
                page = "" if m.get("page") is None else f" p. {m['page']}"
                lines.append(f"- `{m['document']}`{page}: {m['text']}")
    errors = result["attribution_errors"]
    lines += ["", f"## Attribution errors: {len(errors)}"]
    if errors:
        lines.append("")
    for e in errors:
        g, o = e["gold"], e["output"]
        lines.append(f"- `{e['document']}` p. {e['page']} ({e['table']}): {e['text']} — gold {g['section_kind']}/{g['dimension']}, "
                     f"output {o['section_kind']}/{o['dimension']}")
    return "\n".join(lines) + "\n"


def _xml(text: Any) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def render_svg(result: dict[str, Any]) -> str:
    """A small hand-written SVG: per table, bars for precision, recall and F1."""
    metrics = (("precision", "#7aa6c2"), ("recall", "#9cc59a"), ("f1", "#2f5d8a"))
    label_w, bar_w, bar_h, gap, top = 130, 300, 10, 10, 34
    group_h = len(metrics) * (bar_h + 2) + gap
    height = top + group_h * len(result["tables"]) + 10
    width = label_w + bar_w + 60
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           'font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           '<text x="8" y="16" font-size="13" font-weight="bold">Precision / recall / F1 per table (micro)</text>']
    x = 8
    for name, colour in metrics:
        out.append(f'<rect x="{label_w + x}" y="22" width="10" height="8" fill="{colour}"/>'
                   f'<text x="{label_w + x + 13}" y="30">{name}</text>')
        x += 80
    y = top
    for table, s in result["tables"].items():
        out.append(f'<text x="{label_w - 6}" y="{y + group_h / 2}" text-anchor="end">{_xml(table)}</text>')
        for i, (name, colour) in enumerate(metrics):
            v = float(s[name])
            by = y + i * (bar_h + 2)
            out.append(f'<rect x="{label_w}" y="{by}" width="{bar_w}" height="{bar_h}" fill="#eeeeee"/>')
            out.append(f'<rect x="{label_w}" y="{by}" width="{round(v * bar_w, 1)}" height="{bar_h}" fill="{colour}">'
                       f'<title>{_xml(table)} {name} {v:.3f}</title></rect>')
            out.append(f'<text x="{label_w + bar_w + 4}" y="{by + bar_h - 1}">{v:.2f}</text>')
        y += group_h
    out.append("</svg>")
    return "\n".join(out) + "\n"


def chart_path(report: Path) -> Path:
    report = Path(report)
    return report.with_name(report.stem + "-chart.svg") if report.suffix.lower() == ".svg" else report.with_suffix(".svg")


def validate_command(out: Path, gold: Path, min_f1: float | None = None, fmt: str = "markdown", report: Path | None = None) -> int:
    """``mgi validate``: 0 scored (and every F1 >= --min-f1), 1 below --min-f1, 2 cannot score."""
    fmt = (fmt or "markdown").lower()
    if fmt not in ("markdown", "json"):
        print(f"error: --format must be markdown or json, not {fmt!r}", file=sys.stderr)
        return 2
    if min_f1 is not None and not 0.0 <= min_f1 <= 1.0:
        print(f"error: --min-f1 must be between 0 and 1, not {min_f1}", file=sys.stderr)
        return 2
    try:
        result = validate(Path(out), Path(gold), min_f1=min_f1)
    except (GoldFormatError, ValidationInputError, MGIError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    chart = None
    if report is not None:
        from pipeline.store.workdir import atomic_write_bytes  # atomic, ordinary file permissions

        report = Path(report)
        svg = chart_path(report)
        chart = svg.name
        result["chart"] = str(svg)
        text = render_markdown(result, chart) if fmt == "markdown" else json.dumps(result, indent=2, ensure_ascii=False) + "\n"
        try:
            atomic_write_bytes(svg, render_svg(result).encode("utf-8"))
            atomic_write_bytes(report, text.encode("utf-8"))
        except OSError as exc:
            print(f"error: cannot write the report {report}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    if fmt == "json":
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(render_markdown(result, chart), end="")
    if result["below_min_f1"]:
        worst = ", ".join(f"{t} {result['tables'][t]['f1']:.3f}" for t in result["below_min_f1"])
        print(f"F1 below {min_f1}: {worst}", file=sys.stderr)
        return 1
    return 0
