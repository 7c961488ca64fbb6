"""The package layout shows its design (docs/ARCHITECTURE.md), and stays so.

Layers, bottom to top: the shared bottom (``types``, ``errors``, ``config``,
``datamodel``, ``ids``, ``text/``), then the stages ``parse`` < ``segment`` <
``extract``, then ``store`` < ``run`` < ``evaluate`` < ``review`` < ``cli``, where
``review`` (the `mgi review` pages) sits beside ``evaluate``: it reads the
store and the gold files, never a stage or the runner. A module
imports from its own layer or a lower one; the three stages import nothing of
each other but the data classes of ``datamodel``. No import circles, no
private names taken from another module, no module over 600 lines, no
reportlab in the product, every error class in ``errors.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pipeline"
MAX_LINES = 600

BOTTOM = {"pipeline", "pipeline.types", "pipeline.errors", "pipeline.config", "pipeline.datamodel", "pipeline.ids"}
LAYERS = ["bottom", "parse", "segment", "extract", "store", "run", "evaluate", "review", "cli"]
REVIEW_READS = {"bottom", "store", "evaluate", "review"}  # review sits beside evaluate
STAGES = {"parse", "segment", "extract"}


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(root: Path) -> dict[str, Path]:
    return {_module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def _layer(module: str) -> str:
    if module in BOTTOM or module.startswith("pipeline.text"):
        return "bottom"
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "bottom"


def _imports(path: Path, module: str) -> list[tuple[str, list[str]]]:
    """(imported module, names taken from it) for every import in the file,
    module level or inside functions, absolute or relative."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.append((base, [alias.name for alias in node.names]))
    return found


def _internal(target: str, names: list[str], known: set[str]) -> list[str]:
    """The package modules an import statement reaches (``from pkg import mod``
    reaches ``pkg.mod`` when that is a module)."""
    if target not in known and not target.startswith("pipeline"):
        return []
    reached = [f"{target}.{n}" for n in names if f"{target}.{n}" in known]
    return reached or ([target] if target in known else [])


MODULES = _modules(PACKAGE)
GRAPH = {
    module: sorted({dep for target, names in _imports(path, module) for dep in _internal(target, names, set(MODULES))} - {module})
    for module, path in MODULES.items()
}


def test_the_package_has_the_stage_folders():
    for folder in ("text", "parse", "segment", "extract", "store", "run", "evaluate", "review"):
        assert (PACKAGE / folder / "__init__.py").is_file(), folder


def test_no_module_imports_upward_or_sideways():
    wrong = []
    for module, deps in GRAPH.items():
        here = _layer(module)
        for dep in deps:
            there = _layer(dep)
            if dep in ("pipeline",):  # the package root holds only __version__
                continue
            if LAYERS.index(there) > LAYERS.index(here):
                wrong.append(f"{module} imports {dep} (layer {there} above {here})")
            elif here in STAGES and there in STAGES and there != here:
                wrong.append(f"{module} imports {dep} (another stage; only datamodel crosses stages)")
            elif here == "review" and there not in REVIEW_READS:
                wrong.append(f"{module} imports {dep} (review reads only store, evaluate and the bottom)")
    assert not wrong, "\n".join(wrong)


def test_no_import_circle():
    state: dict[str, int] = {}
    stack: list[str] = []
    circles: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in GRAPH.get(node, ()):
            if state.get(dep) == 1:
                circles.append(" -> ".join(stack[stack.index(dep):] + [dep]))
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for module in GRAPH:
        if module not in state:
            visit(module)
    # a package importing its own modules is not a circle through them
    circles = [c for c in circles if not all(part.startswith(c.split(" -> ")[0]) for part in c.split(" -> "))]
    assert not circles, "\n".join(circles)


@pytest.mark.parametrize("root", ["pipeline", "mgi_samples"])
def test_no_private_name_from_another_module(root):
    modules = _modules(ROOT / root)
    wrong = []
    for module, path in modules.items():
        for target, names in _imports(path, module):
            if not (target.startswith("pipeline") or target.startswith("mgi_samples")) or target == module:
                continue
            wrong += [f"{module}: from {target} import {n}" for n in names if n.startswith("_") and n != "__version__"]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("root", ["pipeline", "mgi_samples"])
def test_no_module_over_the_line_limit(root):
    long = {p.relative_to(ROOT).as_posix(): n for p in (ROOT / root).rglob("*.py") if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_the_product_does_not_import_the_renderer_or_reportlab():
    """Only the command line reaches the renderer (``mgi samples render``, lazily)."""
    wrong = [
        f"{module}: {target}"
        for module, path in MODULES.items()
        for target, _ in _imports(path, module)
        if target.split(".")[0] == "reportlab" or (target.split(".")[0] == "mgi_samples" and module != "pipeline.cli")
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("root", ["pipeline", "mgi_samples"])
def test_every_error_class_lives_in_errors(root):
    wrong = []
    for module, path in _modules(ROOT / root).items():
        if module == "pipeline.errors":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
                if any(b.endswith(("Error", "Exception")) for b in bases) or node.name.endswith("Error"):
                    wrong.append(f"{module}.{node.name}")
    assert not wrong, "error classes outside pipeline/errors.py: " + ", ".join(wrong)


def test_every_catalogue_code_is_unique_and_formats():
    from pipeline.errors import Errors

    codes = [name for name in vars(Errors) if name[:1] == "E" and name[1:].isdigit()]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert isinstance(getattr(Errors, code), str) and getattr(Errors, code).strip(), code
