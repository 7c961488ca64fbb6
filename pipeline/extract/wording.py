"""Wording of a language for a family of rules, with its fallback languages.

The citation and legal components read ``configs/<family>/<lang>.yaml``
through :func:`wording_chain` (the language's own file first, then the files
of the languages it lists under ``also_languages``) and concatenate lists over
the chain with :func:`merged_list`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.config import CONFIG_DIR, Config


def wording_chain(family: str, lang: str, config_dir: str | Path | None = None) -> list[dict[str, Any]]:
    """The wording of ``lang`` for ``family`` followed by the wording of the
    languages it lists under ``also_languages`` (each once, in order)."""
    cfg = Config(settings={}, config_dir=Path(config_dir) if config_dir else CONFIG_DIR)
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    queue = [lang]
    first = True
    while queue:
        code = queue.pop(0)
        if code in seen:
            continue
        seen.add(code)
        data = cfg.wording(family, code)
        if data:
            out.append(data)
        if first:  # only the document language's own list is followed
            queue.extend(str(x) for x in data.get("also_languages", []) or [])
            first = False
    return out


def merged_list(chain: list[dict[str, Any]], key: str) -> list[Any]:
    """Concatenate list ``key`` over a wording chain, first occurrence kept."""
    out: list[Any] = []
    for data in chain:
        for item in data.get(key, []) or []:
            if item not in out:
                out.append(item)
    return out
