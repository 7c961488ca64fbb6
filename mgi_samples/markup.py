"""Inline markup of the sample sources -> reportlab paragraph XML: footnote
markers ``[^N]``, ``**bold**``, ``*italic*``, ligatures."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

LIGATURES = (("ffi", "\ufb03"), ("ffl", "\ufb04"), ("ff", "\ufb00"), ("fi", "\ufb01"), ("fl", "\ufb02"))


def ligate(text: str) -> str:
    """Replace ff/fi/fl/ffi/ffl by their ligature code points (DejaVu has the glyphs)."""
    for seq, glyph in LIGATURES:
        text = text.replace(seq, glyph)
    return text


_MARKER = re.compile(r"\[\^(=?)(\d+)\]")  # [^=7]: a plain digit glued to the word


def _shown(m: re.Match, scope: str, numbers: dict[str, int] | None) -> str:
    if not numbers:
        return m.group(2)
    return str(numbers.get(f"{scope}:{m.group(2)}", m.group(2)))


_GLUE = re.compile(r"(?<![\d])([.,;:!?)\]\u201d\u2019\"'])\[\^(\d+)\]")


def glue_after_punctuation(text: str) -> str:
    """Markers right after punctuation written as plain body-size digits
    (``[^6]`` -> ``[^=6]``), except after a digit and its punctuation
    ("in 2021.[^4]"): "2021.4" would read as a decimal number."""
    return _GLUE.sub(lambda m: f"{m.group(1)}[^={m.group(2)}]", text)


def inline(text: str, *, scope: str = "main", ligatures: bool = False, sup: tuple = (6.0, 3.5),
           numbers: dict[str, int] | None = None) -> str:
    """Source markup -> reportlab paragraph XML (footnote markers become
    superscripts carrying an onDraw callback that records their page; a third
    ``sup`` item names the markers' font). ``numbers`` prints marker
    ``scope:N`` as another number (notes numbered per page); the callback
    keeps the source key."""
    if ligatures:
        text = ligate(text)
    out = escape(text)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    out = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", out)
    size, rise, *face = sup
    font = (f'<font name="{face[0]}">', "</font>") if face else ("", "")
    out = _MARKER.sub(
        lambda m: (_shown(m, scope, numbers) if m.group(1) else f'{font[0]}<super size="{size}" rise="{rise}">{_shown(m, scope, numbers)}</super>{font[1]}') + f'<onDraw name="mgi_fn" label="{scope}:{m.group(2)}"/>',
        out,
    )
    return out.replace("\n", "<br/>")

