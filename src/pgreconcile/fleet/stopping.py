"""Stopping a fleet apply part way: Ctrl-C once to stop starting targets, twice to roll back.

The first request (SIGINT) stops new targets from starting and lets the running ones finish:
each is one transaction, so it commits whole. A second request (another SIGINT, or a SIGTERM at
any time) also cancels the running targets: the statement each is running is cancelled on the
server and its transaction rolls back whole; a target still planning never starts its apply.

Signal handlers only count requests (a handler runs in the main thread between two bytecodes,
possibly while that thread holds a lock); the fleet's main loop, which wakes several times a
second, turns the count into the stop and the cancellation (:meth:`Stopper.poll`).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import psycopg

from pgreconcile.apply.interrupts import Interrupted
from pgreconcile.plan.model import Step


class Stopper:
    """Stop requests for one fleet apply, and the connections the running targets apply on."""

    def __init__(self, notify: Callable[[str], None] | None = None) -> None:
        self.stop = threading.Event()
        self.cancel = threading.Event()
        self.requests = 0
        self.running_at_stop: frozenset[str] = frozenset()
        self._notify = notify or (lambda message: None)
        self._lock = threading.Lock()
        self._running: set[str] = set()
        self._applying: dict[str, psycopg.Connection[Any]] = {}

    def request(self, *, cancel: bool = False) -> None:
        """Ask to stop (safe in a signal handler: it only counts)."""
        self.requests += 2 if cancel else 1

    def started(self, name: str) -> None:
        with self._lock:
            self._running.add(name)

    def finished(self, name: str) -> None:
        with self._lock:
            self._running.discard(name)

    def poll(self) -> None:
        """Turn the requests counted so far into the stop and the cancellation."""
        if self.requests >= 1 and not self.stop.is_set():
            with self._lock:
                self.running_at_stop = frozenset(self._running)
            self.stop.set()
            if self.requests < 2:
                self._notify(
                    f"Stopping: no new target will start; waiting for the {len(self.running_at_stop)} running "
                    "to finish. Press Ctrl-C again to cancel them (each rolls back whole)."
                )
        if self.requests >= 2 and not self.cancel.is_set():
            self.cancel.set()
            with self._lock:
                connections = list(self._applying.values())
                running = len(self._running)
            self._notify(f"Cancelling the {running} running targets: each rolls back whole.")
            for conn in connections:
                # The statement running on the server is cancelled; the transaction then rolls
                # back in apply_plan. A connection between statements is caught by the observer.
                conn.cancel_safe(timeout=5.0)

    @contextmanager
    def applying(self, name: str, conn: psycopg.Connection[Any]) -> Iterator[None]:
        """While ``conn`` applies the plan of target ``name``, a cancellation cancels it."""
        with self._lock:
            self._applying[name] = conn
        try:
            if self.cancel.is_set():
                raise Interrupted("SIGINT")
            yield
        finally:
            with self._lock:
                self._applying.pop(name, None)

    def observer(self) -> CancelObserver:
        """A step observer that interrupts apply before the next step once cancelled."""
        return CancelObserver(self.cancel)


class CancelObserver:
    """Raises :class:`Interrupted` at the start of a step once the fleet is cancelled (a
    cancellation that falls between two statements has no statement to cancel)."""

    def __init__(self, cancel: threading.Event) -> None:
        self._cancel = cancel

    def started(self, step: Step) -> None:
        if self._cancel.is_set():
            raise Interrupted("SIGINT")

    def finished(self, step: Step, seconds: float) -> None:
        return None

    def failed(self, step: Step, seconds: float) -> None:
        return None


@contextmanager
def stop_on_signals(stopper: Stopper) -> Iterator[None]:
    """Within the block (main thread), SIGINT asks the fleet to stop — a second SIGINT to cancel
    — and SIGTERM asks it to cancel at once, as a job runner's SIGTERM is followed by a kill."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        stopper.request()

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        stopper.request(cancel=True)

    previous = {signal.SIGINT: signal.signal(signal.SIGINT, on_sigint),
                signal.SIGTERM: signal.signal(signal.SIGTERM, on_sigterm)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
