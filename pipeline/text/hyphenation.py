"""pyphen hyphenation dictionaries, their parsed patterns kept on disk.

``pyphen.Pyphen(lang=...)`` parses the language's ``hyph_*.dic`` file in
Python (~10-50 ms a dictionary). :func:`dictionary` keeps what pyphen's
``HyphDict`` holds after parsing (its patterns and longest pattern) in the
cache folder (:mod:`pipeline.text.diskcache`), keyed by the file's bytes,
pyphen's version and the Python build, and hands pyphen a ``HyphDict``
rebuilt from it: the very patterns pyphen parses, so the very positions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.text import diskcache

_FORMAT = "1"  # of the cached data below
_ATTRIBUTES = {"patterns", "cache", "maxlen"}  # what pyphen 0.x's HyphDict holds


def dictionary(name: str, folder: Path | None = None) -> Any:
    """``pyphen.Pyphen(lang=name)``, its patterns read from the cache when
    kept there; False when pyphen has no such dictionary, None when pyphen
    is missing."""
    try:
        import pyphen
    except ImportError:
        return None
    if name not in pyphen.LANGUAGES:
        return False
    path = pyphen.LANGUAGES[pyphen.language_fallback(name)]
    if isinstance(getattr(pyphen, "hdcache", None), dict) and path not in pyphen.hdcache:
        hd = hyph_dict(path, folder)
        if hd is not None:
            pyphen.hdcache[path] = hd
    return pyphen.Pyphen(lang=name)


def hyph_dict(path, folder: Path | None = None):
    """pyphen's ``HyphDict`` of the ``hyph_*.dic`` file ``path``: rebuilt from
    the cache, else parsed by pyphen and kept; None when the file cannot be
    read (pyphen reports it)."""
    import pyphen

    try:
        raw = path.read_bytes()
    except OSError:
        return None
    name = f"hyph-{diskcache.key_of('pyphen', _FORMAT, str(pyphen.__version__), raw)}.marshal"
    data = diskcache.load(name, folder)
    if data is not None:
        try:
            return _decode(pyphen, data)
        except Exception:  # damaged (yet unmarshallable) data: parse it again
            pass
    hd = pyphen.HyphDict(path)
    if set(vars(hd)) == _ATTRIBUTES:  # (another pyphen's HyphDict: used, not kept)
        diskcache.save(name, _encode(pyphen, hd), folder)
    return hd


def _encode(pyphen, hd) -> tuple:
    """``(patterns, alternatives, maxlen)`` in marshal's types: the patterns
    whose values are plain ints, and those holding pyphen's ``DataInt`` (a
    nonstandard hyphenation, ``value`` with ``data``) as ``(value, data)``."""
    plain, alternatives = {}, {}
    for key, (start, values) in hd.patterns.items():
        if all(type(v) is int for v in values):
            plain[key] = (start, values)
        else:
            alternatives[key] = (start, tuple((int(v), v.data) if isinstance(v, pyphen.DataInt) else int(v)
                                              for v in values))
    return (plain, alternatives, hd.maxlen)


def _decode(pyphen, data: tuple):
    plain, alternatives, maxlen = data
    if not isinstance(plain, dict) or not isinstance(alternatives, dict) or not isinstance(maxlen, int):
        raise ValueError("not a cached HyphDict")
    patterns = plain  # (a fresh dict: marshal builds one per load)
    for key, (start, values) in alternatives.items():
        patterns[key] = (start, tuple(pyphen.DataInt(v[0], v[1]) if isinstance(v, tuple) else v for v in values))
    hd = pyphen.HyphDict.__new__(pyphen.HyphDict)
    hd.patterns, hd.cache, hd.maxlen = patterns, {}, maxlen
    return hd
