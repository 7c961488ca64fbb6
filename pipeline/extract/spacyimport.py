"""Import spaCy without its command line.

``spacy/__init__`` imports ``spacy.cli.info`` for ``spacy.info``, and with it
the whole ``spacy.cli`` package: typer, weasel, requests and a YAML file read
with ruamel at import time (``spacy.cli.init_config``) — about a third of
spaCy's import time (0.15-0.2 s CPU per process), and none of it used by the
pipeline. While spaCy itself is imported, ``spacy.cli`` and
``spacy.cli.info`` are stand-ins; they are removed right after, so a later
``import spacy.cli`` loads the real package, and ``spacy.info()`` calls the
real one on first use.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module

STAND_INS = ("spacy.cli.info", "spacy.cli")


def _info(*args, **kwargs):
    """``spacy.info``: the real one, imported on first use."""
    return import_module("spacy.cli.info").info(*args, **kwargs)


def import_spacy() -> None:
    """Import spaCy (once per process) without importing ``spacy.cli``."""
    if "spacy" in sys.modules or any(name in sys.modules for name in STAND_INS):
        return
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []  # a package, so that ``spacy.cli.info`` can be found under it
    info = types.ModuleType("spacy.cli.info")
    info.info = _info
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        import spacy
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    if getattr(spacy, "cli", None) is cli:
        del spacy.cli
