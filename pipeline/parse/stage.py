"""Parse stage: PDF -> ``Layout`` (pages of blocks in reading order, notes).

One bulk word pass per page (words split where font or size change, which
separates superscript markers): the characters are read once from pdfminer's
layout (or PDFium's) into lean dicts (``pipeline.parse.chars.page_objects``)
and grouped into the words pdfplumber's ``WordExtractor`` gives
(``pipeline.parse.chars.upright_words``, the same words as
``page.extract_words``) without pdfplumber's costly conversion of every
attribute of every character; pages are processed one at a time and closed,
so memory stays flat on long reports. Everything after that is geometry on
plain Python objects (``pipeline.parse.layout``, ``pipeline.parse.columns``),
line roles decided per document (``pipeline.parse.lineroles``), markers and
foot notes (``pipeline.parse.markers``) and text normalisation
(``pipeline.text.normalize``).

Bad input never escapes as a traceback: it raises ``InputError`` with a
one-line reason naming the file (the file checks and pdfminer's exceptions
are mapped in ``pipeline.parse.pdffile``). A damaged file is read page by
page: what pdfminer cannot read is read by PDFium, and a page neither can
read is left empty and named (``pipeline.parse.recovery``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import Config, engine_of
from pipeline.datamodel import Block, Layout, Line, Marker, Page, PageFootnote
from pipeline.errors import InputError
from pipeline.parse.chars import (
    count_undecodable, drawn_hyphens, is_undecodable, page_objects, readable_share, superscript_glyphs, unrotated,
    upright_words,
)
from pipeline.parse.columns import assign_columns, column_regions, split_rows, text_size
from pipeline.parse.layout import Flow, PLine, Word, group_rows, join_lines, measure_flow, split_blocks
from pipeline.parse.figures import chart_boxes, mark_figure_text, mark_pull_quotes, text_boxes
from pipeline.parse.letterspacing import join_spaced_letters
from pipeline.parse.lineroles import (
    RoleRules,
    body_size,
    mark_captions,
    mark_furniture,
    mark_headings,
    page_body_size,
)
from pipeline.parse.markers import MarkerRules, build_text, group_notes, note_bbox, note_text
from pipeline.parse.noteroles import last_note_number, mark_footnotes, split_note_columns
from pipeline.parse import pdfium
from pipeline.parse.pdffile import check_file
from pipeline.parse.reading import reading_order
from pipeline.parse.recovery import Reading, Unreadable, read_document, read_document_pdfium
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
    hyphen_prefix: re.Pattern | None = None
    hyphenation_patterns: tuple[str, ...] = ()
    max_undecodable: float = 0.3
    letter_break_ratio: float = 1.8
    page_time_budget: float = 60.0
    engine: str = "pdfium"  # (always set from the config: engine_of)

    @classmethod
    def from_config(cls, config: Config) -> "_Settings":
        p = config.section("parse")
        wording: dict[str, list[re.Pattern]] = {}
        for lang in config.languages:
            for key, pattern in config.wording("parse", lang).items():
                if not isinstance(pattern, str):  # a list (hyphenation_patterns), not a pattern
                    continue
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
                min_rise_ratio=float(p.get("superscript_min_rise_ratio", 0.1)),
                space_gap=float(p.get("space_gap", 0.1)),
                exponent_bases=tuple(str(x) for x in p.get("exponent_bases", ())),
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
            max_undecodable=float(p.get("max_undecodable_ratio", 0.3)),
            letter_break_ratio=float(p.get("letter_spacing_break_ratio", 1.8)),
            hyphen_prefix=config.union_pattern("parse", "hyphen_prefix"),
            hyphenation_patterns=config.union_list("parse", "hyphenation_patterns"),
            page_time_budget=float(p.get("page_time_budget_seconds", 60)),
            engine=engine_of(config),
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
    unreadable: Unreadable | None = None  # neither pdfminer nor PDFium could read the page


# --------------------------------------------------------------------------
# page labels (for warnings)
# --------------------------------------------------------------------------


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


def _read_page(page, number: int, s: _Settings) -> _PageData:
    graphics: list[dict] = []
    chars, rules = page_objects(page, graphics)
    if page.rotation and chars and readable_share(chars) < 0.5:
        turned = unrotated(page)
        turned_graphics: list[dict] = []
        turned_chars, turned_rules = page_objects(turned, turned_graphics)
        if readable_share(turned_chars) > readable_share(chars):
            page, chars, rules, graphics = turned, turned_chars, turned_rules, turned_graphics
    return _page_from_objects(number, float(page.width), float(page.height), chars, rules, graphics, s)


def _read_pdfium_page(doc, index: int, doctop: float, s: _Settings, fonts=None) -> _PageData:
    """A page read by PDFium, turned by its /Rotate as pdfminer reads it (and
    unturned when that reads better, as ``_read_page``); ``fonts``: pdfminer's
    fonts of the document (``pdfium.MinerFonts``), for its names and widths."""
    graphics: list[dict] = []
    chars, rules, width, height = pdfium.page_objects(doc, index, doctop, graphics, rotated=True, fonts=fonts)
    return _page_from_objects(index + 1, width, height, chars, rules, graphics, s)


def _page_from_objects(number: int, width: float, height: float, chars: list[dict], rules: list[dict],
                       graphics: list[dict], s: _Settings) -> _PageData:
    """A page from its character and drawn-object records (either source)."""
    page_text = "".join([c["text"] for c in chars])  # (a soft hyphen read as "-" changes no undecodable glyph)
    chars = superscript_glyphs(drawn_hyphens(chars, page_text))
    bad = count_undecodable(chars, page_text)
    if bad:
        if bad > s.max_undecodable * len(chars):
            return _PageData(number, width, height, False, 1, [], [], undecodable=True)
        chars = [c for c in chars if not is_undecodable(c)]
    # pdfplumber's WordExtractor(x_tolerance_ratio=..., extra_attrs=["fontname", "size"],
    # expand_ligatures=False) words, upright and not blank (pipeline.parse.chars)
    words = upright_words(chars, s.x_tolerance_ratio, word=Word)
    words = join_spaced_letters(words, s.letter_break_ratio)
    n_chars = 0  # (counted up to what the test below asks)
    for w in words:
        n_chars += len(w.text)
        if n_chars >= s.min_chars:
            break
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
    size = text_size(rows)  # (of the running text: once for both)
    regions = column_regions(rows, width, height, separators, size=size, **s.gutter)
    lines = _rejoin_labels(split_rows(rows, regions, number, size), s.small_ratio)
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


def _rejoin_labels(lines: list[PLine], small_ratio: float) -> list[PLine]:
    """A note label cut off from its note at a tab gap (word processors set
    "superscript number, TAB, text") joins the line printed just right of it.

    The label is a line of small digits only, smaller than its neighbour's
    text and printed within that line's height (raised), with the neighbour
    starting within a few of its em to the right.
    """
    drop: set[int] = set()
    for a in lines:
        if not all(w.text.isdigit() and len(w.text) <= 3 for w in a.words):
            continue
        a_x1 = max(w.x1 for w in a.words)
        a_top = min(w.top for w in a.words)
        a_bottom = max(w.bottom for w in a.words)
        a_size = max(w.size for w in a.words)
        best: PLine | None = None
        best_gap = 0.0
        for b in lines:
            if b is a or id(b) in drop or b.region != a.region:
                continue
            host = max(w.size for w in b.words)
            gap = min(w.x0 for w in b.words) - a_x1
            top, bottom = min(w.top for w in b.words), max(w.bottom for w in b.words)
            if (
                a_size <= small_ratio * host
                and 0 <= gap <= 3.0 * host
                and top - 0.2 * host <= a_top
                and a_bottom <= bottom + 0.1 * host
                and (best is None or gap < best_gap)
            ):
                best, best_gap = b, gap
        if best is not None:
            best.words = a.words + best.words
            drop.add(id(a))
    return [ln for ln in lines if id(ln) not in drop]


# --------------------------------------------------------------------------
# the document
# --------------------------------------------------------------------------


def parse_pdf(path: Path, config: Config, password: str | None = None) -> Layout:
    """Read a PDF into a ``Layout``; raises ``InputError`` for unusable input.

    A damaged file is recovered page by page (``pipeline.parse.recovery``):
    a rebuilt cross-reference table or PDFium, said in the warnings; a page
    no reader can read is left empty, named in ``unreadable_pages``. Each
    page has a time budget (``parse.page_time_budget_seconds``), so a loop
    in the file ends even outside the batch runner."""
    path = Path(path)
    name = path.name
    check_file(path)
    s = _Settings.from_config(config)
    sha = file_sha256(path)
    reader = read_document_pdfium if s.engine == "pdfium" else read_document
    reading = reader(
        path,
        password,
        lambda page, number: _read_page(page, number, s),
        lambda doc, index, doctop, fonts=None: _read_pdfium_page(doc, index, doctop, s, fonts),
        lambda p: not p.has_text,  # no text: blank, or undecodable (a damaged font map?)
        s.page_time_budget,
    )
    layout = _assemble(_pages_of(reading), s, path, sha, reading.detail)
    if not reading.notes:
        return layout
    notes = tuple(f"{name}: {note}" for note in reading.notes)
    return layout.model_copy(update={"warnings": notes + tuple(layout.warnings)})


def _pages_of(reading: Reading) -> list[_PageData]:
    pages: list[_PageData] = []
    for i, p in enumerate(reading.pages):
        if isinstance(p, Unreadable):
            size = pages[-1] if pages else None  # an unreadable page's size is unknown: its neighbour's
            p = _PageData(i + 1, size.width if size else 595.0, size.height if size else 842.0, False, 1, [], [], unreadable=p)
        pages.append(p)
    return pages


def _assemble(pages: list[_PageData], s: _Settings, path: Path, sha: str, detail: str | None = None) -> Layout:
    name = path.name
    undecodable = [p.number for p in pages if p.undecodable]
    unreadable = [p.number for p in pages if p.unreadable]
    blank = [p.number for p in pages if not p.has_text and not p.undecodable and not p.unreadable]
    reasons = []
    if blank:
        reasons.append(f"no text layer (OCR not supported) on {_pages_label(blank)}")
    if undecodable:
        reasons.append(f"text not decodable (fonts without a Unicode mapping) on {_pages_label(undecodable)}")
    damage = _unreadable_reason(pages)
    details = [f"page {p.number}: {p.unreadable.detail}" for p in pages if p.unreadable]
    error_detail = "; ".join(([detail] if detail else []) + details)[:2000] or None
    if len(blank) + len(undecodable) + len(unreadable) == len(pages):
        raise InputError.of("E112", name=name, reasons="; ".join(reasons + ([damage] if damage else [])),
                            error_detail=error_detail)
    warnings = [f"{name}: {reason}; left empty" for reason in reasons + ([damage] if damage else [])]

    all_lines = [ln for p in pages for ln in p.lines]
    body = body_size(all_lines)
    mark_furniture([(p.height, p.lines) for p in pages], s.roles, body)
    had_notes, last_note = False, None
    for p in pages:
        mark_captions(p.lines, s.roles)
        page_body = page_body_size(p.lines, body)
        mark_pull_quotes(p.lines, p.boxes, page_body)
        mark_footnotes(p.lines, page_body, s.roles, p.rule_ys, continued=had_notes, last_note=last_note)
        p.lines = split_note_columns(p.lines, s.markers, s.bold_re, s.italic_re)
        mark_headings(p.lines, page_body, s.roles)
        if p.has_text:
            had_notes = any(ln.role == "footnote" for ln in p.lines)
            last_note = last_note_number(p.lines) if had_notes else None
    flow = measure_flow(all_lines, s.paragraph_gap)

    glue_markers([p.lines for p in pages], s.markers)
    for p in pages:
        for ln in p.lines:
            if ln.label is not None and ln.role != "footnote":
                # a raised number opening a non-note line is a marker
                ln.markers.insert(0, (ln.label, 0, _wbox(ln.words[0])))
                ln.label = None

    lexicon = Lexicon.shared((ln.text for ln in all_lines), s.hyphen_prefix, s.hyphenation_patterns)

    out_pages: list[Page] = []
    for p in pages:
        out_pages.append(_page_model(p, s, flow, lexicon))
    return Layout(
        doc_id=make_doc_id(path, sha),
        source_file=name,
        sha256=sha,
        n_pages=len(pages),
        pages=tuple(out_pages),
        warnings=tuple(warnings),
        undecodable_pages=tuple(undecodable),
        unreadable_pages=tuple(unreadable),
        unreadable_reason=damage,
        error_detail=error_detail,
    )


def glue_markers(pages_lines: list[list[PLine]], rules: MarkerRules) -> None:
    """Glued markers: digits at a word's end ("policy.12") that match a note
    of the page with no marker found, or a note at the foot of the next page
    with no marker there (a note that did not fit goes to the next page's foot:
    CSS engines, TeX). Pages are taken last first, so the next page's own
    glued markers are known."""
    unmatched_next: set[int] = set()
    for lines in reversed(pages_lines):
        notes = group_notes([ln for ln in lines if ln.role == "footnote"])
        numbers = {n.number for n in notes if n.number is not None}
        found = {m[0] for ln in lines if ln.role != "footnote" for m in ln.markers}
        missing = frozenset((numbers | unmatched_next) - found)
        if missing:
            for ln in lines:
                if ln.role in ("body", "heading", "caption"):
                    build_text(ln, rules, missing)
            found = {m[0] for ln in lines if ln.role != "footnote" for m in ln.markers}
        unmatched_next = numbers - found


def _unreadable_reason(pages: list[_PageData]) -> str | None:
    """"page 12 cannot be read: damaged font; pages 3, 7 cannot be read: ..."."""
    by_reason: dict[str, list[int]] = {}
    for p in pages:
        if p.unreadable:
            by_reason.setdefault(p.unreadable.reason, []).append(p.number)
    parts = [f"{_pages_label(numbers)} cannot be read: {reason}" for reason, numbers in by_reason.items()]
    return "; ".join(parts) or None


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


def _page_model(p: _PageData, s: _Settings, flow: Flow, lexicon: Lexicon) -> Page:
    if not p.has_text:
        return Page(number=p.number, width=p.width, height=p.height, n_columns=1, has_text=False)
    blocks: list[Block] = []
    for group in split_blocks(p.lines, flow, s.indent):
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
