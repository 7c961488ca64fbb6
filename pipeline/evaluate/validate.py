"""Score pipeline output against hand-labelled gold files.

``mgi validate OUT --gold samples/gold`` reads the tables ``OUT/<table>/``
and the gold folder (here), scores the first against the second
(:mod:`pipeline.evaluate.scoring`: the matching rules per table, precision,
recall and F1) and prints the report (:mod:`pipeline.evaluate.report`:
Markdown or JSON, plus an SVG chart with ``--report``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pipeline.errors import GoldFormatError, MGIError, ValidationInputError
from pipeline.evaluate.gold import SKELETON_SUFFIX, GoldFile, gold_files, gold_stem, load_gold
from pipeline.evaluate.report import chart_path, render_markdown, render_svg
from pipeline.evaluate.scoring import TABLES, score, shorten

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
            raise ValidationInputError.of("E404", path=path, kind=exc.__class__.__name__, detail=shorten(exc, 120)) from None
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


def validate(out: Path, gold: Path, min_f1: float | None = None, golds: dict | None = None) -> dict[str, Any]:
    golds = read_golds(gold) if golds is None else golds  # ``golds``: already read from ``gold``
    result = score(read_tables(out), golds, min_f1=min_f1)
    result["output"] = str(out)
    result["gold"] = str(gold)
    return result


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
