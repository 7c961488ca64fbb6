"""The random designs' statistics check (``mgi_samples.expect``): the
statistics the extractor finds in the source text against the output rows."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from mgi_samples import expect

TEXT = "In 2020, an estimated 12.7 per cent of the population were migrants, and 48.8 per cent of them were men."


def _rows(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"kind": ["percent"] * len(values), "value": values, "unit": ["%"] * len(values),
                         "value_high": [None] * len(values)})


def _f1(rows: pd.DataFrame) -> tuple[float, expect.Report]:
    exp = expect.Expected([expect.Para(0, "body", TEXT, expect.numbers(TEXT))], [], [], [])
    rep = expect.Report("d")
    expect._check_statistics(rep, exp, rows, "en")
    return rep.ratios["statistics_f1"], rep


def test_the_same_statistics_score_one_and_an_altered_value_does_not() -> None:
    score, rep = _f1(_rows([12.7, 48.8]))
    assert rep.counts["statistics_expected"] == 2
    assert score == 1.0
    altered, rep = _f1(_rows([12.0, 48.8]))  # "12.7" read as "12." (a digit taken for a note marker)
    assert altered == 0.5
    assert rep.failures["statistic missed"] and rep.failures["statistic extra"]
    missing, _ = _f1(_rows([48.8]))
    assert abs(missing - 2 / 3) < 1e-9
    assert Counter(expect.numbers(TEXT))["12.7"] == 1
