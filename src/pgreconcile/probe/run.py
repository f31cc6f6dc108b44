"""Run probes against the live database: one read-only snapshot, every statement bounded.

All probes of a plan run in one ``REPEATABLE READ READ ONLY`` transaction, so their numbers
describe one moment and nothing can be written. ``statement_timeout`` bounds each query — the
probe timeout once for each probe the query answers, so sharing a scan never shrinks a probe's
budget — and ``lock_timeout`` (a little shorter than one probe timeout) tells a table locked by
another session apart from a query that is merely slow. Each query runs inside a savepoint that
is rolled back afterwards: a failure then spoils only its own probe, and the ACCESS SHARE lock
it took is released at once instead of being held until the last probe ends (a waiting ALTER
TABLE elsewhere would queue every other reader behind it). Whatever goes wrong, the probe's fact says "not measured" and
planning goes on.

Aggregate probes of one table share one scan; if that shared query fails (not times out), each
is retried alone, so one unreadable expression does not blank the others.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import errors
from psycopg.pq import TransactionStatus

from pgreconcile.plan.facts import Fact
from pgreconcile.probe import sql
from pgreconcile.probe.probes import Probe
from pgreconcile.probe.wording import with_examples
from pgreconcile.quoting import literal

DEFAULT_TIMEOUT_MS = 5_000

_BEGIN = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
# JIT compiling a one-off counting query over a big table costs more than it saves; hash
# aggregates over a million keys (duplicate checks) stay in memory at 64 MB instead of spilling.
# Date-time conversions are read in UTC, the zone apply runs its statements in.
_TUNING = ("SET LOCAL jit = off", "SET LOCAL work_mem = '64MB'", "SET LOCAL TimeZone = 'UTC'")


@dataclass
class ProbeRun:
    """What running the probes of one plan cost, for benchmarks and tests."""

    queries: int = 0
    seconds: float = 0.0
    timed_out: int = 0
    failed: int = 0
    query_seconds: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class _Job:
    table: tuple[str, str]
    probes: list[int]  # indexes into the probe list
    query: str


class _Stop(Exception):
    """The connection is gone: no later probe can run."""


def duration(ms: int) -> str:
    """A timeout as people say it: ``5 s``, ``250 ms``."""
    return f"{ms // 1000:,} s" if ms >= 1000 and ms % 1000 == 0 else f"{ms:,} ms"


def _condition(error: psycopg.Error) -> str:
    """The error's condition in words (``undefined function``), never its message: messages
    can quote the data (``invalid input syntax for type uuid: "…"``), and plans are posted."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", type(error).__name__).lower()


def _jobs(probes: Sequence[Probe]) -> list[_Job]:
    """Queries to send: one per table for the aggregate probes, one per whole-query probe."""
    jobs: list[_Job] = []
    shared: dict[tuple[str, str], _Job] = {}
    for number, probe in enumerate(probes):
        if probe.unmeasurable is not None:
            continue
        if probe.query is not None:
            jobs.append(_Job(probe.table, [number], probe.query))
        elif probe.table in shared:
            shared[probe.table].probes.append(number)
        else:
            shared[probe.table] = _Job(probe.table, [number], "")
            jobs.append(shared[probe.table])
    for job in shared.values():
        job.query = _aggregates_query(probes, job)
    return jobs


def _aggregates_query(probes: Sequence[Probe], job: _Job) -> str:
    aggregates = [a for number in job.probes for a in probes[number].aggregates]
    return sql.aggregates_query(*job.table, list(dict.fromkeys(aggregates)))


def _numbers(probes: Sequence[Probe], job: _Job, row: Sequence[Any], number: int) -> list[int]:
    """The values of probe ``number`` within a shared row (aggregates are deduplicated)."""
    if probes[number].query is not None:
        return [int(v) for v in row]
    columns = list(dict.fromkeys(a for n in job.probes for a in probes[n].aggregates))
    return [int(row[columns.index(a)]) for a in probes[number].aggregates]


class _Runner:
    def __init__(
        self, conn: psycopg.Connection[Any], probes: Sequence[Probe], timeout_ms: int, show_values: bool
    ) -> None:
        self.conn = conn
        self.probes = probes
        self.timeout_ms = timeout_ms
        self.show_values = show_values
        self.results: list[tuple[Fact, ...] | None] = [None] * len(probes)
        self.locked: set[tuple[str, str]] = set()
        self.stats = ProbeRun()

    def run(self) -> list[tuple[Fact, ...]]:
        for number, probe in enumerate(self.probes):
            if probe.unmeasurable is not None:
                self.results[number] = probe.not_measured(probe.unmeasurable)
        jobs = _jobs(self.probes)
        if jobs:
            self._in_snapshot(jobs)
        return [r if r is not None else () for r in self.results]

    def _in_snapshot(self, jobs: list[_Job]) -> None:
        conn = self.conn
        status = conn.info.transaction_status
        if status != TransactionStatus.IDLE:
            raise ValueError(f"probes need a connection with no open transaction (status is {status.name})")
        was_autocommit = conn.autocommit
        conn.autocommit = True
        started = time.perf_counter()
        try:
            lock_ms = max(1, self.timeout_ms * 9 // 10)
            # One round trip: the statements run one after the other, as separate ones would.
            conn.execute("; ".join((_BEGIN, f"SET LOCAL lock_timeout = {int(lock_ms)}", *_TUNING)))
            for job in jobs:
                self._job(job)
        except (_Stop, psycopg.OperationalError):
            pass  # the connection is gone: what was not measured says so below
        finally:
            self._end(was_autocommit)
            self.stats.seconds = time.perf_counter() - started
            for number, probe in enumerate(self.probes):
                if self.results[number] is None:
                    self.results[number] = probe.not_measured("the connection was lost")

    def _end(self, was_autocommit: bool) -> None:
        conn = self.conn
        if conn.closed or conn.broken:
            return
        if conn.info.transaction_status in (TransactionStatus.INTRANS, TransactionStatus.INERROR):
            conn.execute("ROLLBACK")
        conn.autocommit = was_autocommit

    def _job(self, job: _Job) -> None:
        if job.table in self.locked:
            self._give_up(job, f"{job.table[0]}.{job.table[1]} is locked by another session")
            return
        budget = self.timeout_ms * len(job.probes)
        try:
            row = self._query(job.query, budget)
        except errors.QueryCanceled:
            self.stats.timed_out += 1
            self._give_up(job, f"timed out after {duration(budget)}")
            return
        except errors.LockNotAvailable:
            self.stats.timed_out += 1
            self.locked.add(job.table)
            self._give_up(job, f"{job.table[0]}.{job.table[1]} is locked by another session")
            return
        except psycopg.Error as error:
            self.stats.failed += 1
            if len(job.probes) > 1:
                for number in job.probes:
                    alone = _Job(job.table, [number], _aggregates_query(self.probes, _Job(job.table, [number], "")))
                    self._job(alone)
            elif isinstance(error, errors.UndefinedObject):
                # pg_input_is_valid(…, 'the_type') on 16+ when the plan itself creates the type
                # (a new domain or enum): there is nothing to check against before apply.
                self._give_up(job, "the type it converts to does not exist until this plan creates it")
            else:
                on_data_error = self.probes[job.probes[0]].on_data_error
                if isinstance(error, psycopg.DataError) and on_data_error is not None:
                    self.results[job.probes[0]] = on_data_error(_condition(error))
                else:
                    self._give_up(job, f"the probe failed ({_condition(error)})")
            return
        for number in job.probes:
            facts = self.probes[number].read(_numbers(self.probes, job, row, number))
            self.results[number] = self._with_examples(self.probes[number], facts)

    def _with_examples(self, probe: Probe, facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
        """With --show-values, a blocking fact names a few of the values it counts. A failure
        to list them leaves the fact as it is: the count is what refuses the plan."""
        if not self.show_values or probe.examples is None or not any(f.blocks for f in facts):
            return facts
        try:
            rows = self._rows(probe.examples, self.timeout_ms)
        except psycopg.Error:
            return facts
        shown = [literal(str(r[0])) for r in rows]
        return tuple(with_examples(f, shown) if f.blocks else f for f in facts)

    def _give_up(self, job: _Job, why: str) -> None:
        for number in job.probes:
            self.results[number] = self.probes[number].not_measured(why)

    def _query(self, query: str, budget_ms: int) -> Sequence[Any]:
        """The one row of a probe query."""
        rows = self._rows(query, budget_ms)
        if not rows:
            raise errors.DataError("a probe returned no row")
        return tuple(rows[0])

    def _rows(self, query: str, budget_ms: int) -> list[Sequence[Any]]:
        """One probe query in its own savepoint, always rolled back (see the module docstring);
        the rollback also ends the SET LOCAL of its timeout."""
        conn = self.conn
        try:
            conn.execute(f"SAVEPOINT probe; SET LOCAL statement_timeout = {int(budget_ms)}")
        except psycopg.OperationalError as lost:
            raise _Stop from lost
        started = time.perf_counter()
        self.stats.queries += 1
        try:
            rows = list(conn.execute(query).fetchall())
        except psycopg.OperationalError as error:
            if conn.closed or conn.broken:
                raise _Stop from error
            self._undo()
            raise
        except psycopg.Error:
            self._undo()
            raise
        self.stats.query_seconds.append((query, time.perf_counter() - started))
        self._undo()
        return rows

    def _undo(self) -> None:
        try:
            self.conn.execute("ROLLBACK TO SAVEPOINT probe; RELEASE SAVEPOINT probe")
        except psycopg.OperationalError as lost:
            raise _Stop from lost


def run_probes(
    conn: psycopg.Connection[Any],
    probes: Sequence[Probe],
    *,
    timeout_ms: int = DEFAULT_TIMEOUT_MS,
    show_values: bool = False,
) -> tuple[list[tuple[Fact, ...]], ProbeRun]:
    """The facts of each probe (same order) and what running them cost. ``show_values``: a
    blocking fact lists a few of the values it counts (never by default: plans are posted).

    The connection must have no open transaction; it is left as it was found."""
    runner = _Runner(conn, probes, timeout_ms, show_values)
    facts = runner.run()
    return facts, runner.stats
