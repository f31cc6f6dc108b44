"""Ctrl-C and SIGTERM during apply: stop the statement, roll back, say which step it was.

Both signals raise :class:`Interrupted`, a ``KeyboardInterrupt``: psycopg answers a
``KeyboardInterrupt`` raised while it waits on the server by cancelling the running statement
(otherwise the server would finish a long ALTER after the client gave up), and the transaction
block then rolls back. Python's default for SIGTERM is to die at once, leaving the server to
find out later, with the locks held until it does.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """Apply was asked to stop by a signal (``signal_name``: SIGINT or SIGTERM)."""

    def __init__(self, signal_name: str) -> None:
        super().__init__(signal_name)
        self.signal_name = signal_name


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signal.Signals(signum).name)


@contextmanager
def interruptible() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise :class:`Interrupted` (main thread only: Python
    delivers signals nowhere else)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _raise) for sig in _SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
