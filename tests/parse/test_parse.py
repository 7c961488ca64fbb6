"""Parse stage on the shipped samples, checked against their structured sources
(``samples/source/*.yaml``: what was typeset), plus unit checks of the text rules."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.datamodel import Layout
from pipeline.parse.letterspacing import join_spaced_letters
from pipeline.parse.columns import assign_columns, column_regions, find_gutters, split_rows
from pipeline.parse.reading import reading_order
from pipeline.parse.layout import PLine, Word, group_rows
from pipeline.parse.markers import MarkerRules, build_text, group_notes, note_text
from pipeline.parse.stage import parse_pdf
from pipeline.segment.metadata import cover_metadata
from pipeline.text.normalize import Lexicon, join_hyphen, normalize, superscript_value

from parselayout import ROLE_RULES
from parselayout import line_words as _line_words

MARKER_RE = re.compile(r"\[\^=?(\d+)\]")  # [^6], or [^=6] for digits printed glued on the line
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
    lex.add("we buy goods in a Spanish town, people speaking and UNHCR staff; at the tend")
    assert join_hyphen("the emergen-", "cy operations", lex) is True
    assert join_hyphen("a whole-of-", "government approach", lex) is False
    assert join_hyphen("the COVID-", "19 pandemic", lex) is False
    assert join_hyphen("the Inter-", "American Court", lex) is False
    assert join_hyphen("Ac-", "cording to", lex) is True  # "according" is printed elsewhere
    assert join_hyphen("Bo-", "livia", lex) is True  # capitalised syllable break
    assert join_hyphen("at-", "tend the", lex) is True  # short halves: a syllable break
    assert join_hyphen("buy-", "in from", lex) is True  # (the price: "buy-in" is lost)
    assert join_hyphen("Spanish-", "speaking", lex) is False
    assert join_hyphen("UN-", "HCR staff", lex) is True  # acronym printed whole elsewhere
    assert join_hyphen("UN-", "Habitat", lex) is False
    assert join_hyphen("2017-", "based", lex) is False
    assert join_hyphen("a one-size-", "fits-all solution", lex) is False  # inside a longer compound
    assert join_hyphen("ca-", "pacity-building.", lex) is True
    # a syllable break inside the last part of a compound is still a syllable break
    assert join_hyphen("to migration-re-", "lated matters", lex) is True
    assert join_hyphen("relevant non-gov-", "ernmental actors", lex) is True
    assert join_hyphen("single-par-", "ent families", lex) is True
    assert join_hyphen("medium-s-", "ized companies", lex) is True
    lex.add("the MiGOF framework")
    assert join_hyphen("Governance Framework (Mi-", "GOF) and", lex) is True  # an acronym printed whole elsewhere
    prefixed = Lexicon(keep_prefix=re.compile(r"^(?i:non|multi)$"))
    prefixed.add("commitments and binding declarations")
    assert join_hyphen("existing commitments, non-", "binding declarations", prefixed) is False
    assert join_hyphen("a non-", "binding text", lex) is True  # no prefix configured: a syllable break
    lex.add("one of them")
    assert join_hyphen("a one-", "size-fits-all solution", lex) is False
    assert join_hyphen("an ordinary line", "next", lex) is None


# --------------------------------------------------------------------------
# samples vs. their sources
# --------------------------------------------------------------------------
#
# Each sample is checked against what was typeset: its design file read the
# way the renderer reads it (``load_sample``: the content file it names, with
# the edition's metadata, front matter and heading wording applied) and its
# effective design (the renderer's defaults under the design's own keys), so
# a new design family is checked for what it actually prints.


@dataclass
class Sample:
    pdf: Path
    design: dict  # effective design (defaults merged)
    blocks: list[dict]  # content blocks, edition wording applied
    metadata: dict
    front: dict
    layout: Layout


def _samples(samples_dir: Path) -> list[tuple[Path, object, dict]]:
    from mgi_samples.design import design_of
    from mgi_samples.sources import design_files, engine_of, load_sample

    out = []
    for design_file in design_files(samples_dir / "source"):
        if engine_of(design_file) != "reportlab":
            continue  # other engines' samples: tests/test_engine_*.py
        sample = load_sample(design_file)
        pdf = samples_dir / sample.output
        if pdf.exists():
            out.append((pdf, sample, design_of(sample)))
    return out


def _plain(text: str) -> str:
    text = MARKER_RE.sub("", text).replace("**", "").replace("\\n", " ")
    text = re.sub(r"(?<!\w)\*(?!\s)|(?<=\S)\*(?!\w)", "", text)
    return " ".join(text.split())


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", normalize(text)).lower()


@pytest.fixture(scope="module")
def parsed(samples_dir: Path) -> list[Sample]:
    config = load_config()
    items = [
        Sample(pdf, design, sample.blocks, sample.metadata, sample.front, parse_pdf(pdf, config))
        for pdf, sample, design in _samples(samples_dir)
    ]
    if not items:
        pytest.skip("no sample PDF with a structured source yet")
    return items


def _source_markers(blocks: list[dict]) -> list[int]:
    markers: list[int] = []
    for block in blocks:
        if "footnote" in block:
            continue
        for key in TEXT_KEYS:
            if isinstance(block.get(key), str):
                markers.extend(int(m) for m in MARKER_RE.findall(block[key]))
    return markers


def _source_notes(blocks: list[dict]) -> list[tuple[int, str]]:
    return [(int(b["footnote"]), _plain(str(b.get("text", "")))) for b in blocks if "footnote" in b]


def _furniture(design: dict, page: int, n_pages: int) -> tuple[list[str], list[str]]:
    """(running header texts, footer / folio texts) the design prints on a body page."""
    f = design.get("furniture")
    if f:  # render_furniture: header on all/even/odd pages, folio beside, apart from or in the footer
        pages = str(f.get("header_pages", "all"))
        header = str(f.get("header", ""))
        # a header naming the current part ("{part}") varies: checked through its folio line
        shown = header and "{part}" not in header and (pages == "all" or (pages == "even") == (page % 2 == 0))
        footer = str(f.get("footer", "")).format(page=page, pages=n_pages)
        folio = "" if f.get("folio") == "bottom-centre" else str(page)  # centred: the footer is the folio
        if f.get("folio") == "top-right" and f.get("folio_text"):
            folio = str(f["folio_text"]).format(page=page)  # the folio line on the header row
        return ([header] if shown else []), [t for t in (footer, folio) if t]
    header = str(design.get("header", ""))
    return ([header] if header else []), [str(design.get("footer", "{page}")).format(page=page, pages=n_pages)]


def _body_pages(layout: Layout) -> list:
    """Pages after the cover and the copyright page (where the furniture is printed)."""
    return [p for p in layout.pages if p.number >= 3 and p.has_text]


def _stream(layout: Layout, pages=None) -> str:
    """Body and heading text of the pages, in the parser's reading order, squashed."""
    wanted = set(pages) if pages is not None else None
    return _squash(
        " ".join(
            b.text
            for p in layout.pages
            if wanted is None or p.number in wanted
            for b in p.blocks
            if b.role in ("body", "heading")
        )
    )


def _in_order(stream: str, items: list[str], what: str, name: str, width: int = 40) -> None:
    pos = 0
    for item in items:
        head = _squash(_plain(item))[:width]
        if not head:
            continue
        at = stream.find(head, pos)
        assert at >= 0, f"{name}: {what} out of order or missing: {_plain(item)[:70]!r}"
        pos = at + len(head)


def test_every_footnote_found_with_number_text_and_page(parsed) -> None:
    for s in parsed:
        expected = _source_notes(s.blocks)
        found = [(f.number, f.text, f.page) for p in s.layout.pages for f in p.footnotes]
        assert [n for n, _t, _p in found] == [n for n, _t in expected], s.pdf.name
        for (number, text, page), (_n, source_text) in zip(found, expected):
            ratio = difflib.SequenceMatcher(None, _squash(text), _squash(source_text)).ratio()
            assert ratio >= 0.9, f"{s.pdf.name} p{page} note {number}: {text!r} vs {source_text!r}"
        # a note sits at the foot of the page where its marker is printed
        marker_pages = [
            (m.number, b.page) for p in s.layout.pages for b in p.blocks if b.role != "footnote" for m in b.markers
        ]
        assert marker_pages == [(n, pg) for n, _t, pg in found], s.pdf.name


def test_every_marker_found_and_removed_from_text(parsed) -> None:
    for s in parsed:
        markers = [m.number for p in s.layout.pages for b in p.blocks if b.role != "footnote" for m in b.markers]
        assert markers == _source_markers(s.blocks), s.pdf.name
        for p in s.layout.pages:
            for b in p.blocks:
                for m in b.markers:
                    assert 0 <= m.offset <= len(b.text)
                    # the marker's digits are not left glued to the preceding word
                    before = b.text[: m.offset]
                    assert not before.endswith(str(m.number)), (s.pdf.name, p.number, before[-30:])


def test_no_running_header_footer_or_page_number_in_text(parsed) -> None:
    """Wherever the design's running header, footer text or folio is printed,
    it is a furniture block, never body, heading or note text."""
    for s in parsed:
        expected = printed = 0
        for p in _body_pages(s.layout):
            headers, footers = _furniture(s.design, p.number, s.layout.n_pages)
            for text in headers + footers:
                expected += 1
                if text.isdigit():  # a folio: a line of its own, or beside the footer text
                    where = [b for b in p.blocks if any(ln.text.strip() == text for ln in b.lines)]
                    printed += any(
                        b.role == "furniture" and text in (b.text.split()[0], b.text.split()[-1]) for b in p.blocks
                    )
                else:
                    where = [b for b in p.blocks if _squash(text) in _squash(b.text)]
                    printed += any(b.role == "furniture" for b in where)
                for b in where:
                    assert b.role == "furniture", (s.pdf.name, p.number, text, b.role, b.text[:80])
        # the design's furniture is on (nearly) every body page, and was set aside
        assert expected and printed >= 0.9 * expected, (s.pdf.name, printed, expected)


def test_paragraphs_in_reading_order(parsed) -> None:
    """Every source paragraph is found, in source order, in the body text read
    in reading order (left column before right column on two-column pages,
    the columns above a full-width heading before those below it)."""
    for s in parsed:
        texts = [b.get("p") or b.get("item") for b in s.blocks]
        _in_order(_stream(s.layout), [t for t in texts if isinstance(t, str)], "paragraph", s.pdf.name)


def test_headings_in_reading_order(parsed) -> None:
    """Headings and paragraphs together in source order after the contents
    page: a heading is read before the text it heads (also a side-head set
    in a margin beside its paragraph's first line)."""
    for s in parsed:
        items = [str(b["heading"]).replace("\\n", " ") if "heading" in b else b.get("p") for b in s.blocks]
        after = [p.number for p in _body_pages(s.layout) if p.number > _contents_page(s)]
        _in_order(_stream(s.layout, after), [t for t in items if isinstance(t, str)], "heading or paragraph", s.pdf.name, 30)


def _contents_page(s: Sample) -> int:
    label = _squash(s.design["labels"]["contents"])
    return next(p.number for p in s.layout.pages for b in p.blocks if _squash(b.text) == label)


def test_contents_entries_in_reading_order(parsed) -> None:
    """The contents entries, one or two columns, in the order they are listed."""
    for s in parsed:
        entries = [str(b["heading"]).replace("\\n", " ") for b in s.blocks if "heading" in b and b.get("toc")]
        page = _contents_page(s)
        _in_order(_stream(s.layout, [page, page + 1]), entries, "contents entry", s.pdf.name)


def _key_sources(s: Sample) -> list[dict]:
    return next((b["key_sources"] for b in s.blocks if "key_sources" in b), [])


def test_key_sources_entries_in_reading_order(parsed) -> None:
    """Each author, then each of its entries (year and title), in source order."""
    for s in parsed:
        items: list[str] = []
        for group in _key_sources(s):
            items.append(str(group["author"]))
            for entry in group.get("entries", []):
                items.append(f"{entry.get('year', '')} {entry.get('title', '')}")
        assert items, s.pdf.name
        _in_order(_stream(s.layout), items, "KEY SOURCES item", s.pdf.name, 30)


def test_two_column_pages_detected(parsed) -> None:
    for s in parsed:
        n_two = sum(1 for p in s.layout.pages if p.n_columns == 2)
        if s.design.get("two_column_body"):
            contents = _contents_page(s)
            at = next(i for i, b in enumerate(s.blocks) if "key_sources" in b)
            heading = _squash(next(b["heading"] for b in reversed(s.blocks[:at]) if "heading" in b))
            sources = next(p.number for p in s.layout.pages for b in p.blocks if b.role == "heading" and _squash(b.text) == heading)
            two = {p.number for p in s.layout.pages if p.n_columns == 2}
            assert {contents, sources} <= two, (s.pdf.name, sorted(two))
            assert n_two >= 4, s.pdf.name
        elif s.design.get("two_column_dimensions"):
            assert n_two >= 6, s.pdf.name  # six dimension parts set in two columns
        else:
            assert n_two == 0, s.pdf.name
        for p in s.layout.pages:
            if p.n_columns == 2:
                # between full-width blocks, column 1 is read before column 2
                run: list[int] = []
                for b in p.blocks:
                    if b.role in ("furniture", "footnote"):
                        continue
                    if b.column == 0:
                        run = []
                        continue
                    assert not run or b.column >= run[-1], (s.pdf.name, p.number, b.text[:60])
                    run.append(b.column)


def test_ligatures_expanded_raw_kept(parsed) -> None:
    for s in parsed:
        blocks = [b for p in s.layout.pages for b in p.blocks]
        assert not any(re.search("[\ufb00-\ufb06]", b.text) for b in blocks), s.pdf.name
        if s.design.get("ligatures", True):  # the samples print ligature glyphs
            assert any(re.search("[\ufb00-\ufb06]", b.raw) for b in blocks), s.pdf.name


def test_metadata_from_cover_and_copyright(parsed) -> None:
    """The cover and copyright pages of the layout give title, ISBN and years
    (found by the segment stage's metadata module, from the parse wording)."""
    config = load_config()
    for s in parsed:
        meta = cover_metadata(s.layout, config)
        isbn = re.search(r"ISBN\s+(97[89][\d-]+)", str(s.front.get("isbn_line", "")))
        expected_isbn = isbn.group(1) if isbn else s.metadata.get("isbn")
        assert meta.isbn == expected_isbn, s.pdf.name
        year = re.search(r"©\s*\S+\s+(\d{4})", str(s.front.get("copyright_line", "")))
        expected_year = int(year.group(1)) if year else s.metadata.get("publication_year")
        assert meta.publication_year == expected_year, s.pdf.name
        assert meta.profile_year == int(s.metadata["profile_year"]), s.pdf.name
        cover = _squash(" ".join(s.front.get("cover_title", [])))
        assert meta.title and cover and cover in _squash(meta.title), (s.pdf.name, meta.title)


def test_deterministic(samples_dir: Path, parsed) -> None:
    s = parsed[0]
    again = parse_pdf(s.pdf, load_config())
    assert again.model_dump_json() == s.layout.model_dump_json()


# --------------------------------------------------------------------------
# column regions on synthetic pages (geometry only)
# --------------------------------------------------------------------------

GUTTER = dict(fill_gap=0.8, min_width=6, min_rows_fraction=0.2, min_lines=4, min_column_fraction=0.2)


LOREM = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore".split()


def _column(prefix: str, n: int, x0: float, x1: float, top: float, pitch: float = 12.0) -> list[Word]:
    """``n`` justified lines of text between x0 and x1 (normal word spaces)."""
    words: list[Word] = []
    for i in range(n):
        parts, width = [f"{prefix}{i}"], 4.5 * len(prefix) + 9
        for k in range(i, i + 40):
            t = LOREM[k % len(LOREM)]
            if width + 3.0 + 4.5 * len(t) > x1 - x0:
                break
            parts.append(t)
            width += 3.0 + 4.5 * len(t)
        words += _line_words(" ".join(parts), x0, top + i * pitch, x1=x1)
    return words


def _read(words: list[Word], separators=()) -> list[str]:
    rows = group_rows(words, 0.85)
    regions = column_regions(rows, 595.0, 842.0, list(separators), **GUTTER)
    lines = split_rows(rows, regions, 1)
    for ln in lines:
        ln.measure(re.compile("Bold"), re.compile("Italic"))
    assign_columns(lines, regions)
    return [" ".join(w.text for w in ln.words) for ln in reading_order(lines)]


def test_full_width_band_mid_page_splits_the_columns() -> None:
    """Two columns above a coloured full-width band whose short heading text
    stays left of the gutter, two columns below it: read A, B, band, C, D."""
    words = _column("A", 8, 50, 285, 100) + _column("B", 8, 310, 545, 100)
    words += _line_words("CONTEXT", 58, 210, size=16)
    words += _column("C", 8, 50, 285, 245) + _column("D", 8, 310, 545, 245)
    order = [t.split()[0] for t in _read(words, [(50.0, 203.0, 545.0, 232.0)])]
    expected = [f"A{i}" for i in range(8)] + [f"B{i}" for i in range(8)] + ["CONTEXT"]
    expected += [f"C{i}" for i in range(8)] + [f"D{i}" for i in range(8)]
    assert order == expected
    # without the band the heading would be read inside the left column
    order = [t.split()[0] for t in _read(words)]
    assert order.index("CONTEXT") < order.index("B0")


def test_gutter_between_columns_not_before_page_numbers() -> None:
    """Contents in two columns with page numbers flush right in each: the wide
    gap between a title and its number is not the gutter."""
    words: list[Word] = []
    for i in range(10):
        top = 100 + i * 20
        words += _line_words(f"PART {i} TITLE", 50, top) + _line_words(str(i + 3), 280, top)
        words += _line_words(f"OTHER PART {i} HEADING WORDS", 310, top) + _line_words(str(i + 13), 535, top)
    rows = group_rows(words, 0.85)
    gutters = find_gutters(rows, 595.0, 842.0, **GUTTER)
    assert len(gutters) == 1 and 285 <= gutters[0][0] and gutters[0][1] <= 312, gutters
    lines = _read(words)
    assert lines[:2] == ["PART 0 TITLE 3", "PART 1 TITLE 4"]
    assert lines[10] == "OTHER PART 0 HEADING WORDS 13"


def test_single_line_carried_to_the_next_column_is_a_column() -> None:
    """A paragraph's last line alone at the top of the right column, beside a
    heading and a full left column (a running header crossing the gutter):
    the page has two columns, the line is read after the left column."""
    words = _line_words("RUNNING HEADER OF THE PART ON THIS PAGE", 50, 40) + _line_words("24 | PROFILE", 480, 40)
    words += _line_words("6.2. Areas with potential", 50, 70, size=11.0)
    words += _column("L", 20, 50, 285, 95)
    words += _line_words("out in Law No. 20.430 (2010).", 310, 70)
    lines = _read(words)
    assert "out in Law No. 20.430 (2010)." in lines
    assert lines.index("out in Law No. 20.430 (2010).") > lines.index(next(t for t in lines if t.startswith("L19")))
    assert "6.2. Areas with potential" in lines


def test_rivers_of_a_narrow_justified_column_are_not_a_gutter() -> None:
    """One narrow justified column whose wide word gaps fall at scattered x on
    some lines, a running header to the right of it: rows stay whole."""
    words = _line_words("RUNNING HEADER TEXT", 271, 60)
    for i in range(20):
        top = 100 + 12.6 * i
        if i % 3 == 1:  # a line of few long words, spread wide
            split = 150 + (i * 7) % 20
            words += _line_words(f"W{i} considers", 80, top) + _line_words("the", split + 14, top, x1=240)
            words[-1] = Word("the", 240 - 13.5, top, 240, top + 9, "Serif", 9.0)
        else:
            words += _line_words(f"W{i} " + " ".join(LOREM[i % 5 : i % 5 + 4]), 80, top, x1=240)
    lines = _read(words)
    assert all(len([t for t in lines if t.startswith(f"W{i} ")]) == 1 for i in range(20)), lines
    assert "W1 considers the" in lines


def test_chart_labels_in_a_box_are_not_columns() -> None:
    """Short labels of a chart framed by a box keep one column (no region gutter)."""
    words = _column("P", 6, 50, 545, 100)
    for i, name in enumerate(("Somalia", "Ethiopia", "Sudan", "Kenya", "Djibouti", "Uganda")):
        top = 200 + i * 14
        words += _line_words(name, 60, top) + _line_words(f"{20 + i}", 150, top) + _line_words(f"{40 + i}", 300, top)
        words += _line_words(f"{10 + i}", 430, top) + _line_words("5", 470, top)
    words += _column("Q", 6, 50, 545, 300)
    rows = group_rows(words, 0.85)
    box = [(50.0, 195.0, 545.0, 290.0)]
    loose = column_regions(rows, 595.0, 842.0, box, **GUTTER, min_line_chars=0)
    assert any(r.gutters for r in loose)  # the labels alone would make columns
    lines = _read(words, box)
    assert "Somalia 20 40 10 5" in lines


def test_label_on_its_own_line_starts_the_note() -> None:
    def line(text: str, top: float) -> PLine:
        ln = PLine(page=1, words=_line_words(text, 50, top, size=7.0))
        ln.measure(re.compile("Bold"), re.compile("Italic"))
        ln.text = text
        return ln

    notes = group_notes([line("5 The last census.", 700), line("6", 709), line("The Constitution defines", 712), line("the fund.", 721)])
    assert [n.number for n in notes] == [5, 6]
    assert note_text(notes[1], Lexicon()) == "The Constitution defines the fund."


def test_side_heads_read_before_their_paragraphs() -> None:
    """A narrow margin column of side-heads (each beside the first line of a
    paragraph, the part heading above the text): not read as a column."""
    words = _line_words("CONTEXT", 52, 80, size=18)
    words += _line_words("Migration", 52, 120) + _line_words("trends", 52, 132)
    words += _column("A", 6, 196, 545, 120)
    words += _line_words("Institutional", 52, 216) + _line_words("framework", 52, 228)
    words += _column("B", 8, 196, 545, 216)
    order = [t.split()[0] for t in _read(words)]
    assert order == ["CONTEXT", "Migration", "trends"] + [f"A{i}" for i in range(6)] + [
        "Institutional",
        "framework",
    ] + [f"B{i}" for i in range(8)]


# --------------------------------------------------------------------------
# letter-spaced (tracked-out) headings
# --------------------------------------------------------------------------


def _tracked(text: str, x0: float, top: float, size: float = 14.0, track: float = 3.4, word: float = 3.0) -> list[Word]:
    """Glyph by glyph, ``track`` pt after each and a wider gap between words,
    as a tracked heading comes out of the word grouping: one word per letter."""
    out, x = [], x0
    for part in text.split():
        for ch in part:
            w = 0.6 * size
            out.append(Word(ch, x, top, x + w, top + size, "Sans", size))
            x += w + track
        x += 0.3 * size + word * track
    return out


def test_letter_spaced_line_regrouped_into_words() -> None:
    words = _tracked("ADHERE TO INTERNATIONAL STANDARDS AND FULFIL MIGRANTS' RIGHTS", 56, 89)
    joined = join_spaced_letters(words)
    assert " ".join(w.text for w in joined) == "ADHERE TO INTERNATIONAL STANDARDS AND FULFIL MIGRANTS' RIGHTS"
    assert joined[0].x0 == words[0].x0 and joined[-1].x1 == words[-1].x1
    # a one-letter word keeps its own gaps ("IN A SAFE"), words of two glyphs merged by kerning too
    words = _tracked("IN A SAFE", 56, 89)
    words[0:2] = [Word("IN", words[0].x0, words[0].top, words[1].x1, words[0].bottom, "Sans", 14.0)]
    assert [w.text for w in join_spaced_letters(words)] == ["IN", "A", "SAFE"]


def test_ordinary_text_and_single_figures_not_regrouped() -> None:
    body = _line_words("a b c d e of the text", 56, 100)  # single letters with ordinary word spaces: not tracking
    plain = _line_words("Peru is a country of South America", 56, 120)
    figures = [Word(str(d), 40 + 60 * d, 140, 45 + 60 * d, 149, "Serif", 9.0) for d in range(1, 7)]  # a table row
    uneven = _tracked("CONTEXT", 56, 160)
    for i, w in enumerate(uneven):  # letters at irregular gaps: not one tracked word
        uneven[i] = Word(w.text, w.x0 + 2.5 * (i % 3), w.top, w.x1 + 2.5 * (i % 3), w.bottom, w.font, w.size)
    for words in (body, plain, figures, uneven):
        assert [w.text for w in join_spaced_letters(list(words))] == [w.text for w in words]
    # a different font or baseline ends a run
    mixed = _tracked("KEY", 56, 180) + _tracked("FINDINGS", 120, 200)
    # (two words: "KEY", too short to measure, takes the letter gap measured on "FINDINGS")
    assert [w.text for w in join_spaced_letters(mixed)] == ["KEY", "FINDINGS"]


def test_tracked_heading_across_the_gutter_is_one_line() -> None:
    """A tracked heading across a two-column page whose word gap happens to
    fall on the gutter is one full-width line, read before both columns."""
    words = join_spaced_letters(_tracked("EFFECTIVELY ADDRESS THE MOBILITY", 50, 80, track=3.4))
    gap_at = next(b.x0 for a, b in zip(words, words[1:]) if b.text == "THE")
    shift = 305 - gap_at  # put the gap between ADDRESS and THE over the gutter (285-310)
    assert all(w.tracked for w in words)
    heading = [Word(w.text, w.x0 + shift, w.top, w.x1 + shift, w.bottom, w.font, w.size, w.tracked) for w in words]
    body = _column("A", 10, 50, 285, 120) + _column("B", 10, 310, 545, 120)
    lines = _read(heading + body)
    assert lines[0] == "EFFECTIVELY ADDRESS THE MOBILITY"
    assert [t.split()[0] for t in lines[1:]] == [f"A{i}" for i in range(10)] + [f"B{i}" for i in range(10)]
    # the same words not known to be tracked: still one line, larger than the
    # text with "THE" starting inside the gutter (``columns.Headings``); moved
    # so that "THE" starts where column B's lines do, two pieces, one per column
    plain = [Word(w.text, w.x0, w.top, w.x1, w.bottom, w.font, w.size) for w in heading]
    assert "EFFECTIVELY ADDRESS THE MOBILITY" in _read(plain + body)
    moved = [Word(w.text, w.x0 + 310 - gap_at - shift, w.top, w.x1 + 310 - gap_at - shift, w.bottom, w.font, w.size)
             for w in heading]
    assert "EFFECTIVELY ADDRESS THE MOBILITY" not in _read(moved + body)


def test_letter_spaced_sample_headings_read_as_words(parsed) -> None:
    """In a design with tracked level-1 headings, each such heading is a
    heading block whose text has its words, not its letters, apart."""
    checked = 0
    for s in parsed:
        if not s.design.get("letter_spacing"):
            continue
        headings = {" ".join(normalize(b.text).split()) for p in s.layout.pages for b in p.blocks if b.role == "heading"}
        for b in s.blocks:
            if "heading" in b and int(b.get("level", 1)) == 1:
                text = " ".join(normalize(str(b["heading"]).replace("\\n", " ")).split())
                assert text in headings, (s.pdf.name, text)
                checked += 1
    if not checked:
        pytest.skip("no sample with letter-spaced headings")


# --------------------------------------------------------------------------
# figures and pull quotes
# --------------------------------------------------------------------------

BODY_TEXT = (
    "Migration governance covers the policies and the institutions through which a city manages the arrival "
    "and the settlement of people from abroad, and the services that it offers them once they have arrived. "
)


def _figure_page(path: Path) -> Path:
    """One A4 page: body text, a shaded heading band, a bar chart inside a
    paragraph (caption above it), a pull quote in a shaded box, a table with
    shaded cells holding figures, body text again."""
    from reportlab.lib.colors import HexColor, black
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=(595, 842))
    y = 800.0
    words = (BODY_TEXT * 8).split()
    used = 0

    def body(n: int) -> None:
        nonlocal y, used
        for _ in range(n):
            c.setFont("Times-Roman", 10)
            c.drawString(56, y, " ".join(words[used : used + 14]))
            used += 14
            y -= 13

    c.setFillColor(HexColor("#E3F1F4"))
    c.rect(50, y - 6, 495, 24, stroke=0, fill=1)
    c.setFillColor(black)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(56, y, "MIGRATION TRENDS")
    y -= 30
    body(4)
    # the chart: caption, bars with labels and values, axis and tick labels
    c.setFont("Helvetica-Oblique", 8.5)
    c.drawString(56, y - 4, "Figure 1. Foreign residents by country of origin, 2020")
    top = y - 20
    c.setLineWidth(0.6)
    c.line(200, top - 90, 200, top)
    c.line(200, top - 90, 500, top - 90)
    for n, (label, value) in enumerate([("Venezuela", 30.7), ("Peru", 16.3), ("Haiti", 12.5), ("Colombia", 11.4)]):
        by = top - (n + 1) * 20
        c.setFillColor(HexColor("#00708A"))
        c.rect(200, by, value * 8, 11, stroke=0, fill=1)
        c.setFillColor(black)
        c.setFont("Helvetica", 7.5)
        c.drawRightString(194, by + 2, label)
        c.drawString(204 + value * 8, by + 2, f"{value}%")
    for tick in (0, 10, 20, 30):
        c.line(200 + tick * 8, top - 90, 200 + tick * 8, top - 93)
        c.drawCentredString(200 + tick * 8, top - 102, f"{tick}%")
    y = top - 122
    body(3)
    # the pull quote
    y -= 8
    c.setFillColor(HexColor("#E3F1F4"))
    c.rect(56, y - 34, 300, 48, stroke=0, fill=1)
    c.setFillColor(HexColor("#00708A"))
    c.setFont("Times-Italic", 14)
    c.drawString(64, y - 4, "\u201cThe municipality always applies")
    c.drawString(64, y - 22, "an intersectoral approach.\u201d")
    c.setFillColor(black)
    y -= 56
    body(2)
    # a table: shaded cells of one width, abutting, holding figures
    y -= 10
    for r, row in enumerate([("2018", "25 municipalities"), ("2019", "31 municipalities"), ("2020", "40 municipalities")]):
        c.setFillColor(HexColor("#DDDDDD") if r % 2 == 0 else HexColor("#F4F4F4"))
        c.rect(56, y - 4 - r * 16, 240, 16, stroke=0, fill=1)
        c.setFillColor(black)
        c.setFont("Times-Roman", 10)
        c.drawString(60, y - r * 16, row[0])
        c.drawString(120, y - r * 16, row[1])
    y -= 60
    body(2)
    c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def figure_layout(tmp_path_factory) -> Layout:
    return parse_pdf(_figure_page(tmp_path_factory.mktemp("fig") / "figure.pdf"), load_config())


def _roles(layout: Layout) -> dict[str, str]:
    return {ln.text: ln.role for p in layout.pages for b in p.blocks for ln in b.lines}


def test_chart_labels_and_ticks_are_figure_text(figure_layout) -> None:
    roles = _roles(figure_layout)
    chart = [t for t in roles if any(k in t for k in ("Venezuela", "Peru", "Haiti", "Colombia", "10%"))]
    assert len(chart) >= 5, chart
    assert all(roles[t] == "caption" for t in chart), {t: roles[t] for t in chart}
    assert roles["Figure 1. Foreign residents by country of origin, 2020"] == "caption"
    # the running text above and below the chart stays body
    body = [ln for p in figure_layout.pages for b in p.blocks for ln in b.lines if len(ln.text.split()) == 14]
    assert len(body) == 11 and all(ln.role == "body" for ln in body), [(ln.role, ln.text[:40]) for ln in body]


def test_pull_quote_is_a_caption_and_shaded_heading_and_table_are_not(figure_layout) -> None:
    roles = _roles(figure_layout)
    quote = [t for t in roles if "intersectoral" in t or "always applies" in t]
    assert len(quote) == 2 and all(roles[t] == "caption" for t in quote), {t: roles[t] for t in quote}
    assert roles["MIGRATION TRENDS"] == "heading"  # a heading on a shaded band is still a heading
    table = [t for t in roles if "municipalities" in t]
    assert len(table) == 3 and all(roles[t] == "body" for t in table), {t: roles[t] for t in table}


def test_figure_and_pull_quote_in_designed_sample(parsed) -> None:
    """The design's inserts: the chart's labels and the pull quote are
    captions, never body or heading text."""
    checked = 0
    for s in parsed:
        for spec in s.design.get("inserts") or []:
            texts = []
            if "figure" in spec:
                texts = [str(label) for label, _v in spec["figure"]["bars"]]
            elif "pull_quote" in spec:
                texts = [str(spec["pull_quote"])[:25]]
            for text in texts:
                where = [b for p in s.layout.pages for b in p.blocks if _squash(text) in _squash(b.text)]
                where = [b for b in where if len(_squash(b.text)) < 3 * len(_squash(text)) + 20]
                assert where and all(b.role == "caption" for b in where), (s.pdf.name, text, [(b.role, b.text[:60]) for b in where])
                checked += 1
    if not checked:
        pytest.skip("no sample with a figure or pull quote insert")


# --------------------------------------------------------------------------
# digits of numbers are not note markers (issue 18, class 1)
# --------------------------------------------------------------------------

MARKER_RULES = MarkerRules(sup_size_ratio=0.85, rise_ratio=0.25, space_gap=0.1,
                           exponent_bases=tuple(load_config().section("parse")["exponent_bases"]))


def _built(words: list[Word], glued: frozenset[int] = frozenset()) -> PLine:
    ln = PLine(page=1, words=words)
    ln.measure(re.compile("Bold"), re.compile("Italic"))
    build_text(ln, MARKER_RULES, glued)
    return ln


def _raise_after(words: list[Word], i: int, text: str, size: float = 5.5) -> None:
    """Print a superscript right after word i (smaller, baseline raised); the
    words after it move right by its width."""
    after = words[i]
    width = len(text) * 0.5 * size
    sup = Word(text, after.x1 + 0.2, after.top - 2.0, after.x1 + 0.2 + width, after.top - 2.0 + size, "Serif", size)
    for k in range(i + 1, len(words)):
        w = words[k]
        words[k] = Word(w.text, w.x0 + width + 0.2, w.top, w.x1 + width + 0.2, w.bottom, w.font, w.size)
    words.insert(i + 1, sup)


def test_decimal_digits_are_not_glued_markers() -> None:
    words = _line_words("an estimated 12.7 per cent of migrants", 50, 100)
    ln = _built(words, glued=frozenset({7}))
    assert ln.text == "an estimated 12.7 per cent of migrants" and ln.markers == []
    ln = _built(_line_words("48.8 per cent in 2020.", 50, 100), glued=frozenset({8}))
    assert ln.text == "48.8 per cent in 2020." and ln.markers == []
    ln = _built(_line_words("rose to 10,8 in 2021", 50, 100), glued=frozenset({8}))
    assert ln.text.startswith("rose to 10,8") and ln.markers == []


def test_a_glued_marker_after_a_word_is_still_found() -> None:
    ln = _built(_line_words("the migration policy.7 It was", 50, 100), glued=frozenset({7}))
    assert ln.text == "the migration policy. It was"
    assert [(n, off) for n, off, _ in ln.markers] == [(7, len("the migration policy."))]
    ln = _built(_line_words("the migration policy.7 It was", 50, 100), glued=frozenset({3}))
    assert ln.text == "the migration policy.7 It was" and ln.markers == []  # not a note of the page


def test_powers_of_units_and_symbols_are_not_markers() -> None:
    ln = _built(_line_words("(R² = 0.0072)", 50, 100))
    assert ln.text == "(R² = 0.0072)" and ln.markers == []
    ln = _built(_line_words("an area of 641 km² in all", 50, 100))
    assert ln.text == "an area of 641 km² in all" and ln.markers == []
    ln = _built(_line_words("a value of 8.44 × 10⁻¹¹ here", 50, 100))
    assert ln.text == "a value of 8.44 × 10⁻¹¹ here" and ln.markers == []
    # the same set as raised digits of a smaller size
    words = _line_words("641 km in all", 50, 100)
    _raise_after(words, 1, "2")
    ln = _built(words)
    assert "km² in all" in ln.text and ln.markers == []
    words = _line_words("a value of 8.44 × 10 here", 50, 100)
    _raise_after(words, 5, "-11")
    ln = _built(words)
    assert "× 10⁻¹¹ here" in ln.text and ln.markers == []
    ln = _built(_line_words("641 km2 in all", 50, 100), glued=frozenset({2}))
    assert ln.text == "641 km2 in all" and ln.markers == []


def test_a_raised_marker_after_a_word_or_a_year_is_a_marker() -> None:
    words = _line_words("the policy. It was", 50, 100)
    _raise_after(words, 1, "7")
    ln = _built(words)
    assert [n for n, _, _ in ln.markers] == [7] and "7" not in ln.text
    words = _line_words("adopted in 2019. It was", 50, 100)
    _raise_after(words, 2, "4")
    ln = _built(words)
    assert [n for n, _, _ in ln.markers] == [4] and ln.text.startswith("adopted in 2019. It")
    ln = _built(_line_words("the migrants² were", 50, 100))
    assert [n for n, _, _ in ln.markers] == [2] and ln.text == "the migrants were"


def _small_after(words: list[Word], i: int, text: str, size: float, rise: float) -> None:
    """Print a smaller word right after word i, its baseline raised by ``rise``
    points (bottoms: a smaller face's descent is shorter by 0.2 em of the
    difference, as DejaVu's)."""
    after = words[i]
    bottom = after.bottom - rise - 0.2 * (after.size - size)
    width = len(text) * 0.5 * size
    words.insert(i + 1, Word(text, after.x1 + 0.2, bottom - size, after.x1 + 0.2 + width, bottom, "Serif", size))
    for k in range(i + 2, len(words)):
        w = words[k]
        words[k] = Word(w.text, w.x0 + width + 0.2, w.top, w.x1 + width + 0.2, w.bottom, w.font, w.size)


def test_a_barely_raised_smaller_digit_after_a_year_is_a_marker() -> None:
    """'2021.' + a 3/4-size '4' raised 2 pt (less than a quarter of the 11-pt
    line) is a year and note 4, never the decimal 2021.4."""
    words = _line_words("carried out in 2021. The country", 50, 100, size=11.0)
    _small_after(words, 3, "4", size=8.25, rise=2.0)
    ln = _built(words)
    assert [n for n, _, _ in ln.markers] == [4] and ln.text == "carried out in 2021. The country"
    words = _line_words("migration governance has grown", 50, 100, size=11.0)
    _small_after(words, 1, "1", size=8.25, rise=2.0)
    ln = _built(words)
    assert [n for n, _, _ in ln.markers] == [1] and ln.text == "migration governance has grown"


def test_small_digits_on_the_baseline_or_spaced_stay_text() -> None:
    """Smaller but not raised (only the shorter descent lifts its bottom): not
    a marker after a year; a barely raised small number standing apart (a
    table cell, a label) is not one either."""
    words = _line_words("carried out in 2021. The country", 50, 100, size=11.0)
    _small_after(words, 3, "4", size=8.25, rise=0.0)
    ln = _built(words)
    assert ln.markers == [] and "2021.4" in ln.text
    words = _line_words("total in 2021 was", 50, 100, size=11.0)
    w = words[2]
    words[2] = Word("45", w.x0, w.top, w.x1, w.bottom - 2.0 - 0.2 * 2.75, "Serif", 8.25)
    ln = _built(words)
    assert ln.markers == [] and ln.text == "total in 45 was"
    # the digits of a number at the line's own size are never markers
    ln = _built(_line_words("rose to 2021.4 in all", 50, 100, size=11.0), glued=frozenset({4}))
    assert ln.markers == [] and ln.text == "rose to 2021.4 in all"


# --------------------------------------------------------------------------
# blocks from the document's own measurements (measure_flow, split_blocks)
# --------------------------------------------------------------------------

from pipeline.parse.layout import measure_flow, split_blocks  # noqa: E402
from pipeline.text.enumeration import inline_enumeration  # noqa: E402


def _pl(text: str, top: float, x0: float = 72.0, x1: float = 520.0, size: float = 10.0, column: int = 0,
        font: str = "Serif") -> PLine:
    """One body line of ``text`` from x0 to x1 (justified when x1 is the right edge)."""
    words = _line_words(text, x0, top, size=size, x1=x1)
    for w in words:
        w.font = font
    words[-1].x1 = x1
    ln = PLine(page=1, words=words, column=column)
    ln.measure(re.compile("Bold|-Medi"), re.compile("Italic"))
    ln.text = ln.raw = text
    return ln


def _paragraphs(spec: list[tuple[int, float]], pitch: float = 12.0, last_x1: float = 300.0, indent: float = 0.0,
                last_text: str = "the end of it.") -> list[PLine]:
    """Paragraphs of n lines, each followed by an extra gap (points): 1.2-em
    leading at 10 pt, lines justified to 520, the last line ending at last_x1."""
    lines, top = [], 100.0
    for p, (n, gap) in enumerate(spec):
        for k in range(n):
            last = k == n - 1
            text = f"Paragraph{p} line{k} text goes on here" if not last else f"paragraph{p} {last_text}"
            lines.append(_pl(text, top, x0=72.0 + (indent if k == 0 else 0.0), x1=last_x1 if last else 520.0))
            top += pitch
        top += gap
    return lines


def _texts(blocks) -> list[list[str]]:
    return [[ln.text.split()[0] for ln in b] for b in blocks]


def test_small_paragraph_gap_measured_on_the_document() -> None:
    """Space-only breaks of 0.3 line (3.6 pt at 12 pt leading: 1.56 em pitch,
    under the fixed 1.6 em of line pitch + paragraph_gap) are found from the
    document's own distribution of line gaps; lines inside a paragraph are not
    cut by a sub-point jitter."""
    lines = _paragraphs([(4, 3.6)] * 6, last_x1=520.0)  # full last lines: only the gap tells
    lines[2].words[0].bottom += 0.4  # jitter inside a paragraph
    flow = measure_flow(lines, para_gap=0.4)
    assert flow.pitch[10.0] == pytest.approx(1.2) and flow.justified and flow.indent is None
    assert 1.3 < flow.gap_for(10.0) < 1.5
    blocks = split_blocks(lines, flow, 0.8)
    assert [len(b) for b in blocks] == [4] * 6


def test_no_gap_cluster_keeps_the_configured_gap() -> None:
    """Without paragraph gaps in the document, a single wider gap is not read
    as the paragraph spacing: the cut stays at line pitch + paragraph_gap."""
    lines = _paragraphs([(30, 0.0)], last_x1=520.0)
    flow = measure_flow(lines, para_gap=0.4)
    assert flow.gap_for(10.0) == pytest.approx(1.6)


def test_first_line_indent_measured_and_short_line_at_a_column_top() -> None:
    """Ragged right, paragraphs marked only by a 1.5-em indent: a short line
    ("services.") closing a paragraph at the top of a column, then an indented
    line, then flush lines: the indented line starts a block and keeps its
    continuation lines."""
    lines = _paragraphs([(4, 0.0)] * 5, indent=15.0, last_x1=300.0)
    for k, ln in enumerate(lines):  # ragged right
        if ln.x1 == 520.0:
            ln.x1 = ln.words[-1].x1 = 500.0 + 4 * (k % 5)
    top = 400.0
    tail = [_pl("services.", top, x1=110.0), _pl("The Municipal Education Directorate of", top + 12, x0=87.0, x1=505.0),
            _pl("de Chile has taken measures to guarantee", top + 24, x1=512.0),
            _pl("that foreigners have access.", top + 36, x1=300.0)]
    flow = measure_flow(lines + tail, para_gap=0.4)
    assert flow.indent == pytest.approx(1.5) and not flow.justified
    blocks = split_blocks(lines + tail, flow, 0.8)
    assert _texts(blocks[-2:]) == [["services."], ["The", "de", "that"]]


def test_short_sentence_end_line_ends_a_justified_paragraph() -> None:
    """Justified, no indent, no gap: a short last line that ends a sentence
    closes the paragraph; a full one does not."""
    lines = _paragraphs([(4, 0.0)] * 3, last_x1=300.0, last_text="ends here.")
    lines[7].x1 = lines[7].words[-1].x1 = 520.0  # the second paragraph's last line fills the measure
    flow = measure_flow(lines, para_gap=0.4)
    blocks = split_blocks(lines, flow, 0.8)
    assert [len(b) for b in blocks] == [4, 8]


def test_enumerator_wrapped_to_a_line_start_is_not_a_list_item() -> None:
    lines = _paragraphs([(4, 6.0)] * 3, last_x1=300.0)
    top = 300.0
    para = [_pl("established in 2022, comprises the following:", top, x1=520.0),
            _pl("(a) the relocation of families in hostels for one or two", top + 12, x1=520.0),
            _pl("weeks; and (b) the transfer to residences of partner", top + 24, x1=520.0),
            _pl("foundations.", top + 36, x1=150.0)]
    real = [_pl("It comprises the following:", top + 60, x1=250.0),
            _pl("(a) the relocation of families;", top + 72, x1=300.0),
            _pl("(b) the transfer to residences.", top + 84, x1=300.0)]
    flow = measure_flow(lines + para + real, para_gap=0.4)
    blocks = split_blocks(lines + para + real, flow, 0.8)
    assert _texts(blocks[-4:]) == [["established", "(a)", "weeks;", "foundations."], ["It"], ["(a)"], ["(b)"]]
    assert inline_enumeration(["(i) one; (ii) two"], 0)
    assert not inline_enumeration(["(i) one;", "(ii) two"], 0)


def test_enumerators_at_two_line_starts_after_justified_lines_stay_in_the_paragraph() -> None:
    """"(a)" and "(b)" both wrapped to line starts, flush with the text, each
    after a line spread to the right edge of a justified column: the running
    text goes on through them. The same labels after short lines are a list."""
    lines = _paragraphs([(4, 6.0)] * 3, last_x1=300.0)
    top = 300.0
    para = [_pl("established in 2022, comprises the following:", top, x1=520.0),
            _pl("(a) the relocation of families in hostels", top + 12, x1=520.0),
            _pl("for one or two weeks; and", top + 24, x1=520.0),
            _pl("(b) the transfer to residences of partner", top + 36, x1=520.0),
            _pl("foundations.", top + 48, x1=150.0)]
    real = [_pl("It comprises the following:", top + 72, x1=250.0),
            _pl("(a) the relocation of families;", top + 84, x1=300.0),
            _pl("(b) the transfer to residences.", top + 96, x1=300.0)]
    flow = measure_flow(lines + para + real, para_gap=0.4)
    assert flow.justified
    blocks = split_blocks(lines + para + real, flow, 0.8)
    assert _texts(blocks[-4:]) == [["established", "(a)", "for", "(b)", "foundations."], ["It"], ["(a)"], ["(b)"]]
    # an inline dash wrapped to a line start after a full line, then the next
    # paragraph at its first-line indent
    dashed = [_pl("Their main countries of origin", top + 120, x1=520.0),
              _pl("– Venezuela (30.7%), Peru (16.3%) – accounted for most of", top + 132, x1=520.0),
              _pl("them in 2020.", top + 144, x1=150.0)]
    flow = measure_flow(lines + dashed, para_gap=0.4)
    blocks = split_blocks(lines + dashed, flow, 0.8)
    assert _texts(blocks[-1:]) == [["Their", "–", "them"]]


def test_times_medium_face_is_bold() -> None:
    bold = re.compile(str(load_config().section("parse")["bold_fonts"]))
    assert bold.search("TAS+NimbusRomNo9L-Medi") and bold.search("NimbusRomNo9L-MediItal")
    assert bold.search("Roboto-Medium") and bold.search("DejaVuSerif-Bold")
    assert not bold.search("NimbusRomNo9L-Regu") and not bold.search("MediaSans-Regular")


def test_last_item_of_an_inline_enumeration_wrapped_to_a_line_start() -> None:
    """"(b)" at a line start with no "(c)" after it: the "(a)" inside the line
    above makes it the last item of a running enumeration, not a list item."""
    lines = _paragraphs([(4, 6.0)] * 3, last_x1=300.0)
    top = 300.0
    para = [_pl("comprises the following: (a) the relocation of families", top, x1=520.0),
            _pl("in hostels for one or two weeks; and", top + 12, x1=520.0),
            _pl("(b) the transfer to residences of partner foundations.", top + 24, x1=400.0)]
    flow = measure_flow(lines + para, para_gap=0.4)
    blocks = split_blocks(lines + para, flow, 0.8)
    assert _texts(blocks[-1:]) == [["comprises", "in", "(b)"]]
    assert inline_enumeration(["the following: (a) one and", "(b) two"], 1)
    assert not inline_enumeration(["(a) one;", "(b) two"], 1)


def test_sentence_under_a_list_item_off_its_hang_starts_a_block() -> None:
    """A list item ends ("... issues;", "... manner."), then a sentence set
    with the body's first-line indent, neither under the item's text nor at
    its wrap: a block of its own. A wrap under the item's text stays in it."""
    lines = _paragraphs([(4, 0.0)] * 4, indent=12.0, last_x1=300.0)
    top = 300.0
    tail = [_pl("(iii) Ensure that migration takes place in a safe, orderly and dignified", top, x0=76.0, x1=520.0),
            _pl("Manner.", top + 12, x0=76.0 + 3.0 * 0.5 * 10 + 3.0, x1=130.0),
            _pl("The MiGOF does NOT create new standards or norms and it", top + 24, x0=84.0, x1=520.0),
            _pl("relies on existing commitments.", top + 36, x1=300.0)]
    tail[1].x0 = tail[1].words[0].x0 = tail[0].words[1].x0  # the wrap starts under the item's text
    flow = measure_flow(lines + tail, para_gap=0.4)
    blocks = split_blocks(lines + tail, flow, 0.8)
    assert _texts(blocks[-2:]) == [["(iii)", "Manner."], ["The", "relies"]]


def test_sentence_below_a_list_item_by_the_item_space_starts_a_block() -> None:
    """The sentence after the last item starts almost at the item's wrap
    (first-line indent 18, hang 20) but is set off by the space between
    items, more than the item's own leading: a block of its own."""
    lines = _paragraphs([(4, 0.0)] * 4, indent=18.0, last_x1=300.0)
    top = 300.0
    tail = [_pl("(iii) Engages with partners to address migration and", top, x0=76.0, x1=450.0),
            _pl("related issues;", top + 12, x0=92.0, x1=180.0),
            _pl("As it seeks to:", top + 28, x0=90.0, x1=170.0)]
    tail[0].words[1].x0 = 92.0
    flow = measure_flow(lines + tail, para_gap=0.4)
    blocks = split_blocks(lines + tail, flow, 0.8)
    assert _texts(blocks[-2:]) == [["(iii)", "related"], ["As"]]


def test_item_wrapped_between_its_label_and_its_text_stays_in_the_item() -> None:
    """A list item's label set larger than its text, then a plain space: the
    wrap's hanging indent (100) lies between the label's end (97.4) and the
    text start (103.4). A short ragged first line does not end the item."""
    lines = _paragraphs([(4, 0.0)] * 4, indent=18.0, last_x1=300.0)
    top = 300.0
    tail = [_pl("(ii) Formulates policy using evidence and a", top, x0=84.0, x1=390.0, size=9.0),
            _pl("approach;", top + 13.4, x0=100.0, x1=145.0, size=9.0),
            _pl("(iii) Engages with partners to address migration issues;", top + 29.8, x0=84.0, x1=392.0, size=9.0)]
    tail[0].words[0].x1, tail[0].words[1].x0 = 97.4, 103.4
    for ln in tail:
        ln.size = 9.0
    flow = measure_flow(lines + tail, para_gap=0.4)
    blocks = split_blocks(lines + tail, flow, 0.8)
    assert _texts(blocks[-2:]) == [["(ii)", "approach;"], ["(iii)"]]


def test_indented_sentence_after_a_long_carried_over_line_starts_a_block() -> None:
    """A paragraph's last line alone at the top of a page, long (ragged text),
    then a line at the document's first-line indent starting a sentence: two
    blocks. A wrap indented under a first line that ends mid-sentence stays."""
    lines = _paragraphs([(4, 0.0)] * 4, indent=18.0, last_x1=300.0)
    top = 300.0
    tail = [_pl("road or ideal version of migration governance, to which States can aspire.", top, x1=515.0),
            _pl("The MiGOF is based on the understanding that, as the primary actor in", top + 12, x0=90.0, x1=500.0),
            _pl("migration, mobility and nationality affairs, a State retains it.", top + 24, x1=400.0)]
    flow = measure_flow(lines + tail, para_gap=0.4)
    assert flow.indent and abs(flow.indent - 1.8) < 0.2
    blocks = split_blocks(lines + tail, flow, 0.8)
    assert _texts(blocks[-2:]) == [["road"], ["The", "migration,"]]


def test_short_second_column_beside_a_long_one_is_a_column() -> None:
    """The second column holds only the end of a paragraph (four lines at the
    top), the first runs down the page: few rows part at the gutter, but none
    runs through it. The lines are read column by column, not joined across."""
    words = _line_words("2.2. Areas with potential for", 50, 100, size=11.5)
    words += _line_words("further development", 50, 113, size=11.5)
    words += _column("L", 30, 50, 290, 126)
    words += _column("R", 4, 305, 545, 102)
    order = _read(words)
    assert order[:2] == ["2.2. Areas with potential for", "further development"]
    assert [t.split()[0] for t in order[2:32]] == [f"L{i}" for i in range(30)]
    assert [t.split()[0] for t in order[32:]] == ["R0", "R1", "R2", "R3"]



def test_document_that_never_breaks_inside_a_word_keeps_line_end_hyphens() -> None:
    """Measured over the document's line-end hyphens: not one joins into a word
    it prints whole, so every one is a compound's own ("tax-" + "exempt")."""
    lex = Lexicon.of(["the tax-", "exempt status of work-", "spaces for migration-", "related action in the well-",
                      "being of the community and a non-", "binding text on the exempt spaces"])
    assert not lex.breaks_words()
    assert join_hyphen("the tax-", "exempt status", lex) is False
    assert join_hyphen("of work-", "spaces for", lex) is False
    hyphenating = Lexicon.of(["the com-", "munity of tax-", "exempt status of work-", "spaces for migration-",
                              "related action in the well-", "being of the community"])
    assert hyphenating.breaks_words()
    assert join_hyphen("the com-", "munity", hyphenating) is True
    assert Lexicon.of(["the tax-", "exempt status"]).breaks_words()  # too few hyphens to tell

# --------------------------------------------------------------------------
# running furniture and notes measured on the document (B5, wide margins)
# --------------------------------------------------------------------------

from pipeline.parse.lineroles import mark_furniture  # noqa: E402
from pipeline.parse.noteroles import mark_footnotes  # noqa: E402



def _b5_page(number: int, notes: list[str], top_line: str | None = None) -> list[PLine]:
    """A B5 page (709 pt high) with wide margins: the folio at 59 pt (below
    the 8 % band, which ends at 56.7), body lines from 98 pt at a 15-pt pitch,
    notes of 7.6 pt bottom-aligned at 624 pt, the footer at 649 pt (above the
    bottom band, which starts at 652)."""
    lines = [_pl(str(number), 59.2, x0=80.0 if number % 2 == 0 else 406.0, x1=90.0 + 316 * (number % 2), size=9.0)]
    top = 98.4
    if top_line:
        lines.append(_pl(top_line, top, x0=80.0, x1=300.0, size=10.0))
        top += 15.0
    while top < 540:
        lines.append(_pl(f"body text of page {number} at {top:.0f} runs on here", top, x0=80.0, x1=419.0))
        top += 15.0
    for k, note in enumerate(reversed(notes)):
        lines.append(_pl(note, 616.8 - 11.7 * k, x0=80.0, x1=400.0, size=7.6))
    lines.append(_pl("MGI LOCAL | SANTIAGO DE CHILE 2022", 649.0, x0=176.0, x1=323.0, size=7.5))
    lines.sort(key=lambda ln: ln.top)
    for ln in lines:
        ln.page = number
    return lines


def test_furniture_outside_the_band_is_measured_on_the_document() -> None:
    """A folio and a footer set in wide margins, outside any fixed band of the
    page height, are furniture (the same text, digits masked, at the same
    height on every page); the notes above the footer are then notes; the
    last note line, repeated at the same height ("Ibid."), and a heading
    repeated at the top of pages are not furniture."""
    pages = [
        _b5_page(n, [f"{k}. Note {k} of page {n} cites a source." for k in (1, 2)] + ["3. Ibid."],
                 top_line="Areas with potential for further development" if n % 2 else None)
        for n in range(10, 16)
    ]
    for lines in pages:  # the heading is set at body size here: only its place could mislead
        for ln in lines:
            ln.role = "body"
    mark_furniture([(709.0, lines) for lines in pages], ROLE_RULES, body=10.0)
    for lines in pages:
        roles = {ln.text: ln.role for ln in lines}
        number = lines[0].page
        assert roles[str(number)] == "furniture" and roles["MGI LOCAL | SANTIAGO DE CHILE 2022"] == "furniture"
        assert roles["3. Ibid."] == "body"
        assert all(r == "body" for t, r in roles.items() if t.startswith(("body text", "Areas with")))
        mark_footnotes(lines, 10.0, ROLE_RULES, rule_ys=[576.9])
        notes = [ln.text for ln in lines if ln.role == "footnote"]
        assert notes == [f"1. Note 1 of page {number} cites a source.", f"2. Note 2 of page {number} cites a source.",
                         "3. Ibid."]


def test_numbered_headings_at_the_top_of_pages_are_not_a_running_header() -> None:
    """"1.2. Areas with potential ..." and "2.2. Areas with potential ..." set
    apart at the top of several pages, at the same height and size: the same
    text once digits are masked, but numbered headings are furniture only when
    their very text (numbers included) recurs there, as a running header does."""
    def pages(text_of):
        out = []
        for n in range(10, 16):
            lines = _b5_page(n, [])
            head = _pl(text_of(n), 78.4, x0=80.0, x1=380.0, size=10.0)
            head.page = n
            lines.insert(1, head)
            for ln in lines:
                ln.role = "body"
            out.append(lines)
        return out

    headed = pages(lambda n: f"{n - 9}.2. Areas with potential for further development")
    mark_furniture([(709.0, lines) for lines in headed], ROLE_RULES, body=10.0)
    for lines in headed:
        assert lines[0].role == "furniture" and lines[1].role == "body", [(ln.text, ln.role) for ln in lines[:2]]
    running = pages(lambda n: "3.2. Areas with potential for further development")
    mark_furniture([(709.0, lines) for lines in running], ROLE_RULES, body=10.0)
    assert all(lines[1].role == "furniture" for lines in running)
    # a numbered part name run into the folio: the same header once the folio is masked
    folio = pages(lambda n: f"4. ADVANCE THE SOCIOECONOMIC WELL-BEING {n} | MGI LOCAL PROFILE 2022")
    mark_furniture([(709.0, lines) for lines in folio], ROLE_RULES, body=10.0)
    assert all(lines[1].role == "furniture" for lines in folio)


def test_running_header_whose_part_name_runs_into_the_folio_is_furniture() -> None:
    """A header row outside the band, "PART NAME     12 | MGI LOCAL PROFILE
    2022": on most pages the part name and the folio are two segments (the
    folio recurs), on a part of two pages with a long name they run together;
    the row still carries the recurring folio text at its height: furniture."""
    pages = []
    for n in range(10, 18):
        lines = _b5_page(n, [])
        lines = [ln for ln in lines if ln.text != str(n)]
        if n < 16:  # a wide gap after the part name
            part = _pl("CONTEXT", 64.3, x0=80.0, x1=112.0, size=7.5)
            folio = _pl(f"{n} | MGI LOCAL PROFILE 2022", 64.3, x0=300.0, x1=419.0, size=7.5)
            head = PLine(page=n, words=part.words + folio.words)
            head.measure(re.compile("Bold"), re.compile("Italic"))
            head.text = head.raw = f"CONTEXT {n} | MGI LOCAL PROFILE 2022"
        else:
            head = _pl(f"ENGAGE WITH PARTNERS TO ADDRESS MIGRATION {n} | MGI LOCAL PROFILE 2022", 64.3, x0=80.0,
                       x1=419.0, size=7.5)
        head.page = n
        lines.insert(0, head)
        for ln in lines:
            ln.role = "body"
        pages.append(lines)
    mark_furniture([(709.0, lines) for lines in pages], ROLE_RULES, body=10.0)
    assert [lines[0].role for lines in pages] == ["furniture"] * 8
    assert all(ln.role == "body" for lines in pages for ln in lines[1:] if ln.text.startswith("body text"))


def test_a_lone_number_in_the_text_is_not_a_folio() -> None:
    """A number standing alone at the top of the text on a few pages, at the
    body's own spacing, is not set apart from the text: not furniture."""
    pages = []
    for n in range(3, 8):
        lines = _b5_page(n, [])
        lines = [ln for ln in lines if ln.text != str(n)]  # no folio
        first = _pl("42", 83.4, x0=80.0, x1=92.0, size=10.0)  # a table's first cell, one pitch above the text
        first.page = n
        pages.append([first, *lines])
    mark_furniture([(709.0, lines) for lines in pages], ROLE_RULES, body=10.0)
    assert all(lines[0].role == "body" for lines in pages)


def test_two_note_columns_read_across_the_gutter_are_cut_and_read_column_by_column() -> None:
    """Notes in two columns of their own (the body above in three): a row of
    the note area read as one line across the note gutter is cut at the
    gutter measured on the note lines, the left note column read before the
    right one; a tabbed label's gap is not a gutter."""
    from pipeline.parse.noteroles import split_note_columns

    body = [_pl("body text of the left column", 600.0, x0=42.0, x1=200.0),
            _pl("body text of the right column", 600.0, x0=400.0, x1=570.0, column=2)]
    rows = [
        ("1 The Department was dissolved and replaced", 42.0, 292.0, "4 See the page on estimates.", 315.0, 430.0),
        ("by the National Migration Service pursuant", 56.0, 290.0, "5 Ibid.", 315.0, 345.0),
        ("2 This is the last census conducted in Chile.", 42.0, 288.0, None, 0, 0),
    ]
    notes = []
    for k, (left, lx0, lx1, right, rx0, rx1) in enumerate(rows):
        words = _line_words(left, lx0, 690.0 + 9.0 * k, size=7.6, x1=lx1)
        if right:
            words += _line_words(right, rx0, 690.0 + 9.0 * k, size=7.6, x1=rx1)
        ln = PLine(page=1, words=words, role="footnote")
        ln.measure(re.compile("Bold"), re.compile("Italic"))
        build_text(ln, MARKER_RULES)
        notes.append(ln)
    out = split_note_columns([*body, *notes], MARKER_RULES, re.compile("Bold"), re.compile("Italic"))
    assert [ln.text for ln in out if ln.role == "footnote"] == [
        "1 The Department was dissolved and replaced", "by the National Migration Service pursuant",
        "2 This is the last census conducted in Chile.", "4 See the page on estimates.", "5 Ibid.",
    ]
    assert [n.number for n in group_notes([ln for ln in out if ln.role == "footnote"])] == [1, 2, 4, 5]
    # one column of tabbed notes: the label's gap is not a gutter, nothing is cut
    one = []
    for k, text in enumerate(["3 The Migration Governance Indicators were developed", "by IOM in 2015."]):
        words = _line_words(text, 42.0 if k == 0 else 56.0, 690.0 + 9.0 * k, size=7.6)
        if k == 0:
            words[1:] = [Word(w.text, w.x0 + 8.0, w.top, w.x1 + 8.0, w.bottom, w.font, w.size) for w in words[1:]]
        ln = PLine(page=1, words=words, role="footnote")
        ln.measure(re.compile("Bold"), re.compile("Italic"))
        build_text(ln, MARKER_RULES)
        one.append(ln)
    out = split_note_columns([*body, *one], MARKER_RULES, re.compile("Bold"), re.compile("Italic"))
    assert [ln.text for ln in out if ln.role == "footnote"] == [ln.text for ln in one]


def test_quote_justified_to_a_narrower_measure_is_one_block() -> None:
    """An indented quote justified to its own measure, short of the column's
    right edge: a line ending a sentence there is not a paragraph's short last
    line when the next line ends at the same x. A truly short last line still
    closes its paragraph."""
    lines = _paragraphs([(6, 6.0)] * 4, last_x1=300.0)  # the document's running text, on another page
    for ln in lines:
        ln.page = 2
    lines += [_pl("• Help local authorities take stock of the migration", 250.0, x1=520.0),
              _pl("• Foster dialogue on migration between governments", 268.0, x1=520.0)]
    top = 300.0
    quote = [_pl('"Rapid urbanization continues to transform the demo-', top, x0=96.0, x1=470.0),
             _pl("graphic landscape of many countries around the world.", top + 12, x0=96.0, x1=470.0),
             _pl("Cities are already home to the majority of international", top + 24, x0=96.0, x1=470.0),
             _pl("migrants, driven by opportunity as well as necessity.", top + 36, x0=96.0, x1=300.0),
             _pl("Short one.", top + 48, x0=96.0, x1=200.0),
             _pl("Another sentence set to the quote measure goes here", top + 60, x0=96.0, x1=470.0),
             _pl('and ends it."', top + 72, x0=96.0, x1=200.0)]
    for ln in quote:
        ln.words[0].x0 = ln.x0
    flow = measure_flow(lines + quote, para_gap=0.4)
    assert flow.justified and flow.edges[(1, 0)] == (96.0, 520.0)
    blocks = split_blocks(lines + quote, flow, 0.8)
    assert _texts(blocks[-3:]) == [['"Rapid', "graphic", "Cities", "migrants,"], ["Short"], ["Another", "and"]]


def test_indented_lead_in_over_a_list_item_is_not_a_hanging_indent() -> None:
    """"When it:" at the first-line indent after a paragraph's last line, with
    a list item "(i) ..." set a little left of it on the next line: a
    paragraph of its own, not the wrap of a hanging indent."""
    lines = _paragraphs([(4, 0.0)] * 4, indent=9.0, last_x1=300.0)
    top = 300.0
    tail = [_pl("Their view is that a migration system promotes migration and human", top, x1=520.0),
            _pl("and society:", top + 12, x1=150.0),
            _pl("When it:", top + 24, x0=81.0, x1=130.0),
            _pl("(i) Adheres to international standards and fulfils mi-", top + 36, x0=78.0, x1=500.0),
            _pl("grants' rights;", top + 48, x0=92.0, x1=160.0)]
    flow = measure_flow(lines + tail, para_gap=0.4)
    assert flow.indent == pytest.approx(0.9)
    blocks = split_blocks(lines + tail, flow, 0.8)
    assert _texts(blocks[-3:]) == [["Their", "and"], ["When"], ["(i)", "grants'"]]


def test_flush_line_after_a_short_sentence_end_in_an_indented_text_goes_on() -> None:
    """Ragged right, paragraphs marked by a first-line indent: a short line
    ending a sentence ("Justice and Human Rights.") and a flush line after it
    ("Specifically, ...") are one paragraph; the indented line is the next."""
    lines = _paragraphs([(4, 0.0)] * 5, indent=15.0, last_x1=300.0)
    for k, ln in enumerate(lines):  # ragged right
        if ln.x1 == 520.0:
            ln.x1 = ln.words[-1].x1 = 500.0 + 4 * (k % 5)
    top = 400.0
    tail = [_pl("Opened in 2014, the Support Centre works with the Ministry of", top, x0=87.0, x1=505.0),
            _pl("Justice and Human Rights.", top + 12, x1=220.0),
            _pl("Specifically, it took part in two activities to raise the", top + 24, x1=512.0),
            _pl("awareness of the crime.", top + 36, x1=300.0),
            _pl("The next paragraph starts here at the indent.", top + 48, x0=87.0, x1=505.0)]
    flow = measure_flow(lines + tail, para_gap=0.4)
    assert flow.indent == pytest.approx(1.5) and not flow.justified
    blocks = split_blocks(lines + tail, flow, 0.8)
    assert _texts(blocks[-2:]) == [["Opened", "Justice", "Specifically,", "awareness"], ["The"]]
    # flush entries (not opened at the indent) still end at a short line
    entries = [_pl("Decreto No. 69, Crea el Departamento de Inmigración y establece", top + 72, x1=505.0),
               _pl("Normas.", top + 84, x1=120.0),
               _pl("Decreto No. 156, Aprueba Plan Nacional de Protección Civil.", top + 96, x1=400.0)]
    blocks = split_blocks(lines + tail + entries, flow, 0.8)
    assert _texts(blocks[-2:]) == [["Decreto", "Normas."], ["Decreto"]]
