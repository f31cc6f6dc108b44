"""apply --retries: a transient failure that applied nothing is tried again, with every check of
the first attempt; anything else fails at once, and nothing ever runs twice.

A second session holds a lock the plan needs; a thread lets it go once apply has visibly
waited for it and given up (an ungranted lock on the table appears, then disappears), so each
test knows which attempt fails without sleeping longer than the waits themselves.
"""

from __future__ import annotations

import dataclasses
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.apply.retry import RetryNotice, apply_with_retries, transient
from pgreconcile.apply.timeouts import Retries, Timeouts
from pgreconcile.catalog.locks import CatalogLocked
from pgreconcile.catalog.reader import read_schema
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.errors import ApplyFailed
from pgreconcile.model import Column, Index, Schema, UniqueConstraint
from pgreconcile.plan import Plan, make_plan

LIVE = """
CREATE TABLE public.a (id integer PRIMARY KEY);
CREATE TABLE public.b (id integer PRIMARY KEY, n integer DEFAULT 0);
"""
DESIRED = """
version: 1
schemas:
  public:
    tables:
      a:
        columns:
          id: {type: integer, primary_key: true}
          note: {type: text}
      b:
        columns:
          id: {type: integer, primary_key: true}
          n: {type: integer, default_sql: "0"}
          note: {type: text}
"""

_WAITING = "SELECT count(*) FROM pg_catalog.pg_locks WHERE relation = %s::regclass AND NOT granted AND pid <> %s"


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _common(tmp_path: Path, url: str) -> tuple[str, ...]:
    schema = tmp_path / "schema"
    schema.mkdir(exist_ok=True)
    (schema / "app.yaml").write_text(DESIRED)
    return ("--schema-dir", str(schema), "--database-url", url)


def _columns(url: str, table: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
            "ORDER BY attnum",
            (table,),
        ).fetchall()
    return [r[0] for r in rows]


def _wait_for(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 30
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.01)


class Holder:
    """A second session with an open transaction holding a lock, and a monitor connection."""

    def __init__(self, url: str, sql: str) -> None:
        self.conn = psycopg.connect(url)
        for statement in sql.split(";"):  # the first opens the transaction that keeps the lock
            self.conn.execute(statement)
        self.pid = self.conn.info.backend_pid
        self.monitor = psycopg.connect(url, autocommit=True)

    def waiters(self, table: str) -> int:
        row = self.monitor.execute(_WAITING, (table, self.pid)).fetchone()
        return int(row[0]) if row else 0

    def wait_for_a_failed_wait(self, table: str) -> None:
        """Until another session has waited for a lock on ``table`` and given up."""
        _wait_for(lambda: self.waiters(table) > 0, f"a session waiting for {table}")
        _wait_for(lambda: self.waiters(table) == 0, f"the wait for {table} to end")

    def close(self) -> None:
        self.conn.rollback()
        self.conn.close()
        self.monitor.close()


@contextmanager
def holding(url: str, sql: str, then: Callable[[Holder], None] | None = None) -> Iterator[Holder]:
    """``sql`` run in a transaction left open; ``then`` (if given) runs in a thread meanwhile and
    lets go of the lock itself; otherwise the lock is held until the block ends."""
    holder = Holder(url, sql)
    thread = None
    failure: list[BaseException] = []
    if then is not None:

        def run() -> None:
            try:
                then(holder)
            except BaseException as err:  # reported by the test, not lost in the thread
                failure.append(err)
                holder.conn.rollback()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
    try:
        yield holder
    finally:
        if thread is not None:
            thread.join(timeout=30)
        holder.close()
    assert not failure, failure


def _release_after_one_failed_wait(table: str) -> Callable[[Holder], None]:
    def then(holder: Holder) -> None:
        holder.wait_for_a_failed_wait(table)
        holder.conn.rollback()

    return then


def test_a_lock_held_by_an_application_transaction_is_waited_out(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    common = _common(tmp_path, db_url)
    # An application's open transaction that wrote to b: its ROW EXCLUSIVE lock lets the plan be
    # made and checked (they read), and stops ALTER TABLE b, which needs ACCESS EXCLUSIVE.
    with holding(db_url, "INSERT INTO public.b VALUES (1)", _release_after_one_failed_wait("public.b")):
        code, out, err = _invoke(
            "apply", *common, "--auto-approve", "--lock-timeout", "300ms", "--retries", "3", "--retry-delay", "300ms"
        )
    assert code == 0, out + err
    retry_lines = [line for line in err.splitlines() if line.startswith("Attempt ")]
    assert retry_lines[0].startswith("Attempt 1 of 4 rolled back (lock_not_available) — step ")
    assert "step 2 (+ public.b: column note text) failed: canceling statement due to lock timeout" in retry_lines[0]
    assert "(SQLSTATE 55P03); nothing was applied. Retrying in 0.3 s (attempt 2 of 4)." in retry_lines[0]
    assert "Apply complete! 2 added, 0 changed, 0 destroyed." in out
    assert "Verified: the database matches the declarations." in out
    assert _columns(db_url, "public.a") == ["id", "note"]
    assert _columns(db_url, "public.b") == ["id", "n", "note"]
    code, out, err = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, out + err


def test_a_saved_plan_is_checked_again_before_each_attempt(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    common = _common(tmp_path, db_url)
    plan_file = tmp_path / "add-notes.plan.json"
    code, out, err = _invoke("plan", *common, "-out", str(plan_file))
    assert code == 0, out + err
    # ACCESS EXCLUSIVE also stops the catalog read that checks the saved plan's fingerprints
    # (reading b's column default locks b): the first attempt fails there, before any
    # statement, and the next reads them again.
    with holding(db_url, "LOCK TABLE public.b IN ACCESS EXCLUSIVE MODE", _release_after_one_failed_wait("public.b")):
        code, out, err = _invoke(
            "apply", str(plan_file), "--database-url", db_url, "--lock-timeout", "300ms", "--retries", "2",
            "--retry-delay", "300ms",
        )
    assert code == 0, out + err
    assert "Attempt 1 of 3 rolled back (lock_not_available) — reading the catalog waited 300 ms" in err
    assert "Retrying in 0.3 s (attempt 2 of 3)." in err
    assert _columns(db_url, "public.b") == ["id", "n", "note"]
    code, out, err = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, out + err


def test_a_saved_plan_whose_objects_changed_between_attempts_is_refused(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    common = _common(tmp_path, db_url)
    plan_file = tmp_path / "add-notes.plan.json"
    code, out, err = _invoke("plan", *common, "-out", str(plan_file))
    assert code == 0, out + err

    def change_then_release(holder: Holder) -> None:
        # The holder's own transaction changes b, then commits: the retry must see it.
        holder.wait_for_a_failed_wait("public.b")
        holder.conn.execute("ALTER TABLE public.b ADD COLUMN other text")
        holder.conn.commit()

    with holding(db_url, "LOCK TABLE public.b IN ACCESS EXCLUSIVE MODE", change_then_release):
        code, out, err = _invoke(
            "apply", str(plan_file), "--database-url", db_url, "--lock-timeout", "300ms", "--retries", "2",
            "--retry-delay", "300ms",
        )
    assert code == Exit.ERROR, out + err
    assert "Attempt 1 of 3 rolled back (lock_not_available)" in err
    assert "the database changed since the plan was made" in err
    assert "This was attempt 2 of 3; the attempt before it failed on a lock conflict" in err
    assert _columns(db_url, "public.a") == ["id"]
    assert _columns(db_url, "public.b") == ["id", "n", "other"]


def test_retries_run_out_and_nothing_is_applied(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    common = _common(tmp_path, db_url)
    with holding(db_url, "INSERT INTO public.b VALUES (1)"):
        code, out, err = _invoke(
            "apply", *common, "--auto-approve", "--lock-timeout", "200ms", "--retries", "2", "--retry-delay", "50ms"
        )
    assert code == Exit.ERROR, out + err
    retry_lines = [line for line in err.splitlines() if line.startswith("Attempt ")]
    assert [line.split(" rolled back")[0] for line in retry_lines] == ["Attempt 1 of 3", "Attempt 2 of 3"]
    assert "Retrying in 0.05 s (attempt 2 of 3)." in retry_lines[0]
    assert "Retrying in 0.1 s (attempt 3 of 3)." in retry_lines[1]
    assert "canceling statement due to lock timeout (SQLSTATE 55P03)" in err
    assert "The transaction was rolled back: nothing was applied." in err
    assert "Gave up after 3 attempts (2 retries)" in err
    assert _columns(db_url, "public.a") == ["id"]  # rolled back with b, each time
    assert _columns(db_url, "public.b") == ["id", "n"]
    code, out, err = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.CHANGES, out + err


def test_without_retries_a_lock_conflict_fails_once_and_says_retries_exist(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    common = _common(tmp_path, db_url)
    with holding(db_url, "INSERT INTO public.b VALUES (1)"):
        code, out, err = _invoke("apply", *common, "--auto-approve", "--lock-timeout", "200ms")
    assert code == Exit.ERROR, out + err
    assert "Attempt " not in err
    assert "SQLSTATE 55P03" in err
    assert "--retries N" in err
    assert _columns(db_url, "public.a") == ["id"]


def test_a_deadlock_is_retried(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    common = _common(tmp_path, db_url)

    def deadlock(holder: Holder) -> None:
        # apply holds a (ALTER TABLE a done) and waits for b; reading a now closes the cycle.
        # The holder's deadlock_timeout is long, so apply's own check (after 1 s) finds the
        # deadlock and apply's transaction is the one aborted.
        _wait_for(lambda: holder.waiters("public.b") > 0, "apply waiting for b")
        holder.conn.execute("SELECT count(*) FROM public.a")
        holder.conn.rollback()

    with holding(db_url, "SET deadlock_timeout = '60s'; INSERT INTO public.b VALUES (1)", deadlock):
        code, out, err = _invoke(
            "apply", *common, "--auto-approve", "--lock-timeout", "20s", "--retries", "2", "--retry-delay", "100ms"
        )
    assert code == 0, out + err
    assert "Attempt 1 of 3 rolled back (deadlock_detected)" in err
    assert "(SQLSTATE 40P01)" in err
    assert _columns(db_url, "public.a") == ["id", "note"]
    code, out, err = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, out + err


# Through the library: the failures a retry must never follow.


def _live(url: str) -> Schema:
    with psycopg.connect(url) as conn:
        return read_schema(conn, ["public"])


def _apply(url: str, plan: Plan, notices: list[RetryNotice], lock_timeout_ms: int = 10_000) -> None:
    with psycopg.connect(url) as conn:
        apply_with_retries(
            conn,
            plan,
            retries=Retries(retries=3, first_delay_ms=10),
            on_retry=notices.append,
            timeouts=Timeouts(lock_timeout_ms=lock_timeout_ms),
        )


def test_a_failure_that_is_not_transient_is_not_retried(db_url: str) -> None:
    run_sql(db_url, LIVE + "INSERT INTO public.a VALUES (1), (2);")
    live = _live(db_url)
    a = live.tables[("public", "a")]
    # The UNIQUE fails on the data (23505): the plan is made without probes, which would refuse it.
    duplicated = dataclasses.replace(
        a,
        columns=(*a.columns, Column("n", "integer", default="0")),
        uniques=(UniqueConstraint("a_n_key", ("n",)),),
    )
    plan = make_plan(dataclasses.replace(live, tables={**live.tables, ("public", "a"): duplicated}), live,
                     source="test", target="test")
    notices: list[RetryNotice] = []
    with pytest.raises(ApplyFailed) as failure:
        _apply(db_url, plan, notices)
    assert notices == []
    assert failure.value.sqlstate == "23505"
    assert "attempt" not in failure.value.render().lower()
    assert _columns(db_url, "public.a") == ["id"]


def test_a_lock_conflict_after_the_commit_is_not_retried(db_url: str) -> None:
    run_sql(db_url, LIVE)
    live = _live(db_url)
    a, b = live.tables[("public", "a")], live.tables[("public", "b")]
    desired = dataclasses.replace(live, tables={
        ("public", "a"): dataclasses.replace(a, indexes=(Index("a_id_idx", ("id",)),)),
        ("public", "b"): dataclasses.replace(b, columns=(*b.columns, Column("note", "text"))),
    })
    plan = make_plan(desired, live, source="test", target="test", concurrently=True)
    assert [s.phase.value for s in plan.steps] == ["main", "after"]
    notices: list[RetryNotice] = []
    # SHARE conflicts with CREATE INDEX CONCURRENTLY's SHARE UPDATE EXCLUSIVE, not with reading.
    with holding(db_url, "LOCK TABLE public.a IN SHARE MODE"), pytest.raises(ApplyFailed) as failure:
        _apply(db_url, plan, notices, lock_timeout_ms=200)
    assert notices == []
    assert failure.value.sqlstate == "55P03"
    assert not failure.value.nothing_applied
    assert "The transaction was committed; this step runs after it and did not complete." in failure.value.render()
    assert _columns(db_url, "public.b") == ["id", "n", "note"]  # committed once, never run again


def test_a_lock_conflict_after_enum_labels_were_committed_is_not_retried(db_url: str) -> None:
    run_sql(db_url, "CREATE TYPE public.risk AS ENUM ('low');" + LIVE)
    live = _live(db_url)
    enum = live.enums[("public", "risk")]
    b = live.tables[("public", "b")]
    # The new label is used by the new column's default: it is committed before the transaction.
    column = Column("r", "public.risk", default="'high'::public.risk")
    desired = dataclasses.replace(
        live,
        enums={("public", "risk"): dataclasses.replace(enum, values=("low", "high"))},
        tables={**live.tables, ("public", "b"): dataclasses.replace(b, columns=(*b.columns, column))},
    )
    plan = make_plan(desired, live, source="test", target="test")
    assert [s.phase.value for s in plan.steps] == ["before", "main"]
    notices: list[RetryNotice] = []
    with holding(db_url, "INSERT INTO public.b VALUES (1)"), pytest.raises(ApplyFailed) as failure:
        _apply(db_url, plan, notices, lock_timeout_ms=200)
    assert notices == []
    assert failure.value.sqlstate == "55P03"
    assert "Committed before it, as the plan showed:" in failure.value.render()
    assert _live(db_url).enums[("public", "risk")].values == ("low", "high")


def test_the_apply_lock_is_given_back_after_a_failure(db_url: str) -> None:
    run_sql(db_url, LIVE)
    live = _live(db_url)
    b = live.tables[("public", "b")]
    desired = dataclasses.replace(live, tables={
        **live.tables, ("public", "b"): dataclasses.replace(b, columns=(*b.columns, Column("note", "text"))),
    })
    plan = make_plan(desired, live, source="test", target="test")
    with psycopg.connect(db_url) as conn:
        with holding(db_url, "INSERT INTO public.b VALUES (1)"), pytest.raises(ApplyFailed):
            apply_with_retries(conn, plan, retries=Retries(), timeouts=Timeouts(lock_timeout_ms=200))
        # The same session applies again: had the lock stayed taken, a second pg_advisory_lock
        # would nest, and the one unlock at the end would leave it held for every other apply.
        apply_with_retries(conn, plan, retries=Retries())
        held: Any = conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = "
                                 "pg_backend_pid()").fetchone()
        assert held[0] == 0
    assert _columns(db_url, "public.b") == ["id", "n", "note"]


def test_a_fleet_target_retries_and_says_so(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    common = _common(tmp_path, db_url)
    fleet = tmp_path / "reconcile.fleet.toml"
    fleet.write_text(f'[[database]]\nname = "one"\nurl = "{db_url}"\n')
    results = tmp_path / "results.jsonl"
    with holding(db_url, "INSERT INTO public.b VALUES (1)", _release_after_one_failed_wait("public.b")):
        code, out, err = _invoke(
            "apply", "--schema-dir", common[1], "--fleet", str(fleet), "--results", str(results), "--auto-approve",
            "--lock-timeout", "300ms", "--retries", "2", "--retry-delay", "300ms",
        )
    assert code == 0, out + err
    assert "one: Attempt 1 of 3 rolled back (lock_not_available) — step 2 (+ public.b: column note text) failed" in err
    assert '"status": "applied"' in results.read_text()
    code, out, err = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, out + err


def test_the_configuration_file_sets_retries_and_the_flag_wins(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_sql(db_url, LIVE)
    common = _common(tmp_path, db_url)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reconcile.toml").write_text('lock_timeout = "150ms"\nretries = 1\nretry_delay = "20ms"\n')
    with holding(db_url, "INSERT INTO public.b VALUES (1)"):
        code, out, err = _invoke("apply", *common, "--auto-approve")
        assert code == Exit.ERROR, out + err
        assert "Attempt 1 of 2 rolled back (lock_not_available)" in err
        assert "Retrying in 0.02 s (attempt 2 of 2)." in err
        assert "Gave up after 2 attempts (1 retry)" in err
        code, out, err = _invoke("apply", *common, "--auto-approve", "--retries", "0")
        assert code == Exit.ERROR, out + err
        assert "Attempt " not in err
    assert _columns(db_url, "public.a") == ["id"]


def test_sigterm_while_waiting_to_retry_ends_apply_with_nothing_applied(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    common = _common(tmp_path, db_url)
    with holding(db_url, "INSERT INTO public.b VALUES (1)"):
        process = subprocess.Popen(
            [sys.executable, "-m", "pgreconcile", "apply", *common, "--auto-approve", "--lock-timeout", "200ms",
             "--retries", "3", "--retry-delay", "60s"],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert process.stderr is not None
        first = process.stderr.readline()  # the retry line: apply now waits 60 s
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=30)
    assert first.startswith("Attempt 1 of 4 rolled back (lock_not_available)"), first + rest
    assert process.returncode == Exit.ERROR
    assert "Error: interrupted by SIGTERM while waiting to retry, after attempt 1 of 4 failed" in rest
    assert "nothing was applied" in rest
    assert _columns(db_url, "public.a") == ["id"]


def test_which_failures_a_retry_may_follow() -> None:
    def failed(sqlstate: str | None, nothing_applied: bool) -> ApplyFailed:
        return ApplyFailed("step 1 failed", sqlstate=sqlstate, nothing_applied=nothing_applied)

    assert transient(failed("55P03", True)) == "lock_not_available"
    assert transient(failed("40P01", True)) == "deadlock_detected"
    # Under default_transaction_isolation = repeatable read / serializable: retry the transaction.
    assert transient(failed("40001", True)) == "serialization_failure"
    assert transient(failed("55P03", False)) is None  # something took effect: never again
    assert transient(failed("57014", True)) is None  # statement_timeout: as slow next time
    assert transient(failed(None, True)) is None  # the apply lock, an interrupt
    assert transient(CatalogLocked("reading the catalog waited 200 ms for a lock and gave up")) == "lock_not_available"


def test_the_wait_doubles_up_to_a_limit() -> None:
    assert [Retries(retries=7).delay_ms(n) for n in range(1, 8)] == [1000, 2000, 4000, 8000, 16000, 30000, 30000]
    assert Retries(retries=2, first_delay_ms=45_000).delay_ms(2) == 45_000  # a longer first wait is never cut
    assert Retries(retries=2).attempts == 3
