"""Parse stage on real IOM report PDFs (``../shared/real-pdfs``, not MGI profiles).

Each test names the file and the page it pins; the expected values were read
off the rendered pages by eye (running headers/footers, page numbers, note
numbers and texts, marker positions, column order). The folder is never
copied into the repository; tests skip when it is absent.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.datamodel import Layout, Page
from pipeline.parse.stage import parse_pdf

BRIEF = "AAP_EN_Evaluation_Brief_final_0.pdf"
REPORT = "AAP_Evaluation_Report_final_.pdf"
ABRIDGED = "Abridged_Evaluation_Report__Final_Olta_NDOJA.pdf"
ANNEX = "Annex_VI_Case_Study_RDH_East_Horn_Southern_Africa.pdf"
FRENCH = "CS1137-CS1138_Inception_Report_Javier_SANCHEZ_MARTI.pdf"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def layouts(real_pdfs_dir: Path) -> dict[str, Layout]:
    config = load_config()
    out = {}
    for name in (BRIEF, ABRIDGED, ANNEX, FRENCH):
        path = real_pdfs_dir / name
        if not path.exists():
            pytest.skip(f"{name} missing from {real_pdfs_dir}")
        out[name] = parse_pdf(path, config)
    return out


@pytest.fixture(scope="module")
def report(real_pdfs_dir: Path, tmp_path_factory) -> tuple[Layout, int]:
    """The 95-page report, parsed in a fresh process: (layout, peak RSS in MB)."""
    path = real_pdfs_dir / REPORT
    if not path.exists():
        pytest.skip(f"{REPORT} missing from {real_pdfs_dir}")
    out = tmp_path_factory.mktemp("report") / "layout.json"
    code = textwrap.dedent(
        f"""
        import resource
        from pathlib import Path
        from pipeline.config import load_config
        from pipeline.parse.stage import parse_pdf
        layout = parse_pdf(Path({str(path)!r}), load_config())
        Path({str(out)!r}).write_text(layout.model_dump_json())
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking
        # (pytest) process across exec, VmHWM belongs to this process alone
        print([int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")][0] // 1024)
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return Layout.model_validate_json(out.read_text()), int(proc.stdout.split()[-1])


def _page(layout: Layout, number: int) -> Page:
    page = layout.pages[number - 1]
    assert page.number == number
    return page


def _text(page: Page, roles=("body", "heading", "caption")) -> str:
    return "\n".join(b.text for b in page.blocks if b.role in roles)


def _markers(page: Page) -> list[tuple[int, str]]:
    """(number, the 25 characters of text before it) of the page's body markers."""
    return [(m.number, b.text[: m.offset][-25:]) for b in page.blocks if b.role != "footnote" for m in b.markers]


# --------------------------------------------------------------------------
# Abridged_Evaluation_Report__Final_Olta_NDOJA.pdf
# --------------------------------------------------------------------------


def test_abridged_p7_header_page_number_notes_and_markers(layouts) -> None:
    page = _page(layouts[ABRIDGED], 7)
    furniture = [b.text for b in page.blocks if b.role == "furniture"]
    assert any(t.startswith("Final Evaluation for EU-IOM Joint Initiative for Migrant Protection") for t in furniture)
    assert "7" in furniture
    body = _text(page)
    assert "Final Evaluation for EU-IOM Joint Initiative" not in body
    assert not any(b.text.strip() == "7" for b in page.blocks if b.role != "furniture")
    notes = [(f.number, f.text) for f in page.footnotes]
    assert notes == [
        (7, "IEA. (2022). Clean Energy Transitions in the Greater Horn of Africa, pg. 24."),
        (8, "JI HoA Interim Narrative Report #1 To The European Union, pg. 6."),
        (9, "Interview with a stakeholder from Djibouti"),
        (10, "JI HoA Interim Narrative Report #3 To The European Union, pg. 8. And interviews with IOM staff"),
        (11, "JI HoA Interim Narrative Report #4 To the European Union, pg. 10."),
    ]
    assert _markers(page) == [
        (7, "he price of hydrocarbons."),
        (8, "ring surveys in this region."[-25:]),
        (9, "omalia spilling over into Djibouti."[-25:]),
        (10, "r attacks in airport compound."[-25:]),
        (11, "of government representatives."[-25:]),
    ]
    # the superscript digits are not left in the text
    assert "hydrocarbons.7" not in body and "representatives.11" not in body


def test_abridged_p11_dense_notes(layouts) -> None:
    page = _page(layouts[ABRIDGED], 11)
    assert [f.number for f in page.footnotes] == list(range(17, 26))
    assert [n for n, _ in _markers(page)] == list(range(17, 26))
    notes = {f.number: f.text for f in page.footnotes}
    assert notes[19] == "FGD in Somalia"
    # a note running over two lines is one note
    assert notes[23].startswith("Tilahun, M., Workicho, A., & Angaw, D. A. (2020). Common mental disorders")
    assert notes[23].endswith("doi: https://doi.org/10.1186/s12913-020-05502-0")


def test_abridged_every_note_has_its_marker(layouts) -> None:
    layout = layouts[ABRIDGED]
    notes = [(f.number, f.page) for p in layout.pages for f in p.footnotes]
    markers = [(m.number, p.number) for p in layout.pages for b in p.blocks if b.role != "footnote" for m in b.markers]
    assert notes == [(n, pg) for n, pg in notes if n is not None]
    assert [n for n, _ in notes] == list(range(1, 90))  # 89 notes, numbered 1..89 in order
    assert markers == notes


# --------------------------------------------------------------------------
# AAP_EN_Evaluation_Brief_final_0.pdf (designed two-page brief)
# --------------------------------------------------------------------------


def test_brief_p2_two_columns_left_before_right(layouts) -> None:
    page = _page(layouts[BRIEF], 2)
    assert page.n_columns == 2
    texts = [b.text for b in page.blocks if b.role != "furniture"]

    def at(prefix: str) -> int:
        hits = [i for i, t in enumerate(texts) if t.startswith(prefix)]
        assert hits, prefix
        return hits[0]

    left = [
        at("KEY FINDINGS & CONCLUSIONS"),
        at("The evaluation found that the IOM AAP Framework is highly relevant"),
        at("Resources allocated to central AAP functions"),
        at("At a decentralized level"),
        at("Different gaps that reduce the effectiveness"),
    ]
    right = [
        at("other actors to promote “collective accountability”."),
        at("In conclusion, the evaluation largely confirms"),
        at("GOOD PRACTICES"),
        at("KEY RECOMMENDATIONS"),
        at("5. Establish minimum standards"),
    ]
    assert left == sorted(left) and right == sorted(right)
    assert left[-1] < right[0]  # the left column is read before the right one
    # the paragraph that continues into the right column is not torn apart mid-column
    assert texts[left[-1]].endswith("and a lack of capacity to engage with")



def test_brief_p1_columns_below_the_title_not_interleaved(layouts) -> None:
    """Page 1: a full-width title block, then two columns whose lines do not
    share baselines (different sizes and leading): each column is read whole,
    its paragraphs intact."""
    page = _page(layouts[BRIEF], 1)
    assert page.n_columns == 2
    texts = [b.text for b in page.blocks if b.role in ("body", "heading")]

    def at(prefix: str) -> int:
        hits = [i for i, t in enumerate(texts) if t.startswith(prefix)]
        assert hits, prefix
        return hits[0]

    left = [at("BACKGROUND"), at("In 2020, IOM introduced the AAP Framework, which became a mandatory instruction")]
    left.append(at("A central AAP Unit located in IOM Headquarters"))
    right = [at("Evaluation objective:"), at("Over the years, AAP has become a more common feature of IOM interventions")]
    assert left == sorted(left) and right == sorted(right) and left[-1] < right[0]
    assert "emergencies" in texts[right[-1]] and "emergencies" not in texts[left[1]]

def test_brief_footer_and_page_numbers_are_furniture(layouts) -> None:
    for number in (1, 2):
        page = _page(layouts[BRIEF], number)
        furniture = " ".join(b.text for b in page.blocks if b.role == "furniture")
        assert "17 Route des Morillons" in furniture and str(number) in furniture.split()
        assert "Route des Morillons" not in _text(page)


def test_brief_hyphenation_joined(layouts) -> None:
    p1, p2 = _text(_page(layouts[BRIEF], 1)), _text(_page(layouts[BRIEF], 2))
    assert "emergency operations" in p2 and "emergen-" not in p2  # "emergen-" / "cy operations"
    assert "provide recommendations" in p1  # "recom-" / "mendations"
    assert "Inter-Agency Standing Committee" in p1  # a printed compound keeps its hyphen


# --------------------------------------------------------------------------
# Annex_VI_Case_Study_RDH_East_Horn_Southern_Africa.pdf
# --------------------------------------------------------------------------


def test_annex_p4_note_marker_and_page_number(layouts) -> None:
    layout = layouts[ANNEX]
    page = _page(layout, 4)
    assert [(f.number, f.text) for f in page.footnotes] == [
        (1, "The timeline presented here is based on the evidence available in evaluation reports and interviews.")
    ]
    assert _markers(page) == [(1, " its development include:")]
    assert [b.text for b in page.blocks if b.role == "furniture"] == ["2"]  # printed folio 2 on PDF page 4
    heading = [b.text for b in page.blocks if b.role == "heading"]
    assert "2. Development Timeline of the EHSA RDH (2020–2025)" in heading
    # the last page is a scanned image: reported, not fatal
    assert not layout.pages[-1].has_text
    assert any("page 13" in w for w in layout.warnings)


# --------------------------------------------------------------------------
# CS1137-CS1138_Inception_Report_Javier_SANCHEZ_MARTI.pdf (French)
# --------------------------------------------------------------------------


def test_french_p20_numbers_untouched(layouts) -> None:
    page = _page(layouts[FRENCH], 20)
    body = _text(page)
    for printed in ("50% (0,5)", "P = 0,5", "=1,96", "95%", "18-25 ans"):
        assert printed in body, printed
    assert [b.text for b in page.blocks if b.role == "furniture"] == ["Rapport initial d’évaluation", "19"]


def test_french_running_footer_never_in_body(layouts) -> None:
    layout = layouts[FRENCH]
    with_footer = 0
    for page in layout.pages:
        assert "Rapport initial d’évaluation" not in _text(page), page.number
        with_footer += any(b.text == "Rapport initial d’évaluation" for b in page.blocks if b.role == "furniture")
    assert with_footer >= 50


# --------------------------------------------------------------------------
# AAP_Evaluation_Report_final_.pdf (95 pages, Word output)
# --------------------------------------------------------------------------


def test_report_memory_under_300mb(report) -> None:
    _layout, rss_mb = report
    assert rss_mb < 300, f"peak RSS {rss_mb} MB"


def test_report_p9_page_number_note_and_marker(report) -> None:
    layout, _ = report
    assert layout.n_pages == 95
    page = _page(layout, 9)
    assert [b.text for b in page.blocks if b.role == "furniture"] == ["9"]
    assert [b.text for b in page.blocks if b.role == "heading"][:2] == ["1. BACKGROUND", "Evaluation Context"]
    assert [f.number for f in page.footnotes] == [2]
    assert page.footnotes[0].text.startswith("Other documents include the Standards of Conduct (IN/15, REV. 1)")
    assert page.footnotes[0].text.endswith("Reporting and Investigation of Misconduct Framework (IN/275).")
    assert _markers(page) == [(2, "licy (C/106/INF/8/REV.1).")]
    assert not any(line.text == "9" for b in page.blocks if b.role != "furniture" for line in b.lines)


def test_report_notes_in_sequence(report) -> None:
    layout, _ = report
    numbers = [f.number for p in layout.pages[:60] for f in p.footnotes]
    assert len(numbers) >= 25
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    # every page number printed at the page top is furniture, never body text
    for page in layout.pages[5:60]:
        for b in page.blocks:
            if b.role != "furniture":
                assert b.text.strip() != str(page.number), page.number


def test_no_ligature_codepoints_left(layouts, report) -> None:
    pages = [p for lay in layouts.values() for p in lay.pages] + list(report[0].pages)
    for page in pages:
        for b in page.blocks:
            assert not any("\ufb00" <= ch <= "\ufb06" for ch in b.text), page.number
    # (these PDFs map ligature glyphs to letters already; the samples print ligature glyphs)


def test_abridged_p18_bar_chart_text_is_caption_tables_untouched(layouts, report) -> None:
    """Abridged report p18: a vector bar chart (coloured bars, axis values
    0-100, country names, legend "Baseline 2017 / Sep-22") between two
    paragraphs: its text is caption, the paragraphs around it stay body. The
    shaded table cells of the report's evaluation matrix (p61) hold text and
    make no chart."""
    page = _page(layouts[ABRIDGED], 18)
    lines = [ln for b in page.blocks for ln in b.lines]
    chart = [ln for ln in lines if ln.text in ("Djibouti Ethiopia Somalia Sudan", "Baseline 2017 Sep-22", "100", "83")]
    assert len(chart) == 4 and all(ln.role == "caption" for ln in chart), [(ln.role, ln.text) for ln in chart]
    around = [ln for ln in lines if ln.text.startswith(("also increased from 25", "However, progress towards"))]
    assert len(around) == 2 and all(ln.role == "body" for ln in around), [(ln.role, ln.text) for ln in around]
    assert next(ln for ln in lines if ln.text.startswith("Source: Interim Report")).role == "caption"
    layout, _rss = report
    matrix = _page(layout, 61)
    assert not any(b.role == "caption" for b in matrix.blocks)
    assert "EQ1: To what extent is IOM" in _text(matrix, roles=("body",))
