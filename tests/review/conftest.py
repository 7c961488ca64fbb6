"""One sample run once per session, its review pages, and a headless Chromium.

The browser is the system Chromium (Debian ``chromium``) driven by Playwright
for Python; ``playwright install`` is never needed. Without Chromium or
Playwright the browser tests skip with the reason, except under CI (env
``CI`` set), where they fail.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = "santiago-de-chile-local-2022"
CHROMIUM = Path(os.environ.get("MGI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True)
class Reviewed:
    out: Path
    pdf: Path
    index: Path
    page: Path  # the document's review page
    doc_id: str


def run_sample(root: Path) -> tuple[Path, Path]:
    from pipeline.config import load_config
    from pipeline.run.batch import run

    pdf = root / "in" / f"{SAMPLE}.pdf"
    pdf.parent.mkdir(parents=True)
    shutil.copy(REPO / "samples" / f"{SAMPLE}.pdf", pdf)
    out = root / "out"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        run([pdf], out, load_config(), workers=1, progress=False)
    return pdf, out


@pytest.fixture(scope="session")
def reviewed(tmp_path_factory) -> Reviewed:
    """The sample run into a fresh OUT, its review pages written (low-resolution images)."""
    from pipeline.review.build import build

    pdf, out = run_sample(tmp_path_factory.mktemp("review"))
    index = build(out, progress=False, scale=0.6)
    pages = sorted(p for p in index.parent.glob("*.html") if p.name != "index.html")
    assert len(pages) == 1
    return Reviewed(out=out, pdf=pdf, index=index, page=pages[0], doc_id=pages[0].stem)


def _need_browser() -> None:
    reason = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "Playwright for Python is not installed (pip install -e '.[test]')"
    if reason is None and not CHROMIUM.is_file():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the browser tests")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    """A fresh page collecting console errors and uncaught exceptions in ``page.errors``."""
    context = browser.new_context(viewport={"width": 1300, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.errors = errors
    yield tab
    context.close()


def _open(tab, path: Path) -> None:
    tab.goto(path.as_uri())
    tab.wait_for_selector('body[data-ready="1"]', timeout=15000)


@pytest.fixture(scope="session")
def open_review():
    """``open_review(page, path)``: load a review page and wait until it is drawn."""
    return _open
