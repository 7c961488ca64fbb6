"""Random designs typeset by Typst (``mgi_samples.random_typst``, issue 18):
a third engine's layouts in the random generator. Fixed seeds; every design
must meet the same thresholds as the reportlab and LaTeX designs (0 numbers
lost, paragraphs whole >= 0.98, notes, references and sections >= 0.97),
asserted as the minimum over designs.

Needs the ``typst`` binding (PyPI, the ``samples`` and ``test`` extras);
outside CI a missing binding skips with a reason, under CI it fails.
"""

from __future__ import annotations

import os

import pytest

from mgi_samples import random_design as rd, random_typst as rt, typst_engine

SEEDS = rt.CI_SEEDS


def _need_typst():
    if not typst_engine.available():
        reason = "typst not installed (pip install typst; the samples and test extras)"
        if os.environ.get("CI"):
            pytest.fail(reason + " but CI is set: the test extra must install it")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    _need_typst()
    designs = {f"t{s:05d}": rt.design_for(s) for s in SEEDS}
    result = rt.evaluate(designs, tmp_path_factory.mktemp("random-typst"), workers=2)
    print(rd.table(result, fmt=rt.fmt))
    return result


def test_typst_designs_are_deterministic_and_vary():
    assert rt.design_for(3) == rt.design_for(3)
    genes = [rt.design_for(s) for s in SEEDS]
    assert len(genes) >= 8
    for key, values in rt.GENES.items():
        assert all(g[key] in values for g in genes)
        assert {repr(g[key]) for g in genes} == {repr(v) for v in values}, key  # the CI seeds try every value
    assert sum(len({g[k] for g in genes}) > 1 for k in rt.GENES) >= len(rt.GENES) - 3
    keys = rt.design_keys(genes[0])
    assert keys["engine"] == "typst" and keys["body_leading"] > keys["body_size"]


def test_a_typst_render_is_byte_identical(tmp_path):
    _need_typst()
    path = rt.write_design(tmp_path, "t-det", rt.design_for(SEEDS[0]))
    assert typst_engine.render(path) == typst_engine.render(path)


def test_every_typst_design_renders(outcomes):
    assert [o.name for o in outcomes if o.error] == []


def test_no_number_lost_on_any_typst_design(outcomes):
    assert {o.name: o.lost for o in outcomes if o.lost} == {}


@pytest.mark.parametrize("ratio", rd.RATIOS)
def test_minimum_over_typst_designs(outcomes, ratio):
    worst = min(outcomes, key=lambda o: o.ratios.get(ratio, 0.0))
    assert worst.ratios.get(ratio, 0.0) >= rd.THRESHOLDS[ratio], (
        f"{worst.name} ({rt.fmt(worst.genes)}): {ratio} {worst.ratios.get(ratio, 0.0):.3f}; "
        + "; ".join(f"{k}: {v[:2]}" for k, v in worst.failures.items())
    )
