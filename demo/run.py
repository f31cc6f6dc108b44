"""`make demo`: the main job on a throwaway PostgreSQL holding a broken schema (the drift of docs/incidents.md).

Starts a local server, loads demo/broken.sql, then runs what a user runs: `reconcile lint`
(the example schema keeps its conventions), `reconcile plan`, `reconcile apply`, and
`reconcile plan` again, which must show no changes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg

from pgreconcile.localpg import create_database, start_server

ROOT = Path(__file__).resolve().parent.parent


def banner(text: str) -> None:
    print(f"\n\033[1m$ {text}\033[0m" if sys.stdout.isatty() else f"\n$ {text}", flush=True)


def reconcile(*args: str, env: dict[str, str]) -> int:
    banner("reconcile " + " ".join(args))
    return subprocess.run(
        [sys.executable, "-m", "pgreconcile", *args, "--schema-dir", "schema"],
        env=env,
        cwd=ROOT,
        check=False,
    ).returncode


def main() -> int:
    print("Starting a throwaway PostgreSQL for the demo ...", flush=True)
    with start_server(os.environ.get("DEMO_DATABASE_URL")) as server:
        print(f"Using {server.kind}: {server.description}")
        url = create_database(server.url, "pgreconcile_demo")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute((ROOT / "demo" / "broken.sql").read_text())  # type: ignore[arg-type]
        print("Loaded demo/broken.sql: the drift from incidents 000-004 (see docs/incidents.md).")
        env = {**os.environ, "DATABASE_URL": url}
        if reconcile("lint", env=env) != 0:
            return 1
        if reconcile("plan", env=env) != 0:
            return 1
        # Incident 000's fix drops the bigint profiles.id (its name goes to the renamed uuid
        # user_id): a destroy, which apply performs only when told to.
        if reconcile("apply", "--auto-approve", "--allow-destroy", env=env) != 0:
            return 1
        code = reconcile("plan", "--detailed-exitcode", env=env)
        if code != 0:
            print(f"\nThe second plan was not empty (exit code {code}).")
            return 1
        print("\nDemo complete: planned, applied, and the second plan shows no changes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
