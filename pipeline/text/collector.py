"""The garbage collector paused around work that builds many objects and
almost no garbage: a cache file read back (:mod:`pipeline.text.diskcache`),
a command's heavy imports (:mod:`pipeline.run.startup`). Each young
collection meanwhile would walk the new objects only to promote them.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused(freeze: bool = False) -> Iterator[None]:
    """The collector off inside, its own state (on or off) restored after.
    With ``freeze``, what exists then is moved out of every later
    collection's walk (``gc.freeze``): for objects that live until the
    process ends, such as imported modules."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()
