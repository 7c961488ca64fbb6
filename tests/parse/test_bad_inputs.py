"""Bad input never escapes as a traceback: ``parse_pdf`` raises ``InputError``
with a one-line reason naming the file. Inputs are built on the fly."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipeline.config import load_config
from pipeline.errors import InputError
from pipeline.parse.stage import parse_pdf

TEXT = (
    "Migration governance refers to the system of institutions, legal frameworks, "
    "mechanisms and practices aimed at regulating migration and protecting migrants."
)


@pytest.fixture(scope="module", params=["pdfplumber", "pdfium"])
def config(request):
    """Both engines (issue 15): the same one-line reasons, status and warnings."""
    from pipeline.config import with_engine

    return with_engine(load_config(), request.param)


def _text_pdf(pages: int = 2) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for n in range(pages):
        c.setFont("Helvetica", 10)
        for i in range(12):
            c.drawString(72, 740 - 14 * i, f"{TEXT[:70]} {n}.{i}")
        c.drawString(290, 40, str(n + 1))
        c.showPage()
    c.save()
    return buf.getvalue()


def _image_only_pdf(pages: int, with_text_on: tuple[int, ...] = ()) -> bytes:
    """Pages drawn with vector shapes and an inline image, no text layer."""
    from reportlab.lib.utils import ImageReader
    from PIL import Image

    img = Image.new("RGB", (40, 30), (200, 30, 30))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for n in range(pages):
        c.rect(100, 400, 300, 200, fill=1)
        c.line(72, 300, 500, 300)
        c.drawImage(ImageReader(img), 100, 100, width=200, height=150)
        if n + 1 in with_text_on:
            c.setFont("Helvetica", 11)
            for i in range(5):
                c.drawString(72, 740 - 14 * i, TEXT[:80])
        c.showPage()
    c.save()
    return buf.getvalue()


def _one_line(exc: InputError) -> str:
    msg = str(exc)
    assert "\n" not in msg and "Traceback" not in msg
    return msg


def test_zero_byte(tmp_path: Path, config) -> None:
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    with pytest.raises(InputError) as err:
        parse_pdf(p, config)
    assert _one_line(err.value) == "empty.pdf: zero-byte file"


def test_random_bytes_named_pdf(tmp_path: Path, config) -> None:
    p = tmp_path / "noise.pdf"
    p.write_bytes(bytes(random.Random(7).randrange(256) for _ in range(4096)))
    with pytest.raises(InputError) as err:
        parse_pdf(p, config)
    msg = _one_line(err.value)
    assert msg.startswith("noise.pdf: not a PDF (starts with ")


def test_missing_file(tmp_path: Path, config) -> None:
    with pytest.raises(InputError) as err:
        parse_pdf(tmp_path / "nowhere.pdf", config)
    assert _one_line(err.value) == "nowhere.pdf: file not found"


@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.6, 0.95])
def test_truncated(tmp_path: Path, config, fraction: float) -> None:
    """Cut early, nothing is left to read: a plain-words error, pdfminer's and
    PDFium's own exceptions in ``error_detail``. Cut later, the pages whose
    objects survive are read (cross-reference table rebuilt) and the others
    are named as cut off."""
    data = _text_pdf(3)
    p = tmp_path / f"cut-{int(fraction * 100)}.pdf"
    p.write_bytes(data[: int(len(data) * fraction)])
    if fraction < 0.5:
        with pytest.raises(InputError) as err:
            parse_pdf(p, config)
        assert _one_line(err.value) == f"{p.name}: the file is cut short and no page can be read"
        assert err.value.error_detail.startswith("pdfminer: PSEOF") and "PDFium: " in err.value.error_detail
        return
    layout = parse_pdf(p, config)
    assert f"{p.name}: recovered: cross-reference table rebuilt" in layout.warnings
    assert layout.n_pages == 3 and layout.pages[0].has_text
    assert "Migration governance refers to" in " ".join(b.text for b in layout.pages[0].blocks)
    lost = tuple(pg.number for pg in layout.pages if not pg.has_text)
    assert layout.unreadable_pages == lost
    if lost:
        label = f"page {lost[0]}" if len(lost) == 1 else f"pages {lost[0]}-{lost[-1]}"
        assert layout.unreadable_reason == f"{label} cannot be read: the file is cut short"


def test_truncated_real_sample(tmp_path: Path, config, samples_dir: Path) -> None:
    src = sorted(samples_dir.glob("*.pdf"))[0].read_bytes()
    for i, cut in enumerate((len(src) // 7, len(src) // 2)):  # the page tree is at the end: lost
        p = tmp_path / f"sample-{i}.pdf"
        p.write_bytes(src[:cut])
        with pytest.raises(InputError) as err:
            parse_pdf(p, config)
        assert _one_line(err.value) == f"{p.name}: the file is cut short and no page can be read"
    p = tmp_path / "sample-end.pdf"  # only the cross-reference table and trailer are cut off
    p.write_bytes(src[: len(src) - 300])
    intact, cut = parse_pdf(sorted(samples_dir.glob("*.pdf"))[0], config), parse_pdf(p, config)
    assert cut.warnings[0] == f"{p.name}: recovered: cross-reference table rebuilt"
    assert cut.pages == intact.pages and not cut.unreadable_pages


def _encrypt(data: bytes, user: str, owner: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_encrypted_with_user_password(tmp_path: Path, config) -> None:
    p = tmp_path / "locked.pdf"
    p.write_bytes(_encrypt(_text_pdf(2), "secret", "owner-secret"))
    with pytest.raises(InputError) as err:
        parse_pdf(p, config)
    assert _one_line(err.value) == "locked.pdf: encrypted PDF (password required)"
    with pytest.raises(InputError) as err:
        parse_pdf(p, config, password="guess")
    assert _one_line(err.value) == "locked.pdf: encrypted PDF (wrong password)"
    layout = parse_pdf(p, config, password="secret")
    assert layout.n_pages == 2
    body = " ".join(b.text for b in layout.pages[0].blocks if b.role == "body")
    assert "Migration governance refers to the system" in body


def test_owner_password_only_opens(tmp_path: Path, config) -> None:
    p = tmp_path / "restricted.pdf"
    p.write_bytes(_encrypt(_text_pdf(2), "", "owner-secret"))
    layout = parse_pdf(p, config)
    assert layout.n_pages == 2
    assert all(page.has_text for page in layout.pages)


def test_image_only(tmp_path: Path, config) -> None:
    p = tmp_path / "scan.pdf"
    p.write_bytes(_image_only_pdf(3))
    with pytest.raises(InputError) as err:
        parse_pdf(p, config)
    assert _one_line(err.value) == "scan.pdf: no text layer (OCR not supported) on pages 1-3"


def test_some_image_only_pages_parse_with_warning(tmp_path: Path, config) -> None:
    p = tmp_path / "mixed.pdf"
    p.write_bytes(_image_only_pdf(4, with_text_on=(1, 4)))
    layout = parse_pdf(p, config)
    assert [pg.has_text for pg in layout.pages] == [True, False, False, True]
    assert layout.pages[1].blocks == () and layout.pages[2].blocks == ()
    assert any("pages 2-3" in w and "mixed.pdf" in w for w in layout.warnings)


def test_folder_is_not_a_pdf(tmp_path: Path, config) -> None:
    d = tmp_path / "folder.pdf"
    d.mkdir()
    with pytest.raises(InputError) as err:
        parse_pdf(d, config)
    assert _one_line(err.value).startswith("folder.pdf: ")


def test_doc_id_is_deterministic(tmp_path: Path, config) -> None:
    data = _text_pdf(1)
    a, b = tmp_path / "Same File.pdf", tmp_path / "other" / "Same File.pdf"
    b.parent.mkdir()
    a.write_bytes(data)
    b.write_bytes(data)
    la, lb = parse_pdf(a, config), parse_pdf(b, config)
    assert la.doc_id == lb.doc_id and la.doc_id.startswith("same-file-")
    assert la.model_dump() == lb.model_dump()


def test_pdf_header_then_garbage(tmp_path: Path, config) -> None:
    p = tmp_path / "garbled.pdf"
    p.write_bytes(b"%PDF-1.4\n" + bytes(random.Random(3).randrange(256) for _ in range(5000)))
    with pytest.raises(InputError) as err:
        parse_pdf(p, config)
    assert _one_line(err.value) == "garbled.pdf: the file is cut short and no page can be read"  # no %%EOF


def test_pdf_without_pages(tmp_path: Path, config) -> None:
    p = tmp_path / "nopages.pdf"
    PdfWriter().write(str(p))
    with pytest.raises(InputError) as err:
        parse_pdf(p, config)
    assert _one_line(err.value) == "nopages.pdf: the file is damaged: it has no pages"
