"""Shared fixtures: where the shipped samples and the real IOM report PDFs live."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES_DIR = REPO / "samples"
REAL_PDFS_DIR = REPO.parent / "shared" / "real-pdfs"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """``samples/`` (PDFs, ``source/`` YAML, ``gold/`` JSON); skips when no sample PDF is there."""
    if not any(SAMPLES_DIR.glob("*.pdf")):
        pytest.skip(f"no sample PDFs in {SAMPLES_DIR} (render them with `mgi samples render`)")
    return SAMPLES_DIR


@pytest.fixture(scope="session")
def real_pdfs_dir() -> Path:
    """``../shared/real-pdfs`` (real IOM reports, never copied into the repo); skips when absent."""
    if not REAL_PDFS_DIR.is_dir() or not any(REAL_PDFS_DIR.glob("*.pdf")):
        pytest.skip(f"real IOM report PDFs not available at {REAL_PDFS_DIR}")
    return REAL_PDFS_DIR
