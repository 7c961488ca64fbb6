"""spaCy is imported without its command line, which stays importable."""

import subprocess
import sys

PROBE = r"""
import sys
import pipeline.extract.stage
print("cli_loaded", "spacy.cli" in sys.modules or "spacy.cli.init_config" in sys.modules)
import spacy
print("blank", type(spacy.blank("en")).__name__)
import spacy.cli
print("real_cli", hasattr(spacy.cli, "download") and spacy.cli.__file__.endswith("__init__.py"))
print("info", spacy.info()["spacy_version"] == spacy.__version__)
"""


def _probe() -> dict[str, str]:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
    return dict(line.split(" ", 1) for line in out.splitlines())


def test_the_pipeline_imports_spacy_without_its_command_line():
    found = _probe()
    assert found["cli_loaded"] == "False"
    assert found["blank"] == "English"


def test_the_real_command_line_and_info_load_when_asked_for():
    found = _probe()
    assert found["real_cli"] == "True"
    assert found["info"] == "True"
