"""What a perfect extraction of a sample must give, derived from its source.

The renderer knows the text it typesets, so the truth of a sample PDF does not
need a hand-made gold file for the things that do not depend on page layout:

* the body paragraphs' plain texts (markup and note markers removed; a list
  item, the pull quote and a dimension summary's text are one paragraph each),
* the notes (number, text),
* the section headings in order (with the dimension number where the block
  has one; the KEY FINDINGS summary labels are headings too),
* the KEY SOURCES entries (author, year *as printed*: ``None`` when the design
  leaves the year column blank for a ``year_supplied`` entry, title),
* for each of those, the multiset of numbers (``\\d+(?:[.,]\\d+)*``) of the text
  as printed.

:func:`check` compares that with the Parquet tables of ``mgi run`` and
returns a :class:`Report` (counts, failure examples, ratios). Design key read
here: ``blank_supplied_years`` (default: true for every engine but reportlab,
whose designs print every year).

    python -m mgi_samples.expect OUT samples/source/DESIGN.yaml [DOC_ID]
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mgi_samples.sources import Sample, engine_of, load_sample

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MARKER = re.compile(r"\[\^=?\d+\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_YEAR = re.compile(r"^(\d{4})([a-z]?)$")

MATCH_MIN = 0.6  # below this similarity an expected item counts as not found
FOUND_MIN = 0.9  # a note / entry is "found" at this similarity (or better)


def numbers(text: str) -> Counter:
    return Counter(NUMBER.findall(text or ""))


def plain(text: str) -> str:
    """Source markup -> the text as printed, note markers removed."""
    out = _MARKER.sub("", str(text))
    out = _BOLD.sub(r"\1", out)
    out = _ITALIC.sub(r"\1", out)
    return re.sub(r"\s+", " ", out.replace("\n", " ")).strip()


_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212\u00ad"), "-")
_QUOTES = {ord(c): "'" for c in "\u2018\u2019\u201a\u2032`\u00b4"} | {ord(c): '"' for c in "\u201c\u201d\u201e\u2033"}


def norm(text: str) -> str:
    """White space, hyphens/dashes, quotes and ligatures (NFKC) normalised."""
    out = unicodedata.normalize("NFKC", str(text or "")).translate(_DASHES).translate(_QUOTES)
    out = re.sub(r"\s*-\s*", "-", out)
    return re.sub(r"\s+", " ", out).strip()


# --------------------------------------------------------------------------
# expectations
# --------------------------------------------------------------------------


@dataclass
class Para:
    index: int  # block index
    kind: str  # body / list_item / quote / summary
    text: str
    nums: Counter


@dataclass
class Note:
    scope: str
    number: int
    text: str
    nums: Counter


@dataclass
class Heading:
    text: str
    level: int
    dimension: int | None
    label: str | None = None


@dataclass
class Entry:
    author: str
    year: int | None
    year_suffix: str | None
    year_printed: str | None
    title: str
    text: str  # the entry as printed (year column included when printed)
    nums: Counter


@dataclass
class Expected:
    paragraphs: list[Para]
    notes: list[Note]
    headings: list[Heading]
    entries: list[Entry]


def blank_supplied_years(sample: Sample) -> bool:
    """Whether the design prints no year where the source marks it supplied:
    the design key, by default true for every engine but reportlab (whose
    designs print the invented years)."""
    d = sample.design or {}
    return bool(d.get("blank_supplied_years", engine_of(sample.path) != "reportlab"))


def entry_text(e: dict[str, Any]) -> str:
    """An entry as both engines print it after the year column."""
    title = plain(str(e.get("title", "")).strip())
    out = title
    if e.get("translation"):
        out += f" ({plain(e['translation'])})"
    if not re.search(r"[.?!]$", out):
        out += "."
    for key in ("rest", "note"):
        if e.get(key):
            out += " " + plain(e[key])
    return out + str(e.get("mark", ""))


def entry_title(e: dict[str, Any]) -> str:
    """The title as the gold files label it: the printed title and the rest of
    the entry (publisher, issue...) after it, without the translation, the
    note or the final full stop."""
    out = plain(str(e.get("title", "")).strip())
    if e.get("rest"):
        rest = plain(e["rest"]).rstrip(".")
        out += (" " if re.search(r"[.?!]$", out) else ". ") + rest
    return out


def expected(sample: Sample) -> Expected:
    paras: list[Para] = []
    notes: list[Note] = []
    heads: list[Heading] = []
    entries: list[Entry] = []
    blank = blank_supplied_years(sample)
    number_dims = bool((sample.design or {}).get("number_dimensions"))
    scope = "main"
    for i, b in enumerate(sample.blocks):
        if "heading" in b:
            scope = b.get("footnote_scope", scope)
            dim = b.get("dimension")
            label = f"{int(dim)}." if dim and number_dims else b.get("label")  # design key number_dimensions
            heads.append(Heading(plain(b["heading"]), int(b.get("level", 1)), int(dim) if dim else None, label))
            continue
        for key, kind in (("p", "body"), ("item", "list_item"), ("quote", "quote")):
            if key in b:
                t = plain(b[key])
                paras.append(Para(i, kind, t, numbers(t)))
        if "footnote" in b:
            t = plain(b.get("text", ""))
            notes.append(Note(scope, int(b["footnote"]), t, numbers(t)))
        elif "dimension_summary" in b:
            heads.append(Heading(plain(b["dimension_summary"]), 2, None))
            t = plain(b.get("text", ""))
            paras.append(Para(i, "summary", t, numbers(t)))
        elif "key_sources" in b:
            for g in b["key_sources"]:
                for e in g.get("entries") or []:
                    shown = None if (blank and e.get("year_supplied")) else str(e.get("year", "")) or None
                    m = _YEAR.match(shown or "")
                    text = ((shown + " ") if shown else "") + entry_text(e)
                    entries.append(Entry(
                        author=plain(g["author"]), year=int(m.group(1)) if m else None,
                        year_suffix=(m.group(2) or None) if m else None, year_printed=shown,
                        title=entry_title(e), text=text, nums=numbers(text),
                    ))
    return Expected(paras, notes, heads, entries)


# --------------------------------------------------------------------------
# check against pipeline output
# --------------------------------------------------------------------------


@dataclass
class Report:
    doc_id: str
    counts: dict[str, Any] = field(default_factory=dict)
    failures: dict[str, list[str]] = field(default_factory=dict)
    ratios: dict[str, float] = field(default_factory=dict)

    def add(self, cls: str, example: str) -> None:
        self.failures.setdefault(cls, []).append(example)

    def summary(self, examples: int = 3) -> str:
        lines = [f"check {self.doc_id}"]
        lines += [f"  {k}: {v}" for k, v in self.counts.items()]
        lines.append("  ratios: " + ", ".join(f"{k}={v:.3f}" for k, v in self.ratios.items()))
        for cls, items in self.failures.items():
            lines.append(f"  [{cls}] {len(items)}")
            lines += [f"    - {x}" for x in items[:examples]]
        return "\n".join(lines)


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _best(target: str, rows: list[str], words: list[set], prefer=None, skip=()) -> tuple[int | None, float]:
    """Index of the row most similar to target (token overlap to shortlist,
    then difflib), and its similarity; among rows as similar (identical notes
    such as "Ibid."), one for which ``prefer(i)`` holds and not in ``skip``."""
    tw = set(target.lower().split())
    if not tw or not rows:
        return None, 0.0
    jac = [len(tw & words[j]) / (len(tw | words[j]) or 1) for j in range(len(rows))]
    top = sorted(range(len(rows)), key=lambda j: -jac[j])
    cut = jac[top[min(3, len(top) - 1)]]
    scored = [j for j in top if jac[j] >= cut and jac[j] > 0][:12] or top[:4]
    ranked = []
    for j in scored:
        r = _ratio(target, rows[j])
        ranked.append((round(r, 2), j not in skip, bool(prefer(j)) if prefer else False, r, j))
    ranked.sort(reverse=True)
    if not ranked:
        return None, 0.0
    return ranked[0][4], ranked[0][3]


def _short(s: str, n: int = 90) -> str:
    s = str(s)
    return s if len(s) <= n else s[: n - 1] + "…"


def _diff(exp: str, got: str) -> str:
    """The first place two texts differ, with a little context."""
    sm = difflib.SequenceMatcher(None, exp, got, autojunk=False)
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op != "equal":
            return f"expected …{exp[max(0, a0 - 30):a1 + 30]!r}… got …{got[max(0, b0 - 30):b1 + 30]!r}…"
    return ""


def _lost(exp: Counter, got: Counter) -> tuple[Counter, Counter]:
    return exp - got, got - exp


def _f1(tp: int, n_exp: int, n_got: int) -> float:
    if n_exp == 0 and n_got == 0:
        return 1.0
    p = tp / n_got if n_got else 0.0
    r = tp / n_exp if n_exp else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _read(out: Path, table: str, doc_id: str):
    import pandas as pd

    df = pd.read_parquet(Path(out) / table)
    return df[df.doc_id == doc_id].reset_index(drop=True)


def check(out_folder: Path, sample: Sample | Path, doc_id: str) -> Report:
    """Compare the tables of ``mgi run`` for DOC_ID with what SAMPLE's source says."""
    if not isinstance(sample, Sample):
        sample = load_sample(Path(sample))
    exp = expected(sample)
    rep = Report(doc_id)
    _check_paragraphs(rep, exp, _read(out_folder, "paragraphs", doc_id))
    _check_notes(rep, exp, _read(out_folder, "footnotes", doc_id))
    _check_entries(rep, exp, _read(out_folder, "references", doc_id))
    _check_sections(rep, exp, _read(out_folder, "sections", doc_id))
    docs = _read(out_folder, "documents", doc_id)
    lang = str(docs.language[0]) if len(docs) and docs.language[0] else "en"
    _check_statistics(rep, exp, _read(out_folder, "statistics", doc_id), lang)
    total = sum(sum(p.nums.values()) for p in exp.paragraphs) + sum(sum(n.nums.values()) for n in exp.notes) + sum(
        sum(e.nums.values()) for e in exp.entries
    )
    lost = rep.counts.get("numbers_lost", 0)
    rep.counts["numbers_expected"] = total
    rep.ratios = {
        "numbers_lost": lost / total if total else 0.0,
        "paragraphs_whole": rep.counts["paragraphs_whole"] / max(1, rep.counts["paragraphs_expected"]),
        "notes_f1": rep.ratios["notes_f1"],
        "references_f1": rep.ratios["references_f1"],
        "sections_exact": rep.counts["sections_exact"] / max(1, rep.counts["sections_expected"]),
        "statistics_f1": rep.ratios["statistics_f1"],
    }
    return rep


STAT_KINDS = ("percent", "count", "money", "other")  # the kinds the statistics table keeps


@functools.lru_cache(maxsize=4)
def _statistics_pipeline(lang: str):
    from pipeline.extract.statistics import build_pipeline

    return build_pipeline(lang)


def _stat_key(kind, value, unit, high) -> tuple:
    return (str(kind), round(float(value), 6), str(unit or ""), None if high is None or high != high else round(float(high), 6))


def _check_statistics(rep: Report, exp: Expected, rows, lang: str) -> None:
    """The statistics the extractor finds in the source's own paragraphs and
    notes against those of the output rows (multisets of kind, value, unit,
    upper value): what the PDF's layout costs the statistics table."""
    from pipeline.extract.statistics import span_record, statistic_spans

    nlp = _statistics_pipeline(lang)
    want: Counter = Counter()
    for text in [p.text for p in exp.paragraphs] + [n.text for n in exp.notes]:
        for span in statistic_spans(nlp(text)):
            rec = span_record(span)
            if rec.get("kind") in STAT_KINDS and rec.get("value") is not None:
                want[_stat_key(rec["kind"], rec["value"], rec.get("unit"), rec.get("value_high"))] += 1
    got: Counter = Counter()
    for r in rows.itertuples():
        got[_stat_key(r.kind, r.value, r.unit, r.value_high)] += 1
    tp = sum((want & got).values())
    for key in list((want - got).elements())[:5]:
        rep.add("statistic missed", f"{key}")
    for key in list((got - want).elements())[:5]:
        rep.add("statistic extra", f"{key}")
    rep.counts["statistics_expected"] = sum(want.values())
    rep.ratios["statistics_f1"] = _f1(tp, sum(want.values()), sum(got.values()))


def _count_lost(rep: Report, what: str, exp_nums: Counter, got_nums: Counter, exp_text: str, got_text: str) -> None:
    lost, extra = _lost(exp_nums, got_nums)
    if not lost:
        return
    n = sum(lost.values())
    rep.counts["numbers_lost"] = rep.counts.get("numbers_lost", 0) + n
    altered = [e for e in extra if any(e != k and (k.startswith(e) or e.startswith(k)) for k in lost)]
    cls = "number altered" if altered else "number lost"
    where = ""
    for k in lost:
        pos = exp_text.find(k)
        if pos >= 0:
            where = f" in …{exp_text[max(0, pos - 25):pos + len(k) + 15]!r}…"
            break
    rep.add(cls, f"{what}: lost {sorted(lost.elements())}" + (f", row has {sorted(set(altered))}" if altered else "") + where
            + (f"; row: {_short(got_text, 120)!r}" if got_text else ""))


def _check_paragraphs(rep: Report, exp: Expected, rows) -> None:
    texts = [norm(t) for t in rows.text.tolist()] if len(rows) else []
    words = [set(t.lower().split()) for t in texts]
    owner: dict[int, list[int]] = {}
    whole = 0
    for k, p in enumerate(exp.paragraphs):
        target = norm(p.text)
        j = texts.index(target) if target in texts else None
        if j is not None:
            whole += 1
            owner.setdefault(j, []).append(k)
            _count_lost(rep, f"paragraph {k}", p.nums, numbers(rows.text[j]), p.text, rows.text[j])
            continue
        containing = [i for i, t in enumerate(texts) if target and target in t]
        parts = [i for i, t in enumerate(texts) if len(t) >= 20 and t in target]
        if containing:
            j = containing[0]
            owner.setdefault(j, []).append(k)
            got = numbers(rows.text[j])
            _count_lost(rep, f"paragraph {k}", p.nums, got, p.text, "")
            continue
        if len(parts) >= 2:
            rep.add("paragraph split", f"paragraph {k} ({_short(p.text, 60)!r}) in {len(parts)} rows, pages "
                    f"{sorted(set(int(rows.page_start[i]) for i in parts))}: " + " | ".join(_short(rows.text[i], 50) for i in parts))
            got = sum((numbers(rows.text[i]) for i in parts), Counter())
            _count_lost(rep, f"paragraph {k}", p.nums, got, p.text, "")
            continue
        j, score = _best(target, texts, words)
        if j is None or score < MATCH_MIN:
            rep.add("paragraph not found", f"paragraph {k}: {_short(p.text)!r}")
            _count_lost(rep, f"paragraph {k}", p.nums, Counter(), p.text, "")
            continue
        owner.setdefault(j, []).append(k)
        rep.add("paragraph altered", f"paragraph {k} (page {int(rows.page_start[j])}): {_diff(target, texts[j])}")
        _count_lost(rep, f"paragraph {k}", p.nums, numbers(rows.text[j]), p.text, rows.text[j])
    merged = 0
    for j, ks in owner.items():
        if len(ks) > 1:
            merged += len(ks)
            rep.add("paragraphs merged", f"row on page {int(rows.page_start[j])} holds {len(ks)} paragraphs: "
                    + " + ".join(repr(_short(exp.paragraphs[k].text, 45)) for k in ks))
    rep.counts["paragraphs_expected"] = len(exp.paragraphs)
    rep.counts["paragraphs_whole"] = whole
    rep.counts["paragraphs_merged"] = merged
    rep.counts["paragraphs_split"] = len(rep.failures.get("paragraph split", []))
    rep.counts["paragraph_rows"] = len(rows)


def _check_notes(rep: Report, exp: Expected, rows) -> None:
    texts = [norm(t) for t in rows.text.tolist()] if len(rows) else []
    words = [set(t.lower().split()) for t in texts]
    tp = 0
    used: set[int] = set()
    for n in exp.notes:
        j, score = _best(norm(n.text), texts, words, prefer=lambda i: rows.number[i] == n.number, skip=used)
        if j is not None:
            used.add(j)
        if j is None or score < MATCH_MIN:
            rep.add("note not found", f"note {n.number} ({n.scope}): {_short(n.text)!r}")
            _count_lost(rep, f"note {n.number}", n.nums, Counter(), n.text, "")
            continue
        got_no = rows.number[j]
        got_no = None if got_no != got_no or got_no is None else int(got_no)
        ok_text = score >= FOUND_MIN
        if got_no != n.number:
            rep.add("note number wrong", f"note {n.number} ({n.scope}) read as number {got_no} on page {int(rows.page[j])}: {_short(rows.text[j], 60)!r}")
        if not ok_text:
            rep.add("note text altered", f"note {n.number} (page {int(rows.page[j])}): {_diff(norm(n.text), texts[j])}")
        if ok_text and got_no == n.number:
            tp += 1
        _count_lost(rep, f"note {n.number}", n.nums, numbers(rows.text[j]), n.text, rows.text[j])
    rep.counts["notes_expected"] = len(exp.notes)
    rep.counts["note_rows"] = len(rows)
    rep.counts["notes_right"] = tp
    rep.ratios["notes_f1"] = _f1(tp, len(exp.notes), len(rows))


_LEAD_YEAR = re.compile(r"^\s*(?:\d{4}[a-z]?|n\.d\.)?\s*$")


def _lead_ok(prefix: str, authors: list[str]) -> bool:
    """Whether the text printed before an entry's title in a row is only its
    year (or n.d.) and/or an author heading (glued in front)."""
    for a in authors:
        if a and a in prefix:
            prefix = prefix.replace(a, " ")
    return bool(_LEAD_YEAR.match(prefix))


def _check_entries(rep: Report, exp: Expected, rows) -> None:
    titles = [norm(t) for t in rows.title.tolist()] if len(rows) else []
    words = [set(t.lower().split()) for t in titles]
    raws = [norm(t) for t in rows.raw.tolist()] if len(rows) else []
    authors = sorted({norm(e.author) for e in exp.entries}, key=len, reverse=True)
    tp = 0
    for e in exp.entries:
        nt = norm(e.title)
        cont = [i for i, r in enumerate(raws) if nt and nt in r]
        # its own row: nothing but a year and/or an author heading printed before its title
        own = [i for i in cont if _lead_ok(raws[i][: raws[i].find(nt)], authors)]
        if own:
            j = max(own, key=lambda i: _ratio(nt, titles[i]))
            score = _ratio(nt, titles[j])
        elif cont:  # printed inside the row of another entry: glued to it
            i = cont[0]
            y = rows.year[i]
            suf = rows.year_suffix[i]
            rep.add("entry glued to another", f"{e.year_printed or '(no year)'} {_short(e.title, 50)!r} inside the row "
                    f"{'' if y != y else int(y)}{suf if suf == suf and suf else ''} {_short(rows.title[i], 50)!r} (page {rows.page[i]})")
            _count_lost(rep, f"entry {e.year_printed or '(no year)'}", e.nums, numbers(rows.raw[i]), e.text, "")
            continue
        else:
            j, score = _best(nt, titles, words)
        if j is None or (score < MATCH_MIN and not own):
            rep.add("entry not found", f"{e.author} {e.year_printed}: {_short(e.title)!r}")
            _count_lost(rep, f"entry {e.year_printed}", e.nums, Counter(), e.text, "")
            continue
        y = rows.year[j]
        y = None if y != y or y is None else int(y)
        suf = rows.year_suffix[j]
        suf = None if suf != suf or not suf else str(suf)
        ok_year = (y, suf) == (e.year, e.year_suffix)
        if not ok_year:
            rep.add("entry year wrong", f"{_short(e.title, 50)!r}: printed {e.year_printed!r}, row year {y}{suf or ''} (page {rows.page[j]})")
        ok_title = score >= FOUND_MIN
        if not ok_title:
            rep.add("entry title altered", f"{_diff(norm(e.title), titles[j])} (raw {_short(rows.raw[j], 100)!r})")
        if ok_year and ok_title:
            tp += 1
        _count_lost(rep, f"entry {e.year_printed or '(no year)'}", e.nums, numbers(rows.raw[j]), e.text, rows.raw[j])
    rep.counts["entries_expected"] = len(exp.entries)
    rep.counts["entry_rows"] = len(rows)
    rep.counts["entries_right"] = tp
    rep.ratios["references_f1"] = _f1(tp, len(exp.entries), len(rows))


def _check_sections(rep: Report, exp: Expected, rows) -> None:
    got = [(norm(h).casefold(), None if d != d or d is None else int(d)) for h, d in zip(rows.heading, rows.dimension)] if len(rows) else []
    exact = 0
    start = 0
    for h in exp.headings:
        keys = {norm(h.text).casefold()}
        if h.label:
            keys.add(norm(f"{h.label} {h.text}").casefold())
        hit = next((i for i in range(start, len(got)) if got[i][0] in keys), None)
        if hit is None:
            hit = next((i for i in range(len(got)) if got[i][0] in keys), None)
            if hit is None:
                rep.add("section missing", f"{h.text!r} (level {h.level})")
                continue
            rep.add("section out of order", repr(h.text))
            continue
        start = hit + 1
        if h.dimension is not None and got[hit][1] != h.dimension:
            rep.add("section dimension wrong", f"{h.text!r}: dimension {got[hit][1]}, expected {h.dimension}")
            continue
        exact += 1
    rep.counts["sections_expected"] = len(exp.headings)
    rep.counts["sections_exact"] = exact
    rep.counts["section_rows"] = len(rows)


def doc_id_of(out_folder: Path, pdf_name: str) -> str:
    import pandas as pd

    docs = pd.read_parquet(Path(out_folder) / "documents")
    hit = docs[docs.source_file.map(lambda s: Path(str(s)).name) == pdf_name]
    if hit.empty:
        raise SystemExit(f"{pdf_name} is not in {out_folder}/documents")
    return str(hit.doc_id.iloc[0])


def main(argv: list[str] | None = None) -> int:
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2:
        print(__doc__)
        return 2
    out, design = Path(args[0]), Path(args[1])
    sample = load_sample(design)
    doc_id = args[2] if len(args) > 2 else doc_id_of(out, sample.output)
    rep = check(out, sample, doc_id)
    print(rep.summary(examples=int(__import__("os").environ.get("MGI_EXAMPLES", "3"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
