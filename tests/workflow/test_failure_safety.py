"""Apply fails safely: a failing statement, a killed backend, Ctrl-C, SIGTERM and a concurrent
apply each leave the catalog exactly as it was (compared with a full read), exit non-zero, and
say which step it was. The CLI runs as a real process where signals and concurrency matter; a
step is made to wait by holding a lock on its table from another connection."""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from workflow_helpers import NOTES, NOTES_DESIRED, apply_waiting_on_a_lock, full_catalog, invoke, schema_dir, spawn

from conftest import run_sql
from pgreconcile.cli.exitcodes import Exit

# Step 1 creates audit (it runs), step 2 alters notes (it waits while notes is locked).
DESIRED = NOTES_DESIRED + "      audit:\n        columns:\n          id: integer\n"
BLOCKED_STEP = "step 2 (+ public.notes: column created_at timestamp with time zone not null default now())"


@pytest.fixture
def notes_locked(db_url: str) -> Iterator[psycopg.Connection[Any]]:
    """Another session holding a lock on public.notes until the test releases it."""
    run_sql(db_url, NOTES)
    with psycopg.connect(db_url) as holder:
        holder.execute("LOCK TABLE public.notes IN ACCESS SHARE MODE")
        yield holder


def _apply(tmp_path: Path, db_url: str, *extra: str) -> Any:
    schema = schema_dir(tmp_path, DESIRED)
    return spawn("apply", "--auto-approve", "-s", str(schema), "-d", db_url, "--lock-timeout", "60s", *extra)


def test_a_statement_failing_halfway_leaves_the_catalog_identical(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, NOTES + "INSERT INTO public.notes (body) VALUES ('a');")
    before = full_catalog(db_url)
    desired = DESIRED.replace("nullable: false}", "nullable: false, unique: true}", 1)
    schema = schema_dir(tmp_path, desired)
    # Probes off: they would refuse this plan up front; here the statement must fail mid-apply.
    result = invoke("apply", "--auto-approve", "--probe-timeout", "0", "-s", str(schema), "-d", db_url)
    assert result.exit_code == Exit.ERROR
    assert "[1/5] + table public.audit ... done in" in result.output  # something ran before the failure
    assert "unique notes_body_key" in result.output and "SQLSTATE 23505" in result.output
    assert "The transaction was rolled back: nothing was applied." in result.output
    assert "Traceback" not in result.output
    assert full_catalog(db_url) == before


def test_a_terminated_backend_commits_nothing(
    tmp_path: Path, db_url: str, notes_locked: psycopg.Connection[Any]
) -> None:
    before = full_catalog(db_url)
    process = _apply(tmp_path, db_url)
    pid = apply_waiting_on_a_lock(db_url)
    with psycopg.connect(db_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    out, err = process.communicate(timeout=60)
    notes_locked.rollback()
    assert process.returncode == Exit.ERROR, out + err
    assert f"Error: {BLOCKED_STEP} failed: terminating connection due to administrator command" in err
    assert "(SQLSTATE 57P01)" in err
    assert "The connection was lost before the commit, so the server rolled the transaction back" in err
    assert "Traceback" not in err
    assert "[1/4] + table public.audit ... done in" in out
    assert full_catalog(db_url) == before


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_apply_rolls_back_and_names_the_step(
    tmp_path: Path, db_url: str, notes_locked: psycopg.Connection[Any], sig: signal.Signals
) -> None:
    before = full_catalog(db_url)
    process = _apply(tmp_path, db_url)
    apply_waiting_on_a_lock(db_url)
    process.send_signal(sig)
    out, err = process.communicate(timeout=60)
    assert process.returncode == Exit.ERROR, out + err
    assert f"Error: interrupted by {sig.name} during {BLOCKED_STEP}." in err
    assert "The transaction was rolled back: nothing was applied." in err
    assert "Traceback" not in err
    assert "column created_at timestamp with time zone not null default now() ... failed after" in out
    # The waiting statement was cancelled in the server, not left to run on.
    with psycopg.connect(db_url, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgreconcile'").fetchone()
        assert row == (0,)
    notes_locked.rollback()
    assert full_catalog(db_url) == before


def test_two_applies_started_together_one_applies_and_the_other_names_the_holder(
    tmp_path: Path, db_url: str
) -> None:
    # The one that gets the lock spends ~4 s in a CHECK that sleeps; the other waits 1 s.
    run_sql(db_url, NOTES + "INSERT INTO public.other VALUES (1);")
    desired = NOTES_DESIRED + "        checks:\n          other_slow: pg_sleep(4) IS NOT NULL OR id > 0\n"
    schema = schema_dir(tmp_path, desired)
    args = ("apply", "--auto-approve", "-s", str(schema), "-d", db_url, "--lock-timeout", "1s")
    processes = [spawn(*args), spawn(*args)]
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    codes = sorted(code for code, _, _ in results)
    assert codes == [Exit.OK, Exit.ERROR], results
    winner = next(r for r in results if r[0] == Exit.OK)
    loser = next(r for r in results if r[0] == Exit.ERROR)
    assert "Apply complete! 3 added, 1 changed, 0 destroyed." in winner[1]
    assert re.search(
        r"Error: another apply holds the pgreconcile lock on this database: pid \d+ \(application_name "
        r"'pgreconcile', user postgres, connected since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, \d+ s ago, \w+\); "
        r"waited 1000 ms",
        loser[2],
    ), loser[2]
    again = invoke("plan", "-s", str(schema), "-d", db_url, "--detailed-exitcode")
    assert again.exit_code == Exit.OK, again.output
