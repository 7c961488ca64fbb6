"""Document metadata: language, title, profile level, place, years, ISBN.

Everything language-specific (stop-word lists, "LOCAL PROFILE", "© IOM 2023",
"Municipality of ...") is read from ``configs/headings/<lang>.yaml``; this
module only applies it.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline import __version__
from pipeline.config import Config
from pipeline.datamodel import DocumentMeta, DocumentRecord, Layout
from pipeline.text.phrases import fold

WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
ISBN_RE = re.compile(r"ISBN(?:-1[03])?\s*:?\s*((?:97[89][\s-]?)?(?:\d[\s-]?){9}[\dX])\b")
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


def _isbn(text: str) -> str | None:
    m = ISBN_RE.search(text)
    if not m:
        return None
    return re.sub(r"\s+", "", m.group(1)).strip("-")


def extract_metadata(layout: Layout, config: Config, body_text: str) -> DocumentMeta:
    """Title, level, place, years, ISBN and language of one document.

    ``body_text`` is the document's paragraph text (for language detection).
    Fields the parse stage already filled in ``layout.metadata`` are kept
    when this module finds nothing.
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

    given = layout.metadata
    return DocumentMeta(
        title=title or given.title,
        profile_level=level or given.profile_level,
        country=english_country(country or given.country, metas),
        locality=locality or given.locality,
        profile_year=int(profile_year) if profile_year else given.profile_year,
        publication_year=int(publication_year) if publication_year else given.publication_year,
        language=language or given.language or config.settings.get("default_language"),
        isbn=_isbn(front) or given.isbn,
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
