"""Loading modules with the cyclic garbage collector out of the way.

Importing disclose and its libraries (pydantic, python-docx, WeasyPrint with Pango)
makes about 150,000 objects that live as long as the process. The collector, which
runs after every few hundred new objects, walks them again and again while they load,
and once more at every full collection after: about a tenth of a Word build (0.06 s
of 0.55 s). So modules load with the collector paused, and what they made is then
frozen (``gc.freeze``): kept where the collector never looks. Reference counting still
frees all of it that is not cyclic; cyclic garbage among it (there is next to none) is
simply kept.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def loading() -> Iterator[None]:
    """Import inside this; the collector is paused, then what was made is frozen."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
