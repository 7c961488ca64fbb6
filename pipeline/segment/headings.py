"""Heading wording: what a heading's text names (part, dimension, sub-part).

Every configured language's ``configs/headings/<lang>.yaml`` is loaded at
once (``Wording.load``) and a heading text is named by ``classify``:

1. fuzzy phrase matching against the configured wordings (``parts``,
   ``dimensions``, ``well_developed``, ``further_development``, ``ignore``;
   numbering like "1.2." and "PAGE 12" pointers set aside first);
2. when no phrase matches, the per-dimension key-word sets
   (``dimension_keywords``): a heading holding every group of one of a
   dimension's sets ("bem-estar" + "migrantes") names that dimension. They
   catch the editions' variants the phrases do not list: verbs or nouns
   ("Promover" / "Promoção"), Brazilian and European spellings
   ("socioeconômico" / "socioeconómico", "efetua" / "efectúa"), national and
   local wordings. A heading numbered for another dimension is not taken,
   and a key-word match is flagged (``Match.keywords``) so the segmenter can
   ask for more evidence (sub-parts after it, or its own number);
3. last, the wording with every space removed ("C O N T E X T", "CONT EXT"
   -> "context"): a letter-spaced or badly spaced heading still names its
   part or dimension when its letters are (nearly) those of a phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.config import Config
from pipeline.text.phrases import Phrase, PhraseIndex, fold, phrase_score, phrases, ratio

MATCH_THRESHOLD = 0.84
KEYWORD_SCORE = 0.86  # a key-word match: above the threshold, below any good phrase match
COMPACT_MIN_RATIO = 0.92  # letters-only fallback: nearly the same letters ("SOURCES" is not "RESOURCES")
KEYWORD_MAX_WORDS = 22  # longer texts are sentences, not dimension headings
SUB_KINDS = ("well_developed", "further_development")
NUMBERING_RE = re.compile(r"^\s*(\d{1,2})((?:\.\d{1,2})*)\.?\s+(?=\S)")


@dataclass(frozen=True)
class KeywordSet:
    """Groups that must all be present; each group lists alternatives, each
    alternative a run of word prefixes ("bem estar" = "bem" then "estar...")."""

    dimension: int
    groups: tuple[tuple[tuple[str, ...], ...], ...]
    patterns: tuple[re.Pattern, ...] = field(default=(), compare=False, hash=False, repr=False)  # one a group

    def __post_init__(self) -> None:
        object.__setattr__(self, "patterns", _group_patterns(self.groups))

    @classmethod
    def of(cls, dimension: int, raw: str) -> "KeywordSet":
        groups = []
        for group in str(raw).split("+"):
            alts = tuple(tuple(fold(a).split()) for a in group.split("|") if fold(a))
            if alts:
                groups.append(alts)
        return cls(dimension, tuple(groups))

    def matches(self, tokens: list[str]) -> bool:
        if not self.groups:
            return False
        text = " ".join(tokens)
        return all(pattern.search(text) for pattern in self.patterns)


@lru_cache(maxsize=None)
def _group_patterns(groups: tuple[tuple[tuple[str, ...], ...], ...]) -> tuple[re.Pattern, ...]:
    """One search per group over the space-joined tokens: a run of word
    prefixes starts at a token and each word begins the next token
    (the tokens hold no spaces)."""
    return tuple(re.compile("|".join(r"(?:^| )" + r"\S* ".join(re.escape(w) for w in run) for run in alts))
                 for alts in groups)


@dataclass(frozen=True)
class Wording:
    """The union of every configured language's heading wording."""

    named: tuple[tuple[str, int | None, Phrase], ...]  # (kind, dimension, phrase)
    ignore: tuple[Phrase, ...]
    page_label: re.Pattern
    page_label_text: re.Pattern  # the same on unfolded text
    year_label: re.Pattern
    page_pointer: re.Pattern = re.compile(r"(?!)")  # a whole "PAGE 13" / "PAGE" line
    page_word_end: re.Pattern = re.compile(r"(?!)")  # a heading ending in "PAGE" (its number wrapped)
    abbreviations: tuple[str, ...] = ()  # "No.", "Art.": a block ending so goes on
    keywords: tuple[KeywordSet, ...] = ()  # per-dimension key-word sets
    cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    named_index: PhraseIndex | None = field(default=None, compare=False, hash=False, repr=False)
    ignore_index: PhraseIndex | None = field(default=None, compare=False, hash=False, repr=False)
    # (kind, dimension, letters) of every plain phrase, spaces removed: ``compact_match``'s targets
    compact: tuple[tuple[str, int | None, str], ...] = field(default=(), compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "named_index", PhraseIndex(tuple(p for _, _, p in self.named)))
        object.__setattr__(self, "ignore_index", PhraseIndex(self.ignore))
        candidates = [(kind, dim, p) for kind, dim, p in self.named] + [("ignore", None, p) for p in self.ignore]
        object.__setattr__(self, "compact", tuple((kind, dim, p.folded.replace(" ", "")) for kind, dim, p in candidates
                                                  if p.regex is None and p.folded.replace(" ", "")))

    @classmethod
    def load(cls, config: Config) -> "Wording":
        """The wording of the configured languages: built once for the same
        wording files' contents (the config's own dicts, held while cached)."""
        sources = tuple(config.wording("headings", lang) for lang in config.languages)
        key = tuple(map(id, sources))
        if key not in _LOADED:
            if len(_LOADED) >= 8:
                _LOADED.clear()
            _LOADED[key] = (sources, cls._build(config))
        return _LOADED[key][1]

    @classmethod
    def _build(cls, config: Config) -> "Wording":
        named: list[tuple[str, int | None, Phrase]] = []
        ignore: list[Phrase] = []
        keywords: list[KeywordSet] = []
        labels: set[str] = set()
        raw_labels: set[str] = set()
        undated: set[str] = set()
        abbreviations: set[str] = set()
        for lang in config.languages:
            w = config.wording("headings", lang)
            for kind, values in (w.get("parts") or {}).items():
                named += [(str(kind), None, p) for p in phrases(values)]
            for dim, values in (w.get("dimensions") or {}).items():
                named += [("dimension", int(dim), p) for p in phrases(values)]
            for kind in SUB_KINDS:
                named += [(kind, None, p) for p in phrases(w.get(kind))]
            for dim, values in (w.get("dimension_keywords") or {}).items():
                keywords += [KeywordSet.of(int(dim), v) for v in values or ()]
            ignore += phrases(w.get("ignore"))
            labels.update(fold(str(x)) for x in w.get("page_label") or ())
            raw_labels.update(str(x) for x in w.get("page_label") or ())
            undated.update(str(x) for x in w.get("undated_labels") or ())
            abbreviations.update(str(x) for x in w.get("abbreviations") or ())
        label_alt = "|".join(sorted((re.escape(x) for x in labels if x), key=len, reverse=True)) or "(?!)"
        undated_alt = "|".join(sorted((re.escape(x) for x in undated), key=len, reverse=True))
        year_alt = r"(?:19|20)\d{2}[a-z]?" + (f"|{undated_alt}" if undated_alt else "")
        raw_alt = "|".join(sorted((re.escape(x) for x in raw_labels if x), key=len, reverse=True)) or "(?!)"
        return cls(
            named=tuple(named),
            ignore=tuple(ignore),
            page_label=re.compile(rf"\s(?:{label_alt})\s+\d{{1,3}}$"),
            page_label_text=re.compile(
                r"\s+(?:" + "|".join(sorted((re.escape(x) for x in raw_labels), key=len, reverse=True) or ["(?!)"])
                + r")\s+\d{1,3}\s*$", re.IGNORECASE),
            year_label=re.compile(rf"^\s*(?:{year_alt})(?=\s|$)", re.IGNORECASE),
            page_pointer=re.compile(rf"^\s*(?:{raw_alt})(?:\s+\d{{1,3}})?\s*$", re.IGNORECASE),
            page_word_end=re.compile(rf"\s(?:{raw_alt})\s*$", re.IGNORECASE),
            abbreviations=tuple(sorted(abbreviations, key=len, reverse=True)),
            keywords=tuple(keywords),
        )


_LOADED: dict[tuple[int, ...], tuple[tuple[dict, ...], Wording]] = {}  # ids of the wording dicts -> (them, wording)


@dataclass(frozen=True)
class Match:
    kind: str | None  # a section kind, "ignore", or None (unknown wording)
    dimension: int | None = None
    score: float = 0.0
    numbers: tuple[int, ...] = ()  # "1.2." -> (1, 2)
    overview: bool = False  # carried a "PAGE 17" label
    keywords: bool = False  # named by a dimension's key-word set, not by a phrase


def classify(text: str, wording: Wording) -> Match:
    """Name a heading text by its wording (numbering and page labels aside)."""
    if text not in wording.cache:
        if len(wording.cache) >= 50000:  # (kept across documents: bounded)
            wording.cache.clear()
        wording.cache[text] = _classify(text, wording)
    return wording.cache[text]


def _classify(text: str, wording: Wording) -> Match:
    numbers: tuple[int, ...] = ()
    m = NUMBERING_RE.match(text)
    if m:
        numbers = (int(m.group(1)), *(int(x) for x in m.group(2).split(".") if x))
        text = text[m.end() :]
    folded = fold(text)
    overview = False
    label = wording.page_label.search(" " + folded)
    if label:
        folded, overview = folded[: max(label.start() - 1, 0)].strip(), True
    best: tuple[float, str | None, int | None] = (0.0, None, None)
    named = wording.named
    for i in wording.named_index.candidates(folded):  # (the phrases that cannot score stay 0)
        kind, dim, phrase = named[i]
        score = phrase_score(folded, phrase)
        if score > best[0]:
            best = (score, kind, dim)
    for i in wording.ignore_index.candidates(folded):
        phrase = wording.ignore[i]
        score = phrase_score(folded, phrase)
        if score >= 0.97 and score > best[0]:
            best = (score, "ignore", None)
    if best[0] >= MATCH_THRESHOLD:
        return Match(best[1], best[2], best[0], numbers, overview)
    dim = keyword_dimension(folded, wording, numbers)
    if dim is not None:
        return Match("dimension", dim, KEYWORD_SCORE, numbers, overview, keywords=True)
    spaced = compact_match(folded, wording)
    if spaced is not None:
        return Match(spaced[1], spaced[2], spaced[0], numbers, overview)
    return Match(None, None, best[0], numbers, overview)


def compact_match(folded: str, wording: Wording) -> tuple[float, str, int | None] | None:
    """(score, kind, dimension) of the phrase whose letters, spaces removed,
    are those of the folded heading ("cont ext" is "context"), or nearly
    those when the text is letter-spaced ("c o n t e x t", "w e l l b e i n g
    o f m i g r a n t s" is dimension 4). None when the text has no space to
    remove or no phrase comes close enough ("Os Indicadores de Governança da
    Migração" is not the banner "INDICADORES DE GOVERNANÇA DA MIGRAÇÃO")."""
    compact = folded.replace(" ", "")
    if compact == folded or len(compact) < 4:
        return None
    tokens = folded.split()
    spaced = sum(len(t) == 1 for t in tokens) * 2 >= len(tokens)  # "c o n t e x t": letters may be misread too
    best: tuple[float, str, int | None] | None = None
    n = len(compact)
    for kind, dim, target in wording.compact:
        if 2 * min(n, len(target)) / (n + len(target)) < COMPACT_MIN_RATIO:
            continue
        score = 1.0 if compact == target else (ratio(compact, target, COMPACT_MIN_RATIO) if spaced else 0.0)
        if score >= (0.97 if kind == "ignore" else COMPACT_MIN_RATIO) and (best is None or score > best[0]):
            best = (score, kind, dim)
    return best


def keyword_dimension(folded: str, wording: Wording, numbers: tuple[int, ...] = ()) -> int | None:
    """The one dimension whose key-word sets a (folded) heading satisfies; None
    when none or several do, when the text is too long to be a heading, or
    when the heading is numbered as a part ("4.") of another dimension."""
    tokens = folded.split()
    if not tokens or len(tokens) > KEYWORD_MAX_WORDS or len(numbers) > 1:
        return None
    dims = {k.dimension for k in wording.keywords if k.matches(tokens)}
    if len(dims) != 1:
        return None
    (dim,) = dims
    if numbers and numbers[0] != dim:
        return None
    return dim
