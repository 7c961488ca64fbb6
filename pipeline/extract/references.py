"""KEY SOURCES: author headings and their entries -> ``Reference`` rows.

Input: the ordered paragraphs of the key_sources section as the segmenter
gives them: ``kind="source_author"`` (a bold author heading) and
``kind="source_entry"`` (one entry, text starting with its year label
"2021a ", "n.d. ", "s.f." (ES), "s.d." (FR/PT) or with no label).
Fallback when the segmenter gives only ``body`` paragraphs: a bold (when any
paragraph is bold; otherwise any) short line without a year label and not
ending in "." is an author heading; everything else is an entry.

Decisions:

* ``author`` is the heading as printed, e.g. "National Statistics Institute
  (Instituto Nacional de Estadísticas, INE)"; ``acronym`` is "INE" when the
  heading ends with ", XYZ)" or "(XYZ)". Entries before any heading get
  author "" (and a warning from the orchestrator).
* ``year``/``year_suffix`` come from the leading label; "n.d." gives null.
  An entry without a label keeps year null: it never inherits the previous
  entry's year (the printed list is the truth, the gold labels what is
  printed).
* ``note`` = the trailing availability statements matching
  ``note_patterns`` of ``configs/references/<lang>.yaml`` ("Not available
  online.", "Available from ..."), in print order; null when none.
  Publication details stay in the title ("... Press release, 8 March"), and
  so does a bracketed medium designation ("... de Chile [slide
  presentation]", "[online]", "[video]"): the gold convention
  (samples/gold/README.md, "References").
* A legend printed once in the list ("* Not available online.", its mark
  one of ``legend_marks``) is neither an author nor an entry when some entry
  ends with its mark; an entry ending with the mark ("... salud.*") gets
  the legend's text as (the end of) its ``note``, and loses the mark.
* ``translation`` = the parenthesised text closing the title (without the
  parentheses), "Law on Migration and Foreigners", also when a bracketed
  medium designation follows it ("Título (Title) [video]": title "Título
  [video]"); it must have at least
  ``translation_min_words`` words and not start with a digit ("(10
  December)" is part of the title).
* ``title`` = the entry text after the label, without note and translation,
  trailing "." removed. ``raw`` = the entry text as given.
* An entry paragraph starting with a lower-case letter continues the
  previous entry (a segmenter split); it is joined to it. Consecutive
  heading lines with no entry between them are one heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

from pipeline.datamodel import Paragraph, Reference

_BULLET_RE = re.compile(r"^\s*[-–•·▪◦*]\s+")
_ACRONYM_RE = re.compile(r"\((?:(?P<full>[^()]*),\s*)?(?P<acr>[A-Z][A-Za-z0-9&.\-]*)\)\s*$")


@dataclass(frozen=True)
class ReferenceRules:
    label_re: re.Pattern
    notes: tuple[re.Pattern, ...]
    headings: frozenset[str]
    translation_min_words: int
    author_max_chars: int
    legend_re: re.Pattern = re.compile(r"(?!x)x")  # "* Not available online.": mark, then its meaning


def build_rules(wording: dict[str, Any]) -> ReferenceRules:
    undated = sorted({str(u) for u in wording.get("undated_labels", ["n.d."])}, key=lambda u: (-len(u), u))
    undated_alt = "|".join(re.escape(u).replace(r"\ ", r"\s*") for u in undated) or r"(?!x)x"
    label_re = re.compile(
        rf"^(?:(?P<year>(?:1[5-9]|20)\d{{2}})(?P<suffix>[a-z])?|(?P<undated>{undated_alt}))(?=\s|$)\s*",
        re.IGNORECASE,
    )
    notes = tuple(re.compile(rf"(?P<note>{p})\s*$") for p in wording.get("note_patterns", []) or [])
    headings = frozenset(str(h).casefold() for h in wording.get("section_headings", []) or [])
    marks = sorted({str(m) for m in wording.get("legend_marks", []) or [] if str(m).strip()}, key=lambda m: (-len(m), m))
    mark_alt = "|".join(re.escape(m) for m in marks) or r"(?!x)x"
    legend_re = re.compile(rf"^(?P<mark>{mark_alt})\s*(?P<note>[^\s*†‡].*?)\s*$")
    return ReferenceRules(
        label_re=label_re,
        notes=notes,
        headings=headings,
        translation_min_words=int(wording.get("translation_min_words", 2)),
        author_max_chars=int(wording.get("author_max_chars", 200)),
        legend_re=legend_re,
    )


@dataclass(frozen=True)
class ParsedEntry:
    year: int | None
    year_suffix: str | None
    title: str
    translation: str | None
    note: str | None
    labelled: bool


def parse_entry(text: str, rules: ReferenceRules, legends: dict[str, str] | None = None) -> ParsedEntry:
    """Split one entry into label, title, translation and note; ``legends``
    maps a mark ending the entry ("*") to its printed meaning."""
    body = _BULLET_RE.sub("", " ".join(text.split()))
    legend_note = None
    for mark in sorted(legends or {}, key=len, reverse=True):
        if body.endswith(mark) and len(body) > len(mark):
            body, legend_note = body[: -len(mark)].rstrip(), legends[mark]
            break
    year = suffix = None
    labelled = False
    m = rules.label_re.match(body)
    if m:
        labelled = True
        if m.group("year"):
            year, suffix = int(m.group("year")), m.group("suffix")
        body = body[m.end() :]
    body, note = _split_note(body, rules)
    if legend_note:
        note = f"{note} {legend_note}" if note else legend_note
    body = body.strip()
    if body.endswith("."):
        body = body[:-1].rstrip()
    title, translation = _split_translation(body, rules)
    return ParsedEntry(year, suffix, title, translation, note, labelled)


def _split_note(body: str, rules: ReferenceRules) -> tuple[str, str | None]:
    notes: list[str] = []
    changed = True
    while changed and body:
        changed = False
        for pat in rules.notes:
            m = pat.search(body)
            if not m or m.start() == 0:
                continue
            before = body[: m.start()].rstrip()
            note = m.group("note").strip()
            if not (before.endswith((".", "!", "?", "]", ")")) or note.startswith("[")):
                continue
            if note.startswith("[") and note.endswith("]."):
                note = note[:-1]
            notes.insert(0, note)
            body = before
            changed = True
            break
    return body, (" ".join(notes) if notes else None)


_MEDIUM_RE = re.compile(r"\s*\[[^\[\]]+\]$")  # "[slide presentation]" closing a title


def _split_translation(body: str, rules: ReferenceRules) -> tuple[str, str | None]:
    medium = _MEDIUM_RE.search(body)
    if medium and medium.start() > 0:
        title, translation = _split_translation(body[: medium.start()], rules)
        return (title + medium.group(0), translation) if translation else (body, None)
    if not body.endswith(")"):
        return body, None
    depth = 0
    for i in range(len(body) - 1, -1, -1):
        if body[i] == ")":
            depth += 1
        elif body[i] == "(":
            depth -= 1
            if depth == 0:
                inner = " ".join(body[i + 1 : -1].split())
                title = body[:i].rstrip(" ,.;:")
                if (
                    title
                    and inner
                    and not inner[0].isdigit()
                    and len(inner.split()) >= rules.translation_min_words
                ):
                    return title, inner
                return body, None
    return body, None


def heading_acronym(heading: str) -> str | None:
    """"INE" of "National Statistics Institute (Instituto ..., INE)"."""
    m = _ACRONYM_RE.search(heading.strip())
    if not m:
        return None
    acr = m.group("acr").rstrip(".")
    if sum(ch.isupper() for ch in acr) < 2 or " " in acr:
        return None
    return acr


def heading_names(heading: str) -> list[str]:
    """Every name a heading goes by: the heading, the name before its
    parenthesis, the name inside it (before the acronym), the acronym."""
    names = [heading.strip()]
    m = re.match(r"^(?P<name>[^()]+?)\s*\((?P<inner>[^()]*)\)\s*$", heading.strip())
    if m:
        names.append(m.group("name"))
        inner = m.group("inner")
        parts = [p.strip() for p in inner.rsplit(",", 1)]
        if len(parts) == 2 and parts[0]:
            names.append(parts[0])
    acr = heading_acronym(heading)
    if acr:
        names.append(acr)
    out: list[str] = []
    for n in names:
        if n and n not in out:
            out.append(n)
    return out


def _is_author_line(p: Paragraph, rules: ReferenceRules, use_bold: bool) -> bool:
    text = " ".join(p.text.split())
    if p.kind == "source_author":
        return True
    if p.kind == "source_entry":
        return False
    if use_bold and not p.bold:
        return False
    return (
        bool(text)
        and len(text) <= rules.author_max_chars
        and not rules.label_re.match(_BULLET_RE.sub("", text))
        and not text.endswith(".")
        and not text[0].islower()
    )


def _legends(paras: list[Paragraph], rules: ReferenceRules) -> tuple[list[Paragraph], dict[str, str]]:
    """Take the legend lines ("* Not available online.") out of the list:
    a short line made of a mark and its meaning, whose mark ends at least one
    other paragraph (else "* 2021 ..." is just a bulleted entry)."""
    legends: dict[str, str] = {}
    found: list[int] = []
    for k, p in enumerate(paras):
        text = " ".join(p.text.split())
        m = rules.legend_re.match(text)
        if not m or len(text) > rules.author_max_chars or rules.label_re.match(m.group("note")):
            continue
        mark = m.group("mark")
        if any(" ".join(q.text.split()).endswith(mark) for j, q in enumerate(paras) if j != k):
            legends.setdefault(mark, m.group("note"))
            found.append(k)
    return [p for k, p in enumerate(paras) if k not in found], legends


def parse_references(
    paragraphs: Sequence[Paragraph], doc_id: str, rules: ReferenceRules, first_index: int = 1
) -> list[Reference]:
    """``Reference`` rows of the KEY SOURCES paragraphs, ids ``<doc_id>:r<n>``."""
    paras = [p for p in paragraphs if " ".join(p.text.split()).casefold() not in rules.headings and p.text.strip()]
    paras, legends = _legends(paras, rules)
    use_bold = any(p.bold for p in paras if p.kind == "body")
    entries: list[tuple[str, str, int | None]] = []  # (author, text, page)
    author = ""
    last_was_author = False
    for p in paras:
        text = " ".join(p.text.split())
        if _is_author_line(p, rules, use_bold):
            # consecutive heading lines with no entry between are one heading
            # (a long heading the segmenter split over two lines)
            author = f"{author} {text}" if last_was_author and author else text
            last_was_author = True
            continue
        last_was_author = False
        stripped = _BULLET_RE.sub("", text)
        if entries and stripped[:1].islower() and not rules.label_re.match(stripped) and entries[-1][0] == author:
            prev_author, prev_text, prev_page = entries[-1]
            entries[-1] = (prev_author, f"{prev_text} {text}", prev_page)
            continue
        entries.append((author, text, p.page_start))
    out: list[Reference] = []
    for n, (auth, text, page) in enumerate(entries, start=first_index):
        parsed = parse_entry(text, rules, legends)
        out.append(
            Reference(
                doc_id=doc_id,
                reference_id=f"{doc_id}:r{n}",
                author=auth,
                year=parsed.year,
                year_suffix=parsed.year_suffix,
                title=parsed.title,
                note=parsed.note,
                raw=text,
                translation=parsed.translation,
                acronym=heading_acronym(auth) if auth else None,
                page=page,
            )
        )
    return out
