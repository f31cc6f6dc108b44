"""Measuring commands: one run (wall time, peak RSS, exit code, output) and the summary of several.

Each command runs under ``spawn.py`` (see its docstring for why RSS cannot be measured from
the benchmark process itself); stdout and stderr go to files, never pipes, so a command with a
lot of output (pg_dump) can neither block on a full pipe nor be slowed by the reader.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SPAWN = Path(__file__).resolve().parent / "spawn.py"


@dataclass(frozen=True, slots=True)
class Sample:
    """One run of a command: wall seconds, peak RSS in KiB, exit code, where its output went."""

    seconds: float
    max_rss_kib: int
    exit_code: int
    timed_out: bool
    stdout: Path
    stderr: Path

    def output(self) -> str:
        """What the command printed on stdout."""
        return self.stdout.read_text(errors="replace")

    def errors(self) -> str:
        """What the command printed on stderr."""
        return self.stderr.read_text(errors="replace")


@dataclass(frozen=True, slots=True)
class Stats:
    """Median and minimum over repeated runs, of wall seconds and of peak RSS."""

    runs: int
    seconds_median: float
    seconds_min: float
    rss_median_kib: float
    rss_min_kib: int

    @property
    def rss_median_mb(self) -> float:
        """Median peak RSS in MB (10^6 bytes)."""
        return self.rss_median_kib * 1024 / 1e6

    @property
    def rss_min_mb(self) -> float:
        """Minimum peak RSS in MB (10^6 bytes)."""
        return self.rss_min_kib * 1024 / 1e6


def summarize(samples: list[Sample]) -> Stats:
    """Median and minimum of ``samples`` (at least one)."""
    return Stats(
        runs=len(samples),
        seconds_median=statistics.median(s.seconds for s in samples),
        seconds_min=min(s.seconds for s in samples),
        rss_median_kib=statistics.median(s.max_rss_kib for s in samples),
        rss_min_kib=min(s.max_rss_kib for s in samples),
    )


def run_measured(
    argv: list[str], *, env: dict[str, str], workdir: Path, label: str, timeout: int = 900
) -> Sample:
    """Run ``argv`` once under the launcher and return what it measured.

    ``label`` names the output files in ``workdir`` (``<label>.out`` / ``.err`` / ``.json``);
    a later run with the same label overwrites them.
    """
    out, err, result = (workdir / f"{label}.{ext}" for ext in ("out", "err", "json"))
    result.unlink(missing_ok=True)
    with out.open("wb") as stdout, err.open("wb") as stderr:
        launcher = subprocess.Popen(
            [sys.executable, "-S", str(SPAWN), str(result), str(timeout), "--", *argv],
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            env=env,
        )
        try:
            code = launcher.wait()
        except BaseException:
            # Interrupted (Ctrl-C, SIGTERM): the launcher passes SIGTERM on to the command.
            launcher.terminate()
            launcher.wait()
            raise
    if code != 0 or not result.exists():
        raise RuntimeError(f"the measuring launcher failed (exit {code}) for: {argv[0]}\n{err.read_text()}")
    data = json.loads(result.read_text())
    return Sample(
        seconds=float(data["seconds"]),
        max_rss_kib=int(data["max_rss_kib"]),
        exit_code=int(data["exit_code"]),
        timed_out=bool(data["timed_out"]),
        stdout=out,
        stderr=err,
    )


def child_env(**extra: str) -> dict[str, str]:
    """The benchmark's environment for a measured command: no colour, plus ``extra``."""
    return {**os.environ, "NO_COLOR": "1", **extra}
