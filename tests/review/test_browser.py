"""The review pages in a real browser (headless system Chromium via Playwright)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.evaluate.gold import load_gold
from pipeline.evaluate.validate import validate
from pipeline.review.build import build
from pipeline.review.data import BOXED

REPO = Path(__file__).resolve().parents[2]

LABEL_PAGE = 7  # the sample's page with most statistics and no KEY SOURCES entry


def _rows(out, table):
    return pq.read_table(out / table).to_pylist()


def _overlay_point(tab, page_no, x, y):
    """Screen position of PDF point (x, y) on a drawn page."""
    sheet = tab.locator(f"#page-{page_no} .overlay")
    sheet.scroll_into_view_if_needed()
    box = sheet.bounding_box()
    size = tab.evaluate(f"JSON.parse(document.getElementById('data').textContent).pages[{page_no - 1}]")
    return box["x"] + box["width"] * x / size["width"], box["y"] + box["height"] * y / size["height"]


def test_one_box_per_located_row_of_every_table(page, reviewed, open_review):
    open_review(page, reviewed.page)
    drawn = set(page.evaluate("Array.from(document.querySelectorAll('section.page')).map(s => +s.dataset.page)"))
    for table, (id_col, page_col) in BOXED.items():
        want = sorted(r[id_col] for r in _rows(reviewed.out, table) if r["bbox"] is not None and r[page_col] in drawn)
        got = page.evaluate(f"Array.from(document.querySelectorAll('.box[data-table=\"{table}\"]')).map(b => b.dataset.id)")
        assert want and sorted(got) == want, table
    assert page.errors == []


def test_a_click_in_the_side_panel_highlights_and_shows_its_box(page, reviewed, open_review):
    open_review(page, reviewed.page)
    stat = [s for s in _rows(reviewed.out, "statistics") if s["page"] > 10][0]
    page.locator(f'li[data-table="statistics"][data-row="{stat["stat_id"]}"]').click()
    box = page.locator(f'.box[data-table="statistics"][data-id="{stat["stat_id"]}"]')
    assert "hl" in box.get_attribute("class").split()
    rect, view = box.bounding_box(), page.viewport_size
    assert rect is not None and 0 <= rect["y"] <= view["height"] and rect["height"] > 0
    assert stat["raw"] in page.locator("#details").inner_text()
    # a click on a box shows the row's columns
    para = _rows(reviewed.out, "paragraphs")[3]
    page.locator('input[data-toggle="paragraphs"]').check()
    page.locator(f'.box[data-table="paragraphs"][data-id="{para["paragraph_id"]}"]').click()
    assert para["paragraph_id"] in page.locator("#details").inner_text()
    assert page.errors == []


def test_filters_narrow_the_side_panel(page, reviewed, open_review):
    open_review(page, reviewed.page)
    page.select_option('select[data-filter="table"]', "statistics")
    page.select_option('select[data-filter="kind"]', "percent")
    shown = page.locator("#rowlist li")
    percent = [s for s in _rows(reviewed.out, "statistics") if s["kind"] == "percent"]
    assert shown.count() == len(percent) > 0
    page.fill('input[data-filter="text"]', percent[0]["raw"])
    assert 1 <= shown.count() < len(percent)
    assert page.errors == []


def test_a_page_screenshot_is_not_blank(page, reviewed, open_review, tmp_path):
    from PIL import Image

    open_review(page, reviewed.page)
    sheet = page.locator(f"#page-{LABEL_PAGE} .sheet")
    sheet.scroll_into_view_if_needed()
    page.wait_for_function(f"document.querySelector('#page-{LABEL_PAGE} img').naturalWidth > 0")
    image = Image.open(io.BytesIO(sheet.screenshot())).convert("L")
    histogram = image.histogram()
    dark = sum(histogram[:128]) / sum(histogram)
    assert 0.005 < dark < 0.5, dark  # printed text, not an empty sheet nor a black one
    assert len([n for n in histogram if n]) > 20
    target = os.environ.get("MGI_REVIEW_SCREENSHOT")  # README's picture: MGI_REVIEW_SCREENSHOT=docs/review.png
    if target:
        page.set_viewport_size({"width": 1100, "height": 640})
        page.locator('li[data-table="statistics"]').nth(5).click()
        shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB").quantize(colors=48)
        shot.save(target, optimize=True)
        assert Path(target).stat().st_size < 150_000


def test_the_dashboard_draws_without_errors(page, reviewed, open_review):
    open_review(page, reviewed.index)
    assert page.locator(f'tr[data-doc="{reviewed.doc_id}"] a').count() == 1
    assert page.locator(".plot svg rect").count() >= 4
    page.locator(f'tr[data-doc="{reviewed.doc_id}"] a').click()
    page.wait_for_selector('body[data-ready="1"] .box[data-table="statistics"]')
    assert page.errors == []


def test_labelling_to_a_gold_file_that_mgi_validate_scores(page, reviewed, open_review, tmp_path):
    open_review(page, reviewed.page)
    page.locator("#labelling").click()
    stats = [s for s in _rows(reviewed.out, "statistics") if s["page"] == LABEL_PAGE]
    confirmed, rejected, corrected = stats[0], stats[1], stats[2]

    def pick(stat):
        page.locator(f'.box[data-table="statistics"][data-id="{stat["stat_id"]}"]').click()

    pick(confirmed)
    page.locator('#label-controls [data-action="confirm"]').click()
    pick(rejected)
    page.locator('#label-controls [data-action="reject"]').click()
    pick(corrected)
    page.fill('#label-controls [data-edit="value"]', str(corrected["value"] + 1000))
    page.locator('#label-controls [data-edit="value"]').dispatch_event("change")
    page.locator(f'input[data-labelled="{LABEL_PAGE}"]').check()
    sources_page = min(r["page"] for r in _rows(reviewed.out, "references"))
    page.locator(f'input[data-labelled="{sources_page}"]').check()  # a KEY SOURCES page, left as extracted

    # add the rejected statistic back by dragging over its words
    x0, top, x1, bottom = rejected["bbox"]
    page.locator("#add-item").click()
    start = _overlay_point(page, LABEL_PAGE, x0 - 1, top - 1)
    end = _overlay_point(page, LABEL_PAGE, x1 + 1, bottom + 1)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=4)
    page.mouse.up()
    form = page.locator("#add-form")
    digits = re.sub(r"\D", "", rejected["raw"])[:2]
    assert digits in re.sub(r"\D", "", form.locator('[data-add="raw"]').input_value())
    form.locator('[data-add="table"]').select_option("statistics")
    form.locator('[data-add="kind"]').select_option(rejected["kind"])
    form.locator('[data-add="value"]').fill(repr(rejected["value"]))
    form.locator('[data-add="raw"]').fill(rejected["raw"])
    form.locator('[data-add="save"]').click()
    assert page.locator('.box.added[data-added="statistics"]').count() == 1

    with page.expect_download() as download:
        page.locator("#download").click()
    assert download.value.suggested_filename == "santiago-de-chile-local-2022.json"
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    path = gold_dir / download.value.suggested_filename
    download.value.save_as(path)
    assert page.errors == []

    gold = load_gold(path)  # valid, every item checked
    assert gold.pages_labelled == [LABEL_PAGE, sources_page]
    assert len(gold.statistics) == len(stats)  # one rejected, one added back
    assert len(gold.references) == sum(r["page"] == sources_page for r in _rows(reviewed.out, "references")) > 0
    data = json.loads(path.read_text())
    assert all(item["checked"] is True for name in ("statistics", "citations", "footnotes") for item in data[name])

    result = validate(reviewed.out, gold_dir)
    counts = result["tables"]["statistics"]
    assert (counts["tp"], counts["fp"], counts["fn"]) == (len(stats) - 1, 1, 1)  # the corrected value
    for table, c in result["tables"].items():
        if table not in ("statistics", "documents"):
            assert c["fp"] == 0 and c["fn"] == 0, (table, c)


def _gold_view_out(reviewed, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(reviewed.out, out, ignore=shutil.ignore_patterns("review"))
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    shutil.copy(REPO / "samples" / "gold" / f"{reviewed.pdf.stem}.json", gold_dir)
    return out, gold_dir


def test_gold_view_shows_matches_misses_and_extras_with_validate_numbers(page, reviewed, open_review, tmp_path):
    out, gold_dir = _gold_view_out(reviewed, tmp_path)
    index = build(out, gold_dir, progress=False, scale=0.3)
    result = validate(out, gold_dir)
    open_review(page, index.parent / reviewed.page.name)
    extras = Counter(e["table"] for e in result["extras"] if e["table"] != "documents")
    located = {t: {r[BOXED[t][0]] for r in _rows(out, t) if r["bbox"] is not None} for t in BOXED}
    for table, counts in result["tables"].items():
        if table == "documents":
            continue
        n_extra = page.locator(f'.box[data-table="{table}"][data-gold="extra"]').count()
        want = sum(1 for e in result["extras"] if e["table"] == table and e["id"] in located[table])
        assert n_extra == want <= extras[table], table
        n_match = page.locator(f'.box[data-table="{table}"][data-gold="match"]').count()
        unlocated = len(_rows(out, table)) - len(located[table])
        assert counts["tp"] - unlocated <= n_match <= counts["tp"], table
        cells = page.locator(f'#gold tr[data-score="{table}"] td').all_inner_texts()
        assert cells[3] == f"{100 * counts['f1']:.1f}" and cells[4:] == [str(counts["tp"]), str(counts["fp"]), str(counts["fn"])]
    misses = [m for m in result["misses"] if m["table"] != "documents"]
    assert page.locator('.box[data-gold="miss"]').count() == len(misses)
    assert page.errors == []
    open_review(page, index)
    cells = page.locator('tr[data-score="statistics"] td').all_inner_texts()
    assert cells[3] == f"{100 * result['tables']['statistics']['f1']:.1f}"


def test_labels_survive_a_reload_and_start_over_clears_them(page, reviewed, open_review):
    open_review(page, reviewed.page)
    page.locator("#labelling").click()
    stat = [s for s in _rows(reviewed.out, "statistics") if s["page"] == LABEL_PAGE][0]
    page.locator(f'.box[data-table="statistics"][data-id="{stat["stat_id"]}"]').click()
    page.locator('#label-controls [data-action="reject"]').click()
    page.locator(f'input[data-labelled="{LABEL_PAGE}"]').check()
    page.reload()
    page.wait_for_selector('body[data-ready="1"]')
    box = page.locator(f'.box[data-table="statistics"][data-id="{stat["stat_id"]}"]')
    assert "l-rejected" in box.get_attribute("class").split()
    assert page.locator(f'input[data-labelled="{LABEL_PAGE}"]').is_checked()
    gold = page.evaluate("window.mgiReview.goldFile()")
    assert gold["pages_labelled"] == [LABEL_PAGE] and stat["raw"] not in [s["raw"] for s in gold["statistics"]]
    page.locator("#labelling").click()
    with page.expect_navigation():
        page.locator("#clear-labels").click()
    page.wait_for_selector('body[data-ready="1"]')
    assert "l-rejected" not in page.locator(f'.box[data-table="statistics"][data-id="{stat["stat_id"]}"]').get_attribute("class")
    assert page.errors == []


def test_a_footnote_marker_leads_to_its_note(page, reviewed, open_review):
    open_review(page, reviewed.page)
    notes = [f for f in _rows(reviewed.out, "footnotes") if f["paragraph_id"]]
    markers = page.locator(".box.marker[data-footnote]")
    assert markers.count() >= 0.9 * len(notes) > 0
    first = markers.first
    note = first.get_attribute("data-footnote")
    first.click()
    assert "hl" in page.locator(f'.box[data-table="footnotes"][data-id="{note}"]').get_attribute("class").split()
    assert page.errors == []
