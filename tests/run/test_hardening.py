"""Hostile and broken inputs: never a crash, a hang or lost work.

Extends tests/parse/test_bad_inputs.py (zero-byte, noise, truncation, encryption at
the parse level) and tests/run/test_batch.py (crash/hang hooks, folder that is a
file) with the cases of docs/HARDENING.md. Every input is built on the fly.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from pipeline.run import batch

from pipeline import cli
from pipeline.config import load_config
from pipeline.errors import InputError
from pipeline.extract.stage import extract
from pipeline.parse.stage import parse_pdf
from pipeline.segment.stage import segment
from pipeline.extract.statistics import find_statistics
from pipeline.extract.statistics import rules_for as stat_rules
from pipeline.ids import file_sha256, make_doc_id

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "santiago-de-chile-local-2022.pdf"

SENTENCES = [
    "Migration governance refers to the system of institutions, legal frameworks and practices.",
    "In 2020, about 30 per cent of the 1,200 migrants surveyed had a regular status (IOM, 2019).",
    "Law No. 21.325 of 2021 regulates the entry and stay of foreign nationals in the country.",
    "The municipality runs an office for migrants that offers legal advice and orientation.",
]


@pytest.fixture(scope="module")
def config():
    return load_config()


# --------------------------------------------------------------------------
# builders
# --------------------------------------------------------------------------


def text_pdf(pages: int = 2, lines: int = 12, tag: str = "") -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for n in range(pages):
        c.setFont("Helvetica", 10)
        for i in range(lines):
            c.drawString(72, 740 - 14 * i, f"{SENTENCES[(n + i) % len(SENTENCES)]} {tag}")
        c.drawString(290, 40, str(n + 1))
        c.showPage()
    c.save()
    return buf.getvalue()


def raw_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF from object bodies (object i+1 = objects[i]), with a correct xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    start = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{start}\n%%EOF\n".encode()
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


CATALOG = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]
HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT_OPS = b"".join(b"BT /F1 11 Tf 72 %d Td (%s) Tj ET\n" % (760 - 16 * i, s.encode()) for i, s in enumerate(SENTENCES))


def page_obj(resources: bytes, contents: int = 4) -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R >>" % (resources, contents)


def one_line(exc: BaseException) -> str:
    msg = str(exc)
    assert "\n" not in msg and "Traceback" not in msg
    return msg


def body_text(layout) -> str:
    return " ".join(b.text for p in layout.pages for b in p.blocks if b.role != "furniture")


def run_batch(config, inputs, out: Path, **kw) -> int:
    kw.setdefault("workers", 2)
    return batch.run([Path(p) for p in inputs], out, config, progress=False, **kw)


def documents(out: Path) -> dict[str, pd.Series]:
    docs = pd.read_parquet(out / "documents")
    return {Path(r.source_file).name: r for _, r in docs.iterrows()}


# --------------------------------------------------------------------------
# damaged structure
# --------------------------------------------------------------------------


def _shift_offsets(data: bytes, by: int) -> bytes:
    i = data.rfind(b"\nxref\n")
    tail = re.sub(rb"(\d{10}) 00000 n", lambda m: b"%010d 00000 n" % (int(m.group(1)) + by), data[i:])
    return data[:i] + tail


def _startxref(data: bytes, value: bytes) -> bytes:
    return data[: data.rfind(b"startxref")] + b"startxref\n" + value + b"\n%%EOF\n"


def _garbage_xref(data: bytes) -> bytes:
    i, j = data.rfind(b"\nxref\n"), data.rfind(b"trailer")
    return data[:i] + b"\nxref\n0 9\nGARBAGE ENTRIES 12 n\n" + data[j:]


@pytest.mark.parametrize("damage", ["startxref-past-end", "startxref-zero", "entries-shifted", "xref-garbage"])
def test_broken_xref_is_repaired(tmp_path: Path, config, damage: str) -> None:
    data = text_pdf(3)
    broken = {
        "startxref-past-end": lambda d: _startxref(d, b"999999"),
        "startxref-zero": lambda d: _startxref(d, b"0"),
        "entries-shifted": lambda d: _shift_offsets(d, 37),
        "xref-garbage": _garbage_xref,
    }[damage](data)
    assert broken != data
    good, bad = tmp_path / "good.pdf", tmp_path / f"{damage}.pdf"
    good.write_bytes(data)
    bad.write_bytes(broken)
    intact, repaired = parse_pdf(good, config), parse_pdf(bad, config)
    assert repaired.n_pages == 3
    assert body_text(repaired) == body_text(intact)
    assert "30 per cent" in body_text(repaired)
    rebuilt = f"{bad.name}: recovered: cross-reference table rebuilt"
    assert repaired.warnings in ((), (rebuilt,))  # pdfminer repairs some itself, silently
    if damage == "entries-shifted":  # pdfminer trusts the entries and finds no page
        assert repaired.warnings == (rebuilt,)


def test_no_xref_and_no_trailer_is_rebuilt(tmp_path: Path, config) -> None:
    """pdfminer's own repair scan needs a trailer naming /Root; the rebuilt
    cross-reference section finds the catalog object instead."""
    data = text_pdf(2)
    p = tmp_path / "no-trailer.pdf"
    p.write_bytes(data[: data.rfind(b"\nxref\n")] + b"\n%%EOF\n")
    layout = parse_pdf(p, config)
    assert layout.n_pages == 2 and "legal frameworks and practices" in body_text(layout)


def test_pdf_header_then_nothing_usable_is_a_clear_error(tmp_path: Path, config) -> None:
    p = tmp_path / "header-only.pdf"
    p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n")
    with pytest.raises(InputError) as err:
        parse_pdf(p, config)
    assert one_line(err.value) == "header-only.pdf: the file is damaged and no page can be read"
    assert err.value.error_detail.startswith("pdfminer: ") and "; PDFium: " in err.value.error_detail


def test_zero_page_pdf(tmp_path: Path, config) -> None:
    p = tmp_path / "no-pages.pdf"
    p.write_bytes(raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    with pytest.raises(InputError) as err:
        parse_pdf(p, config)
    assert one_line(err.value) == "no-pages.pdf: the file is damaged: it has no pages"


def test_deep_nesting_and_cycles_are_survived(tmp_path: Path, config, capsys) -> None:
    page = page_obj(b"<< /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >>")
    cases = {
        # 20,000 nested arrays in the catalog
        "deep.pdf": [b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * 20000 + b"]" * 20000 + b" >>",
                     CATALOG[1], page_obj(b"<< /Font << /F1 5 0 R >> >>"), stream(TEXT_OPS), HELVETICA],
        # the page tree lists itself among its kids
        "cyclic-tree.pdf": [CATALOG[0], b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 1 >>",
                            page_obj(b"<< /Font << /F1 5 0 R >> >>"), stream(TEXT_OPS), HELVETICA],
        # a form XObject that draws itself
        "self-form.pdf": [*CATALOG, page, stream(TEXT_OPS + b"/X1 Do"), HELVETICA,
                          stream(b"/X1 Do", b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                                 b"/Resources << /XObject << /X1 6 0 R >> >> ")],
    }
    for name, objects in cases.items():
        p = tmp_path / name
        p.write_bytes(raw_pdf(objects))
        started = time.monotonic()
        layout = parse_pdf(p, config)
        assert time.monotonic() - started < 30, name
        assert layout.n_pages == 1, name
        assert "legal frameworks and practices" in body_text(layout), name
        assert capsys.readouterr().err == "", name  # pdfminer's warnings stay off the console


def _odd_page(box: bytes = b"/MediaBox [0 0 595 842]", ops: bytes = TEXT_OPS, contents: bytes | None = None) -> bytes:
    return raw_pdf([*CATALOG, b"<< /Type /Page /Parent 2 0 R %s /Resources << /Font << /F1 5 0 R >> >> "
                    b"/Contents 4 0 R >>" % box, contents or stream(ops), HELVETICA])


ODD_PAGES = {  # name -> (PDF, expected: text read, or the start of the one-line error)
    "box-zero": (lambda: _odd_page(b"/MediaBox [0 0 0 0]"), "text"),
    "box-upside-down": (lambda: _odd_page(b"/MediaBox [595 842 0 0]"), "text"),
    # pdfminer fails on these (its own bugs: a missing box, junk in /Kids, a
    # stream /Length past the end); PDFium reads the text ("recovered")
    "box-missing": (lambda: _odd_page(b""), "recovered"),
    "box-not-numbers": (lambda: _odd_page(b"/MediaBox [/a (b) 1]"), "recovered"),
    "stray-operators": (lambda: _odd_page(ops=b"BT 1 2 3 4 5 6 7 Tm ] >> q q Q Q Q Q ET " + TEXT_OPS + b" 1e400 0 Td"), "text"),
    "huge-matrix": (lambda: _odd_page(ops=b"1e308 0 0 1e308 0 0 cm " + TEXT_OPS), "text"),
    "corrupt-flate": (lambda: _odd_page(contents=stream(b"x\x9c\x00garbage", b"/Filter /FlateDecode ")),
                      "no text layer (OCR not supported) on page 1"),
    "wrong-length": (lambda: _wrong_length(), "text"),  # the default engine's own reader: both engines below
    "junk-in-kids": (lambda: raw_pdf([CATALOG[0], b"<< /Type /Pages /Kids [(junk) 99 0 R 3 0 R] /Count 3 >>",
                                      page_obj(b"<< /Font << /F1 5 0 R >> >>"), stream(TEXT_OPS), HELVETICA]),
                     "recovered"),  # and its two junk entries named: "pages 1-2 cannot be read: damaged page object"
}


def _wrong_length() -> bytes:
    return _odd_page(contents=stream(TEXT_OPS).replace(b"/Length %d" % len(TEXT_OPS), b"/Length 99999999"))


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_a_content_stream_with_a_wrong_length_is_read_by_either_engine(tmp_path: Path, config, engine: str) -> None:
    """PDFium (the default engine) reads the stream as it is: no warning;
    pdfminer reads the page empty, so the reference path reads it with
    PDFium and says so."""
    from pipeline.config import with_engine

    p = tmp_path / "wrong-length.pdf"
    p.write_bytes(_wrong_length())
    layout = parse_pdf(p, with_engine(config, engine))
    assert "legal frameworks and practices" in body_text(layout)
    recovered = [w for w in layout.warnings if w.startswith(f"{p.name}: recovered by PDFium")]
    assert bool(recovered) == (engine == "pdfplumber"), layout.warnings
    assert all(pg.has_text for pg in layout.pages)


@pytest.mark.parametrize("case", sorted(ODD_PAGES))
def test_odd_page_objects_give_text_or_a_one_line_error(tmp_path: Path, config, case: str) -> None:
    build, expected = ODD_PAGES[case]
    p = tmp_path / f"{case}.pdf"
    p.write_bytes(build())
    if expected == "text":
        assert "legal frameworks and practices" in body_text(parse_pdf(p, config))
    elif expected == "recovered":
        layout = parse_pdf(p, config)
        assert "legal frameworks and practices" in body_text(layout)
        assert any(w.startswith(f"{p.name}: recovered by PDFium") for w in layout.warnings)
        assert all(pg.has_text or pg.number in layout.unreadable_pages for pg in layout.pages)
    else:
        with pytest.raises(InputError) as err:
            parse_pdf(p, config)
        assert one_line(err.value).startswith(f"{p.name}: {expected}")


# --------------------------------------------------------------------------
# pages: size, rotation, fonts
# --------------------------------------------------------------------------


def test_page_with_100000_characters(tmp_path: Path, config) -> None:
    size = (1800, 2600)  # a poster-size page, 4 pt type: no overlapping lines
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size, invariant=1)
    c.setFont("Helvetica", 4)
    written, y, n = 0, size[1] - 10, 0
    while written < 100_000:
        line = " ".join(f"w{n + k}" for k in range(100))
        n += 100
        c.drawString(10, y, line)
        written += len(line)
        y -= 5
    c.showPage()
    c.save()
    p = tmp_path / "dense.pdf"
    p.write_bytes(buf.getvalue())
    started = time.monotonic()
    layout = parse_pdf(p, config)
    assert time.monotonic() - started < 60
    text = body_text(layout)
    assert len(text) >= 95_000
    words = set(text.split())
    assert {"w0", "w5000", f"w{n - 1}"} <= words


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_rotated_pages(tmp_path: Path, config, angle: int) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(2))))
    for page in writer.pages:
        page.rotate(angle)
    buf = io.BytesIO()
    writer.write(buf)
    p = tmp_path / f"rotated-{angle}.pdf"
    p.write_bytes(buf.getvalue())
    layout = parse_pdf(p, config)
    assert layout.n_pages == 2 and all(pg.has_text for pg in layout.pages)
    assert layout.warnings == ()
    assert SENTENCES[1].split(" (")[0] in body_text(layout)


def _cid_font_page_objects(first: int) -> list[bytes]:
    """A page drawn with a Type0 font that has no ToUnicode map (Identity-H):
    pdfminer can only give "(cid:NN)" for every glyph."""
    glyphs = b"".join(b"%04x" % (0x14 + (i * 7) % 40) for i in range(45))
    ops = b"".join(b"BT /F1 11 Tf 72 %d Td <%s> Tj ET\n" % (760 - 16 * i, glyphs) for i in range(12))
    return [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
        b"/Contents %d 0 R >>" % (first + 2, first + 1),
        stream(ops),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Garbled /Encoding /Identity-H /DescendantFonts [%d 0 R] >>" % (first + 3),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Garbled /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 500 >>" % (first + 4),
        b"<< /Type /FontDescriptor /FontName /Garbled /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 "
        b"/Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>",
    ]


PUA_CMAP = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /PUA def "
            b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <20> <7E> <E020> endbfrange "
            b"endcmap CMapName currentdict /CMap defineresource pop end end")


def _private_use_page_objects(first: int) -> list[bytes]:
    """A page whose font's ToUnicode map sends every code to the private-use area."""
    return [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
        b"/Contents %d 0 R >>" % (first + 2, first + 1),
        stream(TEXT_OPS * 3),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>" % (first + 3),
        stream(PUA_CMAP),
    ]


def _mixed_objects(garbled_only: bool, kind: str = "cid") -> list[bytes]:
    """Page 1 readable text (unless garbled_only), then a page of glyphs
    without a Unicode mapping ("(cid:NN)" or private-use code points)."""
    garbled = _cid_font_page_objects if kind == "cid" else _private_use_page_objects
    if garbled_only:
        return [CATALOG[0], b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", *garbled(3)]
    return [CATALOG[0], b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
            page_obj(b"<< /Font << /F1 5 0 R >> >>"), stream(TEXT_OPS), HELVETICA, *garbled(6)]


@pytest.mark.parametrize("kind", ["cid", "private-use"])
def test_fonts_without_unicode_mapping(tmp_path: Path, config, kind: str) -> None:
    p = tmp_path / "garbled.pdf"
    p.write_bytes(raw_pdf(_mixed_objects(garbled_only=True, kind=kind)))
    with pytest.raises(InputError) as err:
        parse_pdf(p, config)
    assert one_line(err.value) == "garbled.pdf: text not decodable (fonts without a Unicode mapping) on page 1"

    p = tmp_path / "half-garbled.pdf"
    p.write_bytes(raw_pdf(_mixed_objects(garbled_only=False, kind=kind)))
    layout = parse_pdf(p, config)
    assert layout.undecodable_pages == (2,)
    assert layout.warnings == ("half-garbled.pdf: text not decodable (fonts without a Unicode mapping) on page 2; left empty",)
    assert layout.pages[1].blocks == () and "(cid:" not in layout.model_dump_json()
    assert not re.search("[\ue000-\uf8ff]", layout.model_dump_json())
    segmented = segment(layout, config)
    extracted = extract(segmented, config)
    assert segmented.paragraphs and all(p.page_end == 1 for p in segmented.paragraphs)
    assert all(s.page == 1 and "cid" not in s.sentence for s in extracted.statistics)
    # the numbers a reader of the text finds are page 1's only, none from "(cid:NN)"
    text = " ".join(p.text for p in segmented.paragraphs)
    found = {m.raw for m in find_statistics(text, stat_rules("en"))}
    assert found and found <= {"30 per cent", "1,200 migrants", "1,200", "2020", "about 30 per cent"}, found


def test_garbled_page_in_a_batch_is_partial_with_its_pages(tmp_path: Path, config) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "half-garbled.pdf").write_bytes(raw_pdf(_mixed_objects(garbled_only=False)))
    (inputs / "garbled.pdf").write_bytes(raw_pdf(_mixed_objects(garbled_only=True)))
    (inputs / "scan.pdf").write_bytes(_image_only_pdf(3))
    out = tmp_path / "out"
    assert run_batch(config, [inputs], out) == 1
    docs = documents(out)
    half = docs["half-garbled.pdf"]
    assert half.status == "partial"
    assert "text not decodable (fonts without a Unicode mapping) on page 2" in half.error
    assert any("page 2" in w for w in half.warnings)
    assert docs["garbled.pdf"].status == "failed"
    assert docs["garbled.pdf"].error == "garbled.pdf: text not decodable (fonts without a Unicode mapping) on page 1"
    assert (docs["scan.pdf"].status, docs["scan.pdf"].error) == ("failed", "scan.pdf: no text layer (OCR not supported) on pages 1-3")
    stats = pd.read_parquet(out / "statistics")
    assert set(stats.doc_id) <= {half.doc_id} and (stats.page == 1).all()
    assert not stats.raw.str.contains("cid").any()


def _image_only_pdf(pages: int) -> bytes:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    img = Image.new("RGB", (40, 30), (30, 90, 200))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for _ in range(pages):
        c.drawImage(ImageReader(img), 100, 100, width=400, height=600)
        c.showPage()
    c.save()
    return buf.getvalue()


# --------------------------------------------------------------------------
# size: 1,000 pages with flat memory
# --------------------------------------------------------------------------

PEAK_RSS = """
import resource, sys
from pathlib import Path
from pipeline.config import load_config
from pipeline.parse.stage import parse_pdf
layout = parse_pdf(Path(sys.argv[1]), load_config())
print(layout.n_pages, [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")][0], len(layout.model_dump_json()))  # VmHWM (kB): ru_maxrss is inherited across exec
"""


def _repeated_pages(n: int, path: Path, pages=(2, 9, 29)) -> Path:
    src = PdfReader(SAMPLE)
    writer = PdfWriter()
    for i in range(n):
        writer.add_page(src.pages[pages[i % len(pages)]])
    writer.write(path)
    return path


def _peak_rss(path: Path) -> tuple[int, int, int]:
    result = subprocess.run([sys.executable, "-c", PEAK_RSS, str(path)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    n_pages, rss_kib, json_bytes = map(int, result.stdout.split())
    return n_pages, rss_kib * 1024, json_bytes


@pytest.mark.slow
def test_thousand_pages_finish_with_flat_memory(tmp_path: Path) -> None:
    if not SAMPLE.exists():
        pytest.skip(f"{SAMPLE} not rendered")
    small = _peak_rss(_repeated_pages(50, tmp_path / "p50.pdf"))
    started = time.monotonic()
    big = _peak_rss(_repeated_pages(1000, tmp_path / "p1000.pdf"))
    seconds = time.monotonic() - started
    assert (small[0], big[0]) == (50, 1000)
    growth = big[1] - small[1]
    # pages are closed as they are read: what grows is the Layout itself (a
    # few times its JSON size in Python objects), not pdfminer's page caches
    assert growth < 12 * big[2] + (32 << 20), (small, big)
    assert big[1] < 2.5 * small[1], (small, big)
    assert seconds < 300
    print(f"peak RSS 50 pages {small[1] >> 20} MiB, 1000 pages {big[1] >> 20} MiB; 1000 pages in {seconds:.0f} s")


# --------------------------------------------------------------------------
# the batch: passwords, names, spinning files, output folder, changing files
# --------------------------------------------------------------------------


def _encrypt(data: bytes, user: str, owner: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_cli_password_opens_encrypted_files(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "locked.pdf").write_bytes(_encrypt(text_pdf(2, tag="locked"), "secret", "owner-secret"))
    (inputs / "restricted.pdf").write_bytes(_encrypt(text_pdf(2, tag="restricted"), "", "owner-secret"))
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(cli.app, ["run", str(inputs), "--out", str(out), "-w", "1", "--no-progress"])
    assert result.exit_code == 1, result.output
    docs = documents(out)
    assert (docs["locked.pdf"].status, docs["locked.pdf"].error) == ("failed", "locked.pdf: encrypted PDF (password required)")
    assert docs["restricted.pdf"].status in ("ok", "partial")  # owner password only: opens
    result = runner.invoke(cli.app, ["run", str(inputs), "--out", str(out), "-w", "1", "--no-progress", "--password", "secret"])
    assert result.exit_code == 0, result.output
    docs = documents(out)
    assert docs["locked.pdf"].status in ("ok", "partial") and docs["locked.pdf"].n_pages == 2
    paras = pd.read_parquet(out / "paragraphs")
    assert paras[paras.doc_id == docs["locked.pdf"].doc_id].text.str.contains("legal frameworks").any()


def test_file_names_with_spaces_accents_and_quotes(tmp_path: Path, config) -> None:
    inputs = tmp_path / "in put"
    inputs.mkdir()
    names = ["with space.pdf", "Perfil Migración – São Paulo.pdf", "it's \"quoted\" [1].pdf", "ñandú;$(x).PDF"]
    for i, name in enumerate(names):
        (inputs / name).write_bytes(text_pdf(1, tag=f"file {i}"))
    out = tmp_path / "out é"
    assert run_batch(config, [inputs], out) == 0
    docs = documents(out)
    assert sorted(docs) == sorted(names)
    for name in names:
        row = docs[name]
        assert row.status in ("ok", "partial")
        assert row.doc_id == make_doc_id(Path(name), file_sha256(inputs / name))
        assert re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{8}", row.doc_id)
        assert (out / "work" / row.doc_id / "extracted.json").exists()
    assert docs["Perfil Migración – São Paulo.pdf"].doc_id.startswith("perfil-migracion-sao-paulo-")


def _reference_cycle_pdf() -> bytes:
    """Resources 6 0 R -> 7 0 R -> 6 0 R: pdfminer's resolve1 follows it forever."""
    return raw_pdf([*CATALOG, page_obj(b"6 0 R"), stream(TEXT_OPS), HELVETICA, b"7 0 R", b"6 0 R"])


def test_spinning_parser_is_ended_by_the_timeout(tmp_path: Path, config) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "spin.pdf").write_bytes(_reference_cycle_pdf())
    (inputs / "fine.pdf").write_bytes(text_pdf(2))
    out = tmp_path / "out"
    started = time.monotonic()
    assert run_batch(config, [inputs], out, timeout=4) == 1
    assert time.monotonic() - started < 60
    docs = documents(out)
    assert (docs["spin.pdf"].status, docs["spin.pdf"].error) == ("failed", "timed out after 4 s")
    assert docs["fine.pdf"].status in ("ok", "partial")


def test_gold_skeleton_of_a_spinning_file_is_ended_by_the_timeout(tmp_path: Path, capsys) -> None:
    from pipeline.cli import skeleton_command

    pdf = tmp_path / "spin.pdf"
    pdf.write_bytes(_reference_cycle_pdf())
    started = time.monotonic()
    assert skeleton_command(pdf, tmp_path / "spin.skeleton.json", timeout=3) == 2
    assert time.monotonic() - started < 60
    assert "timed out after 3 s" in capsys.readouterr().err
    assert not (tmp_path / "spin.skeleton.json").exists()


def test_read_only_output_folder_fails_before_work(tmp_path: Path, config, capsys) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(text_pdf(1))
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    immutable = False
    try:
        if os.access(out, os.W_OK):  # root ignores permission bits: make the folder immutable
            immutable = subprocess.run(["chattr", "+i", str(out)], capture_output=True).returncode == 0
            if not immutable:
                pytest.skip("running as root without chattr: cannot make a folder read-only")
        assert run_batch(config, [pdf], out) == 2
        err = capsys.readouterr().err
        assert "not writable" in err and str(out) in err.replace("\n", "")
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1
        assert list(out.iterdir()) == []  # nothing started
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(out)], check=True)
        out.chmod(0o755)


FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, like ENOSPC
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
from pipeline import cli
sys.argv = ["mgi", *sys.argv[2:]]
cli.app()
"""


def test_full_output_disk_fails_before_work(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(text_pdf(1))
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK, "4096", "run", str(pdf), "--out", str(out), "--no-progress"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2, result.stderr
    err = result.stderr.strip()
    assert "not writable" in err and "File too large" in err
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert [p for p in out.rglob("*") if p.is_file()] == []  # no half file, nothing parsed


def parse_then_rewrite(path: Path, config, password=None):
    """A stage function for the test below: the file is rewritten while it is read."""
    layout = parse_pdf(path, config, password=password)
    if "changing" in path.name:
        path.write_bytes(path.read_bytes() + b"\n% rewritten by another program\n")
    return layout


def test_file_changing_during_the_run_is_marked_then_redone(tmp_path: Path, config) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    changing, steady = inputs / "changing.pdf", inputs / "steady.pdf"
    changing.write_bytes(text_pdf(2, tag="changing"))
    steady.write_bytes(text_pdf(2, tag="steady"))
    first_sha = file_sha256(changing)
    out = tmp_path / "out"
    hook = {"parse": f"{__name__}:parse_then_rewrite"}
    assert run_batch(config, [inputs], out, stage_functions=hook) == 1
    docs = documents(out)
    row = docs["changing.pdf"]
    assert row.status == "failed" and row.sha256 == first_sha
    assert row.error == ("changing.pdf: file changed while the run read it (sha256 differs from the start); "
                         "re-run to process its new content")
    assert docs["steady.pdf"].status in ("ok", "partial")
    for table in ("paragraphs", "statistics", "sections"):  # no rows of either version
        assert row.doc_id not in set(pd.read_parquet(out / table).doc_id)
    # the next run sees the new content under a new doc_id; old rows are gone
    assert run_batch(config, [inputs], out) == 0
    docs = documents(out)
    assert docs["changing.pdf"].sha256 == file_sha256(changing) != first_sha
    assert docs["changing.pdf"].status in ("ok", "partial") and len(docs) == 2
    paras = pd.read_parquet(out / "paragraphs")
    assert row.doc_id not in set(paras.doc_id) and docs["changing.pdf"].doc_id in set(paras.doc_id)
