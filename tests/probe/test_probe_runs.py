"""How probes run: bounded by their timeout, never stuck behind a lock, one scan per table,
one failure spoiling only its own probe, and the connection left as it was found."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.pq import TransactionStatus

from conftest import run_sql
from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare import load_files
from pgreconcile.plan import Plan, make_plan
from pgreconcile.plan.facts import Fact, FactKind
from pgreconcile.probe import DataProber

LIVE = """
CREATE TABLE public.big (id bigint PRIMARY KEY, legacy text, email text, qty integer);
INSERT INTO public.big SELECT g, 'x' || g, 'u' || g || '@example.com', g % 5 FROM generate_series(1, {rows}) AS g;
CREATE TABLE public.small (id bigint PRIMARY KEY, note text);
INSERT INTO public.small VALUES (1, 'a'), (2, NULL);
"""

DESIRED = """
version: 1
schemas:
  public:
    tables:
      big:
        columns:
          id: {type: bigint, primary_key: true}
          email: {type: text, nullable: false, unique: true}
          qty: {type: integer, check: 10 / qty > 0}
      small:
        columns:
          id: {type: bigint, primary_key: true}
"""


def _plan(url: str, tmp_path: Path, *, timeout_ms: int) -> tuple[Plan, DataProber]:
    path = tmp_path / "app.yaml"
    path.write_text(DESIRED)
    desired = load_files([path])
    with psycopg.connect(url) as conn:
        live = read_schema(conn, desired.managed)
        prober = DataProber(conn, timeout_ms=timeout_ms)
        plan = make_plan(desired, live, source="app.yaml", target="db", probe=prober)
        assert conn.info.transaction_status == TransactionStatus.IDLE
        assert conn.autocommit is False, "the connection is left as it was found"
    return plan, prober


def _facts(plan: Plan, label_start: str) -> tuple[Fact, ...]:
    return next(s.facts for s in plan.steps if s.label.startswith(label_start))


def test_probes_measure_and_share_one_scan_per_table(db_url: str, tmp_path: Path) -> None:
    run_sql(db_url, LIVE.format(rows=1000).replace("g % 5", "g % 5 + 1"))
    plan, prober = _plan(db_url, tmp_path, timeout_ms=5000)
    assert _facts(plan, "column legacy")[0].text == "drops data: 1,000 non-null values"
    assert _facts(plan, "column email")[0].text == "no NULLs in 1,000 rows"
    assert _facts(plan, "check big_qty_check")[0].text == "all 1,000 rows pass"
    assert _facts(plan, "unique big_email_key")[0].text == "no duplicates in 1,000 rows"
    assert _facts(plan, "column note")[0] == Fact(FactKind.VALUES_LOST, "drops data: 1 non-null value", 1, 2)
    # big: one scan for the drop, the NOT NULL and the CHECK, one query for duplicates; small: one.
    assert prober.last_run.queries == 3
    assert prober.last_run.failed == prober.last_run.timed_out == 0


def test_one_failing_probe_spoils_only_itself(db_url: str, tmp_path: Path) -> None:
    run_sql(db_url, LIVE.format(rows=100))  # qty = 0 in some rows: 10 / qty raises
    plan, prober = _plan(db_url, tmp_path, timeout_ms=5000)
    check = _facts(plan, "check big_qty_check")
    assert [f.text for f in check] == ["check not measured: the probe failed (division by zero)"]
    assert check[0].count is None and not check[0].blocks
    # The shared scan failed, so each of its probes was retried alone.
    assert _facts(plan, "column legacy")[0].text == "drops data: 100 non-null values"
    assert _facts(plan, "column email")[0].text == "no NULLs in 100 rows"
    assert prober.last_run.failed == 2  # the shared scan, then the check alone
    assert not plan.refusals


@pytest.fixture
def db_with_locked_big(db_url: str) -> Iterator[str]:
    run_sql(db_url, LIVE.format(rows=10))
    with psycopg.connect(db_url) as other:
        other.execute("LOCK TABLE public.big IN ACCESS EXCLUSIVE MODE")
        yield db_url
        other.rollback()


def test_a_locked_table_is_not_measured_and_does_not_stall_the_plan(db_with_locked_big: str, tmp_path: Path) -> None:
    started = time.perf_counter()
    plan, prober = _plan(db_with_locked_big, tmp_path, timeout_ms=400)
    elapsed = time.perf_counter() - started
    why = "not measured: public.big is locked by another session"
    assert [f.text for f in _facts(plan, "column legacy")] == [f"values {why}"]
    assert [f.text for f in _facts(plan, "unique big_email_key")] == [f"duplicates {why}"]
    assert _facts(plan, "check big_qty_check")[0].count is None
    assert _facts(plan, "column note")[0].text == "drops data: 1 non-null value", "other tables are measured"
    # One wait for the lock (within the timeout), not one per probe of the locked table.
    assert prober.last_run.timed_out == 1
    assert elapsed < 5, f"planning took {elapsed:.1f}s"
    assert plan.has_changes and not plan.refusals


def test_a_probe_that_outlives_its_timeout_is_not_measured(db_url: str, tmp_path: Path) -> None:
    run_sql(db_url, LIVE.format(rows=300_000).replace("g % 5", "g % 5 + 1"))
    plan, prober = _plan(db_url, tmp_path, timeout_ms=1)
    # A scan shared by three probes (the drop, the NOT NULL, the CHECK) has three probes' budget.
    assert _facts(plan, "column legacy")[0].text == "values not measured: timed out after 3 ms"
    assert _facts(plan, "unique big_email_key")[0].text == "duplicates not measured: timed out after 1 ms"
    assert prober.last_run.timed_out >= 2
    assert all(not f.blocks for s in plan.steps for f in s.facts)


def test_a_prober_needs_a_positive_timeout(db_conn: psycopg.Connection[Any]) -> None:
    with pytest.raises(ValueError, match="positive"):
        DataProber(db_conn, timeout_ms=0)
