"""Ctrl-C during ``reconcile apply --fleet``, sent as real signals to a real process.

Six databases, ``--parallel 2``: the first two targets are held waiting on a table lock, so they
are running when SIGINT arrives. After the first SIGINT nothing new starts; the first target,
released, finishes and commits; a second SIGINT cancels the other, which rolls back. The summary
names which finished and which rolled back, the results file records both, the exit code is 1,
and ``--resume`` finishes the job: every target's re-plan is empty.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import IO

import psycopg
import pytest

from conftest import run_sql
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.localpg import LocalServer
from pgreconcile.quoting import ident

pytestmark = pytest.mark.db

SRC = Path(__file__).resolve().parents[2] / "src"

BASE = """
CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id bigint PRIMARY KEY, amount numeric(10,2) NOT NULL);
INSERT INTO billing.invoices VALUES (1, 10), (2, 20);
"""

DESIRED = """
version: 1
schemas:
  billing:
    tables:
      invoices:
        columns:
          id: {type: bigint, primary_key: true}
          amount: {type: "numeric(10,2)", nullable: false}
          note: text
        indexes:
          invoices_amount_idx: {columns: [amount]}
"""


def _url(server: LocalServer, name: str) -> str:
    return server.url.rsplit("/", 1)[0] + "/" + name


def _reconcile(*args: str, cwd: Path, out: IO[str]) -> subprocess.Popen[str]:
    """``reconcile ARGS`` as its own process (this checkout's code), its output into ``out``."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
           "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "pgreconcile", *args], cwd=cwd, env=env, text=True,
                            stdout=out, stderr=subprocess.STDOUT)


def _until(what: str, check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _waiting_on_lock(server: LocalServer, name: str) -> bool:
    with psycopg.connect(_url(server, name), autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgreconcile' "
            "AND wait_event_type = 'Lock' AND datname = current_database()"
        ).fetchone() == (1,)


def _has_note(server: LocalServer, name: str) -> bool:
    with psycopg.connect(_url(server, name)) as conn:
        row = conn.execute("SELECT count(*) FROM pg_attribute WHERE attname = 'note' "
                           "AND attrelid = 'billing.invoices'::regclass AND NOT attisdropped").fetchone()
        assert conn.execute("SELECT count(*) FROM billing.invoices").fetchone() == (2,)  # rows kept
        return row == (1,)


def test_ctrl_c_stops_new_targets_lets_running_ones_finish_or_roll_back(
    pg_server: LocalServer, tmp_path: Path
) -> None:
    stem = f"pgr_sigint_{uuid.uuid4().hex[:6]}"
    names = [f"{stem}_{i}" for i in range(6)]
    finishes, rolls_back = names[0], names[1]
    with psycopg.connect(pg_server.url, autocommit=True) as admin:
        for name in names:
            admin.execute(f"CREATE DATABASE {ident(name)} TEMPLATE template0")
    holders: dict[str, psycopg.Connection[object]] = {}
    process: subprocess.Popen[str] | None = None
    try:
        for name in names:
            run_sql(_url(pg_server, name), BASE)
        (tmp_path / "schema").mkdir()
        (tmp_path / "schema" / "billing.yaml").write_text(DESIRED)
        (tmp_path / "reconcile.fleet.toml").write_text("\n".join(
            f'[[database]]\nname = "{n}"\nurl = "{_url(pg_server, n)}"\n' for n in names
        ))
        results, output = tmp_path / "results.jsonl", tmp_path / "output.txt"
        # The first two targets (the two --parallel 2 starts) wait behind a lock, so both are
        # running when the signal comes.
        for name in (finishes, rolls_back):
            holders[name] = psycopg.connect(_url(pg_server, name))
            holders[name].execute("LOCK TABLE billing.invoices IN ACCESS SHARE MODE")
        with output.open("w") as out:
            process = _reconcile("apply", "--fleet", "--parallel", "2", "--canary", "0", "--max-failures", "0",
                                 "--auto-approve", "--probe-timeout", "0", "--lock-timeout", "60s",
                                 "--results", str(results), cwd=tmp_path, out=out)
            _until("both running targets to wait on the lock",
                   lambda: all(_waiting_on_lock(pg_server, n) for n in (finishes, rolls_back)))
            process.send_signal(signal.SIGINT)
            _until("the stop notice", lambda: "Stopping: no new target will start" in output.read_text())
            time.sleep(0.5)  # a stopped fleet must not start anything in the meantime
            assert not results.exists() or results.read_text() == ""
            holders.pop(finishes).close()  # released: this one finishes and commits
            _until("the released target to finish", lambda: results.exists() and finishes in results.read_text())
            process.send_signal(signal.SIGINT)  # the second Ctrl-C cancels the one still waiting
            code = process.wait(timeout=60)
        text = output.read_text()
        assert code == Exit.ERROR, text
        assert "Traceback" not in text, text
        assert f"finished (committed): {finishes}" in text, text
        assert f"rolled back: {rolls_back}" in text, text
        assert "4 targets not started" in text, text
        assert f"--resume {results}" in text, text
        lines = [json.loads(line) for line in results.read_text().splitlines()]
        assert {line["target"]: line["status"] for line in lines} == {finishes: "applied", rolls_back: "interrupted"}
        cancelled = next(line for line in lines if line["target"] == rolls_back)
        assert "cancelled by Ctrl-C" in cancelled["error"] and "rolled back" in cancelled["error"], cancelled
        assert _has_note(pg_server, finishes)
        for name in names[1:]:  # rolled back, or never started
            assert not _has_note(pg_server, name), name
        holders.pop(rolls_back).close()

        resumed = subprocess.run(
            [sys.executable, "-m", "pgreconcile", "apply", "--fleet", "--auto-approve", "--probe-timeout", "0",
             "--resume", str(results), "--results", str(results)],
            cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(SRC), "NO_COLOR": "1"},
            capture_output=True, text=True, timeout=120,
        )
        assert resumed.returncode == Exit.OK, resumed.stdout + resumed.stderr
        assert "1 target already done are skipped" in resumed.stdout
        assert resumed.stdout.count(": applied") == 5
        assert all(_has_note(pg_server, name) for name in names)
        again = subprocess.run(
            [sys.executable, "-m", "pgreconcile", "plan", "--fleet", "--detailed-exitcode"],
            cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(SRC), "NO_COLOR": "1"},
            capture_output=True, text=True, timeout=120,
        )
        assert again.returncode == Exit.OK, again.stdout + again.stderr
    finally:
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        for holder in holders.values():
            holder.close()
        with psycopg.connect(pg_server.url, autocommit=True) as admin:
            for name in names:
                admin.execute(f"DROP DATABASE IF EXISTS {ident(name)} WITH (FORCE)")
