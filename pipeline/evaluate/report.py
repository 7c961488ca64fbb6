"""The validation report: Markdown for people, a small SVG chart of the
scores (the JSON form is the result dict itself)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.evaluate.scoring import TABLES

BAR_CELLS = 10


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
        lines.append(f"| {_cell(d['document'])} | " + " | ".join(f"{d['tables'][t]['f1']:.2f}" if t in d["tables"] else "–" for t in TABLES) + " |")
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

