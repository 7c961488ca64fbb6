"""The per-language spaCy pipeline of the extract stage.

``make_nlp(lang, config)`` builds a *blank* pipeline of the document's
language (no statistical model needed) with our rule components::

    sentencizer -> mgi_statistics -> mgi_citations -> mgi_legal_references

The component modules are imported lazily here, which registers their
``@Language.factory`` names. Components read their wording from
``configs/<family>/<lang>.yaml`` through :func:`wording_chain`, so the
pipeline config itself only carries the config folder (a plain string).
Pipelines are cached per process on (language, config folder, config hash).
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Any

from pipeline.config import CONFIG_DIR, Config

_CACHE: dict[tuple[str, str, str], Any] = {}

# Component order in the pipeline: (factory name, module defining it).
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("mgi_statistics", "pipeline.extract.statistics"),
    ("mgi_citations", "pipeline.extract.citations"),
    ("mgi_legal_references", "pipeline.extract.legal"),
)


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


def component_available(module: str) -> bool:
    """Whether a component module exists (the statistics one may be absent)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _blank(lang: str):
    import spacy

    try:
        return spacy.blank(lang)
    except (ImportError, KeyError, ValueError):
        return spacy.blank("xx")


def make_nlp(lang: str, config: Config):
    """A blank spaCy pipeline for ``lang`` with the MGI components (cached)."""
    key = (lang, str(config.config_dir), config.hash)
    if key in _CACHE:
        return _CACHE[key]
    nlp = _blank(lang)
    nlp.add_pipe("sentencizer")
    for factory, module in COMPONENTS:
        if not component_available(module):
            continue
        importlib.import_module(module)
        nlp.add_pipe(factory, config=_component_config(nlp, factory, lang, config))
    _CACHE[key] = nlp
    return nlp


def _component_config(nlp, factory: str, lang: str, config: Config) -> dict[str, Any]:
    """The settings a factory declares: ``config_dir`` (ours), ``lang`` and
    ``use_statistical_model`` (the statistics component)."""
    params = nlp.get_factory_meta(factory).default_config or {}
    known = {
        "config_dir": str(config.config_dir),
        "config_path": config.source,
        "lang": lang,
        "use_statistical_model": str(config.section("extract").get("use_statistical_model", "never")),
    }
    return {key: value for key, value in known.items() if key in params}
