"""Random designs (issue 18): the Santiago text typeset with random
combinations of design keys (``mgi_samples.random_design``), run through the
pipeline in one batch, each PDF checked against its source.

CI profile: 25 fixed seeds from the ``ci`` space (the gene values the pipeline
handles today; ``CI_EXCLUDED`` names the failure class of each value left out).
Thresholds per design, asserted as the minimum over designs: 0 numbers lost,
paragraphs whole >= 0.98, notes, references and sections >= 0.97.

``MGI_DESIGN_PROFILE=long`` runs 300 designs of the ``full`` space instead
(local only; about 40 minutes on 2 cores).
"""

from __future__ import annotations

import os

import pytest

pytest.importorskip("reportlab", reason="reportlab (samples extra) renders the designs")
pytest.importorskip("hypothesis")

from mgi_samples import fonts, random_design as rd  # noqa: E402

pytestmark = pytest.mark.skipif(not fonts.fonts_available(), reason=f"DejaVu fonts not found in {fonts.FONT_DIR}")

LONG = os.environ.get("MGI_DESIGN_PROFILE") == "long"
PROFILE, COUNT, FIRST_SEED = ("full", 300, 1000) if LONG else ("ci", 25, 1)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    designs = {f"d{FIRST_SEED + i:05d}": rd.design_for(FIRST_SEED + i, PROFILE) for i in range(COUNT)}
    result = rd.evaluate(designs, tmp_path_factory.mktemp("random-designs"), workers=2)
    print(rd.table(result))
    return result


def test_design_for_is_deterministic_and_inside_its_profile():
    assert rd.design_for(7) == rd.design_for(7)
    assert rd.design_for(7) != rd.design_for(8)
    space = rd.space("ci")
    for seed in range(50):
        genes = rd.design_for(seed)
        assert all(genes[k] in space[k] for k in rd.GENES)
    for gene, values in rd.CI_EXCLUDED.items():  # excluded values exist and stay drawable in the full profile
        assert set(values) <= set(rd.GENES[gene]) and set(values).isdisjoint(space[gene])


def test_strategy_covers_the_genes():
    from hypothesis import given, settings

    @settings(max_examples=30, derandomize=True, database=None)
    @given(rd.genes_strategy("full"))
    def keys_build(genes):
        d = rd.design_keys(genes)
        assert d["body_leading"] > d["body_size"]
        assert ("para_space" in d) == (genes["para_sep"] != "default")

    keys_build()


def test_every_design_renders(outcomes):
    errors = [f"{o.name}: {o.error}" for o in outcomes if o.error]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("ratio", ["numbers_lost", *rd.RATIOS])
def test_threshold_minimum_over_designs(outcomes, ratio):
    done = [o for o in outcomes if not o.error]
    assert len(done) == COUNT
    if ratio == "numbers_lost":
        worst = max(done, key=lambda o: o.lost)
        assert worst.lost == 0, f"{worst.name} ({rd.changed(worst.genes)}) lost {worst.lost} numbers:\n{rd.table([worst], 5)}"
        return
    worst = min(done, key=lambda o: o.ratios[ratio])
    assert worst.ratios[ratio] >= rd.THRESHOLDS[ratio], (
        f"{ratio} {worst.ratios[ratio]:.3f} < {rd.THRESHOLDS[ratio]} on {worst.name} ({rd.changed(worst.genes)}):\n{rd.table([worst], 5)}")


def test_forced_genes_take_a_gene_s_own_values():
    assert rd.forced_genes(["columns=body", "column_count=3", "hyphenation=", "sub_caps=True"]) == {
        "columns": "body", "column_count": 3, "hyphenation": "", "sub_caps": True}
    for bad in ("columns", "colour=red", "column_count=4"):
        with pytest.raises(ValueError):
            rd.forced_genes([bad])


def test_a_summary_label_longer_than_its_line_breaks_at_its_own_hyphen():
    """ReportLab cuts a word longer than a narrow column's line between two
    letters, no hyphen ("WHOLE-OF-GOVERNME" / "NT APPROACH"), which no reader
    can undo: a design that breaks compounds at their hyphens breaks a
    summary label there ("WHOLE-OF-" / "GOVERNMENT APPROACH")."""
    from reportlab.platypus import Paragraph

    from mgi_samples.design import DEFAULT_DESIGN, paragraph_styles

    fonts.register_fonts()
    styles = paragraph_styles({**DEFAULT_DESIGN, **rd.design_keys({**rd.defaults(), "hyphen_breaks": True})})
    para = Paragraph("WHOLE-OF-GOVERNMENT APPROACH PAGE 13", styles["summary_label"])
    para.wrap(120, 500)
    lines = [" ".join(str(w) for w in ln[1]) if isinstance(ln, tuple) else " ".join(ln.words) for ln in para.blPara.lines]
    assert lines[0] == "WHOLE-OF-" and lines[1].startswith("GOVERNMENT"), lines
