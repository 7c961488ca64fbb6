"""Fonts of the sample renderer: DejaVu from ``MGI_FONT_DIR`` (default the
Debian fonts-dejavu-core folder), registered with reportlab once."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.errors import RenderError

FONT_DIR = Path(os.environ.get("MGI_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
FONT_FILES = {
    "Serif": "DejaVuSerif.ttf",
    "Serif-Bold": "DejaVuSerif-Bold.ttf",
    "Serif-Italic": "DejaVuSerif-Italic.ttf",
    "Serif-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
    "Sans": "DejaVuSans.ttf",
    "Sans-Bold": "DejaVuSans-Bold.ttf",
}
SANS_TEXT = {
    "MGI-SansText": "DejaVuSans.ttf",
    "MGI-SansText-Bold": "DejaVuSans-Bold.ttf",
    "MGI-SansText-Oblique": "DejaVuSans-Oblique.ttf",
    "MGI-SansText-BoldOblique": "DejaVuSans-BoldOblique.ttf",
}
_FONTS_READY = False
_SANS_READY = False


def fonts_available() -> bool:
    """Every file of the base families is in FONT_DIR."""
    return all((FONT_DIR / name).is_file() for name in FONT_FILES.values())


def register_fonts() -> None:
    """Register the DejaVu serif and sans families (once) as MGI-Serif and MGI-Sans."""
    global _FONTS_READY
    if _FONTS_READY:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    missing = [name for name in FONT_FILES.values() if not (FONT_DIR / name).is_file()]
    if missing:
        raise RenderError.of("E507", font_dir=FONT_DIR, missing=", ".join(missing))
    for alias, name in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont("MGI-" + alias, str(FONT_DIR / name)))
    addMapping("MGI-Serif", 0, 0, "MGI-Serif")
    addMapping("MGI-Serif", 1, 0, "MGI-Serif-Bold")
    addMapping("MGI-Serif", 0, 1, "MGI-Serif-Italic")
    addMapping("MGI-Serif", 1, 1, "MGI-Serif-BoldItalic")
    addMapping("MGI-Sans", 0, 0, "MGI-Sans")
    addMapping("MGI-Sans", 1, 0, "MGI-Sans-Bold")
    addMapping("MGI-Sans", 0, 1, "MGI-Sans")
    addMapping("MGI-Sans", 1, 1, "MGI-Sans-Bold")
    _FONTS_READY = True


def register_sans_text() -> None:
    """A sans family with a real oblique (the base family maps Sans italic to
    upright, which the existing samples rely on)."""
    global _SANS_READY
    if _SANS_READY:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    missing = [name for name in SANS_TEXT.values() if not (FONT_DIR / name).is_file()]
    if missing:
        raise RenderError.of("E538", font_dir=FONT_DIR, missing=", ".join(missing))
    for alias, name in SANS_TEXT.items():
        pdfmetrics.registerFont(TTFont(alias, str(FONT_DIR / name)))
    addMapping("MGI-SansText", 0, 0, "MGI-SansText")
    addMapping("MGI-SansText", 1, 0, "MGI-SansText-Bold")
    addMapping("MGI-SansText", 0, 1, "MGI-SansText-Oblique")
    addMapping("MGI-SansText", 1, 1, "MGI-SansText-BoldOblique")
    _SANS_READY = True
