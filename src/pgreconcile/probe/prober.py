"""DataProber: the probes of a plan, chosen, run and sorted back to the changes they concern."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

from pgreconcile.diff.changes import Change
from pgreconcile.model import Schema
from pgreconcile.plan.facts import Fact
from pgreconcile.probe import partitions  # noqa: F401  [partitions] registers the probe of a new partition
from pgreconcile.probe.choose import choose
from pgreconcile.probe.run import DEFAULT_TIMEOUT_MS, ProbeRun, run_probes


class DataProber:
    """Measures, on ``conn``, the data each change of a plan concerns (a ``plan.build.Prober``).

    ``timeout_ms`` bounds every probe query; ``show_values`` lets a blocking fact quote a few
    of the values it counts; ``last_run`` holds what the last call cost."""

    def __init__(
        self, conn: psycopg.Connection[Any], *, timeout_ms: int = DEFAULT_TIMEOUT_MS, show_values: bool = False
    ) -> None:
        if timeout_ms <= 0:
            raise ValueError("a probe timeout must be positive; to disable probes, do not probe")
        self.conn = conn
        self.timeout_ms = timeout_ms
        self.show_values = show_values  # blocking facts list a few values (--show-values)
        self.last_run = ProbeRun()

    def __call__(self, changes: Sequence[Change], desired: Schema, live: Schema) -> list[tuple[Fact, ...]]:
        """The facts about each of ``changes``, in the same order."""
        probes = choose(changes, desired, live, server_version=self.conn.info.server_version)
        results, self.last_run = run_probes(
            self.conn, probes, timeout_ms=self.timeout_ms, show_values=self.show_values
        )
        found: list[list[Fact]] = [[] for _ in changes]
        for probe, facts in zip(probes, results, strict=True):
            found[probe.change].extend(facts)
        return [tuple(facts) for facts in found]

