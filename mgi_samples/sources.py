"""Sample sources: design files and the content files they typeset (YAML).

A *design* file names its output PDF, the content file it typesets and the
design choices; its ``edition`` key rewords a shared content file
(:mod:`mgi_samples.edition`). The block format of a content file is
described in :mod:`mgi_samples.render`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mgi_samples.edition import apply_edition
from pipeline.errors import RenderError


def read_yaml(path: Path) -> dict[str, Any]:
    """A YAML file holding a mapping; any problem is a one-line ``RenderError``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RenderError.of("E501", path=path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise RenderError.of("E502", path=path, where=where, problem=str(exc).splitlines()[0]) from None
    if not isinstance(data, dict):
        raise RenderError.of("E503", path=path)
    return data


@dataclass
class Sample:
    """A design merged with the content it typesets."""

    path: Path
    output: str
    design: dict[str, Any]
    metadata: dict[str, Any]
    front: dict[str, Any]
    blocks: list[dict[str, Any]]


def load_sample(path: Path) -> Sample:
    """Read a design file (and the content file it names, if any)."""
    path = Path(path)
    data = read_yaml(path)
    if "output" not in data:
        raise RenderError.of("E504", path=path)
    content = data
    if data.get("content"):
        content = read_yaml(path.parent / data["content"])
    blocks = content.get("blocks")
    if not isinstance(blocks, list) or not blocks:
        raise RenderError.of("E505", path=path)
    for i, block in enumerate(blocks):
        if not isinstance(block, dict):
            raise RenderError.of("E506", path=path, index=i)
    sample = Sample(
        path=path,
        output=str(data["output"]),
        design=data.get("design") or {},
        metadata=content.get("metadata") or {},
        front=content.get("front_matter") or {},
        blocks=blocks,
    )
    return apply_edition(sample, data)


def design_files(source: Path) -> list[Path]:
    """Design files in a source folder (YAML files with an ``output`` key), sorted."""
    found = []
    for path in sorted(Path(source).glob("*.yaml")):
        data = read_yaml(path)
        if "output" in data:
            found.append(path)
    return found


def engine_of(path: Path) -> str:
    """The typesetting engine a design file names (``engine:`` at the top or in
    ``design:``; ``reportlab`` when absent)."""
    data = read_yaml(Path(path))
    design = data.get("design") if isinstance(data.get("design"), dict) else {}
    return str(data.get("engine") or design.get("engine") or "reportlab").lower()


def renderer_main(argv: list[str] | None, usage: str, source_flag: str, to_source, render_to) -> int:
    """The command line of one engine's renderer: ``DESIGN.yaml... [--out DIR]
    [SOURCE_FLAG]``; with the flag, print the engine's source (HTML, Typst,
    LaTeX) instead of typesetting. One line and exit status 2 on an error."""
    import sys

    from pipeline.errors import RenderError

    args = list(sys.argv[1:] if argv is None else argv)
    dest = Path("samples")
    if "--out" in args:
        i = args.index("--out")
        if i + 1 >= len(args):
            print(usage)
            return 2
        dest = Path(args[i + 1])
        del args[i : i + 2]
    source_only = source_flag in args
    args = [a for a in args if a != source_flag]
    if not args:
        print(usage)
        return 2
    try:
        for a in args:
            if source_only:
                print(to_source(load_sample(Path(a))))
            else:
                render_to(Path(a), dest)
    except RenderError as exc:
        print(f"error: {exc}")
        return 2
    return 0
