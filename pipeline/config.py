"""Settings and wording files.

``configs/default.yaml`` holds pipeline settings; ``configs/headings/<lang>.yaml``
holds the wording the segmenter recognises (section headings, dimensions);
``configs/patterns/<lang>.yaml`` holds the extractors' patterns (statistics,
citations, legal instruments). Code never contains language-specific wording.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import ConfigError
from pipeline.text import diskcache

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


class WordingLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser: ~8x faster
    """YAML 1.2 booleans: only true/false. Word lists hold "on", "no", "off",
    "yes" (and the Portuguese "no"), which YAML 1.1 would turn into booleans."""


WordingLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
WordingLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml_text(text: str) -> Any:
    return yaml.load(text, Loader=WordingLoader)  # noqa: S506 - a SafeLoader subclass


def _read_yaml(path: Path) -> dict[str, Any]:
    """The mapping a YAML config file holds; its parsed data is kept in the
    cache folder (:mod:`pipeline.text.diskcache`) keyed by the file's bytes,
    PyYAML's version and our loader's resolvers (~0.5 ms a file read back,
    ~1-3 ms parsed)."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    name = f"yaml-{diskcache.key_of('yaml', yaml.__version__, _loader_signature(), raw)}.marshal"
    data = diskcache.load(name)
    if isinstance(data, dict):
        return data
    try:  # (the bytes the key was made of, not a second read that could differ)
        data = load_yaml_text(raw.decode("utf-8")) or {}
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: malformed YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    diskcache.save(name, data)  # (not kept when it holds what marshal cannot: dates)
    return data


@lru_cache(maxsize=1)
def _loader_signature() -> str:
    """What decides how our loader reads a scalar (its class and implicit resolvers)."""
    resolvers = sorted((first or "", [(tag, rx.pattern) for tag, rx in rs])
                       for first, rs in WordingLoader.yaml_implicit_resolvers.items())
    return f"{WordingLoader.__mro__[1].__name__}:{resolvers!r}"


def _merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


@dataclass(frozen=True)
class Config:
    """Effective settings plus access to the per-language wording files."""

    settings: dict[str, Any]
    config_dir: Path = CONFIG_DIR
    source: str | None = None  # the user's override file, if any
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def section(self, name: str) -> dict[str, Any]:
        return self.settings.get(name, {}) or {}

    @property
    def languages(self) -> list[str]:
        return list(self.settings.get("languages", ["en"]))

    def wording(self, family: str, lang: str) -> dict[str, Any]:
        """The wording file ``configs/<family>/<lang>.yaml`` ({} when absent)."""
        key = (family, lang)
        if key not in self._cache:
            path = self.config_dir / family / f"{lang}.yaml"
            self._cache[key] = _read_yaml(path) if path.exists() else {}
        return self._cache[key]

    def union_pattern(self, family: str, key: str) -> re.Pattern | None:
        """One pattern matching what any configured language's ``key`` in
        ``configs/<family>/<lang>.yaml`` matches (None when none sets it)."""
        cache_key = ("union", family, key)
        if cache_key not in self._cache:
            pats = []
            for lang in self.languages:
                value = self.wording(family, lang).get(key)
                if value and value not in pats:
                    pats.append(str(value))
            self._cache[cache_key] = re.compile("|".join(f"(?:{x})" for x in pats)) if pats else None
        return self._cache[cache_key]

    def union_list(self, family: str, key: str) -> tuple[str, ...]:
        """Every configured language's ``key`` list in ``configs/<family>/<lang>.yaml``, in order, once each."""
        out: list[str] = []
        for lang in self.languages:
            for value in self.wording(family, lang).get(key) or ():
                if str(value) not in out:
                    out.append(str(value))
        return tuple(out)

    @property
    def hash(self) -> str:
        """Short hash of the settings, every wording file and the pipeline's own
        code: any change to them makes a re-run redo the files (cached)."""
        if "hash" not in self._cache:
            h = hashlib.sha256(json.dumps(self.settings, sort_keys=True).encode())
            for path in sorted(self.config_dir.rglob("*.yaml")):
                if path.name == "default.yaml":
                    continue
                h.update(str(path.relative_to(self.config_dir)).encode())
                h.update(path.read_bytes())
            h.update(code_fingerprint().encode())
            self._cache["hash"] = h.hexdigest()[:16]
        return self._cache["hash"]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the package's source files, so that a changed extractor is never
    served from the cache of an older one (the version alone moves too rarely)."""
    h = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=8)
def _load(override: str | None) -> Config:
    settings = _read_yaml(CONFIG_DIR / "default.yaml")
    if override:
        settings = _merge(settings, _read_yaml(Path(override)))
    return Config(settings=settings, source=override)


def load_config(override: str | Path | None = None) -> Config:
    """Default settings, optionally merged with a user YAML file."""
    return _load(str(override) if override else None)


ENGINES = ("pdfplumber", "pdfium")


def engine_of(config: Config) -> str:
    """The character source of the parse stage (``parse.engine``): ``pdfium``
    (the default) or ``pdfplumber`` (pdfminer's interpreter, the reference)."""
    engine = str(config.section("parse").get("engine", "pdfium"))
    if engine not in ENGINES:
        raise ConfigError(f"parse.engine: {engine!r} is not one of {', '.join(ENGINES)}")
    return engine


def with_engine(config: Config, engine: str | None) -> Config:
    """``config`` with ``parse.engine`` set to ``engine`` (unchanged when
    None, after checking the configured one)."""
    if engine is None:
        engine_of(config)
        return config
    if engine not in ENGINES:
        raise ConfigError(f"--engine: {engine!r} is not one of {', '.join(ENGINES)}")
    settings = _merge(config.settings, {"parse": {"engine": engine}})
    return Config(settings=settings, config_dir=config.config_dir, source=config.source)
