"""`make bench-fleet`: applying a 5-change plan to 200 databases, --parallel 1 vs --parallel 8.

A throwaway local PostgreSQL holds 200 copies of one database that lacks five declared changes
(a column, an index, a CHECK, a comment, a table). Each round restores the five differences in
every database (plain SQL), then runs `reconcile apply --fleet --auto-approve` as a subprocess
and times it. For the per-target overhead it also times `reconcile apply` of one database (as a
subprocess, median of --repeat runs) and `reconcile --version` (the interpreter's start):

    overhead = (fleet time at --parallel 1 / targets) / (single apply − start) − 1

i.e. what the fleet machinery adds per target to the work of one apply. Target: < 20 %.

    python bench/fleet.py [--targets 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from pgreconcile.localpg import start_server
from pgreconcile.quoting import ident

LIVE = """
CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), amount numeric(10,2) NOT NULL);
INSERT INTO billing.invoices (amount) SELECT i FROM generate_series(1, 100) AS i;
"""
UNDO = """
ALTER TABLE billing.invoices DROP COLUMN IF EXISTS note;
DROP INDEX IF EXISTS billing.invoices_amount_idx;
ALTER TABLE billing.invoices DROP CONSTRAINT IF EXISTS invoices_amount_positive;
COMMENT ON TABLE billing.invoices IS NULL;
DROP TABLE IF EXISTS billing.items;
"""
DESIRED = """
version: 1
schemas:
  billing:
    tables:
      invoices:
        comment: Invoices sent.
        columns:
          id: {type: uuid, primary_key: true, default_sql: gen_random_uuid()}
          amount: {type: "numeric(10,2)", nullable: false}
          note: text
        checks:
          invoices_amount_positive: amount >= 0
        indexes:
          invoices_amount_idx: {columns: [amount]}
      items:
        columns:
          id: {type: uuid, primary_key: true, default_sql: gen_random_uuid()}
"""


def _timed(argv: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:4])} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    reconcile = [sys.executable, "-m", "pgreconcile"]
    server = start_server(None)
    work = Path(tempfile.mkdtemp(prefix="pgreconcile-bench-fleet-"))
    (work / "schema").mkdir()
    (work / "schema" / "billing.yaml").write_text(DESIRED)
    base = server.url.rsplit("/", 1)[0]
    names = [f"fleet_{i:04d}" for i in range(args.targets)]
    with psycopg.connect(server.url, autocommit=True) as admin:
        admin.execute("CREATE DATABASE fleet_template TEMPLATE template0")
        with psycopg.connect(f"{base}/fleet_template", autocommit=True) as conn:
            conn.execute(LIVE)
        for name in [*names, "single"]:
            admin.execute(f"CREATE DATABASE {ident(name)} TEMPLATE fleet_template")
    (work / "reconcile.fleet.toml").write_text(
        "".join(f'[[database]]\nname = "{n}"\nurl = "{base}/{n}"\n\n' for n in names)
    )

    def undo(targets: list[str]) -> None:
        for name in targets:
            with psycopg.connect(f"{base}/{name}", autocommit=True) as conn:
                conn.execute(UNDO)

    starts = [_timed([*reconcile, "--version"], work) for _ in range(args.repeat)]
    singles = []
    for _ in range(args.repeat):
        undo(["single"])
        singles.append(_timed([*reconcile, "apply", "--auto-approve", "-d", f"{base}/single"], work))
    fleet: dict[int, list[float]] = {1: [], 8: []}
    for _ in range(args.repeat):
        for parallel in (1, 8):
            undo(names)
            results = work / f"results-{parallel}.jsonl"
            results.unlink(missing_ok=True)
            fleet[parallel].append(_timed(
                [*reconcile, "apply", "--fleet", "--auto-approve", "--parallel", str(parallel), "--canary", "1",
                 "--max-failures", "0", "--results", str(results)], work))
            applied = results.read_text().count('"status": "applied"')
            if applied != len(names):
                raise SystemExit(f"--parallel {parallel}: {applied} of {len(names)} targets applied")
    start, single = statistics.median(starts), statistics.median(singles)
    p1, p8 = statistics.median(fleet[1]), statistics.median(fleet[8])
    per_target = p1 / len(names)
    overhead = per_target / (single - start) - 1
    print(f"fleet apply of a 5-change plan to {len(names)} databases (median of {args.repeat}, {os.cpu_count()} cores)")
    print(f"  --parallel 1: {p1:.1f} s ({per_target * 1000:.0f} ms per target)")
    print(f"  --parallel 8: {p8:.1f} s ({p1 / p8:.1f}x faster)")
    print(f"  one `reconcile apply`: {single * 1000:.0f} ms, of which interpreter start {start * 1000:.0f} ms")
    print(f"  per-target overhead over one apply's work: {overhead * 100:+.0f} % (target < 20 %): "
          f"{'PASS' if overhead < 0.20 else 'FAIL'}")
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
