"""Numbers are never altered (docs/CONTRACT.md), on every shipped sample.

The invariant of issue 18, generic over designs and engines: for every body
paragraph, note and KEY SOURCES entry of a sample's structured source, the
multiset of numbers (``\\d+([.,]\\d+)*``) printed in it equals that of the row
the pipeline wrote for it (``mgi_samples.expect.check``, which finds each
item's row by its text). A lost or altered number fails, naming the item.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mgi_samples.expect import check
from mgi_samples.sources import design_files, load_sample
from pipeline.ids import file_sha256, make_doc_id

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "samples" / "source"
DESIGNS = [p for p in design_files(SOURCES) if (REPO / "samples" / load_sample(p).output).is_file()]


@pytest.fixture(scope="module")
def outputs(samples_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("numbers-intact")
    pdfs = [str(samples_dir / load_sample(p).output) for p in DESIGNS]
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "run", *pdfs, "--out", str(out), "-w", "2", "--no-progress"],
        capture_output=True, text=True, timeout=900, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_every_engine_has_a_sample():
    from mgi_samples.sources import engine_of

    assert {engine_of(p) for p in DESIGNS} >= {"reportlab", "latex", "writer"}


@pytest.mark.parametrize("design", DESIGNS, ids=lambda p: p.stem)
def test_no_number_lost_or_altered(outputs, design):
    sample = load_sample(design)
    pdf = REPO / "samples" / sample.output
    report = check(outputs, sample, make_doc_id(pdf, file_sha256(pdf)))
    assert report.counts.get("numbers_lost", 0) == 0, report.summary(examples=10)
