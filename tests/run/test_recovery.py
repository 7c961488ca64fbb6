"""Damaged PDFs: what a robust reader can read is recovered, page by page
(pipeline.parse.recovery, pipeline.parse.pdfium).

The mutation corpus is built here from the three shortest samples with fixed
seeds: byte flips, a cut chunk, a truncated stream, a deleted object, a wrong
/Length, a broken font. For every mutant whose text PDFium can read, the
parse gives no error and at least 90 % of the pages PDFium reads have text,
and every page without text is named (unreadable, or in a warning). Bounded
for CI: 36 mutants of 12-15 pages, about 30 s for the corpus on this 2-core
machine (docs/HARDENING.md).
"""

from __future__ import annotations

import random
import re
import signal
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.config import Config, load_config
from pipeline.errors import InputError, PageTimeout
from pipeline.parse import pdfium
from pipeline.parse.recovery import time_budget
from pipeline.parse.stage import parse_pdf
from pipeline.run import batch

from test_hardening import CATALOG, HELVETICA, TEXT_OPS, _reference_cycle_pdf, body_text, page_obj, raw_pdf, stream

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
# the three shortest samples: reportlab (12 pages), reportlab 2-column and Writer (15 each)
CORPUS_SOURCES = ("chile-national-2019-es.pdf", "santiago-de-chile-local-2022-2col.pdf", "santiago-de-chile-local-2022-writer.pdf")
MIN_CHARS = 20  # parse.min_chars_for_text_layer: a page with fewer reads as "no text"


@pytest.fixture(scope="module")
def config() -> Config:
    """The pdfplumber engine: this recovery (pdfminer first, PDFium for what
    it cannot read) is that engine's; the pdfium engine's is in
    tests/parse/test_bad_inputs.py (both engines)."""
    from pipeline.config import with_engine

    return with_engine(load_config(), "pdfplumber")


def _with_parse(config: Config, **parse) -> Config:
    return Config(settings={**config.settings, "parse": {**config.section("parse"), **parse}}, config_dir=config.config_dir)


# --------------------------------------------------------------------------
# mutators: each takes the bytes and a seeded Random
# --------------------------------------------------------------------------

_OBJ = re.compile(rb"(?:^|[\r\n])(\d+) (\d+) obj\b")


def _objects(data: bytes) -> list[tuple[int, int, bytes]]:
    out = []
    for m in _OBJ.finditer(data):
        end = data.find(b"endobj", m.end())
        if end > 0:
            out.append((m.start(1), end + 6, data[m.start(1) : end + 6]))
    return out


def byte_flips(data: bytes, rnd: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rnd.randint(1, 30)):
        b[rnd.randrange(len(b))] = rnd.randrange(256)
    return bytes(b)


def cut_chunk(data: bytes, rnd: random.Random) -> bytes:
    n = rnd.randint(10, 5000)
    at = rnd.randrange(len(data) - n)
    return data[:at] + data[at + n :]


def truncated_stream(data: bytes, rnd: random.Random) -> bytes:
    streams = []
    for m in re.finditer(rb"[^d]stream\r?\n", data):
        end = data.find(b"endstream", m.end())
        if end > 0:
            streams.append((m.end(), end))
    start, end = rnd.choice(streams)
    return data[: start + rnd.randint(0, (end - start) // 2)] + data[end:]


def deleted_object(data: bytes, rnd: random.Random) -> bytes:
    start, end, _ = rnd.choice(_objects(data))
    return data[:start] + data[end:]


def wrong_length(data: bytes, rnd: random.Random) -> bytes:
    m = rnd.choice(list(re.finditer(rb"/Length (\d+)", data)))
    n = int(m.group(1))
    new = rnd.choice([0, n // 2, n + rnd.randint(1, 500), n * 10])
    return data[: m.start(1)] + str(new).encode() + data[m.end(1) :]


def broken_font(data: bytes, rnd: random.Random) -> bytes:
    fonts = [o for o in _objects(data) if re.search(rb"/Type\s*/Font|/FontFile|/Widths|/Length1", o[2])]
    start, end, body = rnd.choice(fonts)
    out = bytearray(body)
    sm = re.search(rb"stream\r?\n", body)
    if sm and rnd.random() < 0.6:  # garble the embedded font program
        for _ in range(rnd.randint(5, 50)):
            out[rnd.randrange(sm.end(), max(sm.end() + 1, len(out) - 20))] = rnd.randrange(256)
    else:  # junk where the font dictionary's keys point
        text = bytes(out)
        for key in (rb"/Widths", rb"/FirstChar", rb"/Encoding", rb"/ToUnicode", rb"/FontDescriptor", rb"/DescendantFonts"):
            text = re.sub(key + rb"\s*", key + b" (junk) ", text, count=1)
        out = bytearray(text)
    return data[:start] + bytes(out) + data[end:]


MUTATORS = {
    "flips": byte_flips,
    "cut": cut_chunk,
    "stream": truncated_stream,
    "delete": deleted_object,
    "length": wrong_length,
    "font": broken_font,
}
SEEDS = range(6)


def _mutant(kind: str, seed: int) -> tuple[str, bytes]:
    rnd = random.Random(f"{kind}-{seed}")
    source = CORPUS_SOURCES[seed % len(CORPUS_SOURCES)]
    return source, MUTATORS[kind]((SAMPLES / source).read_bytes(), rnd)


def pdfium_text_pages(path: Path) -> tuple[int, set[int]]:
    """The oracle: PDFium's page count and the pages whose text it reads,
    with pypdfium2's plain text API: at least MIN_CHARS letters or digits,
    and at most 30 % of the characters without a Unicode mapping (PDFium's
    own flag; parse.max_undecodable_ratio)."""
    import pypdfium2.raw as raw

    try:
        doc = pdfium.open_document(path)
    except Exception:
        return 0, set()
    readable = set()
    try:
        for i in range(len(doc)):
            try:
                textpage = doc[i].get_textpage()
                text = textpage.get_text_range()
                drawn = [k for k in range(raw.FPDFText_CountChars(textpage.raw))
                         if raw.FPDFText_IsGenerated(textpage.raw, k) != 1]
                n = len(drawn)
                unmapped = sum(raw.FPDFText_HasUnicodeMapError(textpage.raw, k) == 1 for k in drawn)
            except Exception:
                continue
            if sum(ch.isalnum() for ch in text) >= MIN_CHARS and unmapped <= 0.3 * n:
                readable.add(i + 1)
        return len(doc), readable
    finally:
        doc.close()


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="samples/ not present")
@pytest.mark.parametrize("kind", sorted(MUTATORS))
def test_mutation_corpus(tmp_path: Path, config: Config, kind: str) -> None:
    for seed in SEEDS:
        source, data = _mutant(kind, seed)
        p = tmp_path / f"{kind}-{seed}.pdf"
        p.write_bytes(data)
        n_pdfium, readable = pdfium_text_pages(p)
        started = time.monotonic()
        try:
            layout = parse_pdf(p, config)
        except InputError as exc:
            message = str(exc)
            assert "\n" not in message and message.startswith(f"{p.name}: ")
            assert not re.search(r"[A-Z][a-z]+(Error|Exception)|PSEOF|PDF[A-Z][a-z]", message), message  # words, not parser internals
            assert not readable, f"{p.name} ({source}): failed ({message}) while PDFium reads pages {sorted(readable)}"
            continue
        assert time.monotonic() - started < 60, p.name
        with_text = {pg.number for pg in layout.pages if pg.has_text}
        assert len(with_text & readable) >= 0.9 * len(readable), (p.name, source, sorted(readable - with_text), layout.warnings)
        # every page without text is named: unreadable (with the reason) or in a warning
        named = " ".join(layout.warnings)
        for pg in layout.pages:
            if not pg.has_text:
                assert pg.number in layout.unreadable_pages or re.search(rf"\bpages? [\d, -]*\b{pg.number}\b", named) or \
                    _in_range(pg.number, named), (p.name, pg.number, layout.warnings)
        if layout.unreadable_pages:
            assert layout.unreadable_reason and "cannot be read: " in layout.unreadable_reason
            assert layout.error_detail


def _in_range(number: int, text: str) -> bool:
    return any(int(a) <= number <= int(b) for a, b in re.findall(r"(\d+)-(\d+)", text))


# --------------------------------------------------------------------------
# the normal path is untouched
# --------------------------------------------------------------------------


def test_an_intact_file_is_never_read_by_pdfium(config: Config, monkeypatch) -> None:
    """PDFium only counts the pages of a file pdfminer reads without a
    problem: its character source is not called, so the tables are the
    normal path's."""
    sample = SAMPLES / CORPUS_SOURCES[0]
    before = parse_pdf(sample, config)

    def forbidden(*args, **kwargs):
        raise AssertionError("PDFium read a page of an intact file")

    monkeypatch.setattr(pdfium, "page_objects", forbidden)
    after = parse_pdf(sample, config)
    assert after == before and not after.warnings and after.error_detail is None


def test_pdfium_source_gives_the_pdfminer_records(config: Config) -> None:
    """Same characters, same boxes (within a point and a half: the two place
    the glyphs of a justified line slightly apart) and same rules as the
    pdfminer device on a sample page: the records the layout code reads."""
    import pdfplumber

    from pipeline.parse.chars import page_objects

    sample = SAMPLES / "santiago-de-chile-local-2022.pdf"
    with pdfplumber.open(sample) as pdf:
        page = pdf.pages[3]
        graphics: list[dict] = []
        chars, rules = page_objects(page, graphics)
        doctop = page.initial_doctop
    doc = pdfium.open_document(sample)
    try:
        graphics2: list[dict] = []
        chars2, rules2, width, height = pdfium.page_objects(doc, 3, doctop, graphics2)
    finally:
        doc.close()
    assert (round(width, 2), round(height, 2)) == (595.28, 841.89)
    text = "".join(c["text"] for c in chars).replace(" ", "")  # ligatures as pdfminer gives them ("ﬁ")
    assert "".join(c["text"] for c in chars2).replace(" ", "") == text
    solid = [c for c in chars if c["text"] != " "]
    solid2 = [c for c in chars2 if c["text"] != " "]
    assert len(solid) == len(solid2)
    for a, b in zip(solid, solid2):
        assert a["size"] == pytest.approx(b["size"], abs=0.01)
        assert a["top"] == pytest.approx(b["top"], abs=0.1) and a["x0"] == pytest.approx(b["x0"], abs=1.5)
        if len(b["text"]) == 1:  # a ligature's box is PDFium's own
            assert a["x1"] == pytest.approx(b["x1"], abs=1.5)
        assert b["fontname"] in a["fontname"]  # pdfminer keeps the subset prefix
    key = lambda r: (r["kind"], round(r["x0"]), round(r["top"]), round(r["x1"]), round(r["bottom"]), r["fill"])  # noqa: E731
    assert sorted(map(key, rules2)) == sorted(map(key, rules)) and rules


# --------------------------------------------------------------------------
# whole-file recovery, unreadable pages, messages
# --------------------------------------------------------------------------


def _cut_out_chunk(data: bytes) -> bytes:
    """A chunk gone from the cross-reference table to the trailer's end:
    pdfminer cannot open it any more (no /Root)."""
    return data[: data.rfind(b"\nxref\n") + 100] + data[data.rfind(b"startxref") :]


def test_a_file_pdfminer_cannot_open_is_recovered(tmp_path: Path, config: Config) -> None:
    data = (SAMPLES / CORPUS_SOURCES[0]).read_bytes()
    p = tmp_path / "chunk.pdf"
    p.write_bytes(_cut_out_chunk(data))
    layout = parse_pdf(p, config)
    intact = parse_pdf(SAMPLES / CORPUS_SOURCES[0], config)
    assert layout.n_pages == intact.n_pages
    assert layout.warnings[0] in (f"{p.name}: recovered: cross-reference table rebuilt", f"{p.name}: recovered by PDFium")
    assert layout.error_detail and layout.error_detail.startswith("pdfminer: ")
    assert layout.pages == intact.pages


def _junk_font_pdf() -> bytes:
    """A Type0 font whose /DescendantFonts is a string: pdfminer fails in get_font."""
    font = b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts (junk) >>"
    good_page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 7 0 R >> >> /Contents 4 0 R >>"
    return raw_pdf([
        CATALOG[0], b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
        page_obj(b"<< /Font << /F1 5 0 R >> >>"), stream(TEXT_OPS), font, good_page, HELVETICA,
    ])


def test_a_page_no_reader_can_read_is_named_and_the_rest_goes_through(tmp_path: Path, config: Config, monkeypatch) -> None:
    p = tmp_path / "font.pdf"
    p.write_bytes(_junk_font_pdf())

    def pdfium_fails(*args, **kwargs):  # PDFium reads past the junk font: make it fail too
        raise RuntimeError("PDFium cannot either")

    monkeypatch.setattr(pdfium, "page_objects", pdfium_fails)
    layout = parse_pdf(p, config)
    assert layout.unreadable_pages == (1,)
    assert layout.unreadable_reason == "page 1 cannot be read: damaged font"
    assert f"{p.name}: page 1 cannot be read: damaged font; left empty" in layout.warnings
    assert layout.error_detail == "page 1: AssertionError"
    assert "legal frameworks and practices" in body_text(layout)  # page 2


def test_a_page_pdfium_reads_without_text_keeps_pdfminers_reason(tmp_path: Path, config: Config) -> None:
    """PDFium opens the page with the junk font but draws no text from it:
    the page is unreadable for pdfminer's reason, not "no text layer"."""
    p = tmp_path / "font.pdf"
    p.write_bytes(_junk_font_pdf())
    layout = parse_pdf(p, config)
    assert layout.unreadable_reason == "page 1 cannot be read: damaged font"
    assert not any("no text layer" in w for w in layout.warnings)


def test_status_rows_of_damaged_files(tmp_path: Path, config: Config) -> None:
    """Through the batch: recovered files are ok (a warning says how), a file
    with unreadable pages is partial and names them, a file with nothing
    readable is failed in words with the parsers' exceptions in error_detail;
    no traceback anywhere."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    data = (SAMPLES / CORPUS_SOURCES[0]).read_bytes()
    (inputs / "chunk.pdf").write_bytes(_cut_out_chunk(data))
    (inputs / "kids.pdf").write_bytes(raw_pdf([  # two junk entries in /Kids, one real page
        CATALOG[0], b"<< /Type /Pages /Kids [(junk) 99 0 R 3 0 R] /Count 3 >>",
        page_obj(b"<< /Font << /F1 5 0 R >> >>"), stream(TEXT_OPS), HELVETICA,
    ]))
    (inputs / "cut.pdf").write_bytes(data[: len(data) // 7])
    out = tmp_path / "out"
    assert batch.run([inputs], out, config, progress=False, workers=2) == 1
    docs = {r.source_file.split("/")[-1]: r for _, r in pd.read_parquet(out / "documents").iterrows()}
    chunk, kids, cut = docs["chunk.pdf"], docs["kids.pdf"], docs["cut.pdf"]
    assert chunk.status in ("ok", "partial") and chunk.error_detail.startswith("pdfminer: ")
    assert any(w.startswith("chunk.pdf: recovered") for w in chunk.warnings)
    assert kids.status == "partial" and "pages 1-2 cannot be read: damaged page object" in kids.error
    assert "page 1: " in kids.error_detail and "page 2: " in kids.error_detail
    assert cut.status == "failed" and cut.error == "cut.pdf: the file is cut short and no page can be read"
    assert cut.error_detail.startswith("pdfminer: PSEOF") and "PDFium: " in cut.error_detail
    assert not list(out.glob("work/*/error.log"))
    paras = pd.read_parquet(out / "paragraphs")
    assert paras[paras.doc_id == kids.doc_id].text.str.contains("legal frameworks").any()


# --------------------------------------------------------------------------
# the page time budget
# --------------------------------------------------------------------------


def test_a_reference_cycle_no_longer_hangs_a_direct_call(tmp_path: Path, config: Config) -> None:
    p = tmp_path / "spin.pdf"
    p.write_bytes(_reference_cycle_pdf())
    started = time.monotonic()
    layout = parse_pdf(p, _with_parse(config, page_time_budget_seconds=2))
    assert time.monotonic() - started < 30
    assert layout.warnings[0] == f"{p.name}: recovered by PDFium"
    assert layout.error_detail == "pdfminer: PageTimeout: took longer than 2 s"
    assert "legal frameworks and practices" in body_text(layout)


def test_time_budget_is_armed_only_where_harmless() -> None:
    with pytest.raises(PageTimeout):
        with time_budget(0.2):
            while True:
                pass
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL

    seen: list = []

    def in_thread() -> None:  # not the main thread: no signal, nothing raised
        with time_budget(0.1):
            time.sleep(0.3)
        seen.append(True)

    t = threading.Thread(target=in_thread)
    t.start()
    t.join()
    assert seen == [True]

    fired: list = []
    previous = signal.signal(signal.SIGALRM, lambda *a: fired.append(True))
    try:  # the caller's own SIGALRM handler and timer are left alone
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        with time_budget(0.1):
            time.sleep(0.2)
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
        time.sleep(0.5)
        assert fired == [True]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
