"""Building a large model without the cyclic garbage collector re-scanning it.

Reading declarations and reading the catalog each create hundreds of thousands of small objects
that all stay alive and form no reference cycles; every automatic collection re-scans them all,
which made a 2,000-table load about four times slower (4.1 s against 0.85 s) and a quarter of the
catalog model's build time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector for the block; restore it only if it was on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
