"""Carry out a Plan: exactly its statements, in its order, in one transaction, or nothing.

Safety, in the order it is enforced:
1. refusals and the destroy gate are checked before connecting to anything;
2. an advisory lock makes concurrent applies wait for each other (bounded by lock_timeout);
3. ``lock_timeout`` and ``statement_timeout`` bound every statement, so a plan never queues
   behind a long transaction while holding ACCESS EXCLUSIVE locks that block everyone else;
4. every step of the main phase runs in one transaction; any error rolls all of them back;
5. the exceptions are explicit in the plan: new enum labels that later steps use are committed
   first (PostgreSQL cannot use a label in the transaction that adds it; adding a label loses
   nothing if the rest fails), and steps that cannot run in a transaction run after the commit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from pgreconcile.diff.changes import Hazard
from pgreconcile.errors import ApplyFailed, PlanRefused
from pgreconcile.plan.model import Phase, Plan, Step, Summary

# One advisory lock key for every pgreconcile apply against a database ("pgrecncl" in ASCII).
ADVISORY_LOCK_KEY = 0x7067726563_6E636C


@dataclass(frozen=True)
class Timeouts:
    """Per-statement limits, in milliseconds (0 disables one)."""

    lock_timeout_ms: int = 10_000
    statement_timeout_ms: int = 600_000


#: Called after each step with the step and its duration in seconds.
StepCallback = Callable[[Step, float], None]


def check_applicable(plan: Plan, *, allow_destroy: bool) -> None:
    """Raise :class:`PlanRefused` when the plan must not run as it stands."""
    if plan.refusals:
        raise PlanRefused("the plan is refused: " + "; ".join(plan.refusals))
    if plan.destroys_data and not allow_destroy:
        lost = [s.label for s in plan.steps if Hazard.DROPS_DATA in s.hazards]
        raise PlanRefused(
            "this plan destroys data (" + "; ".join(lost) + ")",
            hint="review the plan, then run apply again with --allow-destroy",
        )


def _outcome(step: Step | None, committed: list[Step]) -> str:
    """What the database holds after a failure, said truthfully."""
    if step is not None and step.phase is Phase.AFTER:
        return "The transaction was committed; this step runs after it and did not complete."
    text = "The transaction was rolled back"
    if not committed:
        return text + ": nothing was applied."
    done = "; ".join(f"step {s.number} ({s.label})" for s in committed)
    return text + f". Committed before it, as the plan showed: {done}."


def _fail(step: Step | None, err: psycopg.Error, committed: list[Step]) -> ApplyFailed:
    diag = err.diag
    message = diag.message_primary or str(err).strip() or type(err).__name__
    state = f" (SQLSTATE {err.sqlstate})" if err.sqlstate else ""
    detail = f"\n  detail: {diag.message_detail}" if diag.message_detail else ""
    where = f"step {step.number} ({step.action.symbol} {step.label})" if step else "apply"
    return ApplyFailed(f"{where} failed: {message}{state}{detail}\n{_outcome(step, committed)}", hint=diag.message_hint)


def apply_plan(
    conn: psycopg.Connection,
    plan: Plan,
    *,
    allow_destroy: bool = False,
    timeouts: Timeouts = Timeouts(),
    on_step: StepCallback | None = None,
) -> Summary:
    """Apply ``plan`` on ``conn`` (a connection not inside a transaction). Returns the summary."""
    check_applicable(plan, allow_destroy=allow_destroy)
    conn.autocommit = True
    step: Step | None = None
    committed: list[Step] = []  # steps of the BEFORE phase, each committed on its own
    try:
        # UTC, so that converting naive timestamps and evaluating constant defaults never depends
        # on the server's or the client's time zone.
        conn.execute("SET TimeZone = 'UTC'")
        conn.execute("SELECT set_config('lock_timeout', %s, false)", (str(timeouts.lock_timeout_ms),))
        conn.execute("SELECT set_config('statement_timeout', %s, false)", (str(timeouts.statement_timeout_ms),))
        # Session-level advisory lock: held across the transaction and the non-transactional
        # steps after it, released when this connection ends. lock_timeout bounds the wait.
        conn.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))
        for step in plan.in_phase(Phase.BEFORE):
            _run(conn, step, on_step)
            committed.append(step)
        main = plan.in_phase(Phase.MAIN)
        if main:
            with conn.transaction():
                for step in main:
                    _run(conn, step, on_step)
        for step in plan.in_phase(Phase.AFTER):
            _run(conn, step, on_step)
        step = None
        conn.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK_KEY,))
    except psycopg.errors.LockNotAvailable as err:
        if step is None:
            raise ApplyFailed(
                "another apply holds the pgreconcile lock on this database; waited "
                f"{timeouts.lock_timeout_ms} ms",
                hint="wait for it to finish, or raise --lock-timeout",
            ) from None
        raise _fail(step, err, committed) from None
    except psycopg.Error as err:
        raise _fail(step, err, committed) from None
    return plan.summary


def _run(conn: psycopg.Connection, step: Step, on_step: StepCallback | None) -> None:
    started = time.perf_counter()
    for sql in step.statements:
        # Statements come from the plan, rendered by ddl/ with every name quoted; they are
        # executed as-is, never re-rendered here.
        # No parameters are passed, so psycopg sends the text as-is (a % in an expression stays).
        conn.execute(sql)
    if on_step:
        on_step(step, time.perf_counter() - started)
