"""Footnote markers in lines and the notes printed at the foot of a page.

A marker is a number printed as a superscript (smaller than the line's
dominant size, baseline raised; glued to the word before it, a smaller size
with even a small raise is enough: "2021." + a small raised "4" is a year and
note 4, not 2021.4), a Unicode superscript digit run, or — as a
fallback — digits glued to the end of a word ("policy.12") when that number
is one of the page's foot notes. Markers are removed from a line's ``text``
and recorded with the offset where they stood.

Digits that belong to a number are never markers: the "7" of "12.7" (digits
on both sides of a decimal sign), an exponent after ``10``, ``×``, ``^`` or a
superscript minus ("10⁻¹¹"), a power of a unit or symbol ("km²", "R²"; the
symbols are ``parse.exponent_bases`` in configs/default.yaml). Such digits
stay in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.parse.layout import BBoxT, PLine, Word
from pipeline.text.normalize import SUPERSCRIPT_CHARS, SUPERSCRIPT_DIGITS, Lexicon, join_hyphen, normalize, superscript_value

MARKER_TEXT_RE = re.compile(r"^\(?(\d{1,3})((?:[,–-]\d{1,3})*)\)?$")
TRAILING_SUP_RE = re.compile(f"([{SUPERSCRIPT_CHARS}]+)([.,;:)\\]]*)$")
# digits glued to a word: "policy.12", "(2021).4", "migrants3,"
GLUED_RE = re.compile(r"^(.*?[a-zà-ÿ\)\]\.,;:”\"’])(\d{1,3})([.,;:)\]]*)$")
_DIGITS_RUN_RE = re.compile(r"\d{1,3}[.,;:)\]]*")
LEADING_NUMBER_RE = re.compile(r"^(\d{1,3})(?:[.)]\s*|\s+)(?=\S)")
LONE_NUMBER_RE = re.compile(r"^\d{1,3}[.)]?$")
# text before a digit run that makes the digits part of a number or formula
DECIMAL_BEFORE_RE = re.compile(r"\d[.,]$")
EXPONENT_BEFORE_RE = re.compile(r"(?:(?<![\d.,])10|[×^⁻\u2212])$")
DESCENT = 0.25  # a font's descent below the baseline, em (an upper bound for text faces)
_TO_SUPERSCRIPT = {v: k for k, v in SUPERSCRIPT_DIGITS.items()} | {"-": "⁻", "\u2212": "⁻", "+": "⁺"}


def _numbers(text: str) -> list[int] | None:
    m = MARKER_TEXT_RE.match(text)
    if not m:
        return None
    nums = [int(m.group(1))]
    for part in re.findall(r"[,–-](\d{1,3})", m.group(2) or ""):
        nums.append(int(part))
    return nums


@dataclass(frozen=True)
class MarkerRules:
    sup_size_ratio: float  # a marker is at most this fraction of the line size
    rise_ratio: float  # ... and its bottom is raised by this fraction of the line size
    space_gap: float  # a gap wider than this (em) between words is a space
    # unit/symbol tokens a raised digit is a power of (configs/default.yaml parse.exponent_bases)
    exponent_bases: tuple[str, ...] = ()
    # glued to the text before it, a smaller word needs only this raise (fraction
    # of the line size, measured on baselines): a small digit "barely raised"
    min_rise_ratio: float = 0.1

    def raised(self, w: Word, size: float, base: float, glued: bool) -> bool:
        """Whether word ``w`` is set as a superscript in a line of ``size`` whose
        baseline (the bottom of its dominant-size words) is at ``base``.

        Smaller than the line and raised by ``rise_ratio`` of its size; or, when
        glued to the text before it, smaller and raised at all (by
        ``min_rise_ratio``): bottoms are compared, and a smaller word on the
        same baseline has its bottom higher by the difference of the descents
        (at most :data:`DESCENT` em), which does not count as a raise.
        """
        if w.size > self.sup_size_ratio * size:
            return False
        rise = base - w.bottom
        if rise >= self.rise_ratio * size:
            return True
        return glued and rise - DESCENT * (size - w.size) >= self.min_rise_ratio * size

    def part_of_number(self, before: str, raised: bool = False) -> bool:
        """Digits printed right after ``before`` (no space) belong to a number or formula.

        A decimal sign before them counts for digits on the baseline only: a
        raised digit after "in 2019." is a marker (decimals are not raised)."""
        if (not raised and DECIMAL_BEFORE_RE.search(before)) or EXPONENT_BEFORE_RE.search(before):
            return True
        m = re.search(r"([^\W\d_]+)$", before)
        return bool(m) and m.group(1) in self.exponent_bases and (m.start() == 0 or not before[m.start() - 1].isalpha())


def _as_superscript(text: str) -> str:
    """A raised exponent kept in the text: "-11" -> "⁻¹¹" (its digits unchanged)."""
    return "".join(_TO_SUPERSCRIPT.get(ch, ch) for ch in text)


def build_text(ln: PLine, rules: MarkerRules, glued: frozenset[int] = frozenset()) -> None:
    """Fill ``raw``, ``text``, ``markers`` and ``label`` of a line from its words."""
    words = ln.words
    size = ln.size or 1.0
    base = ln.baseline
    text = ""
    raw = ""
    markers: list[tuple[int, int, BBoxT]] = []
    label: int | None = None
    label_end = 0
    prev: Word | None = None
    prev_marker = False
    for i, w in enumerate(words):
        gap = (w.x0 - prev.x1) if prev is not None else 0.0
        spaced = prev is not None and gap > rules.space_gap * size
        raw += (" " if spaced else "") + w.text
        raised = rules.raised(w, size, base, glued=i > 0 and not spaced)
        ascii_text = w.text.isascii()  # no superscript digit, ligature, soft hyphen: normalize() keeps it
        nums = _numbers(w.text) if raised else None
        if nums is None and not ascii_text and superscript_value(w.text) is not None:
            nums = [superscript_value(w.text)]
        if nums is not None and i > 0 and not spaced and rules.part_of_number(text, raised=True):
            text += _as_superscript(w.text) if raised else w.text  # an exponent: part of the number
            prev, prev_marker = w, False
            continue
        if raised and i > 0 and not spaced and re.fullmatch(r"[-\u2212+]?\d{1,3}", w.text) and EXPONENT_BEFORE_RE.search(text):
            text += _as_superscript(w.text)  # "10" + raised "-11"
            prev, prev_marker = w, False
            continue
        if nums is not None:
            if i == 0:
                label, label_end = nums[0], 1  # a leading raised number: a note's label
            else:
                bbox = _bbox(w)
                for n in nums:
                    markers.append((n, len(text), bbox))
            prev, prev_marker = w, True
            continue
        piece = w.text
        m = TRAILING_SUP_RE.search(piece) if not ascii_text else None
        if m and m.start() > 0 and not rules.part_of_number((text if not spaced else "") + piece[: m.start()], raised=True):
            n = superscript_value(m.group(1))
            piece = piece[: m.start()] + m.group(2)
            trailing = m.group(2)
            if text and spaced:
                text += " "
            core = normalize(piece[: len(piece) - len(trailing)])
            text += core
            markers.append((n, len(text), _bbox(w)))
            text += trailing
            prev, prev_marker = w, False
            continue
        if glued:
            g = GLUED_RE.match(piece)
            if g and int(g.group(2)) in glued and not rules.part_of_number(g.group(1)) and re.search(r"[^\W\d_]|[)\]”\"’]", g.group(1)):
                if text and spaced:
                    text += " "
                text += normalize(g.group(1))
                markers.append((int(g.group(2)), len(text), _bbox(w)))
                text += g.group(3)
                prev, prev_marker = w, False
                continue
            tail = text.rsplit(" ", 1)[-1] if text and i > 0 and not spaced else ""
            g = GLUED_RE.match(tail + piece) if tail and _DIGITS_RUN_RE.fullmatch(piece) else None
            # the digits printed as a run of their own right after the word ("it." + "13": a CSS
            # footnote call is a box of its own), glued all the same
            if (g and g.group(1) == tail and int(g.group(2)) in glued and not rules.part_of_number(tail)
                    and re.search(r"[^\W\d_]|[)\]”\"’]", tail)):
                markers.append((int(g.group(2)), len(text), _bbox(w)))
                text += g.group(3)
                prev, prev_marker = w, False
                continue
        if text and (spaced and not (raised and not prev_marker and w.text.isalpha() and gap < 0.3 * size)):
            text += " "
        elif text and prev_marker and gap > rules.space_gap * size * 0.5 and not _is_closing(piece):
            text += " "
        text += piece if ascii_text else normalize(piece)
        prev, prev_marker = w, False
    ln.raw = raw
    ln.text = text.strip()
    ln.markers = [(n, min(off, len(ln.text)), bb) for n, off, bb in markers]
    ln.label = label
    ln.label_end = label_end


def _bbox(w: Word) -> BBoxT:
    return (round(w.x0, 2), round(w.top, 2), round(w.x1, 2), round(w.bottom, 2))


def _is_closing(piece: str) -> bool:
    return piece[:1] in ".,;:)]”’!?"


def leading_number(text: str) -> tuple[int, str] | None:
    """``"12 See the law."`` -> (12, "See the law.")."""
    m = LEADING_NUMBER_RE.match(text)
    if not m:
        return None
    return int(m.group(1)), text[m.end() :]


@dataclass
class FootNote:
    number: int | None
    lines: list[PLine]


def group_notes(lines: list[PLine]) -> list[FootNote]:
    """Foot lines (in reading order) -> notes; an unnumbered first note continues the previous page."""
    notes: list[FootNote] = []
    for ln in lines:
        number = ln.label
        if number is None and LONE_NUMBER_RE.match(ln.text):
            # a label set on a line of its own (raised above the note's first line)
            number = int(ln.text.rstrip(".)"))
            if notes and notes[-1].number is not None and not 0 < number - notes[-1].number <= 3:
                number = None
        elif number is None:
            lead = leading_number(ln.text)
            if lead and (not notes or notes[-1].number is None or 0 < lead[0] - notes[-1].number <= 3):
                number = lead[0]
        if number is not None and (not notes or notes[-1].number is None or number > notes[-1].number):
            notes.append(FootNote(number, [ln]))
        elif notes:
            notes[-1].lines.append(ln)
        else:
            notes.append(FootNote(None, [ln]))
    return notes


def note_text(note: FootNote, lexicon: Lexicon) -> str:
    """The note's text without its number, lines joined."""
    text = ""
    for i, ln in enumerate(note.lines):
        t = ln.text
        if i == 0 and ln.label is None and note.number is not None and t.rstrip(".)") == str(note.number):
            continue  # the label's own line
        if i == 0 and ln.label is None and note.number is not None:
            lead = leading_number(t)
            if lead and lead[0] == note.number:
                t = lead[1]
        if not text:
            text = t
            continue
        decision = join_hyphen(text, t, lexicon) if text.endswith("-") else None
        if decision is True:
            text = text[:-1] + t
        elif decision is False:
            text += t
        else:
            text += " " + t
    return text.strip()


def note_bbox(note: FootNote) -> BBoxT:
    return (
        round(min(ln.x0 for ln in note.lines), 2),
        round(min(ln.top for ln in note.lines), 2),
        round(max(ln.x1 for ln in note.lines), 2),
        round(max(ln.bottom for ln in note.lines), 2),
    )
