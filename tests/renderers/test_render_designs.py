"""Samples of other design families (render_edition / render_style /
render_furniture / render_columns): shipped PDFs equal fresh renders, every
note at the foot of its marker's page, contents page numbers right, and the
design features that set them apart from the first family really are in the
PDF (sans ragged body, notes without a rule, header on even pages only,
two-column body with banded part headings, French typography, side-heads in a
margin sidebar beside a narrow body column, barely raised and glued markers)."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to render samples")
pdfplumber = pytest.importorskip("pdfplumber")

from mgi_samples import fonts, markup, render  # noqa: E402
from mgi_samples.design import design_of  # noqa: E402
from mgi_samples.shared import heading_key  # noqa: E402
from mgi_samples.sources import load_sample  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "samples" / "source"
SAMPLES = ROOT / "samples"

pytestmark = pytest.mark.skipif(
    not fonts.fonts_available(),
    reason=f"DejaVu fonts not found in {fonts.FONT_DIR} (install Debian fonts-dejavu-core)",
)

NATIONAL_EN = "chile-national-2018-en.yaml"
LOCAL_FR = "santiago-local-2022-fr.yaml"
NATIONAL_PT = "chile-national-2021-pt.yaml"
DESIGNED = "santiago-de-chile-local-2022-designed.yaml"
DESIGNS = [NATIONAL_EN, LOCAL_FR, NATIONAL_PT, DESIGNED]


@pytest.fixture(scope="module")
def rendered() -> dict[str, render.RenderResult]:
    return {name: render.render_sample(SOURCE / name) for name in DESIGNS}


@pytest.fixture(scope="module")
def pdfs(rendered):
    opened = {name: pdfplumber.open(io.BytesIO(result.pdf)) for name, result in rendered.items()}
    yield opened
    for pdf in opened.values():
        pdf.close()


def _design(name: str) -> dict:
    return design_of(load_sample(SOURCE / name))


def _shipped(name: str) -> Path:
    return SAMPLES / load_sample(SOURCE / name).output


@pytest.mark.parametrize("name", DESIGNS)
def test_shipped_pdf_equals_fresh_render(rendered, name):
    shipped = _shipped(name)
    assert shipped.is_file(), f"{shipped} missing: run `mgi samples render`"
    assert shipped.read_bytes() == rendered[name].pdf, f"{shipped.name} is stale: run `mgi samples render`"


def test_edition_rewrites_headings_and_metadata():
    sample = load_sample(SOURCE / NATIONAL_EN)
    headings = [str(b["heading"]) for b in sample.blocks if "heading" in b]
    assert "1. Adherence to international standards and fulfilment of migrants' rights" in headings
    assert "Migration governance: Examples of well-developed areas" in headings
    assert not any(re.match(r"\d\.\d\. ", h) for h in headings)
    assert "SOURCES" in headings and "KEY SOURCES" not in headings
    assert sample.metadata["profile_level"] == "national" and sample.metadata["locality"] is None
    assert sample.metadata["profile_year"] == 2018
    # the shared content file itself is untouched
    content = load_sample(SOURCE / "santiago-de-chile-local-2022.yaml")
    assert "KEY SOURCES" in [b.get("heading") for b in content.blocks]


def test_bad_edition_gives_one_line_error(tmp_path, capsys):
    (tmp_path / "content.yaml").write_text("blocks:\n- {heading: A, level: 1, id: a}\n- {p: text}\n", encoding="utf-8")
    (tmp_path / "d.yaml").write_text("output: d.pdf\ncontent: content.yaml\nedition: {headings: {zz: B}}\n", encoding="utf-8")
    assert render.render_command(tmp_path, tmp_path / "out") == 2
    out = capsys.readouterr().out.strip()
    assert out.startswith("error:") and "no heading with id zz" in out and "\n" not in out
    (tmp_path / "d.yaml").write_text("output: d.pdf\ncontent: content.yaml\ndesign: {furniture: {folio: middle}}\n", encoding="utf-8")
    assert render.render_command(tmp_path, tmp_path / "out") == 2
    assert "furniture.folio" in capsys.readouterr().out


# --------------------------------------------------------------------------
# notes on their markers' pages, read back from the PDF
# --------------------------------------------------------------------------


def _markers_in_source(name: str) -> Counter:
    found: Counter = Counter()
    for block in load_sample(SOURCE / name).blocks:
        for key in ("p", "quote", "item", "heading"):
            if key in block:
                found.update(int(n) for n in re.findall(r"\[\^=?(\d+)\]", str(block[key])))
    return found


def _lines(chars) -> list[list[dict]]:
    rows: dict[int, list] = {}
    for c in chars:
        rows.setdefault(round(c["bottom"]), []).append(c)
    return [sorted(cs, key=lambda c: c["x0"]) for _, cs in sorted(rows.items())]


def _note_area(page, d) -> tuple[float, list[dict]]:
    """Top of the notes block and its characters: the note-size lines below the
    last body-size character (furniture, in its own size, excluded)."""
    body = float(d["body_size"])
    note = float(d["note_size"])
    foot = page.height - float(d["margins"]["bottom"]) + 4
    body_bottom = max((c["bottom"] for c in page.chars if abs(c["size"] - body) < 0.05 and c["bottom"] < foot), default=0)
    notes = [c for c in page.chars if c["top"] > body_bottom and c["bottom"] < foot and c["size"] <= note + 0.05]
    top = min((c["top"] for c in notes), default=foot)
    return min(top, foot), notes


def _glued(name: str) -> bool:
    """Does the source write markers as plain digits glued to the word ([^=N])?"""
    return any("[^=" in str(b.get("p", "")) for b in load_sample(SOURCE / name).blocks)


def _glued_markers(chars, body: float) -> list[int]:
    """Body-size digits glued after a word's full stop ("migrantes.7")."""
    text = "".join(c["text"] if abs(c["size"] - body) < 0.05 else " " for c in chars)
    return [int(n) for n in re.findall(r"[a-zà-ÿ]\.(\d{1,2})(?![\d,.])", text)]


def _page_markers(page, limit: float, d, glued: bool = False) -> list[int]:
    body = float(d["body_size"])
    small = (float(d["marker_scale"]) + 0.05) * body if "marker_scale" in d else 0.75 * body
    out, run = [], ""
    chars = [c for c in page.chars if c["top"] < limit]
    if glued:
        out += _glued_markers(chars, body)
    for i, c in enumerate(chars):
        if c["text"].isdigit() and c["size"] < small and c["top"] > 60:
            if not run:
                before = chars[i - 1]
                assert c["bottom"] < before["bottom"] - 1.0, f"page {page.page_number}: marker {c['text']!r} is not raised"
            run += c["text"]
        elif run:
            out.append(int(run))
            run = ""
    if run:
        out.append(int(run))
    return out


def _note_columns(notes: list[dict], d) -> list[list[dict]]:
    """The note area's characters column by column (``note_columns: 2``: left
    and right of the gutter)."""
    if int(d.get("note_columns", 1)) != 2:
        return [notes]
    mid = float(d["margins"]["left"]) + (max(c["x1"] for c in notes) - float(d["margins"]["left"])) / 2
    return [col for col in ([c for c in notes if c["x0"] < mid], [c for c in notes if c["x0"] >= mid]) if col]


def _page_notes(notes: list[dict], d) -> list[int]:
    """Numbers that start a note: '6. text' on the line, or a superscript number."""
    if not notes:
        return []
    out = []
    for column in _note_columns(notes, d):
        out += _column_notes(column, d)
    return out


def _column_notes(notes: list[dict], d) -> list[int]:
    left = min(c["x0"] for c in notes)
    out = []
    for line in _lines(notes):
        if abs(line[0]["x0"] - left) > 1.0:
            continue
        text = "".join(c["text"] for c in line)
        if d["note_number"] == "period":
            m = re.match(r"(\d+)\. ", text)
        elif d["note_number"] == "tab":  # plain number, then the text at a tab stop
            m = re.match(r"(\d+)", text)
            digits = len(m.group(1)) if m else 0
            if m and (len(line) <= digits or line[digits]["x0"] - line[digits - 1]["x1"] < 4):
                m = None
        else:
            lead = "".join(c["text"] for c in line if c["size"] < float(d["note_size"]) - 1)
            m = re.match(r"(\d+)", lead) if text.startswith(lead) and lead else None
        if m:
            out.append(int(m.group(1)))
    return out


@pytest.mark.parametrize("name", DESIGNS)
def test_each_note_is_on_its_markers_page(pdfs, name):
    d = _design(name)
    seen: Counter = Counter()
    pages_with_notes = 0
    for page in pdfs[name].pages[3:]:
        top, notes = _note_area(page, d)
        markers = _page_markers(page, top, d, _glued(name))
        numbers = _page_notes(notes, d)
        assert sorted(markers) == sorted(numbers), f"{name} page {page.page_number}: markers {markers} vs notes {numbers}"
        if markers:
            pages_with_notes += 1
            assert top > page.height * 0.45, "notes must sit at the page foot"
            assert min(c["x0"] for c in notes) == pytest.approx(d["margins"]["left"], abs=1.0), "notes start at the left margin"
            assert max(c["x1"] for c in notes) <= page.width - d["margins"]["right"] + 1.0
        seen.update(markers)
    assert seen == _markers_in_source(name)
    assert pages_with_notes >= 5


# --------------------------------------------------------------------------
# contents page numbers
# --------------------------------------------------------------------------


def _heading_text(page, d) -> str:
    size = min(float(d["part_size"]), float(d["dimension_size"])) - 0.5
    return re.sub(r"\s+", "", "".join(c["text"] for c in page.chars if c["size"] >= size))


def _contents_lines(page, d) -> list[str]:
    """Contents lines, column by column in a two-column design."""
    w = page.width
    m = d["margins"]
    if d.get("two_column_body"):
        mid = m["left"] + (w - m["left"] - m["right"]) / 2
        boxes = [(0, m["top"] - 10, mid, page.height - m["bottom"] + 10), (mid, m["top"] - 10, w, page.height - m["bottom"] + 10)]
    else:
        boxes = [(0, m["top"] - 10, w, page.height - m["bottom"] + 10)]
    lines = []
    for box in boxes:
        lines += (page.crop(box).extract_text() or "").splitlines()
    return lines


@pytest.mark.parametrize("name", DESIGNS)
def test_contents_page_numbers_match_heading_pages(pdfs, name):
    d = _design(name)
    sample = load_sample(SOURCE / name)
    toc = [str(b["heading"]).replace("\n", " ") for b in sample.blocks if "heading" in b and b.get("toc")]
    pdf = pdfs[name]
    lines = _contents_lines(pdf.pages[2], d)
    numbers = [int(m.group(1)) for line in lines if (m := re.search(r"\s(\d{1,3})$", line))]
    assert len(numbers) == len(toc), lines
    assert numbers == sorted(numbers)
    big = [_heading_text(p, d) for p in pdf.pages]
    for heading, number in zip(toc, numbers):
        squeezed = re.sub(r"\s+", "", heading)
        assert squeezed[:30] in big[number - 1], f"{heading!r} not printed as a heading on page {number}"
        assert not any(squeezed[:30] in b for b in big[3 : number - 1]), f"{heading!r} printed before page {number}"


# --------------------------------------------------------------------------
# design features of the English national edition
# --------------------------------------------------------------------------


def test_national_edition_design(pdfs, rendered):
    pdf = pdfs[NATIONAL_EN]
    d = _design(NATIONAL_EN)
    cover = re.sub(r"\s+", " ", pdf.pages[0].extract_text())
    assert "MIGRATION GOVERNANCE INDICATORS PROFILE 2018" in cover and "REPUBLIC OF CHILE" in cover
    assert "LOCAL" not in cover
    body_pages = pdf.pages[3:]
    fonts = Counter(c["fontname"].split("+")[-1] for p in body_pages for c in p.chars if abs(c["size"] - 9.5) < 0.05)
    assert fonts.most_common(1)[0][0] == "DejaVuSans"
    assert not any(p.lines for p in body_pages), "notes stand without a separating rule"
    header = "MIGRATION GOVERNANCE INDICATORS | REPUBLIC OF CHILE"
    for page in body_pages:
        top_text = page.crop((0, 0, page.width, d["margins"]["top"] - 10)).extract_text() or ""
        assert (header in top_text) == (page.page_number % 2 == 0), f"page {page.page_number}: header {top_text!r}"
        foot = page.crop((0, page.height - d["margins"]["bottom"] + 20, page.width, page.height))
        words = foot.extract_words()
        folio = [w for w in words if w["text"] == str(page.page_number)]
        assert folio and "Chile 2018" in foot.extract_text()
        if page.page_number % 2:
            assert folio[-1]["x1"] > page.width - d["margins"]["right"] - 1  # outer edge: right on odd pages
        else:
            assert folio[0]["x0"] < d["margins"]["left"] + 1
    # sub-headings: colour, regular weight, larger than the body; no numbering
    page = pdf.pages[rendered[NATIONAL_EN].layout.heading_pages["dim1"] - 1]
    sub = [c for c in page.chars if abs(c["size"] - 13) < 0.05]
    assert sub and all("Bold" not in c["fontname"] for c in sub)
    assert "".join(c["text"] for c in sub).startswith("Migration governance: Examples")
    # ragged right, no hyphenation: body lines end at many different x, none with a break hyphen
    text = "\n".join(p.extract_text() for p in pdf.pages[6:12])
    ends = [round(max(c["x1"] for c in line)) for p in pdf.pages[6:12] for line in _lines([c for c in p.chars if abs(c["size"] - 9.5) < 0.05])]
    flush = sum(1 for x in ends if x >= max(ends) - 1)
    assert len(ends) > 100 and flush < 0.2 * len(ends), f"{flush} of {len(ends)} lines end at the right margin"
    assert not re.search(r"[a-z]-\n[a-z]", text)
    assert "\ufb01" in "".join(c["text"] for p in pdf.pages[3:12] for c in p.chars)
    # SOURCES: capitals in regular weight, year labels inline
    page = pdf.pages[rendered[NATIONAL_EN].layout.heading_pages["key_sources"] - 1]
    lines = page.extract_text().splitlines()
    assert "GOVERNMENT OF THE REPUBLIC OF CHILE" in lines
    authors = [c for c in page.chars if c["text"] == "G" and abs(c["size"] - 8.6) < 0.05]
    assert authors and all("Bold" not in c["fontname"] for c in authors)
    assert any(re.match(r"2006b Decreto con Fuerza de Ley No\. 1", ln) for ln in lines)


# --------------------------------------------------------------------------
# paragraphs crossing page breaks (read column by column)
# --------------------------------------------------------------------------


def _letters(text: str) -> str:
    for seq, glyph in markup.LIGATURES:
        text = text.replace(glyph, seq)
    text = re.sub(r"\[\^\d+\]", "", text)
    return re.sub(r"[^a-zà-ÿœ]", "", text.lower())


def _page_letters(page, d) -> str:
    m = d["margins"]
    top, bottom = m["top"] - 8, page.height - m["bottom"] + 8
    if d.get("side_heads"):  # the body column only: side-heads share its lines
        boxes = [(m["left"] - 2, top, page.width, bottom)]
    elif d.get("two_column_body") or (d.get("two_column_dimensions") and _two_columns(page, d)):
        mid = m["left"] + (page.width - m["left"] - m["right"]) / 2
        boxes = [(0, top, mid, bottom), (mid, top, page.width, bottom)]
    else:
        boxes = [(0, top, page.width, bottom)]
    return "".join(_letters(page.crop(b).extract_text() or "") for b in boxes)


def _two_columns(page, d) -> bool:
    """Is the page's body set in two columns (body text on both sides of the
    middle, none across it)?"""
    m = d["margins"]
    mid = m["left"] + (page.width - m["left"] - m["right"]) / 2
    body = [c for c in page.chars if abs(c["size"] - float(d["body_size"])) < 0.05]
    left = any(c["x1"] < mid - 4 for c in body)
    right = any(c["x0"] > mid + 4 for c in body)
    return left and right and not any(c["x0"] < mid - 2 and c["x1"] > mid + 2 for c in body)


def _tail_pages(texts: list[str], tail: str) -> list[int]:
    """Pages holding a paragraph's last letters, or (a last line alone over
    the page) opening with their end while the page before holds their start."""
    found = [j for j, t in enumerate(texts) if tail in t]
    if found:
        return found
    return [j for j in range(1, len(texts)) for k in range(1, len(tail) - 5) if texts[j].startswith(tail[k:]) and tail[:k] in texts[j - 1]]


@pytest.mark.parametrize("name", DESIGNS)
def test_paragraphs_cross_page_breaks(pdfs, name):
    d = _design(name)
    texts = [_page_letters(p, d) for p in pdfs[name].pages]
    crossing = 0
    for block in load_sample(SOURCE / name).blocks:
        if "p" not in block:
            continue
        letters = _letters(str(block["p"]))
        if len(letters) < 200:
            continue
        head, tail = letters[:40], letters[-40:]
        pairs = [(j - i, i) for i, t in enumerate(texts) if head in t for j in _tail_pages(texts, tail) if j >= i]
        assert pairs, f"{name}: paragraph not found: {block['p'][:60]!r}"
        span = min(pairs)[0]
        assert span <= 1, f"{name}: paragraph spread over {span + 1} pages: {block['p'][:60]!r}"
        crossing += span
    assert crossing >= 1


# --------------------------------------------------------------------------
# design features of the French two-column local profile
# --------------------------------------------------------------------------


def test_french_two_column_design(pdfs, rendered):
    pdf = pdfs[LOCAL_FR]
    d = _design(LOCAL_FR)
    pages = rendered[LOCAL_FR].layout.heading_pages
    m = d["margins"]
    text_w = pdf.pages[0].width - m["left"] - m["right"]
    mid = m["left"] + text_w / 2
    # contents and body in two columns: body-size text on both sides, none across the gutter
    for number in (3, pages["objectifs"], pages["contexte"]):
        page = pdf.pages[number - 1]
        body = [c for c in page.chars if c["size"] < 10.5 and m["top"] + 70 < c["top"] < page.height - m["bottom"] - 80]
        assert any(c["x1"] < mid - 5 for c in body) and any(c["x0"] > mid + 5 for c in body), number
        assert not any(c["x0"] < mid - 3 < mid + 3 < c["x1"] for c in body), f"page {number}: text crosses the gutter"
    # part headings white on a filled band as wide as the text
    for key in ("contexte", "dim2", "principales_sources"):
        page = pdf.pages[pages[key] - 1]
        bands = [r for r in page.rects if r["fill"] and abs(r["width"] - text_w) < 1 and r["top"] < m["top"] + 80]
        assert bands, f"no band on page {page.page_number}"
        inside = [c for c in page.chars if bands[0]["top"] <= c["top"] and c["bottom"] <= bands[0]["bottom"]]
        assert inside and all(c["non_stroking_color"] in ((1, 1, 1), (1.0, 1.0, 1.0), [1, 1, 1]) for c in inside)
    # folio at the top outer corner, footer text at the foot, no running header text
    for page in pdf.pages[2:]:
        top = page.crop((0, 0, page.width, m["top"] - 20)).extract_words()
        assert [w["text"] for w in top] == [str(page.page_number)]
        if page.page_number % 2:
            assert top[0]["x1"] > page.width - m["right"] - 1
        else:
            assert top[0]["x0"] < m["left"] + 1
        foot = page.crop((0, page.height - m["bottom"] + 15, page.width, page.height)).extract_text()
        assert foot.strip() == "IGM LOCAUX | SANTIAGO DU CHILI 2022"
    # French typography in the text layer
    chars = "".join(c["text"] for p in pdf.pages[3:] for c in p.chars)
    assert "1\u202f450\u202f333" in chars and "99\u202f247\u202f661" in chars
    assert "30,7\u202f%" in chars and "«\u202f" in chars and "\u202f»" in chars
    assert "n° 21.325" in chars  # U+00A0 (drawn as a space) keeps "n°" with its number
    assert "\ufb01" in chars or "\ufb00" in chars
    text = "\n".join(p.crop((0, 0, mid, p.height)).extract_text() for p in pdf.pages[3:12])
    assert len(re.findall(r"[a-zé]-\n[a-zé]", text)) >= 5  # justified, hyphenated with pyphen fr
    # COVID-19 annex restarts its notes at 1
    page = pdf.pages[pages["covid19"] - 1]
    assert _page_markers(page, _note_area(page, d)[0], d) == [1, 2]


# --------------------------------------------------------------------------
# design features of the Portuguese side-head national profile
# --------------------------------------------------------------------------


def _baseline(c) -> float:
    return round(c["matrix"][5], 1)


def test_portuguese_sidebar_design(pdfs, rendered):
    pdf = pdfs[NATIONAL_PT]
    d = _design(NATIONAL_PT)
    sample = load_sample(SOURCE / NATIONAL_PT)
    pages = rendered[NATIONAL_PT].layout.heading_pages
    m = d["margins"]
    n = len(pdf.pages)
    assert 12 <= n <= 15
    assert sample.metadata["language"] == "pt" and sample.metadata["locality"] is None
    assert (sample.metadata["profile_year"], sample.metadata["publication_year"]) == (2021, 2022)
    cover = re.sub(r"\s+", " ", pdf.pages[0].extract_text())
    assert "INDICADORES DE GOVERNANÇA DA MIGRAÇÃO PERFIL NACIONAL 2021" in cover and "República do Chile" in cover
    # one narrow body column (~60% of the page width), serif, justified and hyphenated (pyphen pt)
    body_w = pdf.pages[0].width - m["left"] - m["right"]
    assert 0.55 < body_w / pdf.pages[0].width < 0.65
    body = [c for p in pdf.pages[3:] for c in p.chars if abs(c["size"] - 10) < 0.05]
    assert min(c["x0"] for c in body) >= m["left"] - 0.5 and max(c["x1"] for c in body) <= pdf.pages[0].width - m["right"] + 0.5
    assert Counter(c["fontname"].split("+")[-1] for c in body).most_common(1)[0][0] == "DejaVuSerif"
    text = "\n".join(p.crop((m["left"] - 2, 0, p.width, p.height)).extract_text() for p in pdf.pages[3:12])
    assert len(re.findall(r"[a-zçãõéáíóú]-\n[a-zçãõéáíóú]", text)) >= 8
    assert "\ufb01" in "".join(c["text"] for c in body)
    # running header flush right on every body page, "Página n de N" centred at the foot
    for page in pdf.pages[3:]:
        head = [w for w in page.crop((0, 0, page.width, m["top"] - 10)).extract_words()]
        assert " ".join(w["text"] for w in head) == "IGM | PERFIL NACIONAL 2021 | CHILE"
        assert head[-1]["x1"] == pytest.approx(page.width - m["right"], abs=1.0)
        foot = page.crop((0, page.height - m["bottom"] + 15, page.width, page.height)).extract_words()
        assert " ".join(w["text"] for w in foot) == f"Página {page.page_number} de {n}"
        assert (foot[0]["x0"] + foot[-1]["x1"]) / 2 == pytest.approx(page.width / 2, abs=1.0)
    for page in pdf.pages[:3]:
        assert "IGM | PERFIL" not in (page.extract_text() or "")
    # part headings hang into the sidebar; dimension headings numbered, sentence case
    for key in ("contexto", "dim1", "fontes"):
        page = pdf.pages[pages[key] - 1]
        big = [c for c in page.chars if c["size"] >= 13.5]
        assert big and min(c["x0"] for c in big) < m["left"] - 100
    headings = [str(b["heading"]) for b in sample.blocks if "heading" in b and b.get("level") == 1]
    assert "1. Adesão às normas internacionais e respeito pelos direitos dos migrantes" in headings
    assert {"OBJETIVOS", "INTRODUÇÃO", "CONTEXTO", "PRINCIPAIS CONCLUSÕES", "PRINCIPAIS FONTES", "ANEXOS", "ANÁLISE DA COVID-19"} <= set(headings)
    # side-heads: in the sidebar, first baseline on the first baseline of their text
    side = {2, 3}
    checked = 0
    for i, block in enumerate(sample.blocks):
        if "heading" not in block or block.get("level") not in side:
            continue
        page = pdf.pages[pages[heading_key(block, i)] - 1]
        first = str(block["heading"]).split()[0]
        lines = _lines([c for c in page.chars if abs(c["size"] - 9) < 0.05 and "Bold" in c["fontname"]])
        line = next(ln for ln in lines if "".join(c["text"] for c in ln).startswith(first))
        assert max(c["x1"] for c in line) < m["left"] - d["sidebar"]["gap"] + 1
        assert min(c["x0"] for c in line) == pytest.approx(m["left"] - d["sidebar"]["gap"] - d["sidebar"]["width"], abs=1.0)
        beside = [c for c in page.chars if abs(c["size"] - 10) < 0.05 and _baseline(c) == _baseline(line[0])]
        assert beside and min(c["x0"] for c in beside) == pytest.approx(m["left"], abs=1.0), block["heading"]
        checked += 1
    assert checked >= 14
    # markers: 75% of the body size, raised 2 pt; two plain digits glued after a full stop
    sizes = set()
    for page in pdf.pages[3:]:
        chars = page.chars
        for k, c in enumerate(chars[1:], 1):
            if c["text"].isdigit() and abs(c["size"] - 7.5) < 0.05 and c["top"] > 60 and c["top"] < _note_area(page, d)[0]:
                prev = chars[k - 1]
                if not prev["text"].isdigit():  # rise: the marker's baseline over the word's
                    descent = (_baseline(prev) - prev["y0"]) / prev["size"]
                    assert c["y0"] + descent * c["size"] - prev["y0"] - descent * prev["size"] == pytest.approx(2.0, abs=0.1)
                sizes.add(c["size"])
    assert sizes == {7.5}
    glued = "".join(c["text"] for p in pdf.pages[3:] for c in p.chars if abs(c["size"] - 10) < 0.05)
    assert "residentes.3" in glued and "migrantes.7" in glued
    # notes: a plain number, then the text at a tab stop (wrapped lines aligned with it)
    page = pdf.pages[pages["contexto"] - 1]
    top, notes = _note_area(page, d)
    rows = _lines(notes)
    starts = [r for r in rows if r[0]["x0"] == pytest.approx(m["left"], abs=0.5)]
    assert [int(r[0]["text"]) for r in starts] == [2, 3, 4]
    for row in starts:
        assert row[1]["x0"] == pytest.approx(m["left"] + d["note_tab"], abs=0.5)
    assert all(r[0]["x0"] == pytest.approx(m["left"] + d["note_tab"], abs=0.5) for r in rows if r not in starts)
    # contents with dot leaders
    lines = pdf.pages[2].extract_text().splitlines()
    assert any(re.fullmatch(rf"CONTEXTO \.{{10,}} {pages['contexto']}", ln) for ln in lines), lines
    assert any(re.fullmatch(r"migrantes \.{10,} \d+", ln) for ln in lines)
    numbers = [w for w in pdf.pages[2].extract_words() if w["text"].isdigit()]
    assert len(numbers) == 13 and {w["text"] for w in numbers} >= {"10", "12", "15"}  # set solid, not "1 0"
    assert all(w["x1"] == pytest.approx(pdf.pages[2].width - m["right"], abs=0.5) for w in numbers)
    # PRINCIPAIS FONTES: author headings in bold italic, year labels in a hanging column
    page = pdf.pages[pages["fontes"] - 1]
    author = [c for c in page.chars if c["text"] == "A" and abs(c["size"] - 9.5) < 0.05]
    assert author and all("BoldItalic" in c["fontname"] for c in author)
    words = page.extract_words()
    years = [w for w in words if re.fullmatch(r"(19|20)\d\d[a-z]?|s\.d\.", w["text"]) and w["x0"] == pytest.approx(m["left"], abs=0.5)]
    assert len(years) >= 8
    entries = [c for c in page.chars if abs(c["size"] - 9) < 0.05 and c["x0"] > m["left"] + 30]
    assert min(c["x0"] for c in entries) == pytest.approx(m["left"] + 44, abs=0.5)
    allpages = "\n".join(p.extract_text() for p in pdf.pages[pages["fontes"] - 1 : pages["anexos"] - 1])
    assert "2021a" in allpages and "s.d." in allpages and "Não disponível online." in allpages


def test_bad_sidebar_design_gives_one_line_error(tmp_path, capsys):
    blocks = "blocks:\n- {heading: A, level: 1, id: a}\n- {heading: Side, level: 2}\n- {heading: B, level: 1, new_page: false}\n- {p: text}\n"
    (tmp_path / "d.yaml").write_text("output: d.pdf\ndesign: {side_heads: [2]}\n" + blocks, encoding="utf-8")
    assert render.render_command(tmp_path, tmp_path / "out") == 2
    out = capsys.readouterr().out.strip()
    assert out.startswith("error:") and "must be followed by a paragraph" in out and "\n" not in out
    (tmp_path / "d.yaml").write_text("output: d.pdf\ndesign: {furniture: {header_align: centre}}\n" + blocks, encoding="utf-8")
    assert render.render_command(tmp_path, tmp_path / "out") == 2
    assert "furniture.header_align" in capsys.readouterr().out
    # the same blocks render when a paragraph follows the side-head
    fixed = blocks.replace("- {heading: B, level: 1, new_page: false}\n", "")
    (tmp_path / "d.yaml").write_text("output: d.pdf\ndesign: {side_heads: [2], contents_style: dots}\n" + fixed, encoding="utf-8")
    assert render.render_command(tmp_path, tmp_path / "out") == 0
    assert (tmp_path / "out" / "d.pdf").read_bytes().startswith(b"%PDF-")


# --------------------------------------------------------------------------
# design features of the InDesign-like sample (same text as sample 1)
# --------------------------------------------------------------------------


def _colour(c) -> tuple:
    return tuple(round(float(v), 2) for v in c["non_stroking_color"] or ())


def test_designed_sample_is_sample_one_text(rendered):
    designed = load_sample(SOURCE / DESIGNED)
    first = load_sample(SOURCE / "santiago-de-chile-local-2022.yaml")
    assert designed.blocks == first.blocks and designed.metadata == first.metadata and designed.front == first.front
    assert rendered[DESIGNED].pdf == render.render_sample(designed).pdf  # deterministic


def test_designed_headings_header_and_columns(pdfs, rendered):
    pdf = pdfs[DESIGNED]
    d = _design(DESIGNED)
    pages = rendered[DESIGNED].layout.heading_pages
    m = d["margins"]
    sample = load_sample(SOURCE / DESIGNED)
    # part headings letter-spaced: every gap inside a word ~3.4 pt, word gaps far wider, sans, in the accent colour
    page = pdf.pages[pages["context"] - 1]
    word = [c for c in page.chars if c["size"] == pytest.approx(d["part_size"])]
    assert "".join(c["text"] for c in word) == "CONTEXT"
    gaps = [b["x0"] - a["x1"] for a, b in zip(word, word[1:])]
    assert all(g == pytest.approx(d["letter_spacing"]["space"], abs=0.05) for g in gaps)
    assert all("DejaVuSans" in c["fontname"] and "Bold" not in c["fontname"] for c in word)
    assert page.extract_text().splitlines()[1] == "C O N T E X T"
    head = [c for c in pdf.pages[pages["dim1"] - 1].chars if c["size"] == pytest.approx(d["dimension_size"])]
    line = _lines(head)[0]
    spaced = [b["x0"] - a["x1"] for a, b in zip(line, line[1:])]
    letter, words = min(spaced), sorted(spaced)[-3:]
    assert letter == pytest.approx(d["letter_spacing"]["space"], abs=0.05) and min(words) > 3 * letter
    # sub-headings: bold sans in a colour other than the part headings'
    sub = [c for c in pdf.pages[pages["dim1"] - 1].chars if c["size"] == pytest.approx(d["sub_size"])]
    assert "".join(c["text"] for c in sub).startswith("1.1. Migration governance: Examples")
    assert all("Sans-Bold" in c["fontname"] for c in sub) and {_colour(c) for c in sub} != {_colour(word[0])}
    # running header: the current part's name top left, "17 | MGI LOCAL PROFILE 2022" top right, no footer
    parts = {}
    for i, block in enumerate(sample.blocks):
        if "heading" in block and block.get("level") == 1:
            parts[pages[heading_key(block, i)]] = str(block["heading"]).replace("\n", " ")
    current = ""
    for page in pdf.pages[3:]:
        current = parts.get(page.page_number, current)
        words = page.crop((0, 0, page.width, m["top"] - 12)).extract_words(keep_blank_chars=True, x_tolerance=1.5)
        assert [w["text"] for w in words] == [current, f"{page.page_number} | MGI LOCAL PROFILE 2022"], page.page_number
        assert words[0]["x0"] == pytest.approx(m["left"], abs=0.5) and words[1]["x1"] == pytest.approx(page.width - m["right"], abs=0.5)
        assert not page.crop((0, page.height - m["bottom"] + 4, page.width, page.height)).chars, "no footer"
    assert len(set(parts.values())) >= 10
    # one column in CONTEXT, two columns in the six dimension parts
    assert not _two_columns(pdf.pages[pages["context"]], d)
    for n in range(1, 7):
        assert _two_columns(pdf.pages[pages[f"dim{n}"] - 1], d), n
    # bullets, sans markers in serif text
    chars = [c for p in pdf.pages[3:] for c in p.chars]
    assert sum(1 for c in chars if c["text"] == "\u2022") >= 3 + 3 + 6
    body = Counter(c["fontname"].split("+")[-1] for c in chars if c["size"] == pytest.approx(d["body_size"]))
    assert body.most_common(1)[0][0] == "DejaVuSerif"
    markers = [c for c in chars if c["text"].isdigit() and c["size"] == pytest.approx(d["body_size"] * 0.62, abs=0.01)]
    assert len(markers) >= 34 and all(c["fontname"].endswith("DejaVuSans") for c in markers)


def test_designed_figure_pull_quote_notes_and_sources(pdfs, rendered):
    pdf = pdfs[DESIGNED]
    d = _design(DESIGNED)
    pages = rendered[DESIGNED].layout.heading_pages
    m = d["margins"]
    # the bar chart: vector bars as long as their values, an axis, labels in small sans, caption above it
    page = pdf.pages[pages["context"] - 1]
    figure = d["inserts"][0]["figure"]
    bars = sorted((r for r in page.rects if r["height"] == pytest.approx(11.0)), key=lambda r: r["top"])
    assert len(bars) == len(figure["bars"])
    per_point = [r["width"] / value for r, (_, value) in zip(bars, figure["bars"])]
    assert max(per_point) - min(per_point) < 0.01
    assert any(abs(ln["x1"] - ln["x0"]) > 200 and ln["top"] > bars[-1]["bottom"] for ln in page.lines), "no axis line"
    labels = [w for w in page.extract_words() if w["text"] in ("30.7%", "16.3%", "12.5%", "Peru", "Haiti")]
    fig_top, fig_bottom = bars[0]["top"], bars[-1]["bottom"]
    inside = [w for w in labels if fig_top - 2 < w["top"] < fig_bottom + 2]
    assert len(inside) == 5
    label_chars = [c for c in page.chars if fig_top - 2 < c["top"] < fig_bottom + 20]
    assert all(c["size"] < d["body_size"] - 1 and "Serif" not in c["fontname"] for c in label_chars)
    caption = [ln for ln in page.extract_text_lines() if ln["text"].startswith("Figure 1. Foreign habitual residents")]
    assert caption and caption[0]["bottom"] < fig_top
    assert all("Oblique" in c["fontname"] for c in caption[0]["chars"])
    # the first CONTEXT paragraph flows around the figure: its first lines above, its continuation below
    rows = [ln for ln in page.extract_text_lines() if abs(ln["chars"][0]["size"] - d["body_size"]) < 0.05]
    before = [ln for ln in rows if ln["bottom"] < caption[0]["top"]]
    after = [ln for ln in rows if ln["top"] > fig_bottom + 15]
    assert len(before) == d["inserts"][0]["after_lines"] and before[0]["text"].startswith("According to the National Statistics")
    assert before[-1]["x1"] == pytest.approx(page.width - m["right"], abs=0.5), "the line before the figure is justified"
    assert after[0]["text"].startswith("and the Plurinational State of Bolivia (8.5%)")
    # the pull quote: a shaded box in a dimension column, between two paragraphs, large italic
    page = pdf.pages[pages["dim1"]]  # the page after dimension 1 opens (1.2)
    boxes = [r for r in page.rects if r["fill"] and r["height"] > 30]
    assert len(boxes) == 1 and boxes[0]["width"] < (page.width - m["left"] - m["right"]) / 2
    quote = [c for c in page.chars if boxes[0]["top"] < c["top"] < boxes[0]["bottom"] and c["x1"] <= boxes[0]["x1"]]
    assert "".join(c["text"] for c in quote).replace(" ", "").startswith("“Themunicipalityalwaysapplies")
    assert all("Italic" in c["fontname"] and c["size"] > d["body_size"] + 3 for c in quote)
    body = [c for c in page.chars if abs(c["size"] - d["body_size"]) < 0.05 and c["x1"] < boxes[0]["x1"]]
    assert any(c["bottom"] < boxes[0]["top"] for c in body) and any(c["top"] > boxes[0]["bottom"] for c in body)
    # notes in two columns under a full-width rule on two-column pages, full width under a short rule elsewhere
    two = pdf.pages[pages["dim1"] - 1]
    top, notes = _note_area(two, d)
    mid = m["left"] + (two.width - m["left"] - m["right"]) / 2
    assert any(c["x1"] < mid - 5 for c in notes) and any(c["x0"] > mid + 5 for c in notes)
    rules = [ln for ln in two.lines if ln["top"] > two.height / 2]
    assert rules and rules[0]["x1"] - rules[0]["x0"] == pytest.approx(two.width - m["left"] - m["right"], abs=0.5)
    one = pdf.pages[pages["context"] - 1]
    assert [round(ln["x1"] - ln["x0"]) for ln in one.lines if ln["top"] > one.height * 0.7] == [72]
    # KEY SOURCES: legend once, a trailing "*" instead of "Not available online.", other notes unchanged
    sample = load_sample(SOURCE / DESIGNED)
    entries = [e for b in sample.blocks if "key_sources" in b for g in b["key_sources"] for e in g["entries"]]
    unavailable = sum(1 for e in entries if e.get("note") == "Not available online.")
    assert unavailable >= 4
    text = "\n".join(p.extract_text() for p in pdf.pages[pages["key_sources"] - 1 : pages["annexes"] - 1])
    assert text.count("* Not available online.") == 1 and text.count("Not available online.") == 1
    assert text.splitlines()[2] == "* Not available online."
    assert len(re.findall(r"[.)]\*$", text, re.M)) == unavailable
    page = pdf.pages[pages["key_sources"] - 1]
    words = page.crop((0, m["top"], page.width, page.height)).extract_words()
    years = [w for w in words if re.fullmatch(r"(19|20)\d\d[a-z]?", w["text"]) and w["x0"] < m["left"] + 40]
    assert len(years) >= 8 and all(w["x0"] == pytest.approx(m["left"], abs=0.5) for w in years)
    titles = [c for c in page.chars if c["x0"] > m["left"] + 40 and c["top"] > m["top"] + 40 and "Italic" in c["fontname"]]
    assert titles and min(c["x0"] for c in titles) == pytest.approx(m["left"] + 44, abs=0.5)  # the hanging column
    authors = [ln for ln in page.extract_text_lines() if ln["text"].startswith("Government of the Republic of Chile")]
    assert authors and all("Bold" in c["fontname"] for c in authors[0]["chars"])


def test_bad_insert_gives_one_line_error(tmp_path, capsys):
    blocks = "blocks:\n- {heading: A, level: 1, id: a}\n- {p: Short text.}\n"
    design = "output: d.pdf\ndesign: {inserts: [{in_paragraph: Short, after_lines: 3, figure: {bars: [[A, 1]]}}]}\n"
    (tmp_path / "d.yaml").write_text(design + blocks, encoding="utf-8")
    assert render.render_command(tmp_path, tmp_path / "out") == 2
    out = capsys.readouterr().out.strip()
    assert out.startswith("error:") and "no line 4" in out and "\n" not in out
    (tmp_path / "d.yaml").write_text("output: d.pdf\ndesign: {inserts: [{in_paragraph: Short}]}\n" + blocks, encoding="utf-8")
    assert render.render_command(tmp_path, tmp_path / "out") == 2
    assert "needs a 'figure' or a 'pull_quote'" in capsys.readouterr().out
    ok = "output: d.pdf\ndesign: {letter_spacing: {space: 3}, inserts: [{in_paragraph: Short, pull_quote: Q}]}\n"
    (tmp_path / "d.yaml").write_text(ok + blocks, encoding="utf-8")
    assert render.render_command(tmp_path, tmp_path / "out") == 0
