"""The PDFium character source (pypdfium2's raw API): the same character
and drawn-object records as ``pipeline.parse.chars.page_objects`` (the
pdfminer device), for the ``pdfium`` engine (``parse.engine``, issue 15)
and for the pages pdfminer cannot read (``pipeline.parse.recovery``).

Characters come from PDFium's text page, one record per glyph, boxed as
pdfminer boxes them: from the origin one advance wide, one em tall from
the font's descent. What PDFium does not give is taken from pdfminer's
fonts of the page (``MinerFonts``: resources only, no content stream is
interpreted): font names with their subset prefix, descents, exact widths
(PDFium places glyphs by whole thousandths of an em; the drift along a run
is corrected) and whether a ligature maps to one character. PDFium's width
of a Unicode value is one glyph's: a glyph whose character its font shares
with another glyph (Typst's lining and superscript "2") is measured by its
own box. PDFium's
generated spaces and line breaks are skipped, except a space of the file
that PDFium replaced by one of its own; characters come in content-stream
order. Lines / rects / curves: ``pipeline.parse.pdfium_paths``.

Coordinates are pdfplumber's: x in user space, ``top`` / ``bottom`` measured
down from the top of the MediaBox; a page with a /Rotate is read turned, as
pdfminer reads it, or unturned when that reads better.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

from pipeline.parse.chars import NARROW_DIGIT
from pipeline.parse.pdfium_calls import page_codes, text_calls
from pipeline.parse.pdfium_fonts import LIGATURES, MinerFont, MinerFonts, PageFonts, miner_font
from pipeline.parse.pdfium_paths import drawn_paths, page_walk

__all__ = ["MinerFont", "MinerFonts", "open_document", "page_objects", "page_size"]


def open_document(source: Path | bytes, password: str | None = None):
    """A ``pypdfium2.PdfDocument``; raises PDFium's own error when it cannot."""
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(source if isinstance(source, bytes) else str(source), password=password or None)


def page_size(doc, index: int) -> tuple[float, float, float, float]:
    """The MediaBox (x0, y0, x1, y1) of page ``index``, normalised."""
    page = doc[index]
    try:
        x0, y0, x1, y1 = page.get_mediabox()
    finally:
        page.close()
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def page_objects(doc, index: int, initial_doctop: float = 0.0, graphics: list[dict] | None = None,
                 rotated: bool = False, fonts: "MinerFonts | None" = None):
    """(chars, lines + rects, width, height) of page ``index`` (0-based),
    with the dict keys of ``pipeline.parse.chars.page_objects``. With
    ``rotated``, a page with a /Rotate is read turned, as pdfminer reads it
    (width and height swapped for a quarter turn), and unturned instead
    when that gives more upright text (as the pdfminer path does). With
    ``fonts`` (pdfminer's fonts of the document), names, descents and
    glyph widths are pdfminer's."""
    import pypdfium2.raw as raw

    page = doc[index]
    try:
        exact = fonts.mediabox(index) if fonts is not None else None  # pdfminer's doubles, not PDFium's floats
        x0, y0, x1, y1 = exact or page.get_mediabox()
        box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        page_fonts = fonts.page(index) if fonts is not None else None
        order, levels = page_walk(page)
        textpage = page.get_textpage()
        try:
            best = None
            tries = (page.get_rotation() % 360, 0) if rotated and page.get_rotation() % 360 else (0,)
            for degrees in tries:
                turn = _turn(degrees, box)
                width, height = abs(x1 - x0), abs(y1 - y0)
                if turn is not None and turn[0] % 180:
                    width, height = height, width
                chars = _chars(raw, textpage, box[3], initial_doctop, turn, height, page_fonts, order)
                readable = _readable(chars) if len(tries) > 1 else 1.0  # (one reading: nothing to choose)
                if best is None or readable > best[0]:
                    best = (readable, chars, turn, width, height)
                if readable >= 0.5 or not chars:
                    break
            _, chars, turn, width, height = best
        finally:
            textpage.close()
        page_graphics: list[dict] | None = [] if graphics is not None else None
        rules = drawn_paths(raw, levels, box[3], page_graphics)
        if turn is not None:
            for item in rules + (page_graphics or []):
                _turn_item(item, turn, box[3], height)
        if graphics is not None:
            graphics.extend(page_graphics or [])
    finally:
        page.close()
    return chars, rules, width, height


def _readable(chars: list[dict]) -> float:
    return sum(1 for c in chars if c["upright"] and c["forward"]) / len(chars) if chars else 1.0


def _turn(degrees: int, box: tuple[float, float, float, float]):
    """pdfminer's rotation matrix for /Rotate ``degrees`` (None for none)."""
    x0, y0, x1, y1 = box
    degrees %= 360
    if degrees == 90:
        return (90, (0.0, -1.0, 1.0, 0.0, -y0, x1))
    if degrees == 180:
        return (180, (-1.0, 0.0, 0.0, -1.0, x1, y1))
    if degrees == 270:
        return (270, (0.0, 1.0, -1.0, 0.0, y1, -x0))
    return None


def _apply(m, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _turn_rect(m, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    ax, ay = _apply(m, x0, y0)
    bx, by = _apply(m, x1, y1)
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _turn_item(item: dict, turn, mb_top: float, height: float) -> None:
    """A drawn object's record (top-down, unrotated) moved onto the turned page."""
    x0, y0, x1, y1 = _turn_rect(turn[1], item["x0"], mb_top - item["bottom"], item["x1"], mb_top - item["top"])
    item.update(x0=x0, x1=x1, top=height - y1, bottom=height - y0)


def _trailing_space(prev: dict, info: tuple, x: float, y: float, last_x: float | None, last_y: float | None,
                    last_w: float, drift: float, after: tuple[float, float] | None, spacing: float = 0.0) -> dict | None:
    """The space a text object ends with, which PDFium replaces by one of
    its own (no text object, no width) right where the last glyph ends when
    the next glyph starts inside it: pdfminer's space there, one space of
    the last glyph's font wide. (Where the next glyph starts further on,
    PDFium's space stands for a gap with no space drawn, as in a table of
    contents set with separate strings.) In letter-spaced text (``spacing``:
    the gap between the last glyphs of the run), a space drawn there has
    that gap before and after it: a next glyph closer than twice the gap
    follows the last one with no space between ("COVID" / "-19" as two
    strings of a tracked heading)."""
    fs, a, b, c, d = info[:5]
    miner = info[9]
    if last_x is None or last_y != y or b or c or abs(x - (last_x + last_w)) > 0.05 or after is None:
        return None
    found = miner.widths.get(" ") if miner is not None else None
    if not found:
        return None
    w = max(found) * fs * abs(a)
    if abs(after[1] - y) > 0.01 or not max(0.0, 2 * spacing) <= after[0] - x < w:
        return None
    x0 = x + drift
    return {**prev, "text": " ", "x0": x0, "x1": x0 + w, "width": w}


_DIGITS = frozenset("0123456789")
_BY_BOX = (None, 1.0, None, False)  # (a distinct object: identity is tested)
_NO_WIDTHS: dict = {}
_UNSEEN = object()


def _narrow(miner: "MinerFont | None", text: str, mw: float | None) -> bool:
    """A digit glyph narrower than the font's widest for that digit (a
    superscript variant), as pdfminer's device marks it."""
    return mw is not None and text in _DIGITS and mw < NARROW_DIGIT * max(miner.widths[text])


def _advance_by_box(loose_box, tp, k: int, rect, rect_ref, x: float, a: float, b: float, fs: float, text: str,
                    miner: "MinerFont", cache: dict) -> tuple:
    """(advance, pdfminer's / PDFium's, pdfminer's width) of glyph ``k``,
    whose text several glyphs of its font share (a lining and a superscript
    "2"), or whose PDFium width by Unicode is none of pdfminer's (PDFium's
    hyphen for a glyph the file maps to U+00AD): PDFium's width of a Unicode
    value is one glyph's, or a default. The glyph's own advance, in whole
    thousandths of an em as ``FPDFFont_GetGlyphWidth`` gives it: from its
    loose box where that starts at the origin, else pdfminer's width (when
    the font has one) as PDFium keeps it."""
    found = miner.widths.get(text, ())
    thousandths = 0
    if b == 0 and a and loose_box(tp, k, rect_ref) and abs((rect.left if a > 0 else rect.right) - x) < 0.01:
        thousandths = round(abs((rect.right if a > 0 else rect.left) - x) / abs(a) * 1000.0 / fs)
    elif len(found) == 1:
        thousandths = int(found[0] * 1000.0 + 1e-6)
    if thousandths <= 0:
        return (None, 1.0, None, False)
    key = (text, thousandths)
    known = cache.get(key)
    if known is None:
        f32 = ctypes.c_float
        adv = f32(f32(thousandths * f32(fs).value).value / 1000.0).value  # as FPDFFont_GetGlyphWidth computes it
        mw = miner.width(text, adv / fs)
        known = cache[key] = (adv, mw * fs / adv if mw is not None else 1.0, mw, _narrow(miner, text, mw))
    return known


def _snap(v: float) -> float:
    """A coordinate PDFium holds in single precision, as the file wrote it
    (to 4 decimals) when it is that close."""
    r = round(v, 4)
    return r if abs(r - v) < 3e-5 else v


def _placeholder(get_origin, tp, k: int, n: int, here: tuple, there: tuple) -> bool:
    """A space PDFium made up: it sits at the next glyph's origin (a space
    drawn in the file ends where the next glyph starts). ``here`` and
    ``there``: (x, y, byref(x), byref(y)) buffers."""
    if k + 1 >= n:
        return True
    x0, y0, rx0, ry0 = here
    x1, y1, rx1, ry1 = there
    if not (get_origin(tp, k, rx0, ry0) and get_origin(tp, k + 1, rx1, ry1)):
        return True
    return abs(x0.value - x1.value) < 0.01 and abs(y0.value - y1.value) < 0.01


def _doubles() -> tuple:
    """An (x, y) out-parameter pair: the doubles and their ``byref``."""
    x, y = ctypes.c_double(), ctypes.c_double()
    return x, y, ctypes.byref(x), ctypes.byref(y)


def _chars(raw, textpage, mb_top: float, doctop0: float, turn=None, height: float = 0.0,
           page_fonts: PageFonts | None = None, order: dict[int, int] | None = None) -> list[dict]:
    """The page's characters in drawing order, without PDFium's generated
    spaces and line breaks (they belong to no text object). The box is
    pdfminer's: from the origin one advance wide (the font's width of the
    glyph), one em tall from the descent; the size is the font size times
    the text matrix' scale. Font, size, matrix and descent are read once per
    text object."""
    (text_object, _, has_map_error, get_origin, is_generated, loose_box, _, _,
     font_size, get_matrix, object_font, font_info, glyph_width) = text_calls()
    tp = ctypes.cast(textpage.raw, ctypes.c_void_p)
    n = raw.FPDFText_CountChars(textpage.raw)
    codes = page_codes(tp, n)
    rect = raw.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    matrix = raw.FS_MATRIX()
    matrix_ref = ctypes.byref(matrix)
    name = ctypes.create_string_buffer(256)
    flags_ref = ctypes.byref(ctypes.c_int())
    origin = _doubles()
    ox, oy, rox, roy = origin
    after_buf, other_buf = _doubles(), _doubles()
    nx, ny, rnx, rny = after_buf
    gw = ctypes.c_float()
    # (font, size) -> code -> (PDFium's advance, pdfminer's / PDFium's, pdfminer's width)
    widths: dict[tuple, dict[int, tuple]] = {}
    objects: dict[int, tuple] = {}
    chars: list[dict] = []
    append = chars.append
    owners: list[tuple[int, int]] = []  # (first character, its text object) of each run of one object
    last_kx = last_ky = last_kobj = None  # the last glyph's origin and object (a ligature repeats them)
    spelled = ""
    pending_high = None
    font = None
    drift = gap = gap_space = 0.0  # (see below: PDFium's whole-thousandth widths)
    run_obj = last_obj = None
    run_y = run_end = 0.0
    last_x = last_y = None
    last_w = 0.0
    last_space = False
    drift_before = 0.0
    pending = None
    snapped_y, snapped = None, 0.0  # _snap of the last y (a line's glyphs share it)
    vobj = vy = None  # the (object, y) of the vertical extent below (a line's glyphs share it)
    v_top = v_bottom = v_doctop = v_height = 0.0
    line_record = dict  # (set with the vertical extent below)
    cur_obj = None  # the text object whose facts are unpacked
    miners: dict[str, MinerFont | None] = {}  # PDFium's font name -> pdfminer's font
    owner = None  # the text object of the last run in ``owners``
    # the object of the last glyph read as horizontal text, while what that left holds for the next:
    # its facts unpacked, its line's box, no ligature pending (else None)
    fast_obj = None
    for k in range(n):
        obj = text_object(tp, k)
        if not obj:  # PDFium's own line breaks and spaces; some spaces are the file's own
            if chars and last_obj is not None and codes[k] == 32 and get_origin(tp, k, rox, roy):
                after = (nx.value, ny.value) if k + 1 < n and text_object(tp, k + 1) and get_origin(tp, k + 1, rnx, rny) else None
                space = _trailing_space(chars[-1], objects[last_obj], ox.value, oy.value, last_x, last_y, last_w, drift, after,
                                        gap)
                if space is not None:
                    fast_obj = None
                    if last_obj != owner:
                        owner = last_obj
                        owners.append((len(chars), last_obj))
                    append(space)
            continue
        code = codes[k]
        if code <= 0x2D or code >= 0xD800:  # (the codes below need a look; the rest are their own text)
            if code in (32, 10, 13) and is_generated(tp, k) == 1 and (
                    code != 32 or _placeholder(get_origin, tp, k, n, after_buf, other_buf)):
                continue  # PDFium's own space for a gap (a space drawn in the file it also calls generated)
            if 0xD800 <= code < 0xDC00:  # a surrogate pair: two PDFium characters, one glyph
                pending_high = code
                continue
            if 0xDC00 <= code < 0xE000 and pending_high is not None:
                code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00)
            pending_high = None
            if code == 2:  # PDFium's mark for a hyphen at a line end: the hyphen as printed
                code = 0x2D
            hyphen = code == 0x2D
            text = "\ufffd" if code in (0, 0xFFFE, 0xFFFF) else chr(code)
            if text in ("\r", "\n"):
                continue
        else:
            pending_high = None
            hyphen = False
            text = chr(code)
        if not get_origin(tp, k, rox, roy):
            continue
        if obj != cur_obj:
            info = objects.get(obj)
            if info is None:
                if not loose_box(tp, k, rect_ref):
                    continue
                fs = _snap(font_size(tp, k))
                a = d = 1.0
                b = c = 0.0
                if get_matrix(tp, k, matrix_ref):
                    a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
                fobj = object_font(ctypes.c_void_p(obj))
                got = font_info(tp, k, name, 256, flags_ref)
                fontname = name.value.decode("utf-8", "replace") if got else ""
                miner = miners.get(fontname, _UNSEEN)
                if miner is _UNSEEN:
                    miner = miners[fontname] = miner_font(page_fonts, fontname)
                if miner is not None:  # pdfminer's name and descent line
                    fontname = miner.fontname
                    below = miner.descent * fs * d
                else:  # the descent line, from the origin (constant over the object)
                    below = min(rect.bottom, rect.top) - oy.value if d > 0 else max(rect.bottom, rect.top) - oy.value
                fkey = fobj or 0  # (PDFium's handle, kept while the page lives)
                size = fs * abs(d)  # (of horizontal text)
                if miner is not None:  # the descent line and the top, less the origin's y
                    descent = miner.descent * fs
                    dd0, dd1 = d * descent, d * (descent + fs)
                else:
                    dd0 = dd1 = 0.0
                info = objects[obj] = (fs, a, b, c, d, fobj, fontname, below, fkey, miner,
                                       b == 0 and c == 0 and turn is None, size, max(size, 1.0), a * d > 0, a > 0, dd0, dd1,
                                       widths.setdefault((fkey, fs), {}))
            cur_obj = obj
            (fs, a, b, c, d, font, fontname, below, fkey, miner,
             horizontal, size, size_guess, upright, forward, dd0, dd1, font_widths) = info
            mwidths = miner.widths if miner is not None else _NO_WIDTHS
        if hyphen and miner is not None and "-" not in mwidths and "\u00ad" in mwidths:
            text, code = "\u00ad", 0xAD  # the file maps its hyphen glyph to a soft hyphen (Typst): as pdfminer reads it
        if text not in mwidths and text != "\ufffd" and has_map_error(tp, k) == 1:
            text = "\ufffd"  # no Unicode mapping: flagged like pdfminer's "(cid:NN)"
        x = ox.value
        y = oy.value
        if obj == fast_obj and y == vy and x != last_kx:  # the run goes on: its object, its line, no ligature
            known = font_widths.get(code)
            if known is _BY_BOX:
                known = _advance_by_box(loose_box, tp, k, rect, rect_ref, x, a, b, fs, text, miner, font_widths)
            if known is not None and known[0] is not None:
                # (what the horizontal case below does, less what is known to hold)
                last_kx = x
                spelled = text
                adv, ratio, mw, narrow = known
                w_user = adv * a
                true_w = w_user * ratio
                cx0 = x + drift
                drift_before = drift
                if true_w >= 0:
                    cx1 = cx0 + true_w
                else:
                    cx1 = cx0
                    cx0 = cx1 + true_w
                if last_space:
                    gap_space = x - last_x - last_w
                else:
                    gap = x - last_x - last_w
                last_space = text == " "
                last_x = x
                last_w = w_user
                drift += true_w - w_user
                run_end = x + w_user + (gap_space if last_space else gap)
                rec = line_record()
                rec["text"] = text
                rec["x0"] = cx0
                rec["x1"] = cx1
                rec["width"] = cx1 - cx0
                if narrow:
                    rec["narrow_variant"] = True
                append(rec)
                continue
        if x == last_kx and y == last_ky and obj == last_kobj and chars:  # one glyph PDFium spells as several characters (a ligature)
            fast_obj = None
            last = chars[-1]
            spelled += text
            last["text"] = miner.ligature(spelled) if miner is not None else LIGATURES.get(spelled, spelled)
            lig = last["text"] if len(last["text"]) == 1 else None
            if b == 0 and c == 0 and turn is None:  # the ligature glyph's own advance, else PDFium's box
                if lig is not None and font and glyph_width(font, ord(lig), fs, gw) and gw.value > 0:
                    w_lig = gw.value * abs(a)
                else:
                    loose_box(tp, k, rect_ref)
                    w_lig = max(last["x1"] - drift_before, rect.left, rect.right) - x
                true_w = w_lig
                found = miner.widths.get(last["text"]) if miner is not None else None
                if found and fs > 0 and a:
                    near = w_lig / (fs * abs(a))
                    true_w = min(found, key=lambda w: abs(w - near)) * fs * abs(a)
                x1 = last["x0"] + true_w
                last["x1"], last["width"] = x1, x1 - last["x0"]
                drift = drift_before + true_w - w_lig
                last_w = w_lig
                run_end = x + w_lig + gap
                # PDFium's own advance of a ligature glyph shows only where it
                # puts the next glyph of the run: the drift is settled there
                pending = (obj, x, y, drift_before + true_w)
            continue
        last_kx = x
        last_ky = y
        last_kobj = obj
        spelled = text
        known = font_widths.get(code)
        if known is None:
            adv = gw.value if font and glyph_width(font, code, fs, gw) and gw.value > 0 else None
            mw = miner.width(text, adv / fs) if miner is not None and adv is not None and fs > 0 else None
            shared = miner.widths.get(text, ()) if miner is not None and fs > 0 else ()
            # PDFium's width of a Unicode value is one glyph's: where the font has
            # several glyphs for it, or PDFium's is none of pdfminer's, the box tells
            known = font_widths[code] = (adv, mw * fs / adv if mw is not None else 1.0, mw, _narrow(miner, text, mw)) \
                if len(shared) < 2 and (mw is not None or not shared) else _BY_BOX
        if known is _BY_BOX:
            known = _advance_by_box(loose_box, tp, k, rect, rect_ref, x, a, b, fs, text, miner, font_widths)
        adv, ratio, mw, narrow = known
        if horizontal:  # the common case: horizontal text, page not turned
            if adv is not None:
                w_user = adv * a
            else:
                loose_box(tp, k, rect_ref)
                w_user = (max(rect.left, rect.right) - x) if a > 0 else (min(rect.left, rect.right) - x)
            # PDFium places each glyph after the previous one by whole thousandths
            # of an em; pdfminer by the font's exact widths: the difference
            # accumulates along a run of text (reset where the text is placed anew)
            if obj != run_obj:
                if not (abs(y - run_y) < size_guess and abs(x - run_end) < 0.01):  # (a raised note marker continues its run)
                    drift = 0.0
                run_obj = obj
            if pending is not None:
                if pending[0] == obj and pending[2] == y:
                    drift = pending[3] - (x - pending[1])
                pending = None
            true_w = w_user * ratio
            cx0 = x + drift
            drift_before = drift
            if true_w >= 0:
                cx1 = cx0 + true_w
            else:
                cx1 = cx0
                cx0 = cx1 + true_w
            if obj == last_obj:  # spacing seen in this run (char and word spacing)
                if last_y == y:
                    if last_space:
                        gap_space = x - last_x - last_w
                    else:
                        gap = x - last_x - last_w
            else:
                gap = gap_space = 0.0
                last_obj = obj
            last_space = text == " "
            last_x = x
            last_y = y
            last_w = w_user
            drift += true_w - w_user
            run_y = y
            run_end = x + w_user + (gap_space if last_space else gap)
            if obj != vobj or y != vy:
                vobj = obj
                vy = y
                if miner is not None:  # pdfminer's arithmetic on the origin as the file wrote it
                    if y != snapped_y:
                        snapped_y, snapped = y, _snap(y)
                    cy0 = dd0 + snapped
                    cy1 = dd1 + snapped
                    if cy1 < cy0:
                        cy0, cy1 = cy1, cy0
                elif d > 0:
                    cy0 = y + below
                    cy1 = cy0 + size
                else:
                    cy1 = y + below
                    cy0 = cy1 - size
                v_top = mb_top - cy1
                v_bottom = mb_top - cy0
                v_doctop = doctop0 + v_top
                v_height = cy1 - cy0
                # the line's record, copied for each glyph (text, x0, x1 and width set): never appended itself
                line_record = {
                    "text": "", "fontname": fontname, "size": size, "upright": upright,
                    "forward": forward, "x0": 0.0, "x1": 0.0, "top": v_top, "bottom": v_bottom,
                    "doctop": v_doctop, "width": 0.0, "height": v_height,
                }.copy
            if obj != owner:
                owner = obj
                owners.append((len(chars), obj))
            fast_obj = obj  # (until a glyph takes another way: see above)
            rec = line_record()
            rec["text"] = text
            rec["x0"] = cx0
            rec["x1"] = cx1
            rec["width"] = cx1 - cx0
            if narrow:  # as pdfminer's device marks it (a superscript glyph)
                rec["narrow_variant"] = True
            append(rec)
            continue
        fast_obj = None
        loose_box(tp, k, rect_ref)
        lx0, lx1 = sorted((rect.left, rect.right))
        ly0, ly1 = sorted((rect.bottom, rect.top))
        ca, cb, cc, cd = a, b, c, d
        if turn is not None:  # onto the turned page, as pdfminer reads it
            r = turn[1]
            x, y = _apply(r, x, y)
            lx0, ly0, lx1, ly1 = _turn_rect(r, lx0, ly0, lx1, ly1)
            ca, cb, cc, cd = a * r[0] + b * r[2], a * r[1] + b * r[3], c * r[0] + d * r[2], c * r[1] + d * r[3]
        upright_here = ca * cd > 0 and cb * cc <= 0
        if cb == 0 and cc == 0:  # horizontal on the turned page
            w_user = adv * ca if adv is not None else (lx1 - x if ca > 0 else lx0 - x)
            cx0, cx1 = sorted((x, x + w_user))
            size_here = fs * abs(cd) if fs > 0 else ly1 - ly0
            if cd > 0:
                cy0, cy1 = ly0, ly0 + size_here
            else:
                cy0, cy1 = ly1 - size_here, ly1
        elif miner is not None and adv is not None and fs > 0:  # rotated or skewed: pdfminer's box, turned
            tx = (mw * fs) if mw is not None else adv
            ty0 = miner.descent * fs
            corners = [(x + u * ca + v * cc, y + u * cb + v * cd) for u in (0.0, tx) for v in (ty0, ty0 + fs)]
            cx0, cx1 = min(p[0] for p in corners), max(p[0] for p in corners)
            cy0, cy1 = min(p[1] for p in corners), max(p[1] for p in corners)
            size_here = cy1 - cy0
        else:  # rotated or skewed text: PDFium's own box
            cx0, cx1, cy0, cy1 = lx0, lx1, ly0, ly1
            size_here = cy1 - cy0
        top, bottom = (height - cy1, height - cy0) if turn is not None else (mb_top - cy1, mb_top - cy0)
        if obj != owner:
            owner = obj
            owners.append((len(chars), obj))
        append({
            "text": text, "fontname": fontname, "size": size_here, "upright": upright_here,
            "forward": ca > 0, "x0": cx0, "x1": cx1, "top": top, "bottom": bottom,
            "doctop": doctop0 + top, "width": cx1 - cx0, "height": cy1 - cy0,
        })
        if narrow:
            chars[-1]["narrow_variant"] = True
    if order and owners:  # in drawing order, as pdfminer lists them (PDFium moves some text objects)
        rank = [order.get(o, -1) for _, o in owners]
        if any(a > b for a, b in zip(rank, rank[1:])):  # runs moved whole, in a stable order (as the characters were)
            ends = [start for start, _ in owners[1:]] + [len(chars)]
            runs = sorted(range(len(owners)), key=lambda i: (rank[i], i))
            chars = [c for i in runs for c in chars[owners[i][0]:ends[i]]]
    return chars
