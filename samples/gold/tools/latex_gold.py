"""Build gold for a LaTeX Santiago sample from the A4 gold (same text).
Pages: headings and notes from TeX's own .aux (labels), other items by a
context search (the item with 30 squashed characters either side, taken on its
page of the A4 PDF) in the new PDF, else repage.py's proposal; prints flags."""
import json, sys, re
from pathlib import Path
sys.path.insert(0, "samples/gold/tools")
from check_gold import page_texts, squash
from repage import propose
from mgi_samples.render import load_sample
from mgi_samples.latex import render
from mgi_samples.expect import plain, blank_supplied_years

design = Path(sys.argv[1]); sample = load_sample(design)
A = json.loads(Path("samples/gold/santiago-de-chile-local-2022.json").read_text())
old_pages = [squash(t) for t in page_texts(Path("samples/santiago-de-chile-local-2022.pdf"))]
new_pages = [squash(t) for t in page_texts(Path("samples") / sample.output)]
aux = {}; render(sample, aux)
G = json.loads(json.dumps(A)); G["document"]["source_file"] = sample.output
flags = []
# sections
heads = {}
for i, b in enumerate(sample.blocks):
    if "heading" in b:
        heads.setdefault(plain(b["heading"]), []).append(i)
summ_page = aux.get("h" + str(next(i for i, b in enumerate(sample.blocks) if b.get("id") == "key_findings")))
for s in G["sections"]:
    h = s["heading"]
    if s["kind"] == "front_matter": s["page_start"] = 1; continue
    if s["kind"] == "contents":
        s["page_start"] = 3
        annex = next(i for i, b in enumerate(sample.blocks) if b.get("id") == "annexes")
        s["last_words"] = "ANNEXES %d" % aux["h%d" % annex]
        continue
    if h in heads:
        s["page_start"] = aux["h%d" % heads[h].pop(0)]
    else:  # KEY FINDINGS summary labels
        cands = [n + 1 for n, t in enumerate(new_pages) if squash(h) in t and n + 1 >= summ_page]
        s["page_start"] = cands[0]; flags.append(("sections", h, cands))
# footnotes: in order, scope by position
scope = "main"; order = []
for b in sample.blocks:
    if "heading" in b: scope = b.get("footnote_scope", scope)
    elif "footnote" in b: order.append((scope, int(b["footnote"]), plain(b["text"])))
assert len(order) == len(G["footnotes"])
for f, (sc, n, t) in zip(G["footnotes"], order):
    assert f["number"] == n and squash(f["text"]) == squash(t), (f, n, t)
    f["page"] = aux[f"fn:{sc}:{n}"]
# other tables
def ctx_pages(raw, oldp):
    key = squash(raw); t = old_pages[oldp - 1]; hits = []
    for m in re.finditer(re.escape(key), t):
        for a, b in ((m.start() - 30, m.end()), (m.start(), m.end() + 30), (m.start() - 15, m.end() + 15)):
            c = t[max(0, a):b]
            if len(c) < len(key) + 10: continue
            pages = sorted({n + 1 for n, x in enumerate(new_pages) if c in x})
            if len(pages) == 1: hits.append(pages[0]); break
    return sorted(set(hits))
for table, key, pk in (("statistics", "raw", "page"), ("citations", "raw", "page"), ("legal_references", "raw", "page")):
    items = G[table]
    prop = propose([it[key] for it in items], new_pages)
    for i, (it, (page, cands, flag)) in enumerate(zip(items, prop)):
        hits = ctx_pages(it[key], A[table][i][pk])
        if len(hits) == 1:
            if flag != " " or page != hits[0]:
                flags.append((table, i, it[key], "ctx", hits[0], "repage", page, cands))
            it[pk] = hits[0]
        else:
            flags.append((table, i, it[key], "NOCTX", hits, "repage", page, flag, cands))
            it[pk] = page
# hand fixes after reading the page texts: {table: {index: page}}
FIX = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
for table, fixes in FIX.items():
    for i, page in fixes.items():
        G[table][int(i)]["page"] = page
# references: blank years
blank = blank_supplied_years(sample)
ents = [e for b in sample.blocks if "key_sources" in b for g in b["key_sources"] for e in g["entries"]]
assert len(ents) == len(G["references"])
for e, r in zip(ents, G["references"]):
    if blank and e.get("year_supplied"):
        r["year"] = None; r["year_suffix"] = None
# citations pointing at an entry whose year is now blank: the key names the year-less entry
from pipeline.evaluate.gold import AuthorKeys, parse_reference_key, reference_key
authors = AuthorKeys(r["author"] for r in G["references"])
known = {reference_key(r["author"], r["year"], r["year_suffix"], authors) for r in G["references"]}
for c in G["citations"]:
    if c.get("reference") and reference_key(*parse_reference_key(c["reference"]), authors) not in known:
        new = c["reference"].rsplit("|", 1)[0] + "|n.d."
        print("citation reference", c["reference"], "->", new, "(entry year blank)")
        c["reference"] = new
out = Path("samples/gold") / (Path(sample.output).stem + ".json")
out.write_text(json.dumps(G, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
for f in flags: print(*f)
print(out, "written")
