"""Names printed before a year: the backward walk of
:mod:`pipeline.extract.citations` ("the Jesuit Migrant Service (2021)" ->
"Jesuit Migrant Service"), kept apart so that module stays small.

``rules`` is a :class:`pipeline.extract.citations.CitationRules` (its
``connectors``, ``leading``, ``marks``, ``strip_prefixes``, ``max_words`` and
``lowercase_run`` are read).
"""

from __future__ import annotations

import re

NUMBER_RE = re.compile(r"^\d[\d.,–\-/]*$")
JOINING_SIGNS = frozenset({"/", "&", "–", "-"})


def name_like(words: list[str], rules) -> bool:
    """Every word capitalised, a number, a number mark, a connector or a
    joining sign ("Samuel Hall / University of Sussex")."""
    return all(is_cap(w) or NUMBER_RE.match(w) or w in rules.marks or w.casefold() in rules.connectors
               or w in JOINING_SIGNS for w in words)


ELISION_RE = re.compile(r"^[a-z][’']")


def is_cap(word: str) -> bool:
    word = ELISION_RE.sub("", word)
    first = next((ch for ch in word if ch.isalnum()), "")
    return bool(first) and (first.isupper() or first.isdigit())


def matching_open(text: str, close: int) -> int | None:
    depth = 0
    for i in range(close, max(-1, close - 400), -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                return i
    return None


def walk_back(text: str, end: int, rules):
    """The capitalised name ending at ``end``: (start, name, owner) where
    owner is (start, name) of a possessive owner ("Ministry of Education's
    National Policy") or None. None when no name ends there."""
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[max(0, end - 400) : end])]
    base = max(0, end - 400)
    tokens = [(s + base, e + base) for s, e in tokens]
    accepted: list[tuple[int, int]] = []
    owner_end: int | None = None
    for s, e in reversed(tokens):
        word = text[s:e]
        if accepted and word[-1] in ",;:":
            break
        if not accepted and word[-1] in ",;:.":
            return None
        if "(" in word or ")" in word or '"' in word or "“" in word or "”" in word:
            break
        if re.search(r"['’]s$", word):
            if accepted:
                owner_end = e - 2
            break
        if word.endswith(".") and word not in rules.marks and not re.search(r"\.\w", word) and len(word) > 2:
            break  # the end of the previous sentence
        if not (is_cap(word) or NUMBER_RE.match(word) or word in rules.marks or word in JOINING_SIGNS
                or word.casefold() in rules.connectors):
            # lower-case words stand only at the end of a name ("Institut national
            # de la statistique"), never before its capitalised words ("le
            # protocole du Ministerio de Salud")
            if any(is_cap(text[a:b]) for a, b in accepted) or not _capital_within(text, tokens, (s, e), rules):
                break
        accepted.insert(0, (s, e))
        if len(accepted) > rules.max_words:
            return None
    accepted = _trim(text, accepted, rules)
    if not accepted:
        return None
    start = accepted[0][0]
    elision = ELISION_RE.match(text[start : accepted[0][1]])
    if elision:  # "l'Institut national ..." -> "Institut national ..."
        start += elision.end()
    name = " ".join(text[start:accepted[-1][1]].split())
    for pat in rules.strip_prefixes:
        pm = pat.match(text[start : accepted[-1][1]])
        if pm and 0 < pm.end() < accepted[-1][1] - start:
            start += pm.end()
            name = " ".join(text[start:accepted[-1][1]].split())
            break
    owner = None
    if owner_end is not None:
        o = walk_back(text, owner_end, rules)
        if o is not None:
            owner = (o[0], o[1])
    return start, name, owner


def _capital_within(text: str, tokens: list[tuple[int, int]], tok: tuple[int, int], rules) -> bool:
    """A lower-case word may stand in a name when a capitalised word comes at
    most ``lowercase_run`` lower-case words before it (connectors free)."""
    if rules.lowercase_run <= 0:
        return False
    i = tokens.index(tok)
    lower = 0
    for s, e in reversed(tokens[: i + 1]):
        word = text[s:e]
        if word[-1] in ",;:." or "(" in word or ")" in word:
            return False
        if is_cap(word):
            return True
        if word.casefold() in rules.connectors:
            continue
        lower += 1
        if lower > rules.lowercase_run:
            return False
    return False


def _trim(text: str, accepted: list[tuple[int, int]], rules) -> list[tuple[int, int]]:
    """Drop leading articles/connectors/marks; require a capitalised last word
    (or number) and at least one capitalised word that is not a leading word."""
    while accepted:
        word = text[accepted[0][0] : accepted[0][1]]
        if word.casefold() in rules.leading or word.casefold() in rules.connectors or word in rules.marks or word in JOINING_SIGNS:
            accepted = accepted[1:]
            continue
        break
    if accepted and rules.lowercase_run > 0 and not is_cap(text[accepted[0][0] : accepted[0][1]]):
        # lower-case words before the name ("une étude du Service jésuite des
        # migrants (2021)"): the name starts at its first capitalised word
        first_cap = next((k for k, (s, e) in enumerate(accepted)
                          if is_cap(text[s:e]) and not NUMBER_RE.match(text[s:e])), None)
        accepted = accepted[first_cap:] if first_cap is not None else []
    if not accepted or not is_cap(text[accepted[0][0] : accepted[0][1]]):
        return []
    last = text[accepted[-1][0] : accepted[-1][1]]
    if last.casefold() in rules.connectors and not is_cap(last):
        return []
    if not any(is_cap(text[s:e]) and not NUMBER_RE.match(text[s:e]) for s, e in accepted):
        return []
    return accepted
