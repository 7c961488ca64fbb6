"""Document metadata: language, title, profile level, place, years, ISBN.

The only place metadata is found. Everything language-specific (stop-word
lists, "LOCAL PROFILE", "© IOM 2023", "Municipality of ...", the ISBN
pattern) is read from the ``metadata:`` block of
``configs/headings/<lang>.yaml``; what that finds nothing for is taken from
the cover and copyright pages (``cover_metadata``: the patterns
``profile_year``, ``publication_year`` and ``isbn`` of
``configs/parse/<lang>.yaml``, over the first ``parse.metadata_pages``
pages). This module only applies them.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline import __version__
from pipeline.config import Config
from pipeline.datamodel import DocumentMeta, DocumentRecord, Layout
from pipeline.text.phrases import fold

WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
MIN_STOPWORD_HITS = 5  # fewer hits than this => language undecided


# --------------------------------------------------------------------------
# language detection
# --------------------------------------------------------------------------


def detect_language(text: str, config: Config) -> str | None:
    """ISO 639-1 code of the language whose stop words are most frequent.

    Returns None when no configured language reaches ``MIN_STOPWORD_HITS``
    or when the two best languages are tied.
    """
    words = Counter(w.lower().replace("’", "'") for w in WORD_RE.findall(text))
    scores: list[tuple[int, str]] = []
    for lang in config.languages:
        stop = {str(s).lower() for s in config.wording("headings", lang).get("stopwords", ())}
        if stop:
            scores.append((sum(words[w] for w in stop), lang))
    if not scores:
        return None
    scores.sort(key=lambda s: (-s[0], s[1]))
    best, lang = scores[0]
    if best < MIN_STOPWORD_HITS or (len(scores) > 1 and scores[1][0] == best):
        return None
    return lang


# --------------------------------------------------------------------------
# metadata from the first pages
# --------------------------------------------------------------------------


def _front_text(layout: Layout, max_pages: int = 4) -> str:
    """Text of the first pages (furniture included: covers are often furniture-like)."""
    out = []
    for page in layout.pages[:max_pages]:
        for block in page.blocks:
            out.append(block.text)
        for note in page.footnotes:
            out.append(note.text)
    return "\n".join(out)


def _cover_title(layout: Layout) -> str | None:
    """The largest text on the first page with text (joined when split)."""
    for page in layout.pages[:2]:
        blocks = [b for b in page.blocks if b.text.strip()]
        if not blocks:
            continue
        top = max(b.size for b in blocks)
        big = [b.text.strip() for b in blocks if b.size >= top * 0.8]
        return " ".join(" ".join(big).split()) or None
    return None


def _first(patterns, text: str, group: str, flags: int = 0) -> str | None:
    for pat in patterns or ():
        m = re.search(pat, text, flags)
        if m and m.groupdict().get(group):
            return " ".join(m.group(group).split())
    return None


def _strip_prefixes(name: str, prefixes) -> str:
    changed = True
    while changed:
        changed = False
        for prefix in sorted(prefixes or (), key=len, reverse=True):
            p = str(prefix)
            if name.lower().startswith(p.lower()) and len(name) > len(p):
                rest = name[len(p) :]
                if p.endswith("'") or rest[:1].isspace():
                    name, changed = rest.strip(), True
    return name.strip(" ,.;:–—-")


def _split_place(place: str, prefixes) -> tuple[str | None, str | None]:
    """"Municipality of Santiago de Chile (Chile)" -> ("Santiago de Chile", "Chile");
    what a colon puts before the place ("Profil local 2022 : Municipalité de
    ...") is not part of it."""
    m = re.match(r"^(?P<loc>.+?)\s*\((?P<country>[^()]+)\)\s*$", place.strip())
    if not m:
        return None, None
    loc = re.split(r"\s*:\s+", m.group("loc"))[-1]
    return _strip_prefixes(loc, prefixes) or None, m.group("country").strip()


def english_country(name: str | None, metas: list[dict]) -> str | None:
    """The English name of a country printed in another language ("Chili",
    "México", "Moçambique"), from the ``country_names`` tables of the
    wording files (the document's language first); unchanged when unlisted."""
    if not name:
        return name
    key = fold(name)
    for meta in metas:
        for printed, english in (meta.get("country_names") or {}).items():
            if fold(str(printed)) == key:
                return str(english)
    return name


def _profile_level(text: str, wordings: list[dict]) -> str | None:
    folded = f" {fold(text)} "
    best: tuple[int, str] | None = None
    for wording in wordings:
        levels = (wording.get("metadata") or {}).get("profile_level") or {}
        for level in ("local", "national"):
            for phrase in levels.get(level, ()):
                pos = folded.find(f" {fold(str(phrase))} ")
                if pos >= 0 and (best is None or pos < best[0]):
                    best = (pos, level)
    return best[1] if best else None


def _isbn(text: str, metas: list[dict]) -> str | None:
    """The first ISBN the ``metadata: isbn`` patterns find (group ``isbn``),
    spaces and outer hyphens dropped."""
    for meta in metas:
        for pat in meta.get("isbn") or ():
            m = re.search(pat, text)
            if m and m.group("isbn"):
                return re.sub(r"\s+", "", m.group("isbn")).strip("-")
    return None


# --------------------------------------------------------------------------
# the cover and copyright pages (what the headings wording finds nothing for)
# --------------------------------------------------------------------------


def _cover_patterns(config: Config, key: str) -> list[re.Pattern]:
    """Pattern ``key`` of every configured language's ``configs/parse/<lang>.yaml``."""
    found: list[re.Pattern] = []
    for lang in config.languages:
        pattern = config.wording("parse", lang).get(key)
        if pattern is not None and (compiled := re.compile(pattern)) not in found:
            found.append(compiled)
    return found


def _first_match(patterns: list[re.Pattern], text: str) -> re.Match | None:
    best: re.Match | None = None
    for pat in patterns:
        m = pat.search(text)
        if m and (best is None or m.start() < best.start()):
            best = m
    return best


def cover_metadata(layout: Layout, config: Config) -> DocumentMeta:
    """Title (largest text of the first page with text), ISBN, publication and
    profile years from the cover and copyright pages."""
    title = None
    first = next((p for p in layout.pages if p.has_text), None)
    if first is not None:
        candidates = [b for b in first.blocks if b.role != "furniture" and b.text]
        if candidates:
            # the largest text, and text nearly as large (a cover title shrunk to
            # fit its line beside a subtitle set one size up)
            top = max(b.size for b in candidates)
            parts = [b.text for b in candidates if b.size >= 0.8 * top - 0.5]
            title = " ".join(" ".join(parts).split()) or None
    pages = int(config.section("parse").get("metadata_pages", 4))
    text = "\n".join(b.text for p in layout.pages[:pages] for b in p.blocks)
    isbn = publication = profile = None
    m = _first_match(_cover_patterns(config, "isbn"), text)
    if m:
        isbn = re.sub(r"\s+", "", m.group(1))
    m = _first_match(_cover_patterns(config, "publication_year"), text)
    if m:
        publication = int(m.group(1))
    m = _first_match(_cover_patterns(config, "profile_year"), text)
    if m:
        profile = int(m.group(1))
    return DocumentMeta(title=title, isbn=isbn, publication_year=publication, profile_year=profile)


def extract_metadata(layout: Layout, config: Config, body_text: str) -> DocumentMeta:
    """Title, level, place, years, ISBN and language of one document.

    ``body_text`` is the document's paragraph text (for language detection).
    Title, years and ISBN fall back on ``cover_metadata`` when the headings
    wording finds nothing.
    """
    language = detect_language(body_text, config) or detect_language(_front_text(layout, 99), config)
    order = [language] if language else []
    order += [lang for lang in config.languages if lang not in order]
    wordings = [config.wording("headings", lang) for lang in order]
    metas = [w.get("metadata") or {} for w in wordings]
    front = _front_text(layout)
    front_lines = front.replace("|", "\n")

    title = None
    for meta in metas:
        title = _first(meta.get("title"), " ".join(front.split()), "title")
        if title:
            break
    title = title or _cover_title(layout)

    level = _profile_level(front, wordings)
    locality = country = None
    places = [title or "", *front_lines.splitlines()]
    for meta in metas:
        for candidate in places:
            place = _first(meta.get("place"), candidate.strip(), "place")
            if place:
                locality, country = _split_place(place, meta.get("locality_prefixes"))
                if locality:
                    break
        if locality:
            break
    if level == "national" or (level is None and not locality):
        locality = None
        country = None
        for meta in metas:
            found = _first(meta.get("country_title"), title or "", "country")
            if found:
                country = _strip_prefixes(found, meta.get("country_prefixes"))
                break
        if level is None and country:
            level = "national"
    elif level is None and locality:
        level = "local"

    profile_year = publication_year = None
    for meta in metas:
        profile_year = profile_year or _first(meta.get("profile_year"), title or "", "year")
        profile_year = profile_year or _first(meta.get("profile_year"), front, "year")
        publication_year = publication_year or _first(meta.get("publication_year"), front, "year")

    cover = cover_metadata(layout, config)
    return DocumentMeta(
        title=title or cover.title,
        profile_level=level,
        country=english_country(country, metas),
        locality=locality,
        profile_year=int(profile_year) if profile_year else cover.profile_year,
        publication_year=int(publication_year) if publication_year else cover.publication_year,
        language=language or config.settings.get("default_language"),
        isbn=_isbn(front, metas) or cover.isbn,
    )


def document_record(layout: Layout, config: Config, meta: DocumentMeta, error: str | None = None) -> DocumentRecord:
    """The ``documents`` row: ``partial`` with ``error`` set, else ``ok``."""
    return DocumentRecord(
        doc_id=layout.doc_id,
        source_file=layout.source_file,
        sha256=layout.sha256,
        n_pages=layout.n_pages,
        title=meta.title,
        profile_level=meta.profile_level,
        country=meta.country,
        locality=meta.locality,
        profile_year=meta.profile_year,
        publication_year=meta.publication_year,
        language=meta.language,
        isbn=meta.isbn,
        status="partial" if error else "ok",
        error=error,
        pipeline_version=__version__,
        config_hash=config.hash,
    )
