"""Key-word sets: a run of word prefixes, each word beginning the next token."""

import random

from pipeline.config import load_config
from pipeline.segment.headings import KeywordSet, Wording


def _run_at(tokens, run):
    n = len(run)
    return any(all(tokens[i + k].startswith(run[k]) for k in range(n)) for i in range(len(tokens) - n + 1))


def _reference(ks: KeywordSet, tokens: list[str]) -> bool:
    return bool(ks.groups) and all(any(_run_at(tokens, alt) for alt in alts) for alts in ks.groups)


def test_keyword_sets_match_as_runs_of_word_prefixes():
    wording = Wording.load(load_config())
    assert wording.keywords
    words = sorted({w for ks in wording.keywords for alts in ks.groups for run in alts for w in run})
    rng = random.Random(3)
    hits = 0
    for _ in range(3000):
        tokens = [rng.choice(words) + rng.choice(["", "", "s", "al", "ing"]) for _ in range(rng.randrange(0, 8))]
        if rng.random() < 0.3:
            tokens.insert(rng.randrange(len(tokens) + 1), "x" + rng.choice(words))  # a word inside a token is no prefix
        for ks in wording.keywords:
            got = ks.matches(tokens)
            assert got == _reference(ks, tokens), (ks, tokens)
            hits += got
    assert hits > 50  # the sample exercises matches, not only misses
    assert not KeywordSet(1, ()).matches(["migration"])
    assert KeywordSet(2, ((("bem", "estar"),),)).matches(["o", "bem", "estar"])
    assert not KeywordSet(2, ((("bem", "estar"),),)).matches(["bem", "o", "estar"])


def test_wording_is_built_once_for_the_same_wording_files():
    from pipeline.config import with_engine

    config = load_config(None)
    first = Wording.load(config)
    assert Wording.load(config) is first
    # another config object reads its own wording dicts: built again, equal
    other = with_engine(config, "pdfplumber")
    again = Wording.load(other)
    assert again is not first and again == first
