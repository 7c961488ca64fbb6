"""The phrase index skips only phrases a text cannot score above 0 against."""

import random

from pipeline.config import load_config
from pipeline.segment.headings import Wording, classify
from pipeline.text.phrases import PhraseIndex, fold, phrase_score

WORDS = ("migration", "governance", "areas", "with", "potential", "for", "further", "development", "key",
         "sources", "well", "developed", "context", "migrants", "rights", "a", "de", "la", "politicas", "x")


def _texts(wording: Wording, n: int = 1500) -> list[str]:
    rng = random.Random(7)
    texts = [p.folded for _, _, p in wording.named] + [p.folded for p in wording.ignore]
    for _ in range(n):  # word salads of every length, phrases with words added, dropped or misspelt
        base = rng.choice(texts).split() or ["x"]
        op = rng.randrange(4)
        if op == 0:
            words = [rng.choice(WORDS) for _ in range(rng.randrange(1, 14))]
        elif op == 1:
            words = base + [rng.choice(WORDS) for _ in range(rng.randrange(1, 4))]
        elif op == 2:
            words = base[: max(1, len(base) - rng.randrange(1, 3))]
        else:
            w = list(" ".join(base))
            w[rng.randrange(len(w))] = rng.choice("abcdeiou ")
            words = "".join(w).split()
        texts.append(fold(" ".join(words)))
    return texts + [""]


def test_every_phrase_that_scores_is_a_candidate():
    wording = Wording.load(load_config())
    for items in (tuple(p for _, _, p in wording.named), wording.ignore):
        index = PhraseIndex(items)
        for text in _texts(wording):
            scoring = {i for i, p in enumerate(items) if phrase_score(text, p) > 0}
            candidates = index.candidates(text)
            assert scoring <= set(candidates), text
            assert candidates == sorted(candidates)


def test_the_index_skips_most_phrases_for_a_long_line():
    wording = Wording.load(load_config())
    items = tuple(p for _, _, p in wording.named)
    text = fold("In 2021 the municipality adopted a plan on the inclusion of migrants in local services and employment")
    assert len(PhraseIndex(items).candidates(text)) < len(items) / 3
    assert len(PhraseIndex(items).candidates("context")) < len(items) / 4
