"""Convergence over a corpus of schema transitions: ``make corpus CORPUS=DIR``.

A corpus is a directory of cases, one folder each (nested folders are fine), holding
``old.sql`` (the live database's schema before), ``new.sql`` (the desired schema, given to
pgreconcile as its SQL-file desired state) and optionally ``setup.sql`` (run on both databases
first: roles, extensions a case assumes) and ``reference.sql`` (below). Every case runs the way
a user would:

1. ``live`` database: setup.sql, old.sql.  ``reference`` database: setup.sql, new.sql. A case
   whose own files do not run is ``bad-case`` and left out of the rate. psql runs a file in
   order, so a new.sql that uses a table or function before creating it (which pgreconcile's
   SQL files may do) cannot build the reference: such a case may carry ``reference.sql``, the
   same statements in an order psql can run, which builds the reference instead (pgreconcile
   still gets new.sql as written).
2. ``reconcile plan`` (exit 0 or 2), ``reconcile apply --auto-approve --allow-destroy``,
   ``reconcile plan --detailed-exitcode`` again, which must exit 0 (no changes).
3. ``pg_dump --schema-only`` of ``live`` and of ``reference`` must say the same thing, compared
   statement by statement with each table's columns as a set (a column added by ALTER TABLE
   lands last, which is not a difference a schema reconciler can or should remove).

By default a case has no configuration: the managed schemas are the ones the SQL files declare,
as for a user's first run. ``--manage-all`` writes every schema either database has into the
case's ``reconcile.toml`` (``managed_schemas``), so that a schema only ``old.sql`` has is in
scope too (it is kept, emptied). Each case runs in a lane of three throwaway servers (live,
reference, scratch: ``RECONCILE_SCRATCH_URL``), its roles dropped before the next case.

Output: one line per case while it runs, a summary by outcome and by category (the part of a
case's name before ``__``), and with ``--out DIR`` each case's plans, errors and dump
difference. The corpus itself is reference data from other projects: keep it outside the
repository.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import hashlib
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import psycopg

from pgreconcile.localpg import BINDIR_ENV, create_database, drop_database, start_server
from pgreconcile.quoting import ident

RECONCILE = [sys.executable, "-m", "pgreconcile"]
SYSTEM_SCHEMAS = ("information_schema",)
TIMEOUT = 300


@dataclass
class Outcome:
    """How one case ended: ``converged``, or the first step that went wrong and its message."""

    case: str
    status: str
    detail: str = ""
    seconds: float = 0.0


def find_cases(corpus: Path, only: list[str] | None) -> list[Path]:
    """Every folder under ``corpus`` holding a new.sql, sorted; ``only`` keeps the cases whose
    path contains one of its texts."""
    # os.walk rather than rglob: a sample made of symbolic links to cases elsewhere is followed
    # (rglob does not), and a link back up the tree is walked once.
    found: list[Path] = []
    walked: set[str] = set()
    for root, dirs, files in os.walk(corpus, followlinks=True):
        real = os.path.realpath(root)
        if real in walked:
            dirs[:] = []
            continue
        walked.add(real)
        if "new.sql" in files:
            found.append(Path(root))
    cases = sorted(found)
    return [c for c in cases if not only or any(text in str(c.relative_to(corpus)) for text in only)]


def client_tool(name: str, server_major: int) -> str:
    """psql / pg_dump of the server's major when installed, else the newest found, else PATH."""
    # A server started from $RECONCILE_PG_BINDIR (e.g. tests/matrix's binaries) brings its own
    # clients; an older pg_dump refuses a newer server.
    bindir = os.environ.get(BINDIR_ENV)
    if bindir and (Path(bindir) / name).exists():
        return str(Path(bindir) / name)
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda p: int(p.parent.parent.name), reverse=True)
    for path in candidates:
        if int(path.parent.parent.name) == server_major:
            return str(path)
    newer = [p for p in candidates if int(p.parent.parent.name) >= server_major]
    if newer:
        return str(newer[0])
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"error: {name} not found (install the PostgreSQL client of major {server_major})")
    return found


def run_script(psql: str, url: str, path: Path) -> str | None:
    """Run a SQL file with psql, stopping at the first error; the error text, or None."""
    done = subprocess.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", str(path)],
                          capture_output=True, text=True, timeout=TIMEOUT)
    return None if done.returncode == 0 else (done.stderr.strip() or f"psql exit {done.returncode}")


def user_schemas(url: str) -> set[str]:
    """The schemas of a database other than the system ones."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_' "
            "AND nspname <> ALL (%s)", [list(SYSTEM_SCHEMAS)]).fetchall()
    return {name for (name,) in rows}


_COMMENT = re.compile(r"^(--|\\(un)?restrict ).*$", re.M)  # pg_dump 17.6+ brackets the script with random keys


def normalized_dump(pg_dump: str, url: str) -> list[str]:
    """pg_dump --schema-only as a sorted list of statements, each table's column lines sorted."""
    done = subprocess.run([pg_dump, "--schema-only", "-d", url],
                          capture_output=True, text=True, timeout=TIMEOUT, check=True)
    text = _COMMENT.sub("", done.stdout)
    statements = []
    for raw in text.split(";\n"):
        statement = raw.strip()
        if not statement or statement.startswith(("SET ", "SELECT pg_catalog.set_config")):
            continue
        if statement.startswith("CREATE TABLE") and "(\n" in statement:
            head, _, body = statement.partition("(\n")
            body, _, tail = body.rpartition("\n)")
            columns = sorted(line.strip().rstrip(",") for line in body.splitlines() if line.strip())
            statement = head + "(\n    " + ",\n    ".join(columns) + "\n)" + tail
        statements.append(statement)
    return sorted(statements)


def reconcile(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """One reconcile command in the case's directory."""
    return subprocess.run([*RECONCILE, *args], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=TIMEOUT)


def first_line(text: str) -> str:
    """The first informative line of a command's output, for the summary."""
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("Reading") and "scratch" not in line.lower()[:30]:
            return line[:300]
    return text.strip()[:300]


def log_folder(name: str) -> str:
    """A case's log folder name: its path, shortened with a hash past what a file system takes."""
    flat = name.replace("/", "__")
    return flat if len(flat) <= 120 else flat[:100] + "-" + hashlib.sha1(flat.encode()).hexdigest()[:10]


_MISSING_ROLE = re.compile(r'role "([^"]+)" does not exist')


def run_setup(psql: str, url: str, admin_url: str, path: Path, created: set[str]) -> str | None:
    """Run a case's file; a role it names that does not exist is created (roles belong to the
    server, and other projects' suites create theirs in their harness), added to ``created``,
    and the file runs again in a fresh database state. The error text, or None."""
    for _ in range(8):
        error = run_script(psql, url, path)
        missing = _MISSING_ROLE.search(error or "")
        if missing is None:
            return error
        create_role(admin_url, missing.group(1))
        created.add(missing.group(1))
        reset_database(url, admin_url)
    return error


def create_role(admin_url: str, role: str) -> None:
    """Create ``role`` on the server of ``admin_url`` unless it exists."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = %s", [role]).fetchone():
            conn.execute(f"CREATE ROLE {ident(role)}")


def reset_database(url: str, admin_url: str) -> None:
    """Drop and create again the database of ``url`` (a failed script may have left half of itself)."""
    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    drop_database(admin_url, str(name))
    create_database(admin_url, str(name))


@dataclass
class Lane:
    """Three servers for one case at a time: the live database's, the reference's and the
    scratch server SQL files run on. Roles belong to a server, so a case whose old.sql and
    new.sql both create a role needs the live and the reference database apart, as other
    projects' suites have them; and the scratch server is fresh for each case, as the
    throwaway local one a user's plan starts would be."""

    live: str
    ref: str
    scratch: str
    baseline: frozenset[str]

    def servers(self) -> tuple[str, str, str]:
        return self.live, self.ref, self.scratch

    def reset_roles(self) -> None:
        """Drop every role an earlier case left on the lane's servers."""
        for admin in self.servers():
            with psycopg.connect(admin, autocommit=True) as conn:
                roles = [r for (r,) in conn.execute("SELECT rolname FROM pg_catalog.pg_roles").fetchall()
                         if r not in self.baseline]
                for role in roles:
                    with contextlib.suppress(psycopg.Error):
                        conn.execute(f"DROP OWNED BY {ident(role)}")
                    with contextlib.suppress(psycopg.Error):
                        conn.execute(f"DROP ROLE {ident(role)}")


def run_case(case: Path, corpus: Path, index: int, lane: Lane, tools: dict[str, str],
             out: Path | None, manage_all: bool) -> Outcome:
    """Plan, apply and re-plan one case; compare the dumps."""
    lane.reset_roles()
    name = str(case.relative_to(corpus)).replace(os.sep, "/")
    started = time.perf_counter()
    live_db, ref_db = f"corpus_live_{index}", f"corpus_ref_{index}"
    logs: dict[str, str] = {}

    def done(status: str, detail: str = "") -> Outcome:
        if out is not None:
            folder = out / log_folder(name)
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for key, text in logs.items():
                (folder / f"{key}.txt").write_text(text)
            (folder / "outcome.txt").write_text(f"{status}\n{detail}\n")
        return Outcome(name, status, detail, round(time.perf_counter() - started, 2))

    for admin, db in ((lane.live, live_db), (lane.ref, ref_db)):
        drop_database(admin, db)
    live, ref = create_database(lane.live, live_db), create_database(lane.ref, ref_db)
    try:
        setup = case / "setup.sql"
        harness_roles: set[str] = set()
        # reference.sql: new.sql reordered for psql (see the module docstring).
        reference = case / "reference.sql" if (case / "reference.sql").exists() else case / "new.sql"
        for url, admin_url, script in ((live, lane.live, case / "old.sql"), (ref, lane.ref, reference)):
            with tempfile.NamedTemporaryFile("w", suffix=".sql") as both:
                # setup.sql and the case's file as one script, so that a retry runs both again.
                for path in (setup, script):
                    if path.exists():
                        both.write(path.read_text() + "\n")
                both.flush()
                error = run_setup(tools["psql"], url, admin_url, Path(both.name), harness_roles)
            if error:
                return done("bad-case", f"{script.name}: {first_line(error)}")
        # A role the harness had to create for new.sql is part of the setup: the live server
        # (whose roles the scratch database copies) has it too, as one shared server would.
        for role in harness_roles:
            create_role(lane.live, role)
        schemas = sorted(user_schemas(live) | user_schemas(ref))
        with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
            work = Path(tmp)
            (work / "schema").mkdir()
            shutil.copy(case / "new.sql", work / "schema" / "new.sql")
            if manage_all:
                (work / "reconcile.toml").write_text(
                    "managed_schemas = [" + ", ".join(json.dumps(s) for s in schemas) + "]\n")
            env = {**os.environ, "DATABASE_URL": live, "RECONCILE_SCRATCH_URL": lane.scratch,
                   "NO_COLOR": "1"}
            plan = reconcile(["plan", "--detailed-exitcode"], env, work)
            logs["plan"] = plan.stdout + plan.stderr
            if plan.returncode not in (0, 2):
                return done("plan-error", first_line(plan.stderr or plan.stdout))
            apply = reconcile(["apply", "--auto-approve", "--allow-destroy"], env, work)
            logs["apply"] = apply.stdout + apply.stderr
            if apply.returncode != 0:
                return done("apply-error", first_line(apply.stderr or apply.stdout))
            again = reconcile(["plan", "--detailed-exitcode"], env, work)
            logs["replan"] = again.stdout + again.stderr
            if again.returncode == 2:
                changes = [line for line in again.stdout.splitlines()
                           if line.strip().startswith(("+", "-", "~", "»"))]
                return done("not-converged", first_line("\n".join(changes) or again.stdout))
            if again.returncode != 0:
                return done("replan-error", first_line(again.stderr or again.stdout))
        live_dump, ref_dump = normalized_dump(tools["pg_dump"], live), normalized_dump(tools["pg_dump"], ref)
        if live_dump != ref_dump:
            diff = list(difflib.unified_diff(ref_dump, live_dump, "reference", "live", lineterm="", n=0))
            logs["dump-diff"] = "\n".join(diff)
            changed = [line for line in diff[2:] if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]
            return done("dump-differs", first_line(changed[0] if changed else ""))
        return done("converged")
    except subprocess.TimeoutExpired as exc:
        return done("timeout", str(exc.cmd)[:200])
    finally:
        for admin, db in ((lane.live, live_db), (lane.ref, ref_db)):
            with contextlib.suppress(psycopg.Error):
                drop_database(admin, db)


def category(name: str) -> str:
    """The part of a case's name before ``__`` (or its first folder)."""
    leaf = name.split("/")[-1]
    return leaf.split("__")[0] if "__" in leaf else name.split("/")[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--only", action="append", help="run the cases whose path contains this text (repeatable)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, help="write each case's plans, errors and dump difference here")
    parser.add_argument("--json", type=Path, help="write every outcome here as JSON")
    parser.add_argument("--manage-all", action="store_true",
                        help="write managed_schemas = every schema of either database into the case's "
                        "reconcile.toml (default: no configuration, the schemas the SQL files declare)")
    args = parser.parse_args(argv)
    cases = find_cases(args.corpus, args.only)
    if not cases:
        print(f"error: no case (a folder with new.sql) under {args.corpus}", file=sys.stderr)
        return 1
    jobs = max(1, args.jobs)
    servers = [start_server() for _ in range(3 * jobs)]
    print(f"# {len(cases)} cases, {jobs} at a time, on {servers[0].description}", flush=True)
    with psycopg.connect(servers[0].url) as conn:
        major = conn.info.server_version // 10000
        baseline = frozenset(r for (r,) in conn.execute("SELECT rolname FROM pg_catalog.pg_roles").fetchall())
    tools = {name: client_tool(name, major) for name in ("psql", "pg_dump")}
    lanes: queue.Queue[Lane] = queue.Queue()
    for i in range(jobs):
        lanes.put(Lane(*(s.url for s in servers[3 * i : 3 * i + 3]), baseline=baseline))

    def in_a_lane(case: Path, index: int) -> Outcome:
        lane = lanes.get()
        try:
            return run_case(case, args.corpus, index, lane, tools, args.out, args.manage_all)
        finally:
            lanes.put(lane)

    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    outcomes: list[Outcome] = []
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(in_a_lane, case, i) for i, case in enumerate(cases)]
            for future in futures:
                outcome = future.result()
                outcomes.append(outcome)
                print(f"{outcome.status:14} {outcome.case}  {outcome.detail}", flush=True)
    finally:
        for server in servers:
            server.stop()
    counted = [o for o in outcomes if o.status != "bad-case"]
    converged = sum(o.status == "converged" for o in counted)
    print(f"\n# converged {converged}/{len(counted)} ({100 * converged / max(1, len(counted)):.1f} %),"
          f" {len(outcomes) - len(counted)} bad cases left out")
    for status, count in Counter(o.status for o in outcomes).most_common():
        print(f"#   {status:14} {count}")
    by_category: dict[str, Counter[str]] = {}
    for o in counted:
        by_category.setdefault(category(o.case), Counter())[o.status] += 1
    for name, counts in sorted(by_category.items()):
        print(f"#   {name:40} {counts['converged']}/{sum(counts.values())}")
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
