"""Settings, wording files and the config hash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.config import CONFIG_DIR, Config, load_config, load_yaml_text
from pipeline.errors import ConfigError


def test_wording_words_are_not_yaml11_booleans():
    data = load_yaml_text("words: [on, no, off, yes, n, y]\nflags: [true, false]")
    assert data["words"] == ["on", "no", "off", "yes", "n", "y"]
    assert data["flags"] == [True, False]


def test_every_shipped_wording_file_is_free_of_booleans_in_lists():
    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for item in node:
                assert not isinstance(item, bool), f"{where} holds a boolean list item"
                walk(item, where)

    for path in CONFIG_DIR.rglob("*.yaml"):
        walk(load_yaml_text(path.read_text(encoding="utf-8")), str(path))


def test_override_merges_and_is_remembered(tmp_path: Path):
    override = tmp_path / "my.yaml"
    override.write_text("batch:\n  timeout_seconds: 7\n")
    cfg = load_config(override)
    assert cfg.section("batch")["timeout_seconds"] == 7
    assert cfg.section("batch")["workers"] == load_config().section("batch")["workers"]
    assert cfg.source == str(override)
    assert cfg.hash != load_config().hash


def test_override_reaches_the_statistics_component(tmp_path: Path):
    from pipeline.extract.nlp import make_nlp

    text = "Vaccinations for people over 80 years of age and 30 per cent of children."
    default = make_nlp("en", load_config())(text)
    override = tmp_path / "noages.yaml"
    override.write_text("extract:\n  ages_are_statistics: false\n")
    changed = make_nlp("en", load_config(override))(text)
    assert [s.text for s in default.spans["mgi_statistics"]] == ["80 years of age", "30 per cent"]
    assert [s.text for s in changed.spans["mgi_statistics"]] == ["30 per cent"]


def test_hash_follows_wording_files(tmp_path: Path):
    copy = tmp_path / "configs"
    shutil.copytree(CONFIG_DIR, copy)
    settings = load_config().settings
    before = Config(settings=settings, config_dir=copy).hash
    (copy / "headings" / "en.yaml").write_text((copy / "headings" / "en.yaml").read_text() + "\n# edited\n")
    assert Config(settings=settings, config_dir=copy).hash != before


@pytest.mark.parametrize("text", ["a: [unclosed", "- just\n- a list\n"])
def test_malformed_override_is_a_one_line_config_error(tmp_path: Path, text: str):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_config(bad)
    assert str(bad) in str(err.value) and "\n" not in str(err.value)
