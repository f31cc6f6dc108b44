"""`make bench-probes` (also run by `make bench`): how long the data probes of one plan take on a
1,000,000-row table.

It loads a table of ``--rows`` rows (and a second one of the same size to drop), declares a schema
whose plan calls for every kind of probe on them — a dropped column and a dropped table, a type
conversion from varchar to uuid, to an enum, to a shorter varchar and from numeric to integer,
a new NOT NULL, a new UNIQUE, a new CHECK and a new foreign key — and times the planning with
probes in-process, ``--repeat`` times, next to the same plan without probes. Every probe must
measure (none may time out or fail at the default ``--probe-timeout``), or the run fails.

    python bench/probes.py [--rows 1000000] [--repeat 3] [--probe-timeout 5000] [--database-url URL]

Exit status: 0 when every probe measured within its timeout, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from database import bench_database, run_script
from report import machine_facts

from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare import load_files
from pgreconcile.plan import Plan, make_plan
from pgreconcile.probe import DEFAULT_TIMEOUT_MS, DataProber, ProbeRun

ROOT = Path(__file__).resolve().parent.parent

# The live tables: events (the big one, changed in many ways), accounts (the parent of a new
# foreign key), archive (dropped whole). Every events row has an account, a uuid-shaped session
# id, a status among the enum's labels and a short note, so the plan would apply.
LIVE_SQL = """
CREATE SCHEMA bench;
CREATE TABLE bench.accounts (id bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO bench.accounts SELECT g, 'account ' || g FROM generate_series(1, 10000) AS g;
CREATE TABLE bench.events (
    id bigint PRIMARY KEY,
    account_id bigint,
    session_id character varying,
    status text,
    note character varying(200),
    qty numeric,
    email text,
    amount numeric,
    legacy text
);
INSERT INTO bench.events
SELECT g,
       1 + g % 10000,
       gen_random_uuid()::text,
       (ARRAY['open', 'closed', 'pending'])[1 + g % 3],
       'note ' || g,
       g % 1000,
       'user' || g || '@example.com',
       (g % 500) * 1.25,
       CASE WHEN g % 4 = 0 THEN 'legacy ' || g END
FROM generate_series(1, {rows}) AS g;
CREATE TABLE bench.archive (id bigint PRIMARY KEY, payload text);
INSERT INTO bench.archive SELECT g, 'payload ' || g FROM generate_series(1, {rows}) AS g;
"""

DESIRED_YAML = """
version: 1
schemas:
  bench:
    enums:
      event_status: [open, closed, pending]
    tables:
      accounts:
        columns:
          id: {type: bigint, primary_key: true}
          name: {type: text, nullable: false}
      events:
        columns:
          id: {type: bigint, primary_key: true}
          account_id: {type: bigint, references: accounts.id}
          session_id: uuid
          status: event_status
          note: varchar(100)
          qty: integer
          email: {type: text, nullable: false, unique: true}
          amount: {type: numeric, check: amount >= 0}
"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="bench/probes.py", description="Time the data probes of one plan.")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in each big table (default: 1,000,000)")
    parser.add_argument("--repeat", type=int, default=3, help="plans timed with and without probes (default: 3)")
    parser.add_argument("--probe-timeout", type=int, default=DEFAULT_TIMEOUT_MS,
                        help=f"statement_timeout of each probe, ms (default: {DEFAULT_TIMEOUT_MS}, as the CLI)")
    parser.add_argument("--database-url", default=os.environ.get("RECONCILE_TEST_DATABASE_URL") or None,
                        help="use this server (a fresh database is created and dropped on it) instead of "
                             "starting one (default: $RECONCILE_TEST_DATABASE_URL)")
    parser.add_argument("--report", type=Path, default=ROOT / ".bench" / "probes.md",
                        help="where to write the Markdown report (default: .bench/probes.md)")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.rows < 1 or args.probe_timeout < 1:
        parser.error("--repeat, --rows and --probe-timeout must be positive")
    return args


def _say(text: str) -> None:
    print(text, flush=True)


def _plan_once(url: str, desired_file: Path, timeout_ms: int | None) -> tuple[Plan, float, ProbeRun | None]:
    """One in-process plan (catalog read excluded from the time); with a prober when timed."""
    desired = load_files([desired_file])
    with psycopg.connect(url) as conn:
        live = read_schema(conn, desired.managed)
        prober = DataProber(conn, timeout_ms=timeout_ms) if timeout_ms else None
        started = time.perf_counter()
        plan = make_plan(desired, live, source="bench", target="bench", probe=prober)
        seconds = time.perf_counter() - started
    return plan, seconds, prober.last_run if prober else None


def _problems(plan: Plan, run: ProbeRun) -> list[str]:
    """Why a probed plan does not show what the benchmark is meant to measure."""
    found = []
    facts = [(step.label, fact) for step in plan.steps for fact in step.facts]
    found += [f"{label}: {fact.text}" for label, fact in facts if not fact.measured]
    if run.timed_out or run.failed:
        found.append(f"{run.timed_out} probe queries timed out and {run.failed} failed")
    if len(facts) < 10:
        found.append(f"only {len(facts)} facts: the plan no longer calls for every probe")
    return found


def _markdown(
    rows: int, timeout_ms: int, with_probes: list[float], without: list[float], run: ProbeRun, facts: int
) -> str:
    slowest = max(seconds for _, seconds in run.query_seconds)
    probed, bare = statistics.median(with_probes), statistics.median(without)
    return "\n".join([
        "| rows | probe queries (facts) | plan with probes | plan without | slowest query | probe timeout |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {rows:,} | {run.queries} ({facts}) | {probed:.2f} s (min {min(with_probes):.2f}) | {bare:.3f} s "
        f"| {slowest:.2f} s | {timeout_ms / 1000:g} s |",
    ])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; the exit status is described in the module docstring."""
    args = parse_args(argv)
    _say("Connecting to the given PostgreSQL ..." if args.database_url
         else "Starting a throwaway PostgreSQL for the probe benchmark ...")
    with tempfile.TemporaryDirectory(prefix="pgreconcile-probes-") as work, bench_database(args.database_url) as db:
        _say(f"Using {db.server.kind}: {db.server.description}")
        loading = run_script(db.url, [LIVE_SQL.format(rows=args.rows)])
        # As on a server that has been running: statistics gathered, hint bits set, visibility
        # map current — the first scan of freshly loaded rows would otherwise pay for all three.
        with psycopg.connect(db.url, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE) bench.events, bench.archive, bench.accounts")
        _say(f"Loaded 2 × {args.rows:,} rows in {loading:.1f} s (and vacuumed)")
        desired_file = Path(work) / "bench.yaml"
        desired_file.write_text(DESIRED_YAML)

        # Warm up once: the first plan in a process pays for parsing machinery (sqlglot) that
        # has nothing to do with probing.
        _plan_once(db.url, desired_file, None)
        with_probes: list[float] = []
        without: list[float] = []
        last: tuple[Plan, ProbeRun] | None = None
        for number in range(1, args.repeat + 1):
            plan, seconds, run = _plan_once(db.url, desired_file, args.probe_timeout)
            assert run is not None
            problems = _problems(plan, run)
            if problems:
                _say("FAILED: the probes did not all measure:\n  " + "\n  ".join(problems))
                return 1
            with_probes.append(seconds)
            _, bare, _ = _plan_once(db.url, desired_file, None)
            without.append(bare)
            last = (plan, run)
            _say(f"run {number}/{args.repeat}: plan with probes {seconds:.2f} s ({run.queries} queries), "
                 f"without {bare:.3f} s")
        assert last is not None
        plan, run = last
        machine = machine_facts(db.version, str(db.server.kind), "")

    facts = sum(len(step.facts) for step in plan.steps)
    _say(f"\n== The probes of one plan over {args.rows:,}-row tables (last run) ==\n")
    for step in plan.steps:
        for fact in step.facts:
            _say(f"  {step.label}: {fact.text}")
    _say("\nQueries (one scan per table for the counting probes, one query each for duplicates and orphans):")
    for query, seconds in run.query_seconds:
        _say(f"  {seconds:6.2f} s  {query[:110]}{' …' if len(query) > 110 else ''}")
    slowest = max(seconds for _, seconds in run.query_seconds)
    verdict = "PASS" if slowest < args.probe_timeout / 1000 else "FAIL"
    _say(f"\nTarget: every probe query within its timeout ({args.probe_timeout:,} ms): slowest {slowest:.2f} s — "
         f"{verdict}")
    report = _markdown(args.rows, args.probe_timeout, with_probes, without, run, facts)
    report += "\n\nMachine: " + "; ".join(f"{k}: {v}" for k, v in machine.items() if k != "pg_dump")
    _say("\n-- Markdown (for the README) --\n\n" + report)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(report + "\n")
    _say(f"\n(Markdown also written to {args.report})")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
