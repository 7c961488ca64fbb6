"""Reading a page's characters and drawn objects (lines, rects, curves) once,
from pdfminer's layout, into lean dicts; undecodable glyphs; pages turned by
/Rotate read unrotated."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from itertools import groupby
from operator import itemgetter


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
            narrow = len(text) == 1 and text.isdigit() and _narrow_variant(font, text, font.char_width(cid))
            self.chars.append((text, font.fontname, upright, a > 0, x0, y0, x1, y1, vertical, narrow))
            return adv

    return CharReader


def _narrow_variant(font, text: str, width: float) -> bool:
    """Whether a glyph of ``text`` is a narrower variant of another glyph the
    font maps to the same character (a superscript digit beside the lining
    one): the font's widest glyph for each digit, from its ToUnicode map,
    measured once per font."""
    widest = getattr(font, "_mgi_widest_digits", None)
    if widest is None:
        widest = {}
        mapping = getattr(getattr(font, "unicode_map", None), "cid2unichr", None) or {}
        for cid, ch in mapping.items():
            if isinstance(ch, str) and len(ch) == 1 and ch.isdigit():
                w = font.char_width(cid)
                if w > widest.get(ch, 0.0):
                    widest[ch] = w
        try:
            font._mgi_widest_digits = widest
        except AttributeError:
            return False
    return width < _NARROW_DIGIT * widest.get(text, 0.0)


def page_objects(page, graphics: list[dict] | None = None) -> tuple[list[dict], list[dict]]:
    """The page's characters and its line + rect objects, read once, as the
    dicts ``page.chars`` / ``page.objects`` would hold them but with only the
    keys the word grouping and the rule search read (same coordinate
    arithmetic as ``pdfplumber.Page.process_object``; characters in drawing
    order, which is the order pdfplumber lists them in). Line and rect dicts
    also carry ``kind`` and ``fill``; with a ``graphics`` list, every line,
    rect and curve of the page is appended to it too (kind, fill, geometry),
    for the figure search (``pipeline.parse.figures``)."""
    from pdfminer.layout import LTContainer
    from pdfminer.pdfinterp import PDFPageInterpreter

    device = _char_reader()(page.pdf.rsrcmgr, page.page_number)
    PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    doctop0 = page.initial_doctop
    chars: list[dict] = []
    for text, fontname, upright, forward, x0, y0, x1, y1, vertical, narrow in device.chars:
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
            "doctop": doctop0 + top, "width": width, "height": h, **({"narrow_variant": True} if narrow else {}),
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
_MAYBE_UNDECODABLE = re.compile("\\(cid:|[\ue000-\uf8ff\ufffd\U000f0000-\U0010ffff]")


def is_undecodable(char: dict) -> bool:
    """A glyph of a font without a Unicode mapping: pdfminer's "(cid:NN)",
    a private-use code point or the replacement character."""
    return bool(_UNDECODABLE.search(char["text"]))


def count_undecodable(chars: list[dict], text: str | None = None) -> int:
    """How many of ``chars`` are undecodable (``is_undecodable``); one search
    over the page's text (``text``: their texts joined, when known) first, as
    almost every page has none."""
    if not _MAYBE_UNDECODABLE.search("".join([c["text"] for c in chars]) if text is None else text):
        return 0
    return sum(1 for c in chars if is_undecodable(c))


_GROUP_KEY = itemgetter("upright", "fontname", "size")
_TOP = itemgetter("top")
_X0 = itemgetter("x0")
_FIELDS = itemgetter("text", "x0", "top", "x1", "bottom")


def upright_words(chars: list[dict], x_tolerance_ratio: float, y_tolerance: float = 3.0, word=None) -> list:
    """The upright words of ``chars`` as (text, x0, top, x1, bottom, fontname,
    size), exactly those of pdfplumber's ``WordExtractor(x_tolerance_ratio=R,
    extra_attrs=["fontname", "size"], expand_ligatures=False)`` (default y
    tolerance, no blank characters kept, no text flow) that are upright and
    not blank, in the same order (the numbers as floats); specialised to
    those settings, it skips the sideways runs and pdfplumber's generic
    per-character dispatch. With ``word`` (a class such as ``layout.Word``),
    each word is ``word(text, x0, top, x1, bottom, fontname, size)`` instead
    of a tuple.

    As there: runs of characters with the same upright / font / size are cut
    into lines (distinct tops chained within the y tolerance), each line
    ordered by x0 (stable); a word ends at a blank, where a character starts
    left of the previous one's x0, beyond its x1 plus R times its size, or
    more than the y tolerance above or below it. A run drawn line after line
    (``_flat_run_words``) is read in one pass."""
    out: list = []
    append = out.append
    make = word or _tuple
    for (upright, fontname, size), run in groupby(chars, _GROUP_KEY):
        if not upright:
            continue  # pdfplumber's words of sideways text are dropped anyway
        run = list(run)
        reach = x_tolerance_ratio * size  # (the size of every character of the run)
        mark = len(out)
        if y_tolerance >= 0 and _flat_run_words(run, reach, y_tolerance, fontname, make, out):
            continue
        del out[mark:]  # (a run of other lines: cut as follows)
        if len(run) == 1:
            lines = [run]
        else:
            tops = sorted(set(map(_TOP, run)))
            cluster: dict[float, int] = {}
            index, last = 0, tops[0]
            for t in tops:
                if t > last + y_tolerance:
                    index += 1
                cluster[t] = index
                last = t
            if index == 0:
                lines = [run]
            else:
                of_line = list(map(cluster.__getitem__, map(_TOP, run)))
                if of_line == sorted(of_line):  # the run's lines one after the other (as usual): slices of it
                    cuts = [bisect_left(of_line, k) for k in range(index + 2)]
                    lines = [run[a:b] for a, b in zip(cuts, cuts[1:]) if a < b]
                else:
                    by_line: list[list[dict]] = [[] for _ in range(index + 1)]
                    for c, k in zip(run, of_line):
                        by_line[k].append(c)
                    lines = [ln for ln in by_line if ln]
        # (a word's font and size are its first character's: equal to the run's, the size kept as that one's)
        for line in lines:
            line.sort(key=_X0)
            parts: list[str] | None = None  # the word's texts; its box kept as min() / max() would
            first = line[0]
            wx0 = wtop = wx1 = wbottom = px0 = px1 = ptop = 0.0
            for c in line:
                text, cx, ct, cx1, cb = _FIELDS(c)
                if not text or text.isspace():  # a blank ends the word; an empty text is a word of its own (blank)
                    if parts:
                        append(_word(make, parts, wx0, wtop, wx1, wbottom, fontname, first))
                        parts = None
                    continue
                if parts is not None and not (cx < px0 or cx > px1 + reach or abs(ct - ptop) > y_tolerance):
                    parts.append(text)
                    if cx < wx0:
                        wx0 = cx
                    if ct < wtop:
                        wtop = ct
                    if cx1 > wx1:
                        wx1 = cx1
                    if cb > wbottom:
                        wbottom = cb
                else:
                    if parts:
                        append(_word(make, parts, wx0, wtop, wx1, wbottom, fontname, first))
                    parts, first, wx0, wtop, wx1, wbottom = [text], c, cx, ct, cx1, cb
                px0, px1, ptop = cx, cx1, ct
            if parts:
                append(_word(make, parts, wx0, wtop, wx1, wbottom, fontname, first))
    return out


def _tuple(*fields) -> tuple:
    return fields


def _word(make, parts: list[str], x0, top, x1, bottom, fontname: str, first: dict):
    """One word of ``upright_words``: its texts joined, its box and size as floats."""
    return make("".join(parts), float(x0), float(top), float(x1), float(bottom), fontname, float(first["size"]))


def _flat_run_words(run: list[dict], reach: float, y_tolerance: float, fontname: str, make, out: list) -> bool:
    """The words of a run whose lines are flat (one top each), in x0 order,
    each further down than the y tolerance below the one before (as
    characters are usually drawn), appended to ``out``: what
    ``upright_words`` makes of them, read in one pass without its line
    search and sort (which change nothing there). False as soon as the run
    is not such a run (what was appended is then to be dropped)."""
    append = out.append
    parts: list[str] | None = None
    first: dict = {}
    ltop = None  # the line's top
    lx = wx0 = wtop = wx1 = wbottom = px1 = 0.0
    for c in run:
        text, cx, ct, cx1, cb = _FIELDS(c)
        if ct != ltop:
            if ltop is not None and not ct > ltop + y_tolerance:
                return False  # not flat, or not below the line before
            if parts:  # (a line's words end with it)
                append(_word(make, parts, wx0, wtop, wx1, wbottom, fontname, first))
                parts = None
            ltop = ct
        elif cx < lx:
            return False  # not in x0 order
        lx = cx
        if not text or text.isspace():
            if parts:
                append(_word(make, parts, wx0, wtop, wx1, wbottom, fontname, first))
                parts = None
            continue
        # (in x0 order and flat, a character starts neither left of the one before nor above or below it)
        if parts is not None and not cx > px1 + reach:
            parts.append(text)  # (in x0 order: the word's x0 is its first character's)
            if cx1 > wx1:
                wx1 = cx1
            if cb > wbottom:
                wbottom = cb
        else:
            if parts:
                append(_word(make, parts, wx0, wtop, wx1, wbottom, fontname, first))
            parts, first, wx0, wtop, wx1, wbottom = [text], c, cx, ct, cx1, cb
        px1 = cx1
    if parts:
        append(_word(make, parts, wx0, wtop, wx1, wbottom, fontname, first))
    return True


SOFT_HYPHEN = "\u00ad"
# a glyph this wide (share of its size) is drawn, not an invisible break opportunity
_DRAWN_WIDTH = 0.15


def drawn_hyphens(chars: list[dict], text: str | None = None) -> list[dict]:
    """Soft hyphens that are drawn glyphs read as hyphens. A font's ToUnicode
    map holds one code per glyph: an engine that draws the same hyphen glyph
    for a word's own hyphen and for a hyphenation break (Typst) may map it to
    U+00AD, and "well-being", "COVID-19" or "978-92" would lose the hyphen
    when soft hyphens are dropped. A U+00AD with an advance is printed, so it
    is a hyphen (a line-end one is then judged as any other line-end hyphen);
    an invisible one (no width) stays soft. ``text``: their texts joined, when known."""
    out = chars
    if text is not None and SOFT_HYPHEN not in text:
        return out
    for i, c in enumerate(chars):
        if c["text"] == SOFT_HYPHEN and float(c.get("width", 0.0)) >= _DRAWN_WIDTH * float(c.get("size") or 0.0) > 0:
            if out is chars:
                out = list(chars)
            out[i] = {**c, "text": "-"}
    return out


# a digit this much narrower than the same digit's usual advance in the same font is another glyph
_NARROW_DIGIT = 0.8
NARROW_DIGIT = _NARROW_DIGIT  # a digit glyph under this share of the font's widest glyph for it is a narrower variant
# how a superscript glyph's box is drawn: this share of the size, at the top of the em box
_SUP_SIZE = 0.6


def superscript_glyphs(chars: list[dict]) -> list[dict]:
    """Digits drawn with a font's superscript glyphs boxed as superscripts.
    An OpenType superscript (Typst's ``super``, InDesign's OpenType
    superscript) is a glyph of its own, full size on the baseline as far as
    the text layer says, with the digit's Unicode: "2021." + a superscript
    "4" reads "2021.4". What gives it away is its advance: narrower than the
    same digit's usual glyph in the same font. Such a digit (advance under
    ``_NARROW_DIGIT`` of the font's most common advance for it, counted on
    the page) gets the box of a smaller raised digit, so the marker rules
    measure it as they measure any superscript. The pdfminer reader also
    marks ``narrow_variant`` digits from the font's own widths (the page may
    print the digit only once)."""
    usual: dict[tuple[str, str], dict[float, int]] = {}
    # the glyphs that can change: digits, and narrower variants (the others are skipped below as they would be)
    digits = [i for i, c in enumerate(chars) if c["text"].isdigit() or "narrow_variant" in c]
    for c in map(chars.__getitem__, digits):
        if c["text"].isdigit() and len(c["text"]) == 1 and float(c.get("size") or 0) > 0:
            ratio = round(float(c["width"]) / float(c["size"]), 3)
            counts = usual.setdefault((c["fontname"], c["text"]), {})
            counts[ratio] = counts.get(ratio, 0) + 1
    mode: dict[tuple[str, str], float] = {}
    for key, counts in usual.items():
        if len(counts) > 1:
            ratio, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            if n >= 3:
                mode[key] = ratio
    if not mode and not any(chars[i].get("narrow_variant") for i in digits):
        return chars
    out = chars
    for i in digits:
        c = chars[i]
        m = mode.get((c["fontname"], c["text"]))
        if not c.get("narrow_variant") and (m is None or float(c["width"]) >= _NARROW_DIGIT * m * float(c["size"])):
            continue
        if _inside_number(chars, i, mode):
            continue  # a proportional "1" in "2021" beside tabular ones elsewhere: part of a number, kept
        if out is chars:
            out = list(chars)
        size = float(c["size"]) * _SUP_SIZE
        out[i] = {**c, "size": size, "height": size, "bottom": float(c["top"]) + size}
    # a digit touching a superscript glyph of its font, as narrow, is one too ("29"
    # whose "2" the page prints too rarely in that font for a usual advance)
    for i in digits if out is not chars else ():
        for j in (i - 1, i + 1):
            if out is not chars and 0 <= j < len(out) and _sup_sibling(chars[i], out[i], out[j]):
                out[i] = {**out[i], "size": out[j]["size"], "height": out[j]["height"],
                          "bottom": float(out[i]["top"]) + float(out[j]["height"])}
                break
    return out


def _inside_number(chars: list[dict], i: int, mode: dict[tuple[str, str], float]) -> bool:
    """Is the narrow digit ``chars[i]`` touching a full-size digit of its font
    and size ("2021" whose "1" is a proportional figure and the page's usual
    "1" a tabular one)? Glued to a number, nothing tells a superscript glyph
    from a narrower figure of the number itself (both sit on the baseline in
    the text layer): the digit stays in the number (a number is never altered)."""
    c = chars[i]

    def full_digit(j: int) -> bool:
        if not 0 <= j < len(chars):
            return False
        o = chars[j]
        if not o["text"].isdigit() or o["fontname"] != c["fontname"] or abs(float(o["size"]) - float(c["size"])) > 0.01:
            return False
        gap = max(float(o["x0"]) - float(c["x1"]), float(c["x0"]) - float(o["x1"]))
        # full size: as wide as that digit's usual glyph, or (its own usual width
        # unknown) as wide as the usual glyph of the narrow digit itself
        m = mode.get((o["fontname"], o["text"])) or mode.get((c["fontname"], c["text"]))
        wide = not o.get("narrow_variant") and m is not None and float(o["width"]) >= _NARROW_DIGIT * m * float(o["size"])
        return wide and gap < 0.15 * float(c["size"])

    return full_digit(i - 1) or full_digit(i + 1)


def _sup_sibling(c: dict, now: dict, other: dict) -> bool:
    """Is digit C (unchanged so far: NOW is C) beside OTHER, a digit already
    boxed as a superscript glyph of the same font and size, touching and as narrow?"""
    if now is not c or not c["text"].isdigit() or not other["text"].isdigit():
        return False
    if other["fontname"] != c["fontname"] or float(other["size"]) >= float(c["size"]) - 0.01:
        return False
    if abs(float(other["size"]) - float(c["size"]) * _SUP_SIZE) > 0.01:
        return False
    gap = max(float(other["x0"]) - float(c["x1"]), float(c["x0"]) - float(other["x1"]))
    return gap < 0.3 * float(c["size"]) and float(c["width"]) <= 1.15 * float(other["width"])


def readable_share(chars: list[dict]) -> float:
    return sum(1 for c in chars if c["upright"] and c.get("forward", True)) / len(chars) if chars else 1.0


def unrotated(page):
    """``page`` read without its /Rotate. A portrait page turned by /Rotate 90
    (or 180, 270) draws its text upright in unrotated space; pdfminer applies
    the rotation, and every character comes out sideways or upside down."""
    from pdfplumber.page import Page as PlumberPage

    obj = page.page_obj
    obj.attrs = {**obj.attrs, "Rotate": 0}
    obj.rotate = 0
    return PlumberPage(page.pdf, obj, page_number=page.page_number, initial_doctop=page.initial_doctop)
