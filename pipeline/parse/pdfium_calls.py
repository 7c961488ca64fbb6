"""PDFium's text-page calls for the PDFium character source
(``pipeline.parse.pdfium``), made cheap: plain C prototypes, and the page's
code points in one call where that is exact."""

from __future__ import annotations

import ctypes
from functools import lru_cache


def proto(fn, restype, *argtypes):
    """A pypdfium2 function as a plain C prototype: ``restype`` and, where
    given, the argument types (none: arguments passed as they are)."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, ctypes.c_void_p).value)


@lru_cache(maxsize=1)
def text_calls():
    """PDFium's text-page calls (per character, then per text object) as
    plain C prototypes without argument types (the text page passed as a
    ``c_void_p``, out-parameters by a ``byref`` made once): ctypes'
    conversion of typed arguments costs more than the calls."""
    import pypdfium2.raw as raw

    i, vp = ctypes.c_int, ctypes.c_void_p
    return (
        proto(raw.FPDFText_GetTextObject, vp),
        proto(raw.FPDFText_GetUnicode, ctypes.c_uint),
        proto(raw.FPDFText_HasUnicodeMapError, i),
        proto(raw.FPDFText_GetCharOrigin, i),
        proto(raw.FPDFText_IsGenerated, i),
        proto(raw.FPDFText_GetLooseCharBox, i),
        proto(raw.FPDFText_GetText, i),
        proto(raw.FPDFText_GetTextIndexFromCharIndex, i),
        # once per text object
        proto(raw.FPDFText_GetFontSize, ctypes.c_double),
        proto(raw.FPDFText_GetMatrix, i),
        proto(raw.FPDFTextObj_GetFont, vp),  # (the object as a c_void_p)
        proto(raw.FPDFText_GetFontInfo, ctypes.c_ulong),
        # a Python float for a C float: typed
        proto(raw.FPDFFont_GetGlyphWidth, i, vp, ctypes.c_uint, ctypes.c_float, ctypes.POINTER(ctypes.c_float)),
    )


def page_codes(tp, n: int) -> list[int]:
    """PDFium's code point of each of the ``n`` characters of text page
    ``tp`` (a ``c_void_p``), as ``FPDFText_GetUnicode`` gives them: the
    page's text in one ``FPDFText_GetText`` call where that text is the
    characters one to one, else one call per character. One to one when the
    last character's text index is its own (PDFium leaves its control
    characters out of the text, which shifts every index after them) and
    the text has one UTF-16 unit per character. Where PDFium's text holds
    U+FFFE its character may say otherwise (its line-end hyphen mark 2, an
    unmapped glyph's 0): those are asked one by one."""
    _, get_unicode, *_, get_text, text_index = text_calls()[:8]
    if n <= 0:
        return []
    if text_index(tp, n - 1) == n - 1:
        buf = (ctypes.c_uint16 * (n + 1))()
        if get_text(tp, 0, n, buf) == n + 1:  # (the count includes the terminator)
            codes = buf[:n]
            if 0xFFFE in codes:
                for k, code in enumerate(codes):
                    if code == 0xFFFE:
                        codes[k] = get_unicode(tp, k)
            return codes
    return [get_unicode(tp, k) for k in range(n)]
