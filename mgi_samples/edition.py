"""Editions of a shared content file (sample renderer, ``mgi samples render``).

A design file may typeset the text of a content file as another *edition*:
the same body text under other metadata, front matter and heading wording
(e.g. the English Local profile text set as a national-profile edition whose
dimension headings are numbered and in sentence case). The design says so
under an ``edition`` key::

    edition:
      metadata: {profile_level: national, locality: null, ...}   # merged over the content's
      front_matter: {cover_title: [...], ...}                      # merged over the content's
      headings: {dim1: "1. Adherence to ...", key_sources: SOURCES}  # by heading id
      rewrite:                                                     # regex on heading text
      - ['^\\d\\.1\\. (Migration governance: .*)$', '\\1']

``headings`` wins over ``rewrite`` for a heading that has an id listed there.
Designs without an ``edition`` key are returned unchanged.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from pipeline.errors import RenderError


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RenderError.of("E520", where=where)
    return value


def _rules(value: Any, where: str) -> list[tuple[re.Pattern[str], str]]:
    rules = []
    for i, rule in enumerate(value or []):
        if not (isinstance(rule, (list, tuple)) and len(rule) == 2):
            raise RenderError.of("E521", where=where, index=i)
        try:
            rules.append((re.compile(str(rule[0])), str(rule[1])))
        except re.error as exc:
            raise RenderError.of("E522", where=where, index=i, reason=exc) from None
    return rules


def rewrite_heading(block: dict[str, Any], headings: dict[str, Any], rules: list[tuple[re.Pattern[str], str]]) -> dict[str, Any]:
    """A heading block with its edition wording (a new dict; other blocks pass through)."""
    if "heading" not in block:
        return block
    key = block.get("id")
    if key is not None and str(key) in headings:
        return {**block, "heading": str(headings[str(key)])}
    text = str(block["heading"])
    for pattern, replacement in rules:
        new = pattern.sub(replacement, text)
        if new != text:
            return {**block, "heading": new}
    return block


def apply_edition(sample, design_data: dict[str, Any]):
    """The sample as the edition its design file describes (``edition`` key)."""
    edition = design_data.get("edition")
    if not edition:
        return sample
    where = f"{sample.path}: edition"
    edition = _mapping(edition, where)
    unknown = set(edition) - {"metadata", "front_matter", "headings", "rewrite"}
    if unknown:
        raise RenderError.of("E523", where=where, keys=", ".join(sorted(unknown)))
    headings = {str(k): v for k, v in _mapping(edition.get("headings"), where + ".headings").items()}
    rules = _rules(edition.get("rewrite"), where)
    ids = {str(b.get("id")) for b in sample.blocks if "heading" in b and b.get("id") is not None}
    missing = sorted(set(headings) - ids)
    if missing:
        raise RenderError.of("E524", where=where, ids=", ".join(missing))
    return replace(
        sample,
        metadata={**sample.metadata, **_mapping(edition.get("metadata"), where + ".metadata")},
        front={**sample.front, **_mapping(edition.get("front_matter"), where + ".front_matter")},
        blocks=[rewrite_heading(b, headings, rules) for b in sample.blocks],
    )
