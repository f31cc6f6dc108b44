"""Results files: one JSON object per line, one line per target as it finishes.

Written as the apply goes (flushed line by line), so a run that is stopped — by Ctrl-C, a
failure budget, or a machine that died — leaves an exact record; ``--resume FILE`` reads it
back, and ``reconcile fleet report`` merges the files of many shards. No URL is ever written:
targets are named.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from pgreconcile.fleet.targets import FleetError


class Status(StrEnum):
    """How one target ended."""

    APPLIED = "applied"
    NO_CHANGES = "no changes"
    FAILED = "failed"  # rolled back: unreachable, a failing step, a failed verification
    REFUSED = "refused"  # its plan cannot be applied as declared; nothing ran
    INTERRUPTED = "interrupted"  # stopped by Ctrl-C while it ran; rolled back


DONE = frozenset({Status.APPLIED, Status.NO_CHANGES})


@dataclass(frozen=True)
class Outcome:
    """One target's result, as a results-file line holds it."""

    target: str
    status: Status
    seconds: float
    summary: str = ""
    error: str | None = None
    at: str = ""

    def line(self) -> str:
        data = asdict(self)
        data["status"] = self.status.value
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class ResultsWriter:
    """Appends outcomes to a results file, one flushed line each (thread-safe)."""

    def __init__(self, path: Path | None) -> None:
        self._lock = threading.Lock()
        self._file: IO[str] | None = None
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._file = path.open("a", encoding="utf-8")
            except OSError as err:
                raise FleetError(f"cannot write the results file: {err.strerror}", where=str(path)) from None

    def write(self, outcome: Outcome) -> None:
        if self._file is None:
            return
        with self._lock:
            self._file.write(outcome.line() + "\n")
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def read_results(paths: Iterable[Path]) -> dict[str, Outcome]:
    """The latest outcome of every target across ``paths`` (later lines and files win)."""
    latest: dict[str, Outcome] = {}
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as err:
            raise FleetError(f"cannot read the results file: {err.strerror}", where=str(path)) from None
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                data: dict[str, Any] = json.loads(text)
                outcome = Outcome(
                    target=str(data["target"]),
                    status=Status(data["status"]),
                    seconds=float(data.get("seconds", 0.0)),
                    summary=str(data.get("summary", "")),
                    error=data.get("error"),
                    at=str(data.get("at", "")),
                )
            except (ValueError, KeyError, TypeError) as err:
                raise FleetError(
                    f"line {number} is not a pgreconcile results line ({err})",
                    where=str(path),
                    hint="results files are written by `reconcile apply --fleet --results FILE`",
                ) from None
            previous = latest.get(outcome.target)
            if previous is None or outcome.at >= previous.at:
                latest[outcome.target] = outcome
    return latest


def report(outcomes: dict[str, Outcome]) -> tuple[str, bool]:
    """A summary of merged results, and whether every target is done."""
    counts = Counter(o.status for o in outcomes.values())
    order = [Status.APPLIED, Status.NO_CHANGES, Status.FAILED, Status.REFUSED, Status.INTERRUPTED]
    parts = [f"{counts[s]} {s.value}" for s in order if counts[s]]
    lines = [f"{len(outcomes)} targets: " + (" · ".join(parts) if parts else "none")]
    for outcome in sorted(outcomes.values(), key=lambda o: o.target):
        if outcome.status not in DONE:
            first = (outcome.error or "").splitlines()
            lines.append(f"  {outcome.status.value}: {outcome.target}: {first[0] if first else 'no message'}")
    return "\n".join(lines) + "\n", all(o.status in DONE for o in outcomes.values())
