"""Carry out a Plan: exactly its statements, in its order, in one transaction, or nothing.

Safety, in the order it is enforced:
1. refusals and the destroy gate are checked before connecting to anything;
2. an advisory lock makes concurrent applies wait for each other (bounded by lock_timeout), and
   a wait that ends names the session holding it (:mod:`pgreconcile.apply.lock`);
3. under that lock, the objects the plan touches are read again and their fingerprints compared
   with the plan's: a stale plan is refused, naming what changed (:mod:`.staleness`);
4. ``lock_timeout`` and ``statement_timeout`` bound every statement, so a plan never queues
   behind a long transaction while holding ACCESS EXCLUSIVE locks that block everyone else;
5. every step of the main phase runs in one transaction; any error, a lost connection, Ctrl-C
   or SIGTERM (:mod:`.interrupts`) rolls all of them back;
6. the exceptions are explicit in the plan: new enum labels that later steps use are committed
   first (PostgreSQL cannot use a label in the transaction that adds it; adding a label loses
   nothing if the rest fails), and steps that cannot run in a transaction (CREATE INDEX
   CONCURRENTLY) run after the commit, one by one; the INVALID index a failed one leaves is
   dropped (:mod:`.invalid_index`);
7. a failure tells whether nothing took effect (before any statement outside the transaction,
   and the transaction rolled back): only such a failure, and only a transient one (a lock
   conflict, a deadlock), may be followed by another attempt, which goes through 1–6 again
   (:mod:`.retry`). The apply lock is given back after any failure.
"""

from __future__ import annotations

import contextlib
import re
import time
from typing import Any, Protocol

import psycopg
from psycopg.pq import TransactionStatus

from pgreconcile.apply import lock
from pgreconcile.apply.identity import check_database, read_database
from pgreconcile.apply.interrupts import Interrupted
from pgreconcile.apply.invalid_index import drop_new_invalid, invalid_indexes
from pgreconcile.apply.lock import ADVISORY_LOCK_KEY
from pgreconcile.apply.staleness import check_fresh
from pgreconcile.apply.timeouts import Timeouts
from pgreconcile.catalog.connect import scrub
from pgreconcile.diff.changes import Hazard
from pgreconcile.errors import ApplyFailed, PlanRefused
from pgreconcile.model import Schema
from pgreconcile.model.foreign import SECRET_MASK
from pgreconcile.model.subscriptions import CONNINFO_MASK
from pgreconcile.plan.model import Phase, Plan, Step, Summary
from pgreconcile.quoting import literal

__all__ = ["ADVISORY_LOCK_KEY", "StepObserver", "Timeouts", "apply_plan", "check_applicable"]

_DEFAULT_TIMEOUTS = Timeouts()


class StepObserver(Protocol):
    """Told about each step as it runs (the CLI prints progress from this)."""

    def started(self, step: Step) -> None: ...

    def finished(self, step: Step, seconds: float) -> None: ...

    def failed(self, step: Step, seconds: float) -> None: ...


def check_applicable(plan: Plan, *, allow_destroy: bool) -> None:
    """Raise :class:`PlanRefused` when the plan must not run as it stands."""
    if plan.refusals:
        raise PlanRefused("the plan is refused: " + "; ".join(plan.refusals))
    masked = literal(SECRET_MASK)
    for step in plan.steps:
        if not step.secret_statements and any(masked in sql for sql in step.statements) and step.kind == "user mapping":
            raise PlanRefused(
                f"step {step.number} ({step.label}) sets a secret option, and a saved plan never holds its value",
                hint="apply from the declarations (reconcile apply without a plan file)",
            )
        if not step.secret_statements and step.kind == "subscription" and any(
            " CONNECTION " in sql and CONNINFO_MASK in sql for sql in step.statements
        ):
            raise PlanRefused(
                f"step {step.number} ({step.label}) sets a connection string with a password, and a saved plan "
                "never holds the password",
                hint="apply from the declarations (reconcile apply without a plan file)",
            )
    if plan.destroys_data and not allow_destroy:
        lost = [s.label for s in plan.steps if Hazard.DROPS_DATA in s.hazards]
        raise PlanRefused(
            "this plan destroys data (" + "; ".join(lost) + ")",
            hint="review the plan, then run apply again with --allow-destroy",
        )


def _outcome(step: Step | None, committed: list[Step], lost: bool, later: int = 0) -> str:
    """What the database holds after a failure, said truthfully (``later``: steps of the plan
    after this one, which did not run)."""
    if step is not None and step.phase is Phase.AFTER:
        text = "The transaction was committed; this step runs after it and did not complete."
        if later:
            text += f" The {later} step{'s' if later > 1 else ''} after it did not run."
        return text
    if step is not None and step.phase is Phase.BEFORE:
        text = "This step commits on its own and did not complete"
    elif lost:
        # PostgreSQL aborts the open transaction of a session whose connection is gone.
        text = "The connection was lost before the commit, so the server rolled the transaction back"
    else:
        text = "The transaction was rolled back"
    if not committed:
        return text + ": nothing was applied."
    done = "; ".join(s.title for s in committed)
    return text + f". Committed before it, as the plan showed: {done}."


def _where(step: Step | None) -> str:
    return step.title if step else "apply"


def _fail(
    conn: psycopg.Connection[Any],
    step: Step | None,
    err: psycopg.Error,
    committed: list[Step],
    later: int = 0,
    *,
    nothing_applied: bool = False,
) -> ApplyFailed:
    diag = err.diag
    message = _scrubbed(diag.message_primary or str(err).strip() or type(err).__name__, step)
    state = f" (SQLSTATE {err.sqlstate})" if err.sqlstate else ""
    detail = f"\n  detail: {_scrubbed(diag.message_detail, step)}" if diag.message_detail else ""
    lost = conn.broken or conn.closed
    outcome = _outcome(step, committed, lost=lost, later=later)
    return ApplyFailed(
        f"{_where(step)} failed: {message}{state}{detail}\n{outcome}",
        hint=diag.message_hint,
        sqlstate=err.sqlstate,
        # A lost connection leaves the commit's fate unknown to this side: never "nothing".
        nothing_applied=nothing_applied and not lost,
    )


# [subscriptions] A connection string in a step's real statements (plan/build.py masks the shown ones).
_CONNECTION = re.compile(r"CONNECTION E?'((?:[^']|'')*)'")


def _scrubbed(text: str, step: Step | None) -> str:
    """``text`` with the passwords of the step's connection strings masked, should the server
    quote one back (libpq's conninfo errors quote pieces of the string)."""
    for sql in step.secret_statements if step is not None else ():
        for found in _CONNECTION.finditer(sql):
            text = scrub(text, found.group(1).replace("''", "'"))
    return text


def _interrupted(step: Step | None, why: KeyboardInterrupt, committed: list[Step], later: int = 0) -> ApplyFailed:
    name = why.signal_name if isinstance(why, Interrupted) else "SIGINT"
    outcome = _outcome(step, committed, lost=False, later=later)
    return ApplyFailed(f"interrupted by {name} during {_where(step)}.\n{outcome}")


def apply_plan(
    conn: psycopg.Connection[Any],
    plan: Plan,
    *,
    allow_destroy: bool = False,
    timeouts: Timeouts = _DEFAULT_TIMEOUTS,
    observer: StepObserver | None = None,
    desired: Schema | None = None,
) -> Summary:
    """Apply ``plan`` on ``conn`` (a connection not inside a transaction). Returns the summary.

    A plan that records its database is refused on any other before anything runs. ``desired``
    (given for a saved plan: its declarations) makes apply plan again under the lock and refuse
    the saved plan unless its steps are exactly those (:mod:`pgreconcile.plan.rederive`)."""
    check_applicable(plan, allow_destroy=allow_destroy)
    conn.autocommit = True
    if plan.database is not None:
        check_database(plan, read_database(conn))
    step: Step | None = None
    committed: list[Step] = []  # steps of the BEFORE phase, each committed on its own
    # Whether anything may have taken effect: a statement outside the transaction began (each
    # of those commits on its own, or leaves an INVALID index), or the transaction committed.
    # Only a failure before either is "nothing applied", the one kind a retry may follow.
    took_effect = False
    locked = False
    try:
        # UTC, so that converting naive timestamps and evaluating constant defaults never depends
        # on the server's or the client's time zone.
        conn.execute("SET TimeZone = 'UTC'")
        conn.execute("SELECT set_config('lock_timeout', %s, false)", (str(timeouts.lock_timeout_ms),))
        conn.execute("SELECT set_config('statement_timeout', %s, false)", (str(timeouts.statement_timeout_ms),))
        # Session-level: held across the transaction and the steps after it, released when this
        # connection ends.
        lock.acquire(conn, timeouts.lock_timeout_ms)
        locked = True
        check_fresh(conn, plan, desired=desired, lock_timeout_ms=timeouts.lock_timeout_ms)
        for step in plan.in_phase(Phase.BEFORE):
            took_effect = True
            _run(conn, step, observer)
            committed.append(step)
        main = plan.in_phase(Phase.MAIN)
        if main:
            with conn.transaction():
                for step in main:
                    _run(conn, step, observer)
            took_effect = True
        after = plan.in_phase(Phase.AFTER)
        for index, step in enumerate(after, start=1):
            took_effect = True
            _run_outside(conn, step, observer, committed, later=len(after) - index)
        step = None
        locked = False
        # Everything ran and committed: a release that fails now (the connection dropped at this
        # moment) changes nothing of that, and the session's end gives the lock back; it must not
        # turn into a failure that says what was applied was rolled back.
        with contextlib.suppress(psycopg.Error):
            lock.release(conn)
    except psycopg.Error as err:
        raise _fail(conn, step, err, committed, nothing_applied=not took_effect) from None
    except KeyboardInterrupt as why:
        raise _interrupted(step, why, committed) from None
    finally:
        if locked:
            # Given back now rather than when the connection ends: a retry on this connection
            # takes it again, and another apply need not wait out this one's backoff.
            _release_quietly(conn)
    return plan.summary


def _release_quietly(conn: psycopg.Connection[Any]) -> None:
    """Release the apply lock after a failure, if the session can still say so (a session that
    is gone released it anyway)."""
    if conn.broken or conn.closed or conn.info.transaction_status != TransactionStatus.IDLE:
        return
    with contextlib.suppress(psycopg.Error, KeyboardInterrupt):
        lock.release(conn)


def _run(conn: psycopg.Connection[Any], step: Step, observer: StepObserver | None) -> None:
    if observer:
        observer.started(step)
    started = time.perf_counter()
    try:
        for sql in step.secret_statements or step.statements:
            # Statements come from the plan, rendered by ddl/ with every name quoted; they are
            # executed as-is, never re-rendered here. No parameters are passed, so psycopg sends
            # the text as-is (a % in an expression stays).
            conn.execute(sql)
    except BaseException:
        if observer:
            observer.failed(step, time.perf_counter() - started)
        raise
    if observer:
        observer.finished(step, time.perf_counter() - started)


def _run_outside(
    conn: psycopg.Connection[Any], step: Step, observer: StepObserver | None, committed: list[Step], later: int
) -> None:
    """A step after the commit: on failure, drop the INVALID index it may have left and say so."""
    before = invalid_indexes(conn)
    try:
        _run(conn, step, observer)
    except psycopg.Error as err:
        failure = _fail(conn, step, err, committed, later)
        raise ApplyFailed(
            f"{failure.message} {drop_new_invalid(conn, before)}".rstrip(), hint=failure.hint, sqlstate=err.sqlstate
        ) from None
    except KeyboardInterrupt as why:
        failure = _interrupted(step, why, committed, later)
        raise ApplyFailed(f"{failure.message} {drop_new_invalid(conn, before)}".rstrip()) from None
