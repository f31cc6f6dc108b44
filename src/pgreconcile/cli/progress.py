"""Apply's progress: each step printed as it starts, completed with its duration.

In a log (CI, a pipe) a step is one line, written in two parts — the label when it starts, the
duration when it ends — so a step that hangs is visible as the last, unfinished line. On a
terminal, a spinner and a running clock show that the step is still going (a step waiting on a
lock looks exactly like a hung tool otherwise); nothing of it reaches a log.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

import click

from pgreconcile.plan.model import Step

_SPINNER = "|/-\\"
_TICK = 0.1


def describe_step(step: Step, total: int) -> str:
    """``[2/5] + public.notes: column created_at …``"""
    return f"  [{step.number}/{total}] {step.action.symbol} {step.subject}"


class LineProgress:
    """For logs: the label when a step starts, ``done in 0.12s`` when it ends. ``intro`` is
    printed before the first step, so nothing announces steps when apply stops before any (a
    stale plan, a lock held by another apply)."""

    def __init__(self, total: int, stream: TextIO | None = None, intro: str | None = None) -> None:
        self.total = total
        self.stream = stream
        self.intro = intro

    def _announce(self) -> None:
        if self.intro is not None:
            self._echo(self.intro)
            self.intro = None

    def _echo(self, text: str, *, nl: bool = True) -> None:
        click.echo(text, nl=nl, file=self.stream)
        (self.stream or sys.stdout).flush()

    def started(self, step: Step) -> None:
        self._announce()
        self._echo(f"{describe_step(step, self.total)} ...", nl=False)

    def finished(self, step: Step, seconds: float) -> None:
        self._echo(f" done in {seconds:.2f}s")

    def failed(self, step: Step, seconds: float) -> None:
        self._echo(f" failed after {seconds:.2f}s")


class TerminalProgress(LineProgress):
    """For a terminal: the same lines, with a spinner and a running clock while a step runs."""

    def __init__(self, total: int, stream: TextIO | None = None, intro: str | None = None) -> None:
        super().__init__(total, stream, intro)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _draw(self, step: Step, started: float) -> None:
        frame = 0
        while not self._stop.wait(_TICK):
            elapsed = time.perf_counter() - started
            with self._lock:
                self._echo(f"\r\x1b[K{describe_step(step, self.total)} {_SPINNER[frame % 4]} {elapsed:.1f}s", nl=False)
            frame += 1

    def _end(self, step: Step, text: str) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        with self._lock:
            self._echo(f"\r\x1b[K{describe_step(step, self.total)} ... {text}")

    def started(self, step: Step) -> None:
        self._announce()
        self._stop.clear()
        self._echo(f"{describe_step(step, self.total)} ...", nl=False)
        self._thread = threading.Thread(target=self._draw, args=(step, time.perf_counter()), daemon=True)
        self._thread.start()

    def finished(self, step: Step, seconds: float) -> None:
        self._end(step, f"done in {seconds:.2f}s")

    def failed(self, step: Step, seconds: float) -> None:
        self._end(step, f"failed after {seconds:.2f}s")


def progress_for(total: int, stream: TextIO | None = None, intro: str | None = None) -> LineProgress:
    """A spinner only on a terminal; plain lines everywhere else."""
    out = stream or sys.stdout
    on_terminal = hasattr(out, "isatty") and out.isatty()
    return TerminalProgress(total, stream, intro) if on_terminal else LineProgress(total, stream, intro)
