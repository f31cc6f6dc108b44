"""Never hang behind a lock (issue 18): while another session holds a managed table in ACCESS
EXCLUSIVE mode, `plan` and `apply` (and `apply FILE`) give up after --lock-timeout, name the
table and the session holding it, exit 1, and change nothing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from workflow_helpers import NOTES, NOTES_DESIRED, full_catalog, invoke, schema_dir

from conftest import run_sql
from pgreconcile.catalog.locks import CatalogLocked
from pgreconcile.catalog.reader import read_schema
from pgreconcile.cli.exitcodes import Exit


@pytest.fixture
def holder(db_url: str) -> Iterator[int]:
    """A session holding public.notes in ACCESS EXCLUSIVE mode; yields its pid."""
    run_sql(db_url, NOTES)
    conn = psycopg.connect(db_url, application_name="the-locker")
    try:
        conn.execute("LOCK TABLE public.notes IN ACCESS EXCLUSIVE MODE")
        pid = conn.info.backend_pid
        yield pid
    finally:
        conn.rollback()
        conn.close()


def _assert_names_the_holder(output: str, pid: int) -> None:
    assert "waited 1000 ms for a lock and gave up" in output
    assert f"table public.notes is locked (ACCESS EXCLUSIVE) by pid {pid}" in output
    assert "application_name 'the-locker'" in output
    assert "in a transaction since" in output
    assert "nothing was changed" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("probes", ["0", "2000"])
def test_plan_gives_up_after_the_lock_timeout(tmp_path: Path, db_url: str, holder: int, probes: str) -> None:
    schema = schema_dir(tmp_path, NOTES_DESIRED)
    started = time.monotonic()
    result = invoke("plan", "-s", str(schema), "-d", db_url, "--lock-timeout", "1s", "--probe-timeout", probes)
    elapsed = time.monotonic() - started
    assert result.exit_code == Exit.ERROR, result.output
    _assert_names_the_holder(result.output, holder)
    assert elapsed < 8, f"plan waited {elapsed:.1f} s behind the lock"


def test_apply_gives_up_after_the_lock_timeout(tmp_path: Path, db_url: str, holder: int) -> None:
    schema = schema_dir(tmp_path, NOTES_DESIRED)
    started = time.monotonic()
    result = invoke("apply", "-s", str(schema), "-d", db_url, "--lock-timeout", "1s", "--auto-approve")
    elapsed = time.monotonic() - started
    assert result.exit_code == Exit.ERROR, result.output
    _assert_names_the_holder(result.output, holder)
    assert elapsed < 8


def test_apply_of_a_saved_plan_gives_up_after_the_lock_timeout(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, NOTES)
    schema = schema_dir(tmp_path, NOTES_DESIRED)
    plan_file = tmp_path / "p.plan.json"
    assert invoke("plan", "-s", str(schema), "-d", db_url, "-out", str(plan_file)).exit_code == 0
    before = full_catalog(db_url)
    with psycopg.connect(db_url, application_name="the-locker") as conn:
        conn.execute("LOCK TABLE public.notes IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        result = invoke("apply", str(plan_file), "-d", db_url, "--lock-timeout", "1s")
        elapsed = time.monotonic() - started
        _assert_names_the_holder(result.output, conn.info.backend_pid)
        conn.rollback()
    assert result.exit_code == Exit.ERROR
    assert elapsed < 8
    assert full_catalog(db_url) == before


def test_the_catalog_read_itself_is_bounded(db_url: str, holder: int) -> None:
    with psycopg.connect(db_url) as conn:
        started = time.monotonic()
        with pytest.raises(CatalogLocked, match=r"waited 300 ms"):
            read_schema(conn, ["public"], lock_timeout_ms=300)
        assert time.monotonic() - started < 5
        # The connection is usable afterwards, and no transaction is left open.
        assert conn.execute("SELECT 1").fetchone() == (1,)
