"""`make bench`: every target of the performance issue, measured side by side in one run.

On a throwaway PostgreSQL (or ``--database-url``'s server, in databases of its own) it loads the
generated schema (generate.py) and measures, as subprocesses, in alternating rounds so that
machine drift spreads over both sides of each ratio:

1. base schema (``--tables``, default 2,000): a no-op ``reconcile plan``, ``pg_dump
   --schema-only``, ``reconcile inspect`` and a plan of 20 changes with data probes on;
   ``reconcile --version`` and ``reconcile validate`` of a 5-table schema (start-up);
2. the same tables plus the coverage kinds (views, functions, triggers, grants, partitioned
   tables, sequences) in a second database: no-op plan and pg_dump;
3. SQL files as the desired state (the generated SQL itself): ``reconcile plan`` against the base
   database and ``psql -1 -f`` of the same files into an empty database;
4. last, the base database grown to ``--scale-tables`` (default 10,000): no-op plan and pg_dump.

It prints the figures, each target with PASS/FAIL, the phase breakdown of a plan and a Markdown
section for the README (also written to .bench/report.md).

Exit status: 0 when everything ran and every target passed; 1 when a command failed or a plan
was not what it should be; 2 when only targets failed (``--no-fail-on-targets``: 0 then).

    python bench/run.py [--tables 2000] [--scale-tables 10000 | --no-scale] [--repeat 3]
                        [--no-coverage] [--no-sql-files] [--database-url URL] [--profile]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from changes import twenty_changes
from database import (
    BenchDatabase,
    analyze,
    bench_database,
    find_pg_dump,
    find_psql,
    other_database,
    raise_lock_limit,
    run_script,
)
from generate import (
    COVERAGE_PARTITIONED,
    DEFAULT_SEED,
    SCHEMAS,
    coverage_counts,
    coverage_sql,
    preamble_sql,
    tables_sql,
)
from measure import Sample, child_env, run_measured, summarize
from phases import profile_plan, time_phases
from report import Report, breakdown_text, load_average, machine_facts, markdown, targets, targets_text, text_table

ROOT = Path(__file__).resolve().parent.parent
CACHE_ENV = "RECONCILE_CACHE_DIR"  # pgreconcile.cache.CACHE_ENV
NO_CACHE = {CACHE_ENV: "off"}
# The no-op memo off alone (cli/noop_memo.py): a no-op plan made in full, declaration cache warm.
NO_MEMO = {"RECONCILE_NOOP_MEMO": "off"}
NO_CHANGES = "No changes."
SHOWN_LINES = 25
SMALL_TABLES = 5
CHANGES = 20


class BenchFailure(Exception):
    """A measured command did not do what it must (the message says what and shows its output)."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="bench/run.py", description="Every target of the performance issue.")
    parser.add_argument("--tables", type=int, default=2000, help="base schema size (default: 2000)")
    parser.add_argument("--scale-tables", type=int, default=10_000,
                        help="size of the scaling run, measured last (default: 10000)")
    parser.add_argument("--no-scale", action="store_true", help="skip the scaling run (the slowest part)")
    parser.add_argument("--no-coverage", action="store_true", help="skip the schema with the coverage kinds")
    parser.add_argument("--no-sql-files", action="store_true", help="skip SQL files as the desired state")
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of each command (default: 3)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="schema generator seed")
    parser.add_argument("--database-url", default=os.environ.get("RECONCILE_TEST_DATABASE_URL") or None,
                        help="use this server (fresh databases are created and dropped on it) instead of "
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
    if args.tables <= SMALL_TABLES:
        parser.error(f"--tables must be more than {SMALL_TABLES}")
    if not args.no_scale and args.scale_tables <= args.tables:
        parser.error("--scale-tables must be more than --tables (or pass --no-scale)")
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


def _failed(what: str, sample: Sample, expectation: str) -> BenchFailure:
    """A failure: what ran, how it ended, what was expected, the first lines it printed."""
    ending = "was killed after the timeout" if sample.timed_out else f"exited {sample.exit_code}"
    out = f"{what} {ending}; {expectation}."
    if sample.output().strip():
        out += f"\n  First lines of its output:\n{_first_lines(sample.output())}"
    if sample.errors().strip():
        out += f"\n  First lines of its stderr:\n{_first_lines(sample.errors())}"
    return BenchFailure(out)


def _ok(sample: Sample) -> bool:
    return sample.exit_code == 0 and not sample.timed_out


class Bench:
    """One benchmark run: the server, the work directory, the report being filled."""

    def __init__(self, args: argparse.Namespace, workdir: Path, db: BenchDatabase, report: Report) -> None:
        self.args, self.workdir, self.db, self.report = args, workdir, db, report
        self.pg_dump, _ = find_pg_dump(db)
        # The declaration cache of this run (pgreconcile/cache.py), never the user's own.
        self.cache = workdir / "declaration-cache"
        os.environ[CACHE_ENV] = str(self.cache)  # for the in-process phases too

    def run(self, argv: list[str], label: str, url: str | None = None, **env: str) -> Sample:
        """Run ``argv`` once, measured; ``url`` becomes $DATABASE_URL."""
        extra = {CACHE_ENV: str(self.cache), **({"DATABASE_URL": url} if url else {}), **env}
        return run_measured(argv, env=child_env(**extra), workdir=self.workdir, label=label,
                            timeout=self.args.timeout)

    def warm(self, argv: list[str], url: str | None = None, **env: str) -> None:
        """Run ``argv`` once, unmeasured, and wait until the declaration cache entry it writes
        (after it exits, from a child process) is there: the measured runs then find it."""
        before = set(self.cache.glob("*.pickle"))
        self.run(argv, "warm-up", url, **env)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not set(self.cache.glob("*.pickle")) - before:
            time.sleep(0.2)

    def rounds(self, tag: str, commands: dict[str, tuple[str, Callable[[], Sample], Callable[[Sample], None]]]) -> None:
        """``--repeat`` rounds of every command in turn; each sample is checked, then summarized
        into the report under its key (``commands``: key → label, run, check)."""
        samples: dict[str, list[Sample]] = {key: [] for key in commands}
        for round_number in range(1, self.args.repeat + 1):
            said = []
            for key, (_, run, check) in commands.items():
                sample = run()
                check(sample)
                samples[key].append(sample)
                said.append(f"{key} {sample.seconds:.2f} s / {sample.max_rss_kib * 1024 / 1e6:.0f} MB")
            _say(f"{tag} round {round_number}/{self.args.repeat}: " + "; ".join(said))
        for key, (label, _, _) in commands.items():
            self.report.add(key, label, summarize(samples[key]))

    # -- checks of what a command printed ------------------------------------------------------

    def expect_ok(self, what: str) -> Callable[[Sample], None]:
        def check(sample: Sample) -> None:
            if not _ok(sample):
                raise _failed(what, sample, "it must succeed")
        return check

    def expect_noop(self, what: str) -> Callable[[Sample], None]:
        def check(sample: Sample) -> None:
            if not _ok(sample) or NO_CHANGES not in sample.output():
                raise _failed(what, sample, f"a no-op plan must exit 0 and print {NO_CHANGES!r}")
        return check

    def expect_changes(self, count: int) -> Callable[[Sample], None]:
        def check(sample: Sample) -> None:
            found = re.search(r"Plan: (\d+) to add, (\d+) to change, (\d+) to destroy", sample.output())
            total = sum(int(n) for n in found.groups()) if found else None
            if sample.timed_out or sample.exit_code != 2 or total != count:
                raise _failed("the plan of 20 changes", sample,
                              f"--detailed-exitcode must exit 2 with {count} changes (found: {total})")
        return check

    # -- the parts of the benchmark ------------------------------------------------------------

    def inspect(self, url: str, directory: Path, tables: int, label: str) -> Sample:
        """``reconcile inspect`` into ``directory``, then make sure every table was written."""
        directory.mkdir(parents=True, exist_ok=True)
        argv = [*_reconcile(), "inspect", *(f"--schema={s}" for s in SCHEMAS),
                "--output", str(directory / "schema.yaml")]
        inspected = self.run(argv, label, url)
        self.expect_ok("`reconcile inspect`")(inspected)
        # A plan over declarations that lost tables could be "No changes." and prove nothing.
        # Cache off: an entry written now, in the background, would be mistaken by warm() for
        # the one it waits for.
        validated = self.run([*_reconcile(), "validate", "--schema-dir", str(directory)], "validate", url,
                             **NO_CACHE)
        declared = re.search(r"valid: ([\d,]+) tables", validated.output())
        if not _ok(validated) or declared is None or int(declared[1].replace(",", "")) != tables:
            raise _failed("`reconcile validate` on the inspected declarations", validated,
                          f"it must pass and count {tables} tables, or a no-op plan over them proves nothing")
        return inspected

    def base(self) -> None:
        """The base schema: start-up, no-op plan, pg_dump, inspect, 20 changes; phases."""
        args, db, size = self.args, self.db, self.args.tables
        tag = f"[{size:,} tables]"
        run_script(db.url, [preamble_sql()])
        run_script(db.url, tables_sql(args.seed, 0, SMALL_TABLES))
        small = self.workdir / "schema-5"
        self.inspect(db.url, small, SMALL_TABLES, "inspect-5")
        seconds = run_script(db.url, tables_sql(args.seed, SMALL_TABLES, size))
        analyze(db.url)
        _say(f"{tag} loaded in {seconds:.1f} s")
        schema_dir = self.workdir / f"schema-{size}"
        self.inspect(db.url, schema_dir, size, "inspect")
        changed_dir = self.workdir / f"schema-{size}-changed"
        changed_dir.mkdir()
        changed, made = twenty_changes((schema_dir / "schema.yaml").read_text(), CHANGES)
        (changed_dir / "schema.yaml").write_text(changed)
        self.report.facts["the 20 changes"] = f"{len(made)} tables: a new column, NOT NULL, a comment or a CHECK"

        validate_small = [*_reconcile(), "validate", "--schema-dir", str(small)]
        self.warm(validate_small)
        startup: dict[str, tuple[str, Callable[[], Sample], Callable[[Sample], None]]] = {
            "version": ("`reconcile --version`", lambda: self.run([*_reconcile(), "--version"], "version"),
                        self.expect_ok("reconcile --version")),
            "validate-5": (f"`reconcile validate`, {SMALL_TABLES} tables (cache warm)",
                           lambda: self.run(validate_small, "validate-5"),
                           self.expect_ok("reconcile validate of the 5-table schema")),
            "validate-5-cold": (f"`reconcile validate`, {SMALL_TABLES} tables (cache off)",
                                lambda: self.run(validate_small, "validate-5", **NO_CACHE),
                                self.expect_ok("reconcile validate of the 5-table schema")),
        }
        self.rounds("[start-up]", startup)

        plan = [*_reconcile(), "plan", "--no-color", "--detailed-exitcode"]
        dump = [str(self.pg_dump), "--schema-only", "--file", str(self.workdir / "dump.sql"), "--dbname", db.url]
        inspect = [*_reconcile(), "inspect", *(f"--schema={s}" for s in SCHEMAS),
                   "--output", str(self.workdir / "inspected.yaml")]
        n = f"{size:,} tables"
        self.warm([*plan, "--schema-dir", str(schema_dir)], db.url)
        self.warm([*plan, "--schema-dir", str(changed_dir)], db.url)
        self.rounds(tag, {
            "plan": (f"no-op `reconcile plan`, {n} (cache warm)",
                     lambda: self.run([*plan, "--schema-dir", str(schema_dir)], "plan", db.url),
                     self.expect_noop("the no-op plan")),
            "plan-full": (f"no-op `reconcile plan`, {n} (cache warm, no-op memo off)",
                          lambda: self.run([*plan, "--schema-dir", str(schema_dir)], "plan", db.url, **NO_MEMO),
                          self.expect_noop("the no-op plan")),
            "plan-cold": (f"no-op `reconcile plan`, {n} (cache off)",
                          lambda: self.run([*plan, "--schema-dir", str(schema_dir)], "plan", db.url, **NO_CACHE),
                          self.expect_noop("the no-op plan")),
            "dump": (f"`pg_dump --schema-only`, {n}", lambda: self.run(dump, "pg_dump"),
                     self.expect_ok("pg_dump --schema-only")),
            "inspect": (f"`reconcile inspect`, {n}", lambda: self.run(inspect, "inspect", db.url),
                        self.expect_ok("reconcile inspect")),
            "changes-plan": (f"plan of {CHANGES} changes (probes on), {n} (cache warm)",
                             lambda: self.run([*plan, "--schema-dir", str(changed_dir)], "changes", db.url),
                             self.expect_changes(CHANGES)),
        })
        if not args.no_phases:
            _say(f"{tag} timing the phases of a plan in-process ...")
            try:
                self.report.breakdown = time_phases(schema_dir, db.url, args.repeat)
                if args.profile:
                    _say(f"\ncProfile of one in-process plan ({size:,} tables):\n" + profile_plan(schema_dir, db.url))
            except Exception as why:
                # The subprocess figures stand on their own; say what broke and go on.
                self.report.phase_error = f"{type(why).__name__}: {why}"
                _say(f"{tag} the in-process phase timing failed: {self.report.phase_error}")

    def coverage(self) -> None:
        """The base tables plus every coverage kind, in a database of their own."""
        size, tag = self.args.tables, "[coverage]"
        with other_database(self.db, "coverage") as url:
            seconds = run_script(url, [preamble_sql()])
            seconds += run_script(url, tables_sql(self.args.seed, 0, size))
            seconds += run_script(url, coverage_sql(self.args.seed, size))
            analyze(url)
            counts = ", ".join(f"{v:,} {k}" for k, v in coverage_counts().items())
            self.report.facts["coverage kinds"] = f"{counts}, grants on every table"
            _say(f"{tag} loaded {size:,} tables and {counts} in {seconds:.1f} s")
            schema_dir = self.workdir / "schema-coverage"
            self.inspect(url, schema_dir, size + COVERAGE_PARTITIONED, "inspect-coverage")
            dump = [str(self.pg_dump), "--schema-only", "--file", str(self.workdir / "dump.sql"), "--dbname", url]
            n = f"{size:,} tables + coverage kinds"
            plan = [*_reconcile(), "plan", "--no-color", "--detailed-exitcode", "--schema-dir", str(schema_dir)]
            self.warm(plan, url)
            self.rounds(tag, {
                "coverage-plan": (f"no-op `reconcile plan`, {n} (cache warm)", lambda: self.run(plan, "plan", url),
                                  self.expect_noop("the no-op plan with the coverage kinds")),
                "coverage-plan-full": (f"no-op `reconcile plan`, {n} (cache warm, no-op memo off)",
                                       lambda: self.run(plan, "plan", url, **NO_MEMO),
                                       self.expect_noop("the no-op plan with the coverage kinds")),
                "coverage-plan-cold": (f"no-op `reconcile plan`, {n} (cache off)",
                                       lambda: self.run(plan, "plan", url, **NO_CACHE),
                                       self.expect_noop("the no-op plan with the coverage kinds")),
                "coverage-dump": (f"`pg_dump --schema-only`, {n}", lambda: self.run(dump, "pg_dump"),
                                  self.expect_ok("pg_dump --schema-only")),
            })

    def sql_files(self) -> None:
        """The generated SQL as the desired state, against the base database, next to psql."""
        size, tag = self.args.tables, "[SQL files]"
        sql_dir = self.workdir / "schema-sql"
        sql_dir.mkdir()
        (sql_dir / "00_preamble.sql").write_text(preamble_sql())
        for number, script in enumerate(tables_sql(self.args.seed, 0, size, batch=500), start=1):
            (sql_dir / f"{number:02d}_tables.sql").write_text(script)
        files = sorted(sql_dir.glob("*.sql"))
        psql = find_psql(self.pg_dump)
        # The scratch database on this server rather than a fresh local server per plan: start-up
        # of a server is not what this measures (as with a CI service container).
        scratch = {"RECONCILE_SCRATCH_URL": self.db.server.url}

        def replay() -> Sample:
            with other_database(self.db, "psql") as url:
                argv = [str(psql), "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-o", os.devnull, "-d", url,
                        *(f"--file={f}" for f in files)]
                return self.run(argv, "psql")

        n = f"{size:,} tables"
        plan = [*_reconcile(), "plan", "--no-color", "--detailed-exitcode", "--schema-dir", str(sql_dir)]
        # With a given scratch server the files' result is cached (declare/sql/source.py): the
        # warm plan is a repeated one, the cold one runs the files as the first plan does.
        self.warm(plan, self.db.url, **scratch)
        self.rounds(tag, {
            "sql-plan": (f"no-op `reconcile plan` from SQL files, {n} (cache warm)",
                         lambda: self.run(plan, "plan-sql", self.db.url, **scratch),
                         self.expect_noop("the no-op plan from SQL files")),
            "sql-plan-cold": (f"no-op `reconcile plan` from SQL files, {n} (cache off)",
                              lambda: self.run(plan, "plan-sql-cold", self.db.url, **scratch, **NO_CACHE),
                              self.expect_noop("the no-op plan from SQL files (cache off)")),
            "psql": (f"`psql -1 -f` of the same files, {n}", replay, self.expect_ok("psql -1 -f")),
        })

    def scale(self) -> None:
        """The base database grown to the scaling size: no-op plan and pg_dump."""
        args, db = self.args, self.db
        size, tag = args.scale_tables, f"[{args.scale_tables:,} tables]"
        seconds = run_script(db.url, tables_sql(args.seed, args.tables, size))
        analyze(db.url)
        _say(f"{tag} grew the base database to {size:,} tables in {seconds:.1f} s")
        schema_dir = self.workdir / f"schema-{size}"
        self.inspect(db.url, schema_dir, size, "inspect-scale")
        dump = [str(self.pg_dump), "--schema-only", "--file", str(self.workdir / "dump.sql"), "--dbname", db.url]
        n = f"{size:,} tables"
        plan = [*_reconcile(), "plan", "--no-color", "--detailed-exitcode", "--schema-dir", str(schema_dir)]
        self.warm(plan, db.url)
        self.rounds(tag, {
            "scale-plan": (f"no-op `reconcile plan`, {n} (cache warm)", lambda: self.run(plan, "plan", db.url),
                           self.expect_noop("the no-op plan at the scaling size")),
            "scale-plan-full": (f"no-op `reconcile plan`, {n} (cache warm, no-op memo off)",
                                lambda: self.run(plan, "plan", db.url, **NO_MEMO),
                                self.expect_noop("the no-op plan at the scaling size")),
            "scale-plan-cold": (f"no-op `reconcile plan`, {n} (cache off)",
                                lambda: self.run(plan, "plan", db.url, **NO_CACHE),
                                self.expect_noop("the no-op plan at the scaling size")),
            "scale-dump": (f"`pg_dump --schema-only`, {n}", lambda: self.run(dump, "pg_dump"),
                           self.expect_ok("pg_dump --schema-only")),
        })


def _part(report: Report, name: str, step: Callable[[], None], keys: tuple[str, ...]) -> None:
    """Run one part; a failure is recorded (and its targets marked not measured), the rest go on."""
    try:
        step()
    except BenchFailure as why:
        report.failures.append(f"{name}: {why}")
        for key in keys:
            report.skipped.setdefault(key, "failed, see above")
        _say(f"\nFAILURE in {name}: {why}")


def _benchmark(args: argparse.Namespace, workdir: Path) -> Report:
    """Start or find the server, then measure each part in turn (the scaling run last)."""
    _say("Connecting to the given PostgreSQL ..." if args.database_url
         else "Starting a throwaway PostgreSQL for the benchmark ...")
    with bench_database(args.database_url) as db:
        locks = raise_lock_limit(db)
        bench = Bench(args, workdir, db, Report(args.repeat, args.tables, None if args.no_scale else args.scale_tables))
        report = bench.report
        _, pg_dump_version = find_pg_dump(db)
        _say(f"Using {db.server.kind}: {db.server.description}; {locks}\n"
             f"Comparing with {bench.pg_dump} ({pg_dump_version})")
        report.machine = machine_facts(db.version, str(db.server.kind), pg_dump_version)
        report.facts["server"] = locks
        report.facts["load average at the start"] = load_average()
        _part(report, "the base schema", bench.base,
              ("plan", "plan-full", "plan-cold", "dump", "inspect", "changes-plan", "version", "validate-5",
               "validate-5-cold"))
        if args.no_coverage:
            report.skipped.update({key: "--no-coverage" for key in ("coverage-plan", "coverage-plan-full",
                                                                      "coverage-plan-cold",
                                                                     "coverage-dump")})
        else:
            _part(report, "the coverage kinds", bench.coverage,
                  ("coverage-plan", "coverage-plan-full", "coverage-plan-cold", "coverage-dump"))
        if args.no_sql_files:
            report.skipped.update({"sql-plan": "--no-sql-files", "sql-plan-cold": "--no-sql-files",
                                   "psql": "--no-sql-files"})
        else:
            _part(report, "SQL files", bench.sql_files, ("sql-plan", "sql-plan-cold", "psql"))
        if args.no_scale:
            report.skipped.update({"scale-plan": "--no-scale", "scale-plan-full": "--no-scale",
                                   "scale-plan-cold": "--no-scale"})
        elif "plan" in report.stats:
            _part(report, "the scaling run", bench.scale,
                  ("scale-plan", "scale-plan-full", "scale-plan-cold", "scale-dump"))
        report.facts["load average at the end"] = load_average()
    return report


def _runs(count: int) -> str:
    return "1 run" if count == 1 else f"{count} alternating runs"


def _print_report(report: Report) -> None:
    _say(f"\n== reconcile next to pg_dump / psql (median and min of {_runs(report.repeat)}; MB = 10^6 bytes) ==\n")
    _say(text_table(report))
    for failure in report.failures:
        _say(f"\nFAILURE in {failure}")
    _say("\nTargets:")
    _say(targets_text(report))
    if report.breakdown is not None or report.phase_error:
        _say(f"\nWhere the time goes ({report.base:,} tables, in-process, one phase after another, median of "
             f"{_runs(report.repeat)}; share of the in-process total):")
        _say(breakdown_text(report))
    _say("\n" + "\n".join(f"{k}: {v}" for k, v in report.facts.items()))
    _say("Machine: " + "; ".join(f"{k}: {v}" for k, v in report.machine.items()))
    _say("\n-- Markdown (for the README) --\n")
    _say(markdown(report))


def _terminate(signum: int, _frame: FrameType | None) -> None:
    # Turn SIGTERM into an exception so every `finally` runs: server stopped, database dropped,
    # work directory deleted.
    _say(f"\nTerminated (signal {signum}): cleaning up.")
    raise SystemExit(128 + signum)


def _compile_package() -> None:
    """Write pgreconcile's bytecode first, as installing a wheel does: an editable install run
    with PYTHONDONTWRITEBYTECODE (CI machines set it) would otherwise compile every module it
    imports on every measured run, a tenth of a second that no installed copy pays."""
    import compileall

    compileall.compile_dir(ROOT / "src" / "pgreconcile", quiet=1)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; the exit status is described in the module docstring."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    _compile_package()
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
    if report.failures:
        return 1
    if any(t.passed is False for t in targets(report)) and not args.no_fail_on_targets:
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
