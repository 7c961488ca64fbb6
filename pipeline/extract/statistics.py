"""Statistic extraction as a spaCy component (``mgi_statistics``).

Importing this module registers the factory, so any pipeline can use it::

    import spacy, pipeline.extract.statistics
    nlp = spacy.blank("es"); nlp.add_pipe("mgi_statistics")
    doc = nlp("En 2020 había más de 1.000 personas (30,7 %).")
    [(s.text, s._.stat_kind, s._.stat_value) for s in doc.spans["mgi_statistics"]]

The component ``match``-es statistics with regexes over ``doc.text`` (compiled
once per language from ``configs/statistics/<lang>.yaml``) and
``set_annotations`` puts one span per statistic in
``doc.spans["mgi_statistics"]`` with the extensions ``stat_kind``,
``stat_value``, ``stat_unit``, ``stat_qualifier``, ``stat_subject``,
``stat_sentence``, ``stat_raw``, ``stat_start``, ``stat_end`` and
``stat_value_high`` (the high end of a range).

The rules are compiled per language in :mod:`pipeline.extract.statistic_rules`;
what counts as a statistic is decided by the pure matcher
:func:`pipeline.extract.statistic_matcher.find_statistics` (its docstring holds
the decisions). This module adds the optional statistical refinement of
subjects (:func:`refine_subject`), the component and its factory.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.config import Config, load_config
from pipeline.errors import ConfigError
from pipeline.extract.component import SpanComponent, doc_text
from pipeline.extract.statistic_matcher import StatMatch, find_statistics
from pipeline.extract.statistic_rules import rules_for

SPAN_KEY = "mgi_statistics"
if not Doc.has_extension("mgi_exclude_ranges"):
    Doc.set_extension("mgi_exclude_ranges", default=None)


# --------------------------------------------------------------------------
# optional statistical refinement of subjects
# --------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _load_model(names: tuple[str, ...]):
    """The first installed statistical model of ``names``, or None."""
    import spacy

    for name in names:
        try:  # excluded, not just disabled: neither is read, so they are not loaded
            return spacy.load(name, exclude=["ner", "lemmatizer"])
        except (OSError, ImportError, ValueError):
            continue
    return None


def refine_subject(match: StatMatch, model) -> str | None:
    """Subject from a dependency parse of the statistic's sentence, or None.

    Counts: the noun chunk of the noun the number modifies; percents: the
    noun chunk governed by "of" after the percent word, else the subject of
    the verb that governs it. Chunks overlapping the statistic, pronouns,
    determiners and numbers are left out. Small on purpose so it is easy to
    swap; the component only calls it when the rules found no subject.
    """
    sent = model(match.sentence)
    lead = len(match.sentence) - len(match.sentence.lstrip())
    offset = max(match.start - match.sentence_start - lead, 0)
    span = sent.char_span(offset, offset + len(match.raw), alignment_mode="expand")
    if span is None:
        return None

    def chunk_of(tok, overlap: bool = False) -> str | None:
        for ch in sent.noun_chunks:
            if ch.start <= tok.i < ch.end and (overlap or ch.end <= span.start or ch.start >= span.end):
                kept = [t for t in ch if t.dep_ not in ("det", "nummod", "predet", "quantmod", "advmod")
                        and not t.like_num and t.pos_ != "PRON"]
                if kept:
                    return sent.text[kept[0].idx:kept[-1].idx + len(kept[-1].text)]
        return None

    if match.kind == "count":
        return chunk_of(span.root, overlap=True) if span.root.pos_ in ("NOUN", "PROPN") else None
    if match.kind == "percent":
        for tok in span:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            return chunk_of(obj)
        for child in span.root.head.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return chunk_of(child)
    return None


# --------------------------------------------------------------------------
# spaCy component
# --------------------------------------------------------------------------


class StatisticsComponent(SpanComponent):
    """spaCy pipeline component: statistics into ``doc.spans[SPAN_KEY]``."""

    factory = "mgi_statistics"
    span_key = SPAN_KEY
    prefix = "stat_"
    fields = ("kind", "value", "unit", "qualifier", "subject", "sentence", "raw", "start", "end", "value_high")

    def __init__(self, nlp: Language, name: str, lang: str | None = None,
                 config_path: str | None = None, use_statistical_model: str = "never",
                 config_dir: str | None = None):
        self.name = name
        self.lang = lang or nlp.lang
        self.config = load_config(config_path)
        if config_dir and Path(config_dir) != self.config.config_dir:
            self.config = Config(settings=self.config.settings, config_dir=Path(config_dir))
        self.rules = rules_for(self.lang, self.config)
        self.include_ages = bool(self.config.section("extract").get("ages_are_statistics", True))
        self.use_model = use_statistical_model
        self._model = None
        self._model_loaded = False  # "auto" loads the model when a match first needs it
        if use_statistical_model == "always" and self.rules.model_names:
            self._statistical_model()
            if self._model is None:
                raise ConfigError.of("E040", models=self.rules.model_names)

    def _statistical_model(self):
        if not self._model_loaded:
            if self.use_model in ("auto", "always") and self.rules.model_names:
                self._model = _load_model(self.rules.model_names)
            self._model_loaded = True
        return self._model

    def match(self, doc: Doc) -> list[StatMatch]:
        matches = find_statistics(doc_text(doc), self.rules, doc._.mgi_exclude_ranges, doc, self.include_ages)
        if any(not m.subject for m in matches) and (model := self._statistical_model()) is not None:
            matches = [m if m.subject else _with_subject(m, refine_subject(m, model)) for m in matches]
        return matches


def _with_subject(m: StatMatch, subject: str | None) -> StatMatch:
    return dataclasses.replace(m, subject=subject) if subject else m


@Language.factory(StatisticsComponent.factory,
                  default_config={"lang": None, "config_path": None, "config_dir": None,
                                  "use_statistical_model": "never"})
def make_statistics(nlp: Language, name: str, lang: str | None, config_path: str | None,
                    config_dir: str | None, use_statistical_model: str) -> StatisticsComponent:
    """``lang``: wording language (default: the pipeline's); ``config_path``: a
    settings override YAML; ``config_dir``: another configs/ folder;
    ``use_statistical_model``: never | auto | always (subject refinement)."""
    return StatisticsComponent(nlp, name, lang, config_path, use_statistical_model, config_dir)


def statistic_spans(doc: Doc) -> list[Span]:
    """The statistic spans of a processed doc, in text order."""
    if SPAN_KEY not in doc.spans:
        return []
    return sorted(doc.spans[SPAN_KEY], key=lambda s: (s._.stat_start, s._.stat_end))


def span_record(span: Span) -> dict[str, Any]:
    """Column values of a statistic span (``statistics`` table, minus ids/page)."""
    return {"kind": span._.stat_kind, "raw": span._.stat_raw, "value": span._.stat_value,
            "unit": span._.stat_unit, "qualifier": span._.stat_qualifier,
            "subject": span._.stat_subject, "sentence": span._.stat_sentence,
            "char_start": span._.stat_start, "char_end": span._.stat_end,
            "value_high": span._.stat_value_high}


@lru_cache(maxsize=8)
def _pipeline(lang: str, config_path: str | None, use_model: str) -> Language:
    import spacy

    try:
        nlp = spacy.blank(lang)
    except (ImportError, KeyError, ValueError):
        nlp = spacy.blank("xx")
    nlp.add_pipe("mgi_statistics", config={"lang": lang, "config_path": config_path,
                                           "use_statistical_model": use_model})
    return nlp


def build_pipeline(lang: str, config_path: str | None = None, config: Config | None = None) -> Language:
    """A blank ``lang`` pipeline with ``mgi_statistics`` (cached per language).

    ``use_statistical_model`` comes from the ``extract`` settings of the config.
    """
    config = config or load_config(config_path)
    use = str(config.section("extract").get("use_statistical_model", "never"))
    return _pipeline(lang, config_path, use)
