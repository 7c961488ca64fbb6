"""Sample renderer: determinism, shipped PDFs up to date, footnotes on their
marker's page, contents page numbers right, ligatures and hyphens in the text layer."""

from __future__ import annotations

import io
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to render samples")
pdfplumber = pytest.importorskip("pdfplumber")

from mgi_samples import fonts, render  # noqa: E402
from mgi_samples.sources import load_sample  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "samples" / "source"
SAMPLES = ROOT / "samples"

pytestmark = pytest.mark.skipif(
    not fonts.fonts_available(),
    reason=f"DejaVu fonts not found in {fonts.FONT_DIR} (install Debian fonts-dejavu-core)",
)

# The checks below assume the first design family (notes under a short rule,
# one-column contents page); designs of other families (sans body, notes
# without a rule, two-column body) are checked in test_render_designs.py.
FIRST_FAMILY = {"chile-national-2019-es.yaml", "santiago-de-chile-local-2022-2col.yaml", "santiago-de-chile-local-2022.yaml"}
DESIGNS = sorted(p.name for p in SOURCE.glob("*.yaml") if "output:" in p.read_text(encoding="utf-8") and p.name in FIRST_FAMILY)


@pytest.fixture(scope="module")
def rendered() -> dict[str, render.RenderResult]:
    return {name: render.render_sample(SOURCE / name) for name in DESIGNS}


@pytest.fixture(scope="module")
def pdfs(rendered):
    """Fresh renders opened once (pdfplumber caches each page's objects)."""
    opened = {name: pdfplumber.open(io.BytesIO(result.pdf)) for name, result in rendered.items()}
    yield opened
    for pdf in opened.values():
        pdf.close()


def _big_text(page, min_size: float = 12) -> str:
    return re.sub(r"\s+", "", "".join(c["text"] for c in page.chars if c["size"] >= min_size))


def _shipped(name: str) -> Path:
    return SAMPLES / load_sample(SOURCE / name).output


def test_three_samples_are_declared():
    outputs = {load_sample(SOURCE / n).output for n in DESIGNS}
    assert {
        "santiago-de-chile-local-2022.pdf",
        "santiago-de-chile-local-2022-2col.pdf",
        "chile-national-2019-es.pdf",
    } <= outputs


def test_same_source_gives_identical_bytes(rendered):
    again = render.render_sample(SOURCE / "chile-national-2019-es.yaml")
    assert again.pdf == rendered["chile-national-2019-es.yaml"].pdf
    assert again.pdf.startswith(b"%PDF-")


@pytest.mark.parametrize("name", DESIGNS)
def test_shipped_pdf_equals_fresh_render(rendered, name):
    shipped = _shipped(name)
    assert shipped.is_file(), f"{shipped} missing: run `mgi samples render`"
    assert shipped.read_bytes() == rendered[name].pdf, f"{shipped.name} is stale: run `mgi samples render`"


def _markers_in_source(name: str) -> Counter:
    sample = load_sample(SOURCE / name)
    found: Counter = Counter()
    for block in sample.blocks:
        for key in ("p", "quote", "item", "heading"):
            if key in block:
                found.update(int(n) for n in re.findall(r"\[\^(\d+)\]", str(block[key])))
    return found


def _footnote_rule_top(page) -> float | None:
    rules = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.5 and 60 < (ln["x1"] - ln["x0"]) < 90]
    return max((ln["top"] for ln in rules), default=None)


def _page_markers(page, rule_top: float | None) -> list[int]:
    """Superscript digits in the body: smaller than the text and raised above
    the baseline of the character before them."""
    chars = page.chars
    body = Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0]
    limit = rule_top if rule_top is not None else page.height
    out, run = [], ""
    for i, c in enumerate(chars):
        small_digit = c["text"].isdigit() and c["size"] < 0.75 * body and c["top"] < limit and c["top"] > 60
        if small_digit:
            if not run:
                before = chars[i - 1] if i else None
                assert before is not None and c["bottom"] < before["bottom"] - 1.0, (
                    f"page {page.page_number}: marker {c['text']!r} is not raised"
                )
            run += c["text"]
        elif run:
            out.append(int(run))
            run = ""
    if run:
        out.append(int(run))
    return out


def _page_notes(page, rule_top: float | None) -> list[int]:
    """Numbers starting the notes printed below the footnote rule."""
    if rule_top is None:
        return []
    area = page.crop((0, rule_top, page.width, page.height - 40))
    words = area.extract_words(extra_attrs=["size"], keep_blank_chars=False)
    if not words:
        return []
    left = min(w["x0"] for w in words)
    text_size = Counter(round(w["size"], 1) for w in words).most_common(1)[0][0]
    lines: dict[float, list] = {}
    for w in words:
        lines.setdefault(round(w["top"]), []).append(w)
    numbers = []
    for _, ws in sorted(lines.items()):
        first = min(ws, key=lambda w: w["x0"])
        if abs(first["x0"] - left) < 1.0 and re.fullmatch(r"\d+", first["text"]):
            superscript = first["size"] < text_size - 0.5
            plain = len(ws) > 1
            if superscript or plain:
                numbers.append(int(first["text"]))
    return numbers


@pytest.mark.parametrize("name", DESIGNS)
def test_each_note_is_on_its_markers_page(pdfs, name):
    expected = _markers_in_source(name)
    seen: Counter = Counter()
    for page in pdfs[name].pages[3:]:  # cover, copyright and contents carry no markers
        rule_top = _footnote_rule_top(page)
        markers = _page_markers(page, rule_top)
        notes = _page_notes(page, rule_top)
        assert sorted(markers) == sorted(notes), f"{name} page {page.page_number}: markers {markers} vs notes {notes}"
        if markers:
            assert rule_top > page.height * 0.45, "notes must sit at the page foot"
            body = Counter(round(c["size"], 1) for c in page.chars).most_common(1)[0][0]
            below = [c for c in page.chars if rule_top < c["top"] < page.height - 45 and c["size"] > 0.85 * body]
            assert not below, f"{name} page {page.page_number}: body text runs into the footnote area"
        seen.update(markers)
    assert seen == expected


@pytest.mark.parametrize("name", DESIGNS)
def test_contents_page_numbers_match_heading_pages(pdfs, name):
    sample = load_sample(SOURCE / name)
    toc = [str(b["heading"]).replace("\n", " ") for b in sample.blocks if "heading" in b and b.get("toc")]
    pdf = pdfs[name]
    big_pages = [_big_text(p) for p in pdf.pages]
    contents = pdf.pages[2].extract_text()
    numbers = [int(m) for m in re.findall(r"(?:\s|//\s?)(\d{1,3})$", contents, flags=re.M)]
    assert len(numbers) == len(toc), contents
    assert numbers == sorted(numbers)
    for heading, number in zip(toc, numbers):
        squeezed = re.sub(r"\s+", "", heading)
        assert squeezed[:30] in big_pages[number - 1], f"{heading!r} not printed as a heading on page {number}"
        assert not any(squeezed in big for big in big_pages[3 : number - 1]), f"{heading!r} printed before page {number}"


def test_text_layer_has_ligatures_and_break_hyphens(pdfs):
    pdf = pdfs["santiago-de-chile-local-2022.yaml"]
    chars = "".join(c["text"] for p in pdf.pages[3:12] for c in p.chars)
    text = "\n".join(p.extract_text() for p in pdf.pages[3:12])
    for glyph in ("\ufb01", "\ufb00", "\ufb03"):
        assert glyph in chars, f"ligature {glyph!r} missing from the text layer"
    assert len(re.findall(r"[a-z]-\n[a-z]", text)) >= 10  # justified text broken with hyphens


def test_two_column_design_sets_key_findings_in_columns(rendered, pdfs):
    pdf = pdfs["santiago-de-chile-local-2022-2col.yaml"]
    page = pdf.pages[rendered["santiago-de-chile-local-2022-2col.yaml"].layout.heading_pages["dim2"] - 1]
    assert page.width == pytest.approx(612)
    body = [c for c in page.chars if 9 < c["size"] < 10 and 150 < c["top"] < 650]
    mid = page.width / 2
    assert any(c["x1"] < mid - 5 for c in body) and any(c["x0"] > mid + 5 for c in body)
    assert not any(c["x0"] < mid - 3 < mid + 3 < c["x1"] for c in body)  # nothing crosses the gutter


def test_render_command_writes_and_reports(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SOURCE / "chile-national-2019-es.yaml", src)
    assert render.render_command(src, tmp_path / "out") == 0
    assert (tmp_path / "out" / "chile-national-2019-es.pdf").read_bytes() == (SAMPLES / "chile-national-2019-es.pdf").read_bytes()
    assert "unchanged" not in capsys.readouterr().out
    assert render.render_command(src, tmp_path / "out") == 0
    assert "unchanged" in capsys.readouterr().out


def test_bad_source_gives_one_line_error(tmp_path, capsys):
    (tmp_path / "bad.yaml").write_text("output: x.pdf\nblocks: [unclosed\n", encoding="utf-8")
    assert render.render_command(tmp_path, tmp_path / "out") == 2
    out = capsys.readouterr().out.strip()
    assert out.startswith("error:") and "malformed YAML" in out and "\n" not in out
    (tmp_path / "bad.yaml").write_text("output: x.pdf\nblocks:\n- {p: 'marker[^9] without note'}\n", encoding="utf-8")
    assert render.render_command(tmp_path, tmp_path / "out") == 2
    assert "no note text" in capsys.readouterr().out


def test_each_engine_renderer_prints_its_usage_and_fails_clearly(tmp_path, capsys):
    """The renderers' shared command line: usage and status 2 without a
    design file, one line for a missing one (no traceback)."""
    from mgi_samples import html_engine, latex, typst_engine

    for module in (html_engine, latex, typst_engine):
        assert module.main([]) == 2
        assert "DESIGN.yaml" in capsys.readouterr().out
        assert module.main([str(tmp_path / "missing.yaml"), "--out", str(tmp_path)]) == 2
        assert capsys.readouterr().out.startswith("error: ")
        assert module.main(["--out"]) == 2
