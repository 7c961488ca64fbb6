"""Hand-labelled gold files: the model, the loader and the skeleton writer.

A gold file is JSON, one per PDF, named ``<pdf stem>.json`` (see
``docs/GOLD.md`` and the JSON Schema ``docs/gold.schema.json``, generated from
the models here by ``python -m pipeline.evaluate.gold --write-schema``).

Every item may carry ``"checked": false``: the skeleton writer marks
everything it pre-fills that way, and ``load_gold`` refuses a file that still
holds unchecked items, so a skeleton can never silently become the gold.
(``mgi gold-skeleton PDF`` runs the stages; the skeleton is built here from
the finished work folder: evaluation does not drive the runner.)

This module also holds the comparison keys shared by the gold and the scorer
(text normalisation, author aliases of KEY SOURCES headings, legal numbers).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.errors import GoldFormatError, InputError
from pipeline.types import CitationStyle, Instrument, PageNo, ProfileLevel, Qualifier, SectionKind, StatisticKind

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "gold.schema.json"
GOLD_LISTS = ("sections", "statistics", "citations", "legal_references", "footnotes", "references")
SKELETON_SUFFIX = ".skeleton.json"
SKELETON_WORDS = 6  # words pre-filled into first_words / last_words

# --------------------------------------------------------------------------
# comparison keys
# --------------------------------------------------------------------------


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def norm_text(text: str | None) -> str:
    """NFKC, casefold, accents and punctuation/symbols removed, spaces collapsed."""
    if not text:
        return ""
    text = strip_accents(unicodedata.normalize("NFKC", text).casefold())
    chars = [" " if unicodedata.category(c)[0] in "PSZC" else c for c in text]
    return " ".join("".join(chars).split())


def norm_suffix(suffix: str | None) -> str:
    return norm_text(suffix)


def norm_number(number: str | None) -> str:
    """Legal instrument number: the printed number without "No."-like prefixes or spaces."""
    text = unicodedata.normalize("NFKC", number or "")
    text = re.sub(r"^\D+", "", text)  # "No. 21.325", "N° 84", "Nº 5" -> the digits on
    return re.sub(r"\s+", "", text).rstrip(".,;:)").casefold()


_HEADING = re.compile(r"^(?P<outer>.*?)\s*\((?P<inner>[^()]*)\)\s*$")


def author_aliases(heading: str) -> list[str]:
    """Names one KEY SOURCES author heading goes by, normalised.

    "National Statistics Institute (Instituto Nacional de Estadísticas, INE)"
    -> the full heading, "National Statistics Institute",
    "Instituto Nacional de Estadísticas" and "INE".
    """
    names = [heading]
    m = _HEADING.match(heading.strip())
    if m:
        names.append(m.group("outer"))
        names.append(m.group("inner"))
        names.extend(m.group("inner").split(","))
    out: list[str] = []
    for name in names:
        key = norm_text(name)
        if key and key not in out:
            out.append(key)
    return out


class AuthorKeys:
    """Maps an author as printed to a canonical key, merging the aliases of
    the gold's KEY SOURCES headings (acronym, full name, translation)."""

    def __init__(self, headings: Iterable[str]):
        self._alias: dict[str, str] = {}
        for heading in sorted(set(headings)):
            canonical = norm_text(heading)
            for alias in author_aliases(heading):
                self._alias.setdefault(alias, canonical)

    def key(self, author: str | None) -> str:
        if not author:
            return ""
        for alias in author_aliases(author):
            if alias in self._alias:
                return self._alias[alias]
        return norm_text(author)


def reference_key(author: str | None, year: int | None, suffix: str | None, authors: AuthorKeys) -> str:
    """The "author|year+suffix" key a gold citation uses to point at a reference."""
    return f"{authors.key(author)}|{'' if year is None else year}{norm_suffix(suffix)}"


# normalised "no date" labels of the four languages (letters only)
NO_DATE_LABELS = frozenset({"nd", "sf", "sd", "semdata", "sansdate", "sinfecha"})


def parse_reference_key(text: str) -> tuple[str, int | None, str | None]:
    """``"INE|2021a"`` -> ("INE", 2021, "a"); ``"Puentes UC|n.d."`` -> (..., None, None)."""
    author, _, rest = text.rpartition("|")
    m = re.fullmatch(r"\s*(\d{4})?\s*([^\d\s]*)\s*", rest)
    if not author.strip() or not m:
        raise ValueError(f"reference key {text!r} is not 'author|year+suffix' (e.g. 'INE|2021a')")
    year = int(m.group(1)) if m.group(1) else None
    suffix = m.group(2) or None
    if year is None and suffix and norm_text(suffix).replace(" ", "") in NO_DATE_LABELS:
        suffix = None  # "n.d." (en), "s.f." (es), "s.d." (fr, pt), "s/d" mean no year
    return author.strip(), year, suffix


# --------------------------------------------------------------------------
# the model
# --------------------------------------------------------------------------


class GoldItem(BaseModel):
    """Fields every gold item shares: ``checked`` (false = pre-filled, not yet
    verified by a person) and a free-text ``comment``."""

    model_config = ConfigDict(extra="forbid")

    checked: bool | None = Field(None, description="false = pre-filled by the skeleton, not yet verified; the scorer refuses such files")
    comment: str | None = Field(None, description="Free-text note of the labeller; ignored by the scorer")


class GoldDocument(GoldItem):
    """Columns of the ``documents`` row a person can label. Only the keys
    present in the file are scored (leave a key out to not score it)."""

    source_file: str | None = Field(None, description="File name of the PDF (informational)")
    title: str | None = None
    profile_level: ProfileLevel | None = None
    country: str | None = None
    locality: str | None = Field(None, description="null for national profiles")
    profile_year: int | None = None
    publication_year: int | None = None
    language: str | None = Field(None, description="ISO 639-1 code", pattern=r"^[a-z]{2}$")
    isbn: str | None = None


Dimension = int | None
_DIM = Field(None, ge=1, le=6, description="MiGOF dimension 1-6, null outside the dimensions")
_SECTION_KIND = Field(
    None,
    description="Kind of the section the item stands in (any enclosing section's kind is accepted, "
    "e.g. well_developed for a fact under a dimension of the well-developed part); null = not scored",
)


class GoldSection(GoldItem):
    kind: SectionKind
    dimension: Dimension = _DIM
    heading: str
    page_start: PageNo = Field(ge=1, description="1-based PDF page of the heading")
    first_words: str | None = Field(None, description="First few words of the section's body text")
    last_words: str | None = Field(None, description="Last few words of the section's body text (sub-sections included)")


class GoldStatistic(GoldItem):
    page: PageNo = Field(ge=1)
    kind: StatisticKind
    value: float
    unit: str | None = None
    qualifier: Qualifier | None = None
    subject: str | None = None
    raw: str = Field(description="The number as printed with its unit, e.g. '30.7%' or '15.1 per cent'")
    section_kind: SectionKind | None = _SECTION_KIND
    dimension: Dimension = _DIM


class GoldCitation(GoldItem):
    page: PageNo = Field(ge=1)
    style: CitationStyle
    author: str | None
    year: int | None = Field(description="null for n.d.")
    year_suffix: str | None = None
    raw: str
    section_kind: SectionKind | None = _SECTION_KIND
    dimension: Dimension = _DIM
    reference: str | None = Field(None, description="'author|year+suffix' of the KEY SOURCES entry it points to, e.g. 'INE|2021a'")
    title: str | None = Field(
        None,
        description="Optional: the cited work's title as printed (never an acronym). When the key is given the output's "
        "title must match (text similarity >= 0.8; null only matches null); absent = not checked",
    )
    date: str | None = Field(
        None,
        pattern=r"^\d{4}-\d{2}(-\d{2})?$",
        description="Optional: ISO date '2025-02-04' or year-month '2022-09' when a day or month is printed. When the key "
        "is given the output's date must be equal (null only matches null); absent = not checked",
    )


class GoldLegalReference(GoldItem):
    page: PageNo = Field(ge=1)
    instrument: Instrument
    number: str
    year: int | None = None
    raw: str
    section_kind: SectionKind | None = _SECTION_KIND
    dimension: Dimension = _DIM


class GoldFootnote(GoldItem):
    number: int | None
    page: PageNo = Field(ge=1)
    text: str
    paragraph_first_words: str | None = Field(None, description="First words of the paragraph holding its marker")


class GoldReference(GoldItem):
    author: str = Field(description="The author heading the entry is grouped under, as printed")
    year: int | None
    year_suffix: str | None = None
    title: str
    note: str | None = None
    translation: str | None = None


class GoldFile(BaseModel):
    """One hand-labelled document (``samples/gold/<pdf stem>.json``)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, title="MGI gold file")

    schema_ref: str | None = Field(None, alias="$schema", description="Optional path/URL of gold.schema.json (for editors)")
    pages_labelled: list[PageNo] | None = Field(
        None,
        min_length=1,
        description="Page-level gold: the 1-based PDF pages that were labelled, completely. When present only output rows "
        "on these pages are scored (precision and recall alike) and every labelled item must stand on one of them; "
        "absent = the whole document was labelled",
    )
    tables_labelled: list[Literal["documents", "sections", "statistics", "citations", "legal_references", "footnotes", "references"]] | None = Field(
        None,
        min_length=1,
        description="The tables this file labels; the others are not scored (their lists must then be empty). "
        "Absent = all seven",
    )
    document: GoldDocument
    sections: list[GoldSection]
    statistics: list[GoldStatistic]
    citations: list[GoldCitation]
    legal_references: list[GoldLegalReference]
    footnotes: list[GoldFootnote]
    references: list[GoldReference]

    @model_validator(mode="after")
    def _pages_within_labelled(self) -> "GoldFile":
        for name in GOLD_LISTS:
            if not self.labels(name) and getattr(self, name):
                raise ValueError(f"{name}: items given but {name!r} is not in tables_labelled")
        if self.pages_labelled is None:
            return self
        if any(p < 1 for p in self.pages_labelled):
            raise ValueError("pages_labelled: pages are 1-based")
        pages = set(self.pages_labelled)
        for name in GOLD_LISTS:
            for i, item in enumerate(getattr(self, name)):
                page = getattr(item, "page_start" if name == "sections" else "page", None)
                if page is not None and page not in pages:
                    raise ValueError(f"{name}[{i}]: page {page} is not in pages_labelled {sorted(pages)}")
        return self

    def labels(self, table: str) -> bool:
        """Is ``table`` labelled (scored) in this file?"""
        return self.tables_labelled is None or table in self.tables_labelled

    def on_labelled_page(self, page: int | None) -> bool:
        """Does an output row on ``page`` count? Always for whole-document gold;
        for page-level gold only rows on a labelled page (a row without a page
        cannot be placed and does not count)."""
        if self.pages_labelled is None:
            return True
        return page is not None and page in self.pages_labelled

    @model_validator(mode="after")
    def _references_exist(self) -> "GoldFile":
        authors = self.author_keys()
        known = {reference_key(r.author, r.year, r.year_suffix, authors) for r in self.references}
        for i, cit in enumerate(self.citations):
            if cit.reference is None:
                continue
            try:
                key = reference_key(*parse_reference_key(cit.reference), authors)
            except ValueError as exc:
                raise ValueError(f"citations[{i}].reference: {exc}") from None
            if key not in known:
                raise ValueError(f"citations[{i}].reference: {cit.reference!r} names no entry of 'references'")
        return self

    def author_keys(self) -> AuthorKeys:
        return AuthorKeys(r.author for r in self.references)

    def unchecked(self) -> list[str]:
        """Paths of items still marked ``"checked": false``."""
        out = ["document"] if self.document.checked is False else []
        for name in GOLD_LISTS:
            out += [f"{name}[{i}]" for i, item in enumerate(getattr(self, name)) if item.checked is False]
        return out


def gold_json_schema() -> dict[str, Any]:
    return GoldFile.model_json_schema(by_alias=True)


def schema_text() -> str:
    return json.dumps(gold_json_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


# --------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def parse_gold(data: Any, name: str, allow_unchecked: bool = False) -> GoldFile:
    """Validate already-decoded JSON; errors name ``name`` and the field path."""
    if not isinstance(data, dict):
        raise GoldFormatError.of("E420", name=name)
    try:
        gold = GoldFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        loc = _loc(first["loc"])
        msg = first["msg"].removeprefix("Value error, ")
        more = f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
        raise GoldFormatError.of("E421", name=name, where=loc + ": " if loc else "", msg=msg, more=more) from None
    if not allow_unchecked:
        pending = gold.unchecked()
        if pending:
            raise GoldFormatError.of("E422", name=name, count=len(pending), first=pending[0])
    return gold


def load_gold(path: Path, allow_unchecked: bool = False) -> GoldFile:
    """Read one gold file; any problem raises ``GoldFormatError`` naming file and field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GoldFormatError.of("E423", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFormatError.of("E424", path=path, kind=exc.__class__.__name__, detail=exc) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GoldFormatError.of("E425", path=path, line=exc.lineno, column=exc.colno, msg=exc.msg) from None
    return parse_gold(data, str(path), allow_unchecked=allow_unchecked)


def gold_files(folder: Path) -> list[Path]:
    """Gold files of a folder (``*.json``, sorted); skeletons are included on
    purpose so that an unchecked one is refused rather than ignored."""
    return sorted(p for p in Path(folder).glob("*.json") if p.is_file())


def gold_stem(path: Path) -> str:
    name = Path(path).name
    return name[: -len(".json")] if name.endswith(".json") else Path(path).stem


# --------------------------------------------------------------------------
# skeleton
# --------------------------------------------------------------------------


def _words(text: str | None, n: int, last: bool = False) -> str | None:
    words = (text or "").split()
    if not words:
        return None
    return " ".join(words[-n:] if last else words[:n])


def attribution_of(section_id: str | None, sections: dict[str, Any]) -> tuple[str | None, int | None]:
    """(kind, dimension) of the nearest enclosing section that is not a mere
    ``subsection``; ``sections`` maps section_id to an object/dict with
    ``kind``, ``dimension`` and ``parent_id``."""
    seen: set[str] = set()
    sid = section_id
    first = None
    while sid and sid in sections and sid not in seen:
        seen.add(sid)
        sec = sections[sid]
        get = sec.get if isinstance(sec, dict) else lambda k, s=sec: getattr(s, k)
        first = first or (get("kind"), get("dimension"))
        if get("kind") != "subsection":
            return get("kind"), get("dimension")
        sid = get("parent_id")
    return first if first else (None, None)


def skeleton_from(pdf_name: str, layout=None, segmented=None, extracted=None) -> dict[str, Any]:
    """A gold-file dict pre-filled from whatever stages ran; every item unchecked."""
    doc: dict[str, Any] = {"checked": False, "source_file": pdf_name}
    meta_fields = ("title", "profile_level", "country", "locality", "profile_year", "publication_year", "language", "isbn")
    source = None
    if extracted is not None:
        source = extracted.document
    elif segmented is not None:
        source = segmented.document
    elif layout is not None:
        from pipeline.config import load_config
        from pipeline.segment.metadata import cover_metadata

        source = cover_metadata(layout, load_config())
    for name in meta_fields:
        doc[name] = getattr(source, name, None) if source is not None else None

    sections = list(segmented.sections) if segmented is not None else []
    by_id = {s.section_id: s for s in sections}
    paragraphs = {p.paragraph_id: p for p in segmented.paragraphs} if segmented is not None else {}
    out: dict[str, Any] = {"document": doc}
    out["sections"] = [
        {
            "checked": False,
            "kind": s.kind,
            "dimension": s.dimension,
            "heading": s.heading,
            "page_start": s.page_start,
            "first_words": _words(s.text, SKELETON_WORDS),
            "last_words": _words(s.text, SKELETON_WORDS, last=True),
        }
        for s in sections
    ]

    def place(item) -> dict[str, Any]:
        kind, dim = attribution_of(item.section_id, by_id)
        return {"section_kind": kind, "dimension": dim}

    refs = list(extracted.references) if extracted is not None else []
    ref_keys = {r.reference_id: f"{r.author}|{'' if r.year is None else r.year}{r.year_suffix or ''}" for r in refs}
    stats = extracted.statistics if extracted is not None else ()
    out["statistics"] = [
        {"checked": False, "page": s.page, "kind": s.kind, "value": s.value, "unit": s.unit, "qualifier": s.qualifier,
         "subject": s.subject, "raw": s.raw, **place(s)}
        for s in stats
    ]
    cits = extracted.citations if extracted is not None else ()
    out["citations"] = []
    for c in cits:
        ref = ref_keys.get(c.reference_id) if c.reference_id else None
        if ref is not None:  # keep only keys the gold model can parse back
            try:
                parse_reference_key(ref)
            except ValueError:
                ref = None
        out["citations"].append(
            {"checked": False, "page": c.page, "style": c.style, "author": c.author, "year": c.year,
             "year_suffix": c.year_suffix, "raw": c.raw, **place(c), "reference": ref,
             **{k: v for k, v in (("title", c.title), ("date", c.date)) if v is not None}}
        )
    legal = extracted.legal_references if extracted is not None else ()
    out["legal_references"] = [
        {"checked": False, "page": lr.page, "instrument": lr.instrument, "number": lr.number, "year": lr.year,
         "raw": lr.raw, **place(lr)}
        for lr in legal
    ]
    notes = extracted.footnotes if extracted is not None and extracted.footnotes else (
        segmented.footnotes if segmented is not None else ())
    out["footnotes"] = [
        {"checked": False, "number": f.number, "page": f.page, "text": f.text,
         "paragraph_first_words": _words(paragraphs[f.paragraph_id].text, SKELETON_WORDS)
         if f.paragraph_id in paragraphs else None}
        for f in notes
    ]
    out["references"] = [
        {"checked": False, "author": r.author, "year": r.year, "year_suffix": r.year_suffix, "title": r.title,
         "note": r.note, "translation": r.translation}
        for r in refs
    ]
    return out


def stages_from_work(out: Path, pdf: Path) -> tuple[Any, Any, Any, list[str]]:
    """The layout, segments and extraction of ``pdf`` from the work folder of
    a finished run into ``out`` (the stages that failed leave None, with a
    note); no layout at all raises ``InputError`` with the run's reason."""
    from pipeline.datamodel import DocumentRecord, Extracted, Layout, Segmented
    from pipeline.errors import IntermediateError
    from pipeline.ids import file_sha256, make_doc_id
    from pipeline.store.workdir import STAGE_FILES, STATUS_FILE, doc_dir, read_model

    def read(path: Path, cls):
        try:
            return read_model(path, cls)
        except IntermediateError:
            return None

    work = doc_dir(Path(out), make_doc_id(pdf, file_sha256(pdf)))
    status = read(work / STATUS_FILE, DocumentRecord)
    layout = read(work / STAGE_FILES["parse"], Layout)
    segmented = read(work / STAGE_FILES["segment"], Segmented)
    extracted = read(work / STAGE_FILES["extract"], Extracted)
    reason = (status.error if status is not None else None) or "the pipeline did not finish"
    if layout is None:
        raise InputError.of("E428", reason=reason)
    notes: list[str] = []
    if segmented is None:
        notes.append(f"segment failed ({reason})")
    elif extracted is None:
        notes.append(f"extract failed ({reason})")
    return layout, segmented, extracted, notes


def skeleton_path(pdf: Path, dest: Path | None) -> Path:
    default_name = Path(pdf).stem + SKELETON_SUFFIX
    if dest is None:
        return Path(pdf).with_name(default_name)
    dest = Path(dest)
    return dest / default_name if dest.is_dir() else dest


def skeleton_target(pdf: Path, dest: Path | None = None) -> Path:
    """Where the skeleton of ``pdf`` goes; refused before any work when that
    file exists (never overwritten) or the PDF does not."""
    target = skeleton_path(pdf, dest)
    if target.exists():
        raise GoldFormatError.of("E426", target=target)
    if not Path(pdf).is_file():
        raise InputError.of("E427", pdf=pdf)
    return target


def write_skeleton(pdf: Path, target: Path, out: Path) -> tuple[dict[str, Any], list[str]]:
    """Build the skeleton of ``pdf`` from the work folder of a finished run
    into ``out`` and write it to ``target``; returns it and the notes on
    stages that failed."""
    layout, segmented, extracted, notes = stages_from_work(Path(out), Path(pdf))
    data = skeleton_from(Path(pdf).name, layout, segmented, extracted)
    parse_gold(data, str(target), allow_unchecked=True)  # the skeleton must be a valid gold file
    from pipeline.store.workdir import atomic_write_bytes  # atomic, ordinary file permissions

    try:
        atomic_write_bytes(target, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    except OSError as exc:
        raise GoldFormatError.of("E429", target=target, reason=exc.strerror or exc) from None
    return data, notes


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--write-schema"]:
        SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
        SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
        print(f"wrote {SCHEMA_PATH}")
        return 0
    if len(args) == 2 and args[0] == "--check":
        try:
            gold = load_gold(Path(args[1]))
        except GoldFormatError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"{args[1]}: ok ({', '.join(f'{len(getattr(gold, k))} {k}' for k in GOLD_LISTS)})")
        return 0
    print("usage: python -m pipeline.evaluate.gold --write-schema | --check GOLD.json", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
