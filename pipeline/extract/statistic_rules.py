"""The statistic rules of a language, compiled once from the wording file
``configs/statistics/<lang>.yaml``: number format and number words, percent,
currency and unit words, dates, ranges and ratios, identifier words that
exclude a number, qualifiers, counted nouns (singular forms), subject words,
sentence abbreviations and the optional statistical model's names."""

from __future__ import annotations

import re
from typing import Any

from pipeline.config import Config, load_config
from pipeline.extract.statistic_forms import FormRules
from pipeline.text.numbers import SPACE_CLASS, NumberFinder, NumberFormat, NumberWords
from pipeline.text.numbers import phrase_alternation as _alt

_SPACE = SPACE_CLASS


def _phrase_table(spec) -> dict[str, str]:
    """{"more than": "more_than", ...} from {"more_than": ["more than", ...]}."""
    return {" ".join(str(p).lower().split()): str(k) for k, ps in (spec or {}).items() for p in ps}


def _lower_set(items) -> frozenset[str]:
    return frozenset(str(i).lower() for i in (items or []))


class StatisticRules:
    """Everything language-specific, compiled once per language."""

    def __init__(self, wording: dict[str, Any], lang: str):
        w = wording
        self.lang = lang
        self.fmt = NumberFormat.from_config(w)
        self.words = NumberWords.from_config(w)
        self.finder = NumberFinder(self.fmt, self.words)
        conn = _alt(w.get("scale_connectors", []))
        self.re_scale_conn = re.compile(rf"{_SPACE}*(?:{conn})(?:{_SPACE}+|(?<=['’]))", re.I)
        self.re_percent = re.compile(rf"{_SPACE}*(?:{_alt(w.get('percent', []))})(?!\w)", re.I)
        cur_names: dict[str, str] = {}
        for iso, names in (w.get("currencies", {}) or {}).items():
            for n in names:
                cur_names.setdefault(str(n), str(iso))
        self.currency_lookup = {k.lower(): v for k, v in cur_names.items()}
        prefix_only = {str(p) for p in w.get("currency_prefix_only", [])}
        after_names = [n for n in cur_names if n not in prefix_only]
        prefix_names = [n for n in cur_names if n in prefix_only or re.fullmatch(r"[A-Z]{3}\$?", n)]
        self.re_currency_after = re.compile(rf"{_SPACE}*({_alt(after_names)})(?!\w)", re.I)
        self.re_currency_before = re.compile(rf"(?<!\w)({_alt(prefix_names)}){_SPACE}*$")
        self.re_currency_nocode = re.compile(
            rf"{_SPACE}*(?:{_alt(w.get('currency_without_code', []))})(?!\w)", re.I)
        self.re_other_units = re.compile(rf"{_SPACE}+({_alt(w.get('other_units', {}))})(?!\w)", re.I)
        self.other_units = {str(k).lower(): str(v) for k, v in (w.get("other_units", {}) or {}).items()}
        self.re_age_after = re.compile(rf"{_SPACE}+(?:{_alt(w.get('age_after', []))})(?!\w)", re.I)
        self.age_words = _lower_set(w.get("age_after", []))
        self.re_age_before = re.compile(rf"(?<!\w)(?:{_alt(w.get('age_before', []))}){_SPACE}+$", re.I)
        self.time_units = {}
        for canon, forms in (w.get("time_units", {}) or {}).items():
            for f in forms:
                self.time_units[str(f).lower()] = str(canon)
        months = _alt(w.get("months", []))
        dconn = w.get("date_connectors", []) or []
        dc = rf"(?:{_alt(dconn)}){_SPACE}+" if dconn else ""
        self.re_month_after = re.compile(rf"{_SPACE}+(?:{dc})?(?:{months})(?!\w)", re.I)
        self.re_month_before = re.compile(rf"(?<!\w)(?:{months}){_SPACE}*$", re.I)
        self.re_ratio = re.compile(rf"{_SPACE}+(?:{_alt(w.get('ratio_connectors', []))}){_SPACE}+$", re.I)
        self.re_range = re.compile(rf"^{_SPACE}*(?:{_alt(w.get('range_connectors', []))}){_SPACE}*$", re.I)
        self.re_exclude_before = re.compile(
            rf"(?<![\w.])(?:{_alt(w.get('exclude_before', []))}){_SPACE}*$", re.I)
        self.collective = {str(k).lower(): str(v) for k, v in (w.get("collective_nouns", {}) or {}).items()}
        subj = w.get("subject", {}) or {}
        of_words = subj.get("of_words", []) or []
        self.re_collective = re.compile(
            rf"(?<!\w)({_alt(self.collective)}){_SPACE}+(?:{_alt(of_words)}){_SPACE}+$", re.I)
        arts = w.get("articles", []) or []
        art = rf"(?:(?:{_alt(arts)}){_SPACE}+)?" if arts else ""
        self.qualifier_lookup = _phrase_table(w.get("qualifiers"))
        self.re_qualifier = re.compile(rf"(?<![\w])({_alt(self.qualifier_lookup)}){_SPACE}+{art}$", re.I)
        self.post_lookup = _phrase_table(w.get("post_qualifiers"))
        self.re_post_qualifier = re.compile(rf"{_SPACE}+({_alt(self.post_lookup)})(?!\w)", re.I)
        self.noun_stop = _lower_set(w.get("noun_stop"))
        self.noun_max = int(w.get("noun_max_words", 4))
        self.head_first = str(w.get("head_position", "last")) == "first"
        self.capitalised_nouns = bool(w.get("capitalised_nouns", False))
        self.capitalised_first = bool(w.get("capitalised_plural_after_number", False))
        sing = w.get("singular", {}) or {}
        self.irregular = {str(k).lower(): str(v) for k, v in (sing.get("irregular", {}) or {}).items()}
        self.invariant = _lower_set(sing.get("invariant"))
        self.not_plural = [re.compile(p) for p in sing.get("not_plural", []) or []]
        self.sing_rules = [(re.compile(a), b) for a, b in sing.get("rules", []) or []]
        self.of_words = _lower_set(of_words)
        self.determiners = _lower_set(subj.get("determiners"))
        self.subject_stop = _lower_set(subj.get("stop"))
        self.subject_stop_suffixes = tuple(str(s) for s in subj.get("stop_suffixes", []) or [])
        self.subject_max = int(subj.get("max_words", 6))
        self.re_verb_before = re.compile(
            rf"(?<!\w)(?:{_alt(subj.get('verbs_before', []))}){_SPACE}+{art}$", re.I)
        copulas = _alt(subj.get("copulas_after", []))
        self.re_copula_after = re.compile(rf"{_SPACE}+(?:{copulas}){_SPACE}+", re.I)
        self.re_of_after = re.compile(rf"{_SPACE}+(?:{_alt(of_words)})(?:{_SPACE}+|(?<=['’]))", re.I)
        self.re_of_before = re.compile(rf"(?<!\w)(?:{_alt(of_words)}){_SPACE}+$", re.I)
        abbrevs = w.get("sentence_abbreviations", []) or []
        self.abbreviations = frozenset(str(a) for a in abbrevs) | frozenset(str(a).lower() for a in abbrevs)
        self.coordinators = _lower_set(w.get("noun_coordinators"))
        self.forms = FormRules(w, self.time_units)
        model = w.get("model") or ()
        self.model_names = tuple(str(m) for m in ([model] if isinstance(model, str) else model))

    # ---- nouns ---------------------------------------------------------

    def singular(self, word: str) -> str:
        low = word.lower()
        if low in self.irregular:
            return self.irregular[low]
        if low in self.invariant or any(p.search(low) for p in self.not_plural):
            return low
        for pattern, repl in self.sing_rules:
            if pattern.search(low):
                return pattern.sub(repl, low, count=1)
        return low

    def looks_plural(self, word: str) -> bool:
        low = word.lower()
        if low in self.irregular or low in self.invariant:
            return True
        if len(low) < 4 or any(p.search(low) for p in self.not_plural):
            return False
        return self.singular(low) != low


_RULES: dict[tuple[str, str], StatisticRules] = {}


def rules_for(lang: str, config: Config | None = None) -> StatisticRules:
    """Compiled rules of ``lang`` (cached per language and config folder;
    a language without a wording file falls back to the default language)."""
    config = config or load_config()
    key = (lang, str(config.config_dir))
    if key not in _RULES:
        wording = config.wording("statistics", lang)
        if not wording:
            wording = config.wording("statistics", str(config.settings.get("default_language", "en")))
        _RULES[key] = StatisticRules(wording, lang)
    return _RULES[key]
