"""Enumerators of running text: "(a) ... (b) ...", "i) ... ii) ...", "1. ... 2. ...".

Shared by parse (blocks) and segment (list items), which must agree on when
an enumerator wrapped to a line start is running text, not a list item.
"""

from __future__ import annotations

import re

ENUM_RE = re.compile(r"^\s*(\(?)([a-z]|[ivx]{1,4}|\d{1,2})([.)])\s")
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


def _labels(text: str, step: int) -> list[str]:
    """The labels that may stand ``step`` (+1 or -1) from the enumerator
    opening ``text``: a number, a roman numeral, a letter ("(i) " -> "(ii)"
    or "(j)"); none when ``text`` opens with no enumerator."""
    m = ENUM_RE.match(text)
    if not m:
        return []
    open_, label, close = m.groups()
    out = []
    if label.isdigit():
        if int(label) + step >= 1:
            out.append(str(int(label) + step))
    else:
        if label in _ROMAN and 0 <= _ROMAN.index(label) + step < len(_ROMAN):
            out.append(_ROMAN[_ROMAN.index(label) + step])
        if len(label) == 1 and "a" <= chr(ord(label) + step) <= "z":
            out.append(chr(ord(label) + step))
    return [f"{open_}{n}{close}" for n in out]


def next_labels(text: str) -> list[str]:
    """The labels that may follow the enumerator opening ``text`` ("(a) " ->
    "(b)", "iii) " -> "iv)", "2. " -> "3.")."""
    return _labels(text, +1)


def prev_labels(text: str) -> list[str]:
    """The labels that may come before the enumerator opening ``text`` ("(b) "
    -> "(a)", "iv) " -> "iii)", "3. " -> "2.")."""
    return _labels(text, -1)


def inline_enumeration(texts: list[str], k: int, look: int = 12) -> bool:
    """Line ``k`` opens with an enumerator ("(a) ...") that is a wrap of running
    text, not a list item: the next label of the sequence follows inside a
    line ("...; and (b) the transfer ...") before any line starts with it, or
    the label before it stands inside one of the lines above (the last item
    of an inline list: "... following: (a) the relocation ...; and" / "(b) the
    transfer ...") with no line above starting with it."""
    labels = next_labels(texts[k])
    first = texts[k].strip()
    for n, t in enumerate([first.split(" ", 1)[1] if " " in first else "", *texts[k + 1 : k + 1 + look]]):
        t = t.strip()
        if n and any(t.startswith(lab) for lab in labels):
            return False
        if any(f" {lab} " in f" {t} " for lab in labels):
            return True
    before = prev_labels(texts[k])
    for t in reversed(texts[max(0, k - look) : k]):
        t = t.strip()
        if any(t.startswith(lab) for lab in before):
            return False
        if any(f" {lab} " in f" {t} " for lab in before):
            return True
    return False
