"""Small helpers the renderer's modules share (so none imports back into
``render.py`` or takes another module's private name)."""

from __future__ import annotations

from typing import Any


def style_like(parent, **kw):
    """A paragraph style derived from ``parent`` with ``kw`` changed."""
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(parent.name + "_x", parent=parent, **kw)


def heading_key(block: dict[str, Any], index: int) -> str:
    """The key a heading block is known by (contents entries, page numbers):
    its ``id``, else ``h<index>``."""
    return str(block.get("id") or f"h{index}")
