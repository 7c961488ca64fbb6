"""Parse stage: PDF -> ``Layout`` (pages of blocks in reading order, notes, metadata).

One bulk word pass per page (words split where font or size change, which
separates superscript markers): the characters are read once from pdfminer's
layout into lean dicts (``_page_objects``) and grouped by pdfplumber's own
``WordExtractor``, which gives the same words as ``page.extract_words`` without
pdfplumber's costly conversion of every attribute of every character; pages
are processed one at a time and closed, so memory stays flat on long reports. Everything after that
is geometry on plain Python objects (``pipeline.layout``), line roles decided
per document (``pipeline.lineroles``), markers and foot notes
(``pipeline.markers``) and text normalisation (``pipeline.textnorm``).

Bad input never escapes as a traceback: it raises ``InputError`` with a
one-line reason naming the file.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.config import Config
from pipeline.datamodel import Block, DocumentMeta, Layout, Line, Marker, Page, PageFootnote
from pipeline.errors import InputError
from pipeline.parse.layout import (
    PLine,
    Word,
    assign_columns,
    column_regions,
    group_rows,
    join_lines,
    reading_order,
    split_blocks,
    split_rows,
)
from pipeline.parse.figures import chart_boxes, mark_figure_text, mark_pull_quotes, text_boxes
from pipeline.parse.letterspacing import join_spaced_letters
from pipeline.parse.lineroles import (
    RoleRules,
    body_size,
    mark_captions,
    mark_footnotes,
    mark_furniture,
    mark_headings,
    modal_pitch,
    page_body_size,
)
from pipeline.parse.markers import MarkerRules, build_text, group_notes, note_bbox, note_text
from pipeline.text.normalize import Lexicon
from pipeline.ids import file_sha256, make_doc_id


# pdfminer logs every damaged object it works around ("Could not get FontBBox",
# "Refusing to execute circular reference ...") as warnings, which Python
# prints on stderr when nothing is configured: the console gets one-line
# reasons only, and what was lost is reported in the Layout's warnings
logging.getLogger("pdfminer").setLevel(logging.ERROR)


@dataclass
class _Settings:
    x_tolerance_ratio: float
    min_chars: int
    small_ratio: float
    gutter: dict
    markers: MarkerRules
    roles: RoleRules
    paragraph_gap: float
    indent: float
    bold_re: re.Pattern
    italic_re: re.Pattern
    metadata_pages: int
    wording: dict[str, list[re.Pattern]]
    max_undecodable: float = 0.3
    letter_break_ratio: float = 1.8

    @classmethod
    def from_config(cls, config: Config) -> "_Settings":
        p = config.section("parse")
        wording: dict[str, list[re.Pattern]] = {}
        for lang in config.languages:
            for key, pattern in config.wording("parse", lang).items():
                compiled = re.compile(pattern)
                if compiled not in wording.setdefault(key, []):
                    wording[key].append(compiled)

        NEVER = r"(?!)"  # no wording configured: nothing matches

        def union(key: str, fallback: str) -> re.Pattern:
            pats = [c.pattern for c in wording.get(key, [])] or [fallback]
            return re.compile("|".join(f"(?:{x})" for x in pats))

        return cls(
            x_tolerance_ratio=float(p.get("x_tolerance_ratio", 0.15)),
            min_chars=int(p.get("min_chars_for_text_layer", 20)),
            small_ratio=float(p.get("superscript_max_size_ratio", 0.85)),
            gutter=dict(
                fill_gap=float(p.get("gutter_fill_gap", 0.8)),
                min_width=float(p.get("gutter_min_width", 6)),
                min_rows_fraction=float(p.get("gutter_min_rows_fraction", 0.2)),
                min_lines=float(p.get("gutter_min_lines", 4)),
                min_column_fraction=float(p.get("gutter_min_column_fraction", 0.2)),
            ),
            markers=MarkerRules(
                sup_size_ratio=float(p.get("superscript_max_size_ratio", 0.85)),
                rise_ratio=float(p.get("superscript_rise_ratio", 0.25)),
                space_gap=float(p.get("space_gap", 0.1)),
            ),
            roles=RoleRules(
                band=float(p.get("furniture_band", 0.08)),
                min_pages=int(p.get("furniture_min_pages", 3)),
                footnote_max_ratio=float(p.get("footnote_max_size_ratio", 0.9)),
                heading_size_ratio=float(p.get("heading_size_ratio", 1.15)),
                heading_max_words=int(p.get("heading_max_words", 20)),
                caption_re=union("caption", NEVER),  # caption words live in configs/parse/<lang>.yaml
                page_number_re=union("page_number", r"^\d{1,4}$"),
            ),
            paragraph_gap=float(p.get("paragraph_gap", 0.4)),
            indent=float(p.get("first_line_indent", 0.8)),
            bold_re=re.compile(str(p.get("bold_fonts", "Bold|Black|Semibold|Heavy"))),
            italic_re=re.compile(str(p.get("italic_fonts", "Italic|Oblique"))),
            metadata_pages=int(p.get("metadata_pages", 4)),
            wording=wording,
            max_undecodable=float(p.get("max_undecodable_ratio", 0.3)),
            letter_break_ratio=float(p.get("letter_spacing_break_ratio", 1.8)),
        )


@dataclass
class _PageData:
    number: int
    width: float
    height: float
    has_text: bool
    n_columns: int
    lines: list[PLine]  # in reading order
    rule_ys: list[float]  # tops of horizontal rules (footnote separators)
    undecodable: bool = False  # text drawn with fonts that have no Unicode mapping
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # filled boxes (pull quotes)


# --------------------------------------------------------------------------
# opening the file
# --------------------------------------------------------------------------


def _check_file(path: Path) -> None:
    name = path.name
    if not path.exists():
        raise InputError(f"{name}: file not found")
    if path.is_dir():
        raise InputError(f"{name}: is a folder, not a PDF file")
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise InputError(f"{name}: unreadable ({exc.strerror or exc})") from None
    if size == 0:
        raise InputError(f"{name}: zero-byte file")
    if b"%PDF-" not in head:
        shown = head[:8].decode("latin-1")
        shown = "".join(ch if " " <= ch <= "~" else "." for ch in shown)  # ASCII only: binary junk stays readable
        raise InputError(f"{name}: not a PDF (starts with {shown!r})")


def _pdf_error(name: str, exc: BaseException, password: str | None) -> InputError:
    """Map pdfminer / pdfplumber exceptions to a one-line InputError."""
    inner = getattr(exc, "args", [None])[0] if type(exc).__name__ == "PdfminerException" else exc
    if not isinstance(inner, BaseException):
        inner = exc
    kind = type(inner).__name__
    if kind in ("PDFPasswordIncorrect",):
        if password:
            return InputError(f"{name}: encrypted PDF (wrong password)")
        return InputError(f"{name}: encrypted PDF (password required)")
    if kind in ("PDFEncryptionError", "PDFEncryptionWarning"):
        return InputError(f"{name}: encrypted PDF (unsupported encryption: {inner})")
    detail = " ".join(str(inner).split())[:120] or kind
    return InputError(f"{name}: truncated or damaged PDF ({kind}: {detail})")


def _pages_label(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> "pages 1-3, 5"; [2] -> "page 2"."""
    return ("page " if len(numbers) == 1 else "pages ") + _page_ranges(numbers)


def _page_ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    start = prev = None
    for n in numbers:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            parts.append(f"{start}-{prev}" if start != prev else str(start))
            start = prev = n
    if start is not None:
        parts.append(f"{start}-{prev}" if start != prev else str(start))
    return ", ".join(parts)


# --------------------------------------------------------------------------
# per page
# --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _char_reader():
    """A pdfminer layout device that keeps each character as a plain tuple
    instead of an ``LTChar`` object (geometry computed exactly as
    ``LTChar.__init__`` does); paths, images and figures are kept as pdfminer
    makes them. Building an ``LTChar`` per glyph and then a dict from it is
    most of the cost of reading a text-heavy page."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdffont import PDFUnicodeNotDefined
    from pdfminer.utils import apply_matrix_rect

    class CharReader(PDFPageAggregator):
        def __init__(self, rsrcmgr, pageno: int):
            super().__init__(rsrcmgr, pageno=pageno, laparams=None)
            self.chars: list[tuple] = []

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
            try:
                text = font.to_unichr(cid)
                assert isinstance(text, str), str(type(text))
            except PDFUnicodeNotDefined:
                text = self.handle_undefined_char(font, cid)
            adv = font.char_width(cid) * fontsize * scaling
            vertical = font.is_vertical()
            if vertical:
                vx, vy = font.char_disp(cid)
                vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
                vy = (1000 - vy) * fontsize * 0.001
                bbox = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
            else:
                descent = font.get_descent() * fontsize
                bbox = (0, descent + rise, adv, descent + rise + fontsize)
            a, b, c, d, _e, _f = matrix
            x0, y0, x1, y1 = apply_matrix_rect(matrix, bbox)
            if x1 < x0:
                x0, x1 = x1, x0
            if y1 < y0:
                y0, y1 = y1, y0
            upright = a * d * scaling > 0 and b * c <= 0
            self.chars.append((text, font.fontname, upright, a > 0, x0, y0, x1, y1, vertical))
            return adv

    return CharReader


def _page_objects(page, graphics: list[dict] | None = None) -> tuple[list[dict], list[dict]]:
    """The page's characters and its line + rect objects, read once, as the
    dicts ``page.chars`` / ``page.objects`` would hold them but with only the
    keys the word grouping and the rule search read (same coordinate
    arithmetic as ``pdfplumber.Page.process_object``; characters in drawing
    order, which is the order pdfplumber lists them in). Line and rect dicts
    also carry ``kind`` and ``fill``; with a ``graphics`` list, every line,
    rect and curve of the page is appended to it too (kind, fill, geometry),
    for the figure search (``pipeline.figures``)."""
    from pdfminer.layout import LTContainer
    from pdfminer.pdfinterp import PDFPageInterpreter

    device = _char_reader()(page.pdf.rsrcmgr, page.page_number)
    PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    doctop0 = page.initial_doctop
    chars: list[dict] = []
    for text, fontname, upright, forward, x0, y0, x1, y1, vertical in device.chars:
        if isinstance(fontname, bytes):  # rare byte-encoded font names
            from pdfplumber.utils.pdfinternals import fix_fontname_bytes

            fontname = fix_fontname_bytes(fontname)
        width, h = x1 - x0, y1 - y0
        top = (height - y1) + mb_top
        if mb_x0 != 0:
            x0, x1 = x0 + mb_x0, x1 + mb_x0
        chars.append({
            "text": text, "fontname": fontname, "size": width if vertical else h, "upright": upright,
            "forward": forward, "x0": x0, "x1": x1, "top": top, "bottom": (height - y0) + mb_top,
            "doctop": doctop0 + top, "width": width, "height": h,
        })
    lines: list[dict] = []
    rects: list[dict] = []
    stack = [iter(device.get_result()._objs)]
    while stack:  # depth-first, children in order (as pdfplumber iterates)
        obj = next(stack[-1], None)
        if obj is None:
            stack.pop()
            continue
        if isinstance(obj, LTContainer):
            stack.append(iter(obj._objs))
            continue
        kind = obj.__class__.__name__
        if kind in ("LTLine", "LTRect") or (graphics is not None and kind == "LTCurve"):
            x0, x1 = obj.x0, obj.x1
            if mb_x0 != 0:
                x0, x1 = x0 + mb_x0, x1 + mb_x0
            top, bottom = (height - obj.y1) + mb_top, (height - obj.y0) + mb_top
            item = {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "kind": kind[2:].lower(), "fill": bool(obj.fill)}
            if kind == "LTCurve":
                item["points"] = len(getattr(obj, "pts", ()) or ())
            else:
                (lines if kind == "LTLine" else rects).append(item)
            if graphics is not None:
                graphics.append(item)
    return chars, lines + rects


_UNDECODABLE = re.compile("^\\(cid:\\d+\\)$|[\ue000-\uf8ff\ufffd\U000f0000-\U0010ffff]")


def _undecodable(char: dict) -> bool:
    """A glyph of a font without a Unicode mapping: pdfminer's "(cid:NN)",
    a private-use code point or the replacement character."""
    return bool(_UNDECODABLE.search(char["text"]))


def _readable_share(chars: list[dict]) -> float:
    return sum(1 for c in chars if c["upright"] and c.get("forward", True)) / len(chars) if chars else 1.0


def _unrotated(page):
    """``page`` read without its /Rotate. A portrait page turned by /Rotate 90
    (or 180, 270) draws its text upright in unrotated space; pdfminer applies
    the rotation, and every character comes out sideways or upside down."""
    from pdfplumber.page import Page as PlumberPage

    obj = page.page_obj
    obj.attrs = {**obj.attrs, "Rotate": 0}
    obj.rotate = 0
    return PlumberPage(page.pdf, obj, page_number=page.page_number, initial_doctop=page.initial_doctop)


def _read_page(page, number: int, s: _Settings) -> _PageData:
    from pdfplumber.utils.text import WordExtractor

    graphics: list[dict] = []
    chars, rules = _page_objects(page, graphics)
    if page.rotation and chars and _readable_share(chars) < 0.5:
        turned = _unrotated(page)
        turned_graphics: list[dict] = []
        turned_chars, turned_rules = _page_objects(turned, turned_graphics)
        if _readable_share(turned_chars) > _readable_share(chars):
            page, chars, rules, graphics = turned, turned_chars, turned_rules, turned_graphics
    width, height = float(page.width), float(page.height)
    bad = sum(1 for c in chars if _undecodable(c))
    if bad:
        if bad > s.max_undecodable * len(chars):
            return _PageData(number, width, height, False, 1, [], [], undecodable=True)
        chars = [c for c in chars if not _undecodable(c)]
    raw_words = WordExtractor(
        x_tolerance=1.5,
        x_tolerance_ratio=s.x_tolerance_ratio,
        keep_blank_chars=False,
        use_text_flow=False,
        extra_attrs=["fontname", "size"],
        expand_ligatures=False,
    ).extract_words(chars)
    words = [
        Word(w["text"], float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]), w["fontname"], float(w["size"]))
        for w in raw_words
        if w.get("upright", True) and w["text"].strip()
    ]
    words = join_spaced_letters(words, s.letter_break_ratio)
    n_chars = sum(len(w.text) for w in words)
    rule_ys: list[float] = []
    separators: list[tuple[float, float, float, float]] = []  # rules and boxes: region cuts
    for obj in rules:
        h = float(obj["bottom"]) - float(obj["top"])
        w = float(obj["x1"]) - float(obj["x0"])
        if h <= 2.0 and 20.0 <= w <= width * 0.9:
            rule_ys.append(round(float(obj["top"]), 2))
        if w >= 20.0:
            separators.append((float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"])))
    if n_chars < s.min_chars:
        return _PageData(number, width, height, False, 1, [], rule_ys)
    rows = group_rows(words, s.small_ratio)
    regions = column_regions(rows, width, height, separators, **s.gutter)
    lines = split_rows(rows, regions, number)
    for ln in lines:
        ln.measure(s.bold_re, s.italic_re)
    n_columns = assign_columns(lines, regions)
    lines = reading_order(lines)
    if any(ln.margin for ln in lines):  # a margin of side-heads is not a column of text
        n_columns = max(1, len({ln.column for ln in lines if ln.column and not ln.margin}))
    for ln in lines:
        build_text(ln, s.markers)
    lines = [ln for ln in lines if ln.text or ln.label is not None or ln.markers]
    mark_figure_text(lines, chart_boxes(graphics, words, width, height))
    boxes = text_boxes(graphics, width, height)
    return _PageData(number, width, height, True, n_columns, lines, sorted(rule_ys), boxes=boxes)


# --------------------------------------------------------------------------
# the document
# --------------------------------------------------------------------------


def parse_pdf(path: Path, config: Config, password: str | None = None) -> Layout:
    """Read a PDF into a ``Layout``; raises ``InputError`` for unusable input.

    A file whose cross-reference table points at the wrong offsets (pdfminer
    trusts it and finds no pages, or fails on a page) is read a second time
    with the table rebuilt by scanning the objects; the first error is
    reported when that fails too."""
    path = Path(path)
    name = path.name
    _check_file(path)
    s = _Settings.from_config(config)
    sha = file_sha256(path)
    try:
        pages = _read_pages(path, s, password, rebuild_xref=False)
    except _DamagedPDF as first:
        if not _ends_complete(path):  # truncated: objects are missing, not misplaced
            raise InputError(first.reason) from None
        try:
            pages = _read_pages(path, s, password, rebuild_xref=True)
        except InputError:
            raise InputError(first.reason) from None
        layout = _assemble(pages, s, path, sha)
        note = f"{name}: damaged cross-reference table rebuilt by scanning the file"
        return layout.model_copy(update={"warnings": (note, *layout.warnings)})
    return _assemble(pages, s, path, sha)


def _ends_complete(path: Path) -> bool:
    """Whether the file ends with its %%EOF marker (not cut short)."""
    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - 1024))
        return b"%%EOF" in fh.read()


class _DamagedPDF(InputError):
    """Raised by ``_read_pages`` for structural damage (worth a rebuilt xref)."""


_OBJ_RE = re.compile(rb"(?:^|[\r\n])(\d{1,10})[ \t]+(\d{1,5})[ \t]+obj\b")
_TRAILER_RE = re.compile(rb"trailer\s*(<<.*?>>)\s*startxref", re.S)
_CATALOG_RE = re.compile(rb"/Type\s*/Catalog\b")


def rebuilt_xref(data: bytes) -> bytes | None:
    """``data`` with a fresh cross-reference section appended: the offset of
    every "N G obj" found by scanning the file (the last one wins, as in an
    incremental update) and the last trailer dictionary (or one naming the
    catalog object when the trailer is gone). None when nothing is found."""
    offsets: dict[int, tuple[int, int]] = {}
    catalog = None
    for m in _OBJ_RE.finditer(data):
        start = m.start(1)
        offsets[int(m.group(1))] = (start, int(m.group(2)))
        end = data.find(b"endobj", m.end())
        if _CATALOG_RE.search(data, m.end(), end if end > 0 else len(data)):
            catalog = int(m.group(1))
    if not offsets:
        return None
    size = max(offsets) + 1
    trailers = list(_TRAILER_RE.finditer(data))
    if trailers:
        trailer = re.sub(rb"/(?:Prev|Size|XRefStm)\s+\d+", b"", trailers[-1].group(1))
        trailer = b"<< /Size %d " % size + trailer[2:]
    elif catalog is not None:
        trailer = b"<< /Size %d /Root %d 0 R >>" % (size, catalog)
    else:
        return None
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        if n in offsets:
            out += b"%010d %05d n \n" % offsets[n]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def _open_pdf(path: Path, password: str | None, rebuild_xref: bool):
    import io

    import pdfplumber

    if not rebuild_xref:
        return pdfplumber.open(path, password=password or "")
    repaired = rebuilt_xref(path.read_bytes())
    if repaired is None:
        raise InputError(f"{path.name}: no objects found")
    return pdfplumber.open(io.BytesIO(repaired), password=password or "")


def _read_pages(path: Path, s: _Settings, password: str | None, rebuild_xref: bool) -> list[_PageData]:
    name = path.name

    def damaged(exc: BaseException) -> InputError:
        err = _pdf_error(name, exc, password)
        return err if "encrypted PDF" in err.reason else _DamagedPDF(err.reason)

    pages: list[_PageData] = []
    try:
        pdf = _open_pdf(path, password, rebuild_xref)
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many types; all mean bad input
        raise damaged(exc) from None
    try:
        try:
            n_pages = len(pdf.pages)
        except Exception as exc:
            raise damaged(exc) from None
        if n_pages == 0:
            raise _DamagedPDF(f"{name}: truncated or damaged PDF (no pages)")
        for i in range(n_pages):
            try:
                page = pdf.pages[i]
                try:
                    pages.append(_read_page(page, i + 1, s))
                finally:
                    page.close()
            except InputError:
                raise
            except Exception as exc:
                raise damaged(exc) from None
    finally:
        try:
            pdf.close()
        except Exception:
            pass
    return pages


def _assemble(pages: list[_PageData], s: _Settings, path: Path, sha: str) -> Layout:
    name = path.name
    undecodable = [p.number for p in pages if p.undecodable]
    blank = [p.number for p in pages if not p.has_text and not p.undecodable]
    reasons = []
    if blank:
        reasons.append(f"no text layer (OCR not supported) on {_pages_label(blank)}")
    if undecodable:
        reasons.append(f"text not decodable (fonts without a Unicode mapping) on {_pages_label(undecodable)}")
    if len(blank) + len(undecodable) == len(pages):
        raise InputError(f"{name}: " + "; ".join(reasons))
    warnings = [f"{name}: {reason}; left empty" for reason in reasons]

    all_lines = [ln for p in pages for ln in p.lines]
    body = body_size(all_lines)
    mark_furniture([(p.height, p.lines) for p in pages], s.roles)
    had_notes = False
    for p in pages:
        mark_captions(p.lines, s.roles)
        page_body = page_body_size(p.lines, body)
        mark_pull_quotes(p.lines, p.boxes, page_body)
        mark_footnotes(p.lines, page_body, s.roles, p.rule_ys, continued=had_notes)
        mark_headings(p.lines, page_body, s.roles)
        if p.has_text:
            had_notes = any(ln.role == "footnote" for ln in p.lines)
    pitch = modal_pitch(all_lines)

    # glued markers: digits at a word's end that match a note of the page
    for p in pages:
        notes = group_notes([ln for ln in p.lines if ln.role == "footnote"])
        numbers = {n.number for n in notes if n.number is not None}
        found = {m[0] for ln in p.lines if ln.role != "footnote" for m in ln.markers}
        missing = frozenset(numbers - found)
        if missing:
            for ln in p.lines:
                if ln.role in ("body", "heading", "caption"):
                    build_text(ln, s.markers, missing)
        for ln in p.lines:
            if ln.label is not None and ln.role != "footnote":
                # a raised number opening a non-note line is a marker
                ln.markers.insert(0, (ln.label, 0, _wbox(ln.words[0])))
                ln.label = None

    lexicon = Lexicon()
    for ln in all_lines:
        lexicon.add(ln.text)

    out_pages: list[Page] = []
    for p in pages:
        out_pages.append(_page_model(p, s, pitch, lexicon))
    meta = _metadata(out_pages, s)
    return Layout(
        doc_id=make_doc_id(path, sha),
        source_file=name,
        sha256=sha,
        n_pages=len(pages),
        pages=tuple(out_pages),
        metadata=meta,
        warnings=tuple(warnings),
        undecodable_pages=tuple(undecodable),
    )


def _wbox(w: Word) -> tuple[float, float, float, float]:
    return (round(w.x0, 2), round(w.top, 2), round(w.x1, 2), round(w.bottom, 2))


def _line_model(ln: PLine) -> Line:
    return Line(
        page=ln.page,
        text=ln.text,
        raw=ln.raw,
        bbox=ln.bbox,
        font=ln.font,
        size=ln.size,
        bold=ln.bold,
        italic=ln.italic,
        column=ln.column,
        role=ln.role,  # type: ignore[arg-type]
        markers=tuple(Marker(number=n, offset=o, page=ln.page, bbox=bb) for n, o, bb in ln.markers),
    )


def _page_model(p: _PageData, s: _Settings, pitch: float, lexicon: Lexicon) -> Page:
    if not p.has_text:
        return Page(number=p.number, width=p.width, height=p.height, n_columns=1, has_text=False)
    blocks: list[Block] = []
    for group in split_blocks(p.lines, pitch, s.paragraph_gap, s.indent):
        text, raw, markers = join_lines(group, lexicon)
        first = group[0]
        sizes = [ln.size for ln in group]
        blocks.append(
            Block(
                page=p.number,
                role=first.role,  # type: ignore[arg-type]
                column=first.column,
                bbox=(
                    round(min(ln.x0 for ln in group), 2),
                    round(min(ln.top for ln in group), 2),
                    round(max(ln.x1 for ln in group), 2),
                    round(max(ln.bottom for ln in group), 2),
                ),
                text=text,
                raw=raw,
                font=first.font,
                size=max(set(sizes), key=sizes.count),
                bold=sum(ln.bold for ln in group) * 2 > len(group),
                italic=sum(ln.italic for ln in group) * 2 > len(group),
                markers=tuple(Marker(number=n, offset=o, page=p.number, bbox=bb) for n, o, bb in markers),
                lines=tuple(_line_model(ln) for ln in group),
            )
        )
    notes = group_notes([ln for ln in p.lines if ln.role == "footnote"])
    footnotes = tuple(
        PageFootnote(number=n.number, page=p.number, text=note_text(n, lexicon), bbox=note_bbox(n)) for n in notes
    )
    return Page(
        number=p.number,
        width=round(p.width, 2),
        height=round(p.height, 2),
        n_columns=p.n_columns,
        has_text=True,
        blocks=tuple(blocks),
        footnotes=footnotes,
    )


# --------------------------------------------------------------------------
# metadata
# --------------------------------------------------------------------------


def _first_match(patterns: list[re.Pattern], text: str) -> re.Match | None:
    best: re.Match | None = None
    for pat in patterns:
        m = pat.search(text)
        if m and (best is None or m.start() < best.start()):
            best = m
    return best


def _metadata(pages: list[Page], s: _Settings) -> DocumentMeta:
    """Title (largest text of page 1), ISBN, publication and profile years."""
    title = None
    first = next((p for p in pages if p.has_text), None)
    if first is not None:
        candidates = [b for b in first.blocks if b.role != "furniture" and b.text]
        if candidates:
            # the largest text, and text nearly as large (a cover title shrunk to
            # fit its line beside a subtitle set one size up)
            top = max(b.size for b in candidates)
            parts = [b.text for b in candidates if b.size >= 0.8 * top - 0.5]
            title = " ".join(" ".join(parts).split()) or None
    text = "\n".join(b.text for p in pages[: s.metadata_pages] for b in p.blocks)
    isbn = publication = profile = None
    m = _first_match(s.wording.get("isbn", []), text)
    if m:
        isbn = re.sub(r"\s+", "", m.group(1))
    m = _first_match(s.wording.get("publication_year", []), text)
    if m:
        publication = int(m.group(1))
    m = _first_match(s.wording.get("profile_year", []), text)
    if m:
        profile = int(m.group(1))
    return DocumentMeta(title=title, isbn=isbn, publication_year=publication, profile_year=profile)
