"""The README's promises: its SQL examples answer on the shipped samples, and
its first two commands are the install-and-run and install-and-test commands."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_sql() -> list[str]:
    return [block.strip() for block in re.findall(r"```sql\n(.*?)```", README, flags=re.S)]


def test_first_two_commands_install_run_and_test():
    first_block = re.search(r"```bash\n(.*?)```", README, flags=re.S).group(1).strip().splitlines()
    assert first_block[0].startswith("pip install -e . && mgi run samples/ --out outputs/")
    assert first_block[1].startswith("pip install -e '.[test]' && python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install -q -e '.[test]' && python -m pytest" in ci


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    from pipeline.run import batch
    from pipeline.store import db
    from pipeline.config import load_config

    out = tmp_path_factory.mktemp("readme")
    samples = out / "samples"
    samples.mkdir()
    for pdf in sorted((ROOT / "samples").glob("*.pdf")):
        shutil.copy(pdf, samples / pdf.name)
    code = batch.run([samples], out / "out", load_config(), workers=2, progress=False)
    assert code == 0
    assert db.build_command(out / "out") == 0
    return out / "out"


@pytest.mark.parametrize("sql", readme_sql(), ids=lambda s: s.splitlines()[0][:40])
def test_readme_queries_answer_on_the_samples(database: Path, sql: str):
    from pipeline.store import db

    columns, rows, _truncated = db.query(database, sql)
    assert columns and rows, f"README query returned nothing:\n{sql}"


def test_readme_has_three_research_questions():
    assert len(readme_sql()) >= 3
