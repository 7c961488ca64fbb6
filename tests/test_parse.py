"""Parse stage on the shipped samples, checked against their structured sources
(``samples/source/*.yaml``: what was typeset), plus unit checks of the text rules."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
import yaml

from pipeline.config import load_config
from pipeline.datamodel import Layout
from pipeline.parse import parse_pdf
from pipeline.textnorm import Lexicon, join_hyphen, normalize, superscript_value

MARKER_RE = re.compile(r"\[\^(\d+)\]")
TEXT_KEYS = ("p", "quote", "item", "heading", "text")


# --------------------------------------------------------------------------
# text rules
# --------------------------------------------------------------------------


def test_ligatures_soft_hyphens_nfc() -> None:
    assert normalize("e\ufb03cient \ufb02ow o\ufb00er \ufb01nd") == "efficient flow offer find"
    assert normalize("coordi\u00adnation") == "coordination"
    assert normalize("Migracio\u0301n") == "Migración"
    assert normalize("30,7\u00a0%") == "30,7\u00a0%"  # only the ligature block is NFKC-folded


def test_superscript_digits() -> None:
    assert superscript_value("¹²") == 12
    assert superscript_value("³") == 3
    assert superscript_value("12") is None


def test_line_end_hyphens() -> None:
    lex = Lexicon()
    lex.add("a whole-of-government approach and according to the constitution")
    lex.add("we buy goods in a Spanish town, people speaking and UNHCR staff")
    assert join_hyphen("the emergen-", "cy operations", lex) is True
    assert join_hyphen("a whole-of-", "government approach", lex) is False
    assert join_hyphen("the COVID-", "19 pandemic", lex) is False
    assert join_hyphen("the Inter-", "American Court", lex) is False
    assert join_hyphen("Ac-", "cording to", lex) is True  # "according" is printed elsewhere
    assert join_hyphen("Bo-", "livia", lex) is True  # capitalised syllable break
    assert join_hyphen("buy-", "in from", lex) is False  # two words of the document
    assert join_hyphen("Spanish-", "speaking", lex) is False
    assert join_hyphen("UN-", "HCR staff", lex) is True  # acronym printed whole elsewhere
    assert join_hyphen("UN-", "Habitat", lex) is False
    assert join_hyphen("2017-", "based", lex) is False
    assert join_hyphen("an ordinary line", "next", lex) is None


# --------------------------------------------------------------------------
# samples vs. their sources
# --------------------------------------------------------------------------


def _sources(samples_dir: Path) -> list[tuple[Path, dict, dict]]:
    out = []
    for design_file in sorted((samples_dir / "source").glob("*.yaml")):
        design = yaml.safe_load(design_file.read_text(encoding="utf-8")) or {}
        if "output" not in design:
            continue
        pdf = samples_dir / design["output"]
        if not pdf.exists():
            continue
        if "content" in design:  # a design that typesets a shared content file
            content = yaml.safe_load((design_file.parent / design["content"]).read_text(encoding="utf-8"))
        else:  # design and content in one file
            content = design
        out.append((pdf, design.get("design", {}), content))
    return out


def _plain(text: str) -> str:
    text = MARKER_RE.sub("", text).replace("**", "").replace("\\n", " ")
    text = re.sub(r"(?<!\w)\*(?!\s)|(?<=\S)\*(?!\w)", "", text)
    return " ".join(text.split())


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", normalize(text)).lower()


@pytest.fixture(scope="module")
def parsed(samples_dir: Path) -> list[tuple[Path, dict, dict, Layout]]:
    config = load_config()
    items = [(pdf, design, content, parse_pdf(pdf, config)) for pdf, design, content in _sources(samples_dir)]
    if not items:
        pytest.skip("no sample PDF with a structured source yet")
    return items


def _source_markers(content: dict) -> list[int]:
    markers: list[int] = []
    for block in content.get("blocks", []):
        if "footnote" in block:
            continue
        for key in TEXT_KEYS:
            if isinstance(block.get(key), str):
                markers.extend(int(m) for m in MARKER_RE.findall(block[key]))
    return markers


def _source_notes(content: dict) -> list[tuple[int, str]]:
    return [(int(b["footnote"]), _plain(str(b.get("text", "")))) for b in content.get("blocks", []) if "footnote" in b]


def test_every_footnote_found_with_number_text_and_page(parsed) -> None:
    for pdf, _design, content, layout in parsed:
        expected = _source_notes(content)
        found = [(f.number, f.text, f.page) for p in layout.pages for f in p.footnotes]
        assert [n for n, _t, _p in found] == [n for n, _t in expected], pdf.name
        for (number, text, page), (_n, source_text) in zip(found, expected):
            ratio = difflib.SequenceMatcher(None, _squash(text), _squash(source_text)).ratio()
            assert ratio >= 0.9, f"{pdf.name} p{page} note {number}: {text!r} vs {source_text!r}"
        # a note sits at the foot of the page where its marker is printed
        marker_pages = [(m.number, b.page) for p in layout.pages for b in p.blocks if b.role != "footnote" for m in b.markers]
        assert marker_pages == [(n, pg) for n, _t, pg in found], pdf.name


def test_every_marker_found_and_removed_from_text(parsed) -> None:
    for pdf, _design, content, layout in parsed:
        markers = [m.number for p in layout.pages for b in p.blocks if b.role != "footnote" for m in b.markers]
        assert markers == _source_markers(content), pdf.name
        for p in layout.pages:
            for b in p.blocks:
                for m in b.markers:
                    assert 0 <= m.offset <= len(b.text)
                    # the marker's digits are not left glued to the preceding word
                    before = b.text[: m.offset]
                    assert not before.endswith(str(m.number)), (pdf.name, p.number, before[-30:])


def test_no_running_header_footer_or_page_number_in_text(parsed) -> None:
    for pdf, design, _content, layout in parsed:
        header = design.get("header", "")
        footer = design.get("footer", "{page}")
        furniture_pages = 0
        for p in layout.pages:
            folio = footer.format(page=p.number)
            for b in p.blocks:
                if b.role == "furniture":
                    furniture_pages += header and header in b.text
                    continue
                assert header not in b.text, (pdf.name, p.number, b.text[:80])
                assert b.text.strip() != folio, (pdf.name, p.number, b.role)
                for line in b.lines:
                    assert line.text.strip() != folio, (pdf.name, p.number, line.text)
        assert furniture_pages >= layout.n_pages // 2, pdf.name  # the header was seen and set aside


def test_paragraphs_in_reading_order(parsed) -> None:
    """Every source paragraph is found, in source order, in the body text read
    in reading order (left column before right column on two-column pages)."""
    for pdf, _design, content, layout in parsed:
        stream = _squash(" ".join(b.text for p in layout.pages for b in p.blocks if b.role in ("body", "heading")))
        pos = 0
        for block in content.get("blocks", []):
            text = block.get("p") or block.get("item")
            if not isinstance(text, str):
                continue
            head = _squash(_plain(text))[:40]
            at = stream.find(head, pos)
            assert at >= 0, f"{pdf.name}: paragraph out of order or missing: {_plain(text)[:60]!r}"
            pos = at + len(head)


def test_two_column_pages_detected(parsed) -> None:
    for pdf, design, _content, layout in parsed:
        n_two = sum(1 for p in layout.pages if p.n_columns == 2)
        if design.get("two_column_dimensions"):
            assert n_two >= 6, pdf.name  # six dimension parts set in two columns
            for p in layout.pages:
                if p.n_columns == 2:
                    cols = [b.column for b in p.blocks if b.role == "body" and b.column]
                    assert cols == sorted(cols), (pdf.name, p.number)  # column 1 read before column 2
        else:
            assert n_two == 0, pdf.name


def test_ligatures_expanded_raw_kept(parsed) -> None:
    for pdf, _design, _content, layout in parsed:
        blocks = [b for p in layout.pages for b in p.blocks]
        assert not any(re.search("[\ufb00-\ufb06]", b.text) for b in blocks), pdf.name
        assert any(re.search("[\ufb00-\ufb06]", b.raw) for b in blocks), pdf.name  # the samples print ligature glyphs


def test_metadata_from_cover_and_copyright(parsed) -> None:
    for pdf, _design, content, layout in parsed:
        meta = content.get("metadata", {})
        text = yaml.safe_dump(content.get("front_matter", content))
        isbn = re.search(r"ISBN\s+(97[89][\d-]+)", text)
        if isbn:
            assert layout.metadata.isbn == isbn.group(1), pdf.name
        year = re.search(r"©\s*IOM\s+(\d{4})", text)
        if year:
            assert layout.metadata.publication_year == int(year.group(1)), pdf.name
        if meta.get("profile_year"):
            assert layout.metadata.profile_year == int(meta["profile_year"]), pdf.name
        assert layout.metadata.title


def test_deterministic(samples_dir: Path, parsed) -> None:
    pdf, _d, _c, layout = parsed[0]
    again = parse_pdf(pdf, load_config())
    assert again.model_dump_json() == layout.model_dump_json()
