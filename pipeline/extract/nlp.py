"""The per-language spaCy pipeline of the extract stage.

``make_nlp(lang, config)`` builds a *blank* pipeline of the document's
language (no statistical model needed) with our rule components (no
``sentencizer``: the statistics component keeps its own sentence
boundaries, and nothing else reads sentences)::

    mgi_statistics -> mgi_citations -> mgi_legal_references

:data:`COMPONENTS` is the registry: the component classes in pipeline order;
importing them registers their ``@Language.factory`` names, and each class
names its factory. Components read their wording from
``configs/<family>/<lang>.yaml`` (:mod:`pipeline.extract.wording`), so the
pipeline config itself only carries the config folder (a plain string).
Pipelines are cached per process on (language, config folder, config hash);
:func:`warm` builds them in the batch parent so that the workers it forks
later inherit them (building French costs ~2 s of CPU: spaCy compiles its
French tokenizer-exception regex when ``spacy.lang.fr`` is imported; its
compiled code is kept on disk by :mod:`pipeline.extract.regexcache`).
"""

from __future__ import annotations

from typing import Any

from pipeline.config import Config
from pipeline.extract.citations import CitationComponent
from pipeline.extract.component import SpanComponent
from pipeline.extract.legal import LegalReferenceComponent
from pipeline.extract.regexcache import BUILD_MIN_LENGTH, compiled_on_disk
from pipeline.extract.statistics import StatisticsComponent

_CACHE: dict[tuple[str, str, str], Any] = {}

# Component order in the pipeline.
COMPONENTS: tuple[type[SpanComponent], ...] = (
    StatisticsComponent,
    CitationComponent,
    LegalReferenceComponent,
)


def _blank(lang: str):
    import spacy

    try:
        return spacy.blank(lang)
    except (ImportError, KeyError, ValueError):
        return spacy.blank("xx")


def make_nlp(lang: str, config: Config):
    """A blank spaCy pipeline for ``lang`` with the MGI components (cached).
    Its regexes (spaCy's tokenizer patterns, ~2 s of CPU for French's
    exception regex, and our components' rules from the configs) are
    compiled through the on-disk cache (:mod:`pipeline.extract.regexcache`)."""
    key = (lang, str(config.config_dir), config.hash)
    if key in _CACHE:
        return _CACHE[key]
    with compiled_on_disk(min_length=BUILD_MIN_LENGTH):
        nlp = _blank(lang)
        for component in COMPONENTS:
            nlp.add_pipe(component.factory, config=_component_config(nlp, component.factory, lang, config))
    _CACHE[key] = nlp
    return nlp


def pipeline_language(code: str | None, config: Config) -> str:
    """The language whose pipeline reads a document of language CODE: CODE
    when the config has that language, else the configured default."""
    lang = (code or "").lower()
    if lang and lang in config.languages:
        return lang
    return str(config.settings.get("default_language", "en"))


def warm(languages, config: Config) -> list[str]:
    """Build (and cache) the pipelines of ``languages``, as the extract stage
    names them (a language outside ``config.languages`` is the default one);
    returns the languages built. A language that fails is left to the worker,
    which reports it per document."""
    built = []
    for lang in sorted({pipeline_language(x, config) for x in languages}):
        if (lang, str(config.config_dir), config.hash) in _CACHE:
            continue
        try:
            make_nlp(lang, config)
        except Exception:  # reported per document by the worker that meets it
            continue
        built.append(lang)
    return built


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
