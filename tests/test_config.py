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


def _yaml_entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("yaml-*.marshal"))


def test_config_file_data_kept_on_disk_equal_and_never_stale(tmp_path, monkeypatch):
    from pipeline.config import _read_yaml

    monkeypatch.setenv("MGI_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "x.yaml"
    path.write_text("words: [on, no]\nn: 1\nf: 1.5\nb: true\nnone: null\n", encoding="utf-8")
    first = _read_yaml(path)
    assert len(_yaml_entries(tmp_path / "cache")) == 1
    again = _read_yaml(path)
    assert first == again == {"words": ["on", "no"], "n": 1, "f": 1.5, "b": True, "none": None}
    assert type(again["b"]) is bool and type(again["n"]) is int
    path.write_text("words: [off]\n", encoding="utf-8")  # edited: its own entry, never the old one
    assert _read_yaml(path) == {"words": ["off"]}
    assert len(_yaml_entries(tmp_path / "cache")) == 2


def test_config_cache_damaged_unwritable_or_unmarshallable_falls_back(tmp_path, monkeypatch):
    import tempfile

    from pipeline.config import _read_yaml

    monkeypatch.setenv("MGI_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "x.yaml"
    path.write_text("a: [1, 2]\n", encoding="utf-8")
    _read_yaml(path)
    (entry,) = _yaml_entries(tmp_path / "cache")
    for damage in (b"garbage", b"\xe9\x00\x00\x00\x00"):  # not marshal; a marshalled int, not a mapping
        entry.write_bytes(damage)
        assert _read_yaml(path) == {"a": [1, 2]}
    dated = tmp_path / "d.yaml"
    dated.write_text("day: 2024-01-31\n", encoding="utf-8")
    assert str(_read_yaml(dated)["day"]) == "2024-01-31"  # a date: parsed, not kept
    assert len(_yaml_entries(tmp_path / "cache")) == 1

    def refused(*args, **kwargs):
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    monkeypatch.setenv("MGI_CACHE_DIR", str(tmp_path / "ro"))
    assert _read_yaml(path) == {"a": [1, 2]}
    with pytest.raises(ConfigError, match="config file not found"):
        _read_yaml(tmp_path / "missing.yaml")
    path.write_text("a: [1, 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="malformed YAML"):
        _read_yaml(path)
    path.write_bytes(b"a: caf\xe9\n")  # Latin-1, not UTF-8: one line, no traceback
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        _read_yaml(path)
