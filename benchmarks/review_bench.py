"""How fast a long report's review page becomes interactive (not a test).

    python benchmarks/review_bench.py REPORT.pdf [--pages 143] [--out /tmp/mgi-review-bench]

Takes the report's pages (repeated from the start when it has fewer than
``--pages``) into one PDF, runs the pipeline and ``mgi review`` on it, then
opens the document's page in headless system Chromium (Playwright) and prints
the time from navigation to the page being drawn and clickable (the first
box answering a click with its row), and the sizes written.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def make_pdf(source: Path, pages: int, target: Path) -> None:
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(source))
    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        take = min(len(src), pages - len(out))
        out.import_pages(src, list(range(take)))
    target.parent.mkdir(parents=True, exist_ok=True)
    out.save(str(target))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("--pages", type=int, default=143)
    parser.add_argument("--out", type=Path, default=Path("/tmp/mgi-review-bench"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    pdf = args.out / "in" / f"report-{args.pages}p.pdf"
    make_pdf(args.report, args.pages, pdf)
    out = args.out / "out"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(pdf), "--out", str(out), "--no-progress"], check=False)
    t1 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline.cli", "review", str(out), "--no-progress"], check=True)
    t2 = time.perf_counter()
    page = next(p for p in (out / "review").glob("*.html") if p.name != "index.html")

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1300, "height": 900})
        start = time.perf_counter()
        tab.goto(page.as_uri())
        tab.wait_for_selector('body[data-ready="1"]')
        ready = time.perf_counter() - start
        first = tab.locator(".box[data-table]").first
        first.click(force=True)
        tab.wait_for_function("document.querySelector('#details h3') !== null")
        interactive = time.perf_counter() - start
        boxes = tab.locator(".box[data-table]").count()
        browser.close()
    size = page.stat().st_size / 1e6
    images = sum(f.stat().st_size for f in (out / "review").rglob("*.jpg")) / 1e6
    print(f"{args.pages}-page report: mgi run {t1 - t0:.1f} s, mgi review {t2 - t1:.1f} s "
          f"(page {size:.1f} MB, images {images:.1f} MB); Chromium headless: drawn {ready:.2f} s, "
          f"interactive {interactive:.2f} s, {boxes} boxes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
