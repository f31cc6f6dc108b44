"""`make bench`: how a no-op ``reconcile plan`` compares with ``pg_dump --schema-only``.

For each size (default 2,000 then 4,000 tables) it loads a generated, realistic schema (see
generate.py) into a throwaway PostgreSQL, writes its declarations with ``reconcile inspect``,
then runs, alternately and ``--repeat`` times each, a no-op ``reconcile plan`` (which must print
"No changes.") and ``pg_dump --schema-only`` as subprocesses, measuring wall time and peak RSS.
At the first size it also times the phases of a plan in-process (phases.py). It prints the
figures, the targets with PASS/FAIL, the phase breakdown and a Markdown table for the README
(also written to .bench/report.md).

Exit status: 0 when every plan was a no-op and every target passed; 1 when a plan was not a
no-op or a command failed; 2 when only targets failed (``--no-fail-on-targets``: 0 then).

    python bench/run.py [--tables 2000,4000] [--repeat 3] [--database-url URL] [--profile]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from types import FrameType

from database import BenchDatabase, analyze, bench_database, find_pg_dump, run_script
from generate import DEFAULT_SEED, SCHEMAS, preamble_sql, tables_sql
from measure import Sample, child_env, run_measured, summarize
from phases import profile_plan, time_phases
from report import (
    Report,
    SizeResult,
    breakdown_text,
    machine_facts,
    markdown,
    targets,
    targets_text,
    text_table,
)

ROOT = Path(__file__).resolve().parent.parent
NO_CHANGES = "No changes."
SHOWN_LINES = 25


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated table counts, got {text!r}") from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("table counts must be positive")
    return sizes


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(
        prog="bench/run.py", description="No-op reconcile plan vs pg_dump --schema-only, side by side."
    )
    parser.add_argument("--tables", type=_sizes, default=[2000, 4000],
                        help="comma-separated schema sizes, measured smallest first (default: 2000,4000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measured command (default: 3)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="schema generator seed")
    parser.add_argument("--database-url", default=os.environ.get("RECONCILE_TEST_DATABASE_URL") or None,
                        help="use this server (a fresh database is created and dropped on it) instead of "
                             "starting one (default: $RECONCILE_TEST_DATABASE_URL)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds before a measured run is killed")
    parser.add_argument("--no-phases", action="store_true", help="skip the in-process phase breakdown")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one in-process plan")
    parser.add_argument("--no-fail-on-targets", action="store_true", help="exit 0 even when a target fails")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (declarations, outputs)")
    parser.add_argument("--report", type=Path, default=ROOT / ".bench" / "report.md",
                        help="where to write the Markdown report (default: .bench/report.md)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def _reconcile() -> list[str]:
    """The ``reconcile`` command as a user runs it: the console script of this interpreter's
    environment, else ``python -m pgreconcile``."""
    script = Path(sys.executable).parent / "reconcile"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "pgreconcile"]


def _say(text: str) -> None:
    print(text, flush=True)


def _first_lines(text: str) -> str:
    lines = text.rstrip().splitlines()
    shown = "\n".join(f"    {line}" for line in lines[:SHOWN_LINES])
    more = f"\n    ... ({len(lines) - SHOWN_LINES} more lines)" if len(lines) > SHOWN_LINES else ""
    return shown + more


def _failed(what: str, sample: Sample, expectation: str) -> str:
    """A failure message: what ran, how it ended, what was expected, the first lines it printed."""
    ending = "was killed after the timeout" if sample.timed_out else f"exited {sample.exit_code}"
    out = f"{what} {ending}; {expectation}."
    if sample.output().strip():
        out += f"\n  First lines of its output:\n{_first_lines(sample.output())}"
    if sample.errors().strip():
        out += f"\n  First lines of its stderr:\n{_first_lines(sample.errors())}"
    return out


def _noop_problem(sample: Sample) -> str | None:
    """None when ``sample`` is a clean no-op plan, else why it is not."""
    if sample.exit_code == 0 and not sample.timed_out and NO_CHANGES in sample.output():
        return None
    return _failed("`reconcile plan` on the declarations it just inspected", sample,
                   f"a no-op plan must exit 0 and print {NO_CHANGES!r}")


def _measure_size(
    db: BenchDatabase,
    pg_dump: Path,
    result: SizeResult,
    schema_dir: Path,
    workdir: Path,
    args: argparse.Namespace,
) -> None:
    """Inspect, then time plan and pg_dump alternately; fills ``result`` (``failure`` on error)."""
    env = child_env(DATABASE_URL=db.url)
    tag = f"[{result.tables:,} tables]"
    inspect_argv = [*_reconcile(), "inspect", *(f"--schema={s}" for s in SCHEMAS),
                    "--output", str(schema_dir / "schema.yaml")]
    inspected = run_measured(inspect_argv, env=env, workdir=workdir, label="inspect", timeout=args.timeout)
    if inspected.exit_code != 0 or inspected.timed_out:
        result.failure = _failed("`reconcile inspect`", inspected, "it must write the declarations")
        return
    result.inspect_seconds = inspected.seconds
    _say(f"{tag} reconcile inspect: {inspected.seconds:.1f} s, {inspected.errors().strip()}")
    # A plan over declarations that lost tables could be "No changes." and prove nothing: make
    # sure, the way a user would, that every generated table is declared.
    validated = run_measured([*_reconcile(), "validate", "--schema-dir", str(schema_dir)], env=env,
                             workdir=workdir, label="validate", timeout=args.timeout)
    declared = re.search(r"valid: ([\d,]+) tables", validated.output())
    if validated.exit_code != 0 or declared is None or int(declared[1].replace(",", "")) != result.tables:
        result.failure = _failed(
            "`reconcile validate` on the inspected declarations", validated,
            f"it must pass and count {result.tables} tables, or a no-op plan over them proves nothing",
        )
        return
    _say(f"{tag} reconcile validate: the declarations hold all {result.tables:,} tables")

    plan_argv = [*_reconcile(), "plan", "--schema-dir", str(schema_dir), "--no-color", "--detailed-exitcode"]
    dump_argv = [str(pg_dump), "--schema-only", "--file", str(workdir / "dump.sql"), "--dbname", db.url]
    plans: list[Sample] = []
    dumps: list[Sample] = []
    # Alternating the two commands spreads any drift of the machine over both equally.
    for run in range(1, args.repeat + 1):
        plan = run_measured(plan_argv, env=env, workdir=workdir, label="plan", timeout=args.timeout)
        problem = _noop_problem(plan)
        if problem:
            result.failure = problem
            break
        plans.append(plan)
        dump = run_measured(dump_argv, env=child_env(), workdir=workdir, label="pg_dump",
                            timeout=args.timeout)
        if dump.exit_code != 0 or dump.timed_out:
            result.failure = _failed("pg_dump --schema-only", dump, "it must succeed")
            break
        dumps.append(dump)
        _say(f"{tag} run {run}/{args.repeat}: no-op plan {plan.seconds:.2f} s, "
             f"{plan.max_rss_kib * 1024 / 1e6:.0f} MB; pg_dump {dump.seconds:.2f} s, "
             f"{dump.max_rss_kib * 1024 / 1e6:.0f} MB")
    result.plan = summarize(plans) if plans else None
    result.dump = summarize(dumps) if dumps else None


def _benchmark(args: argparse.Namespace, workdir: Path) -> Report:
    """Start or find the server, then load, inspect and measure each size in turn."""
    _say("Connecting to the given PostgreSQL ..." if args.database_url
         else "Starting a throwaway PostgreSQL for the benchmark ...")
    with bench_database(args.database_url) as db:
        pg_dump, pg_dump_version = find_pg_dump(db)
        _say(f"Using {db.server.kind}: {db.server.description}\nComparing with {pg_dump} ({pg_dump_version})")
        report = Report(sizes=[], repeat=args.repeat,
                        machine=machine_facts(db.version, str(db.server.kind), pg_dump_version))
        run_script(db.url, [preamble_sql()])
        phase_size = 2000 if 2000 in args.tables else args.tables[0]
        loaded = 0
        for size in args.tables:
            result = SizeResult(size)
            report.sizes.append(result)
            # The generator makes table n the same at every size, so growing the database from
            # the previous size gives exactly the schema a fresh load of this size would.
            result.load_seconds = run_script(db.url, tables_sql(args.seed, loaded, size))
            analyze(db.url)
            _say(f"[{size:,} tables] loaded tables {loaded:,} to {size - 1:,} in {result.load_seconds:.1f} s")
            loaded = size
            schema_dir = workdir / f"schema-{size}"
            schema_dir.mkdir()
            _measure_size(db, pg_dump, result, schema_dir, workdir, args)
            if result.failure:
                break
            if size == phase_size and not args.no_phases:
                _say(f"[{size:,} tables] timing the phases of a plan in-process ...")
                startup = [run_measured([*_reconcile(), "--version"], env=child_env(), workdir=workdir,
                                        label="version") for _ in range(args.repeat)]
                report.startup = summarize(startup)
                report.breakdown_tables = size
                try:
                    report.breakdown = time_phases(schema_dir, db.url, args.repeat)
                    if args.profile:
                        _say(f"\ncProfile of one in-process plan ({size:,} tables):\n"
                             + profile_plan(schema_dir, db.url))
                except Exception as why:
                    # The subprocess figures stand on their own; say what broke and go on.
                    report.phase_error = f"{type(why).__name__}: {why}"
                    _say(f"[{size:,} tables] the in-process phase timing failed: {report.phase_error}")
    return report


def _runs(count: int) -> str:
    return "1 run" if count == 1 else f"{count} runs"


def _print_report(report: Report) -> None:
    _say("\n== No-op reconcile plan vs pg_dump --schema-only "
         f"(median and min of {_runs(report.repeat)}; MB = 10^6 bytes) ==\n")
    _say(text_table(report))
    for size in report.sizes:
        if size.failure:
            _say(f"\nFAILURE at {size.tables:,} tables: {size.failure}")
    _say("\nTargets:")
    _say(targets_text(report))
    if report.breakdown_tables is not None:
        _say(f"\nWhere the time goes ({report.breakdown_tables:,} tables, in-process, median of "
             f"{_runs(report.repeat)}; share of the in-process total):")
        _say(breakdown_text(report))
    _say("\nMachine: " + "; ".join(f"{k}: {v}" for k, v in report.machine.items()))
    _say("\n-- Markdown (for the README) --\n")
    _say(markdown(report))


def _terminate(signum: int, _frame: FrameType | None) -> None:
    # Turn SIGTERM into an exception so every `finally` runs: server stopped, database dropped,
    # work directory deleted.
    _say(f"\nTerminated (signal {signum}): cleaning up.")
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; the exit status is described in the module docstring."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    workdir = Path(tempfile.mkdtemp(prefix="pgreconcile-bench-"))
    try:
        report = _benchmark(args, workdir)
    except RuntimeError as why:
        _say(f"\nThe benchmark could not run: {why}")
        return 1
    except KeyboardInterrupt:
        _say("\nInterrupted: cleaning up.")
        return 130
    finally:
        if args.keep:
            _say(f"\nKept the work directory: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    _print_report(report)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(markdown(report) + "\n")
    _say(f"\n(Markdown also written to {args.report})")
    if any(size.failure for size in report.sizes):
        return 1
    if any(t.passed is False for t in targets(report.sizes)) and not args.no_fail_on_targets:
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
