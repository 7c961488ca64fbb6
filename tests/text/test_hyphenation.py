"""Hyphenation dictionaries: pyphen's patterns, parsed once and kept on disk."""

from __future__ import annotations

import tempfile

import pytest

pyphen = pytest.importorskip("pyphen")

from pipeline.text.hyphenation import dictionary, hyph_dict  # noqa: E402

WORDS = ("community", "hyphenation", "entrepreneurship", "telemedicine", "cooperation")


@pytest.fixture(autouse=True)
def _fresh_pyphen(monkeypatch):
    monkeypatch.setattr(pyphen, "hdcache", {})


def _dic(tmp_path, lines):
    path = tmp_path / "hyph_xx.dic"
    path.write_text("UTF-8\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_same_patterns_and_positions_as_pyphen_first_and_from_disk(tmp_path):
    source = pyphen.LANGUAGES["en_US"]
    fresh = pyphen.HyphDict(source)
    first = hyph_dict(source, tmp_path)
    assert len(list(tmp_path.glob("hyph-*.marshal"))) == 1
    again = hyph_dict(source, tmp_path)
    for hd in (first, again):
        assert hd.patterns == fresh.patterns and hd.maxlen == fresh.maxlen
        assert [hd.positions(w) for w in WORDS] == [fresh.positions(w) for w in WORDS]


def test_nonstandard_hyphenation_data_survives_the_cache(tmp_path):
    source = pyphen.LANGUAGES["hu"]  # patterns with "/ff=f,..." alternatives
    fresh = pyphen.HyphDict(source)
    hyph_dict(source, tmp_path)
    again = hyph_dict(source, tmp_path)
    special = [k for k, (_, values) in fresh.patterns.items() if any(type(v) is not int for v in values)]
    assert special
    for key in special:
        assert [getattr(v, "data", None) for v in again.patterns[key][1]] == [v.data if type(v) is not int else None
                                                                             for v in fresh.patterns[key][1]]
    pyphen.hdcache[source] = again
    assert list(pyphen.Pyphen(lang="hu").iterate("asszonnyal")) == [("asszony", "nyal"), ("asz", "szonnyal")]


def test_changed_dictionary_is_never_served_a_stale_entry(tmp_path):
    folder = tmp_path / "cache"
    path = _dic(tmp_path, ["1co", "m1m"])
    assert hyph_dict(path, folder).patterns == {"co": (0, (1,)), "mm": (1, (1,))}
    path = _dic(tmp_path, ["1co", "m3m", "1ty"])
    assert hyph_dict(path, folder).patterns == pyphen.HyphDict(path).patterns == {
        "co": (0, (1,)), "mm": (1, (3,)), "ty": (0, (1,))}
    assert len(list(folder.glob("hyph-*.marshal"))) == 2


def test_damaged_cache_file_is_parsed_again_and_rewritten(tmp_path):
    folder = tmp_path / "cache"
    path = _dic(tmp_path, ["1co", "m1m"])
    hyph_dict(path, folder)
    (entry,) = folder.glob("hyph-*.marshal")
    for damage in (b"not marshal", b"\xe9\x00\x00\x00\x00"):  # garbage; a valid marshal int
        entry.write_bytes(damage)
        assert hyph_dict(path, folder).patterns == pyphen.HyphDict(path).patterns
        assert entry.read_bytes() != damage


def test_read_only_folder_still_gives_the_dictionary(tmp_path, monkeypatch):
    def refused(*args, **kwargs):
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refused)  # (root writes a chmod 500 folder)
    path = _dic(tmp_path, ["1co", "m1m"])
    assert hyph_dict(path, tmp_path / "ro").patterns == pyphen.HyphDict(path).patterns
    assert not list((tmp_path / "ro").iterdir())


def test_unwritable_cache_path_still_gives_the_dictionary(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    path = _dic(tmp_path, ["1co", "m1m"])
    assert hyph_dict(path, blocker / "sub").patterns == pyphen.HyphDict(path).patterns


def test_dictionary_by_name_and_unknown_name(tmp_path, monkeypatch):
    monkeypatch.setenv("MGI_CACHE_DIR", str(tmp_path))
    d = dictionary("en_GB")
    assert [d.positions(w) for w in WORDS] == [pyphen.Pyphen(lang="en_GB", cache=False).positions(w) for w in WORDS]
    assert list(tmp_path.glob("hyph-*.marshal"))
    assert dictionary("xx_NOPE") is False


def test_a_hyphdict_of_another_shape_is_used_but_not_kept(tmp_path, monkeypatch):
    class Other(pyphen.HyphDict):
        def __init__(self, path):
            super().__init__(path)
            self.extra = 1

    monkeypatch.setattr(pyphen, "HyphDict", Other)
    path = _dic(tmp_path, ["1co", "m1m"])
    assert hyph_dict(path, tmp_path / "cache").extra == 1
    assert not (tmp_path / "cache").exists()
