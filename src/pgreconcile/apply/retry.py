"""Apply again after a transient failure that applied nothing.

Transient: the failure says something about timing, not about the plan — another session held
a lock the plan needed past ``lock_timeout`` (55P03 lock_not_available: an application's
transaction, autovacuum's ANALYZE, a backup's lock), PostgreSQL broke a deadlock by aborting
the plan's transaction (40P01 deadlock_detected), or a serialization failure (40001
serialization_failure: under a ``default_transaction_isolation`` of repeatable read or
serializable, the apply's transaction runs at that level, and PostgreSQL documents 40001 as
"retry the whole transaction"). A catalog read that gave up waiting for a lock while checking
the plan (:class:`~pgreconcile.catalog.locks.CatalogLocked`) is the same 55P03 before anything
ran. Everything else — a constraint the data violates, a stale plan, the apply lock held by
another apply (which will change the database, so the plan would be stale anyway), a
statement_timeout — fails at once, as without retries.

Applied nothing: only a failure before any statement took effect is retried — before an enum
label committed ahead of the transaction, before the transaction committed, before any step that
runs after it (CREATE INDEX CONCURRENTLY, a CREATE SUBSCRIPTION that connects). The failed
attempt rolled back whole, so no statement can run twice.

Each attempt is a whole :func:`~pgreconcile.apply.runner.apply_plan`, with every check of the
first: the database the plan was made for, the apply lock, the objects the plan touches read
again and compared with its fingerprints (a saved plan also planned again from its
declarations). It runs the same plan — the one shown and approved, or the saved file — never a
plan made anew between attempts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg

from pgreconcile.apply.interrupts import Interrupted
from pgreconcile.apply.runner import StepObserver, apply_plan
from pgreconcile.apply.timeouts import Retries, Timeouts
from pgreconcile.catalog.locks import CatalogLocked
from pgreconcile.errors import ApplyFailed, ReconcileError
from pgreconcile.model import Schema
from pgreconcile.plan.model import Plan, Summary

#: The SQLSTATEs a retry may follow, with their condition names (PostgreSQL's appendix A).
TRANSIENT: dict[str, str] = {
    "55P03": "lock_not_available",
    "40P01": "deadlock_detected",
    "40001": "serialization_failure",
}

#: Sleeps the given seconds; False when the wait was cut short (a fleet asked to stop).
Wait = Callable[[float], bool]


def sleep(seconds: float) -> bool:
    """The plain :data:`Wait`: never cut short."""
    time.sleep(seconds)
    return True


@dataclass(frozen=True)
class RetryNotice:
    """An attempt failed transiently and applied nothing; another follows after ``delay_s``."""

    attempt: int  # the attempt that failed, from 1
    attempts: int  # how many at most
    condition: str  # lock_not_available, deadlock_detected, serialization_failure
    failure: str  # the first line of its error: which step, the server's message, the SQLSTATE
    delay_s: float

    def line(self) -> str:
        """One line for stderr."""
        return (
            f"Attempt {self.attempt} of {self.attempts} rolled back ({self.condition}) — {self.failure}; "
            f"nothing was applied. Retrying in {self.delay_s:g} s (attempt {self.attempt + 1} of {self.attempts})."
        )


def transient(err: ReconcileError) -> str | None:
    """The condition name when ``err`` is a failure a retry may follow, else None."""
    if isinstance(err, CatalogLocked):
        return TRANSIENT["55P03"]
    if isinstance(err, ApplyFailed) and err.nothing_applied and err.sqlstate in TRANSIENT:
        return TRANSIENT[err.sqlstate]
    return None


def apply_with_retries(
    conn: psycopg.Connection[Any],
    plan: Plan,
    *,
    retries: Retries,
    on_retry: Callable[[RetryNotice], None] | None = None,
    wait: Wait = sleep,
    allow_destroy: bool = False,
    timeouts: Timeouts | None = None,
    observer: StepObserver | None = None,
    desired: Schema | None = None,
) -> Summary:
    """:func:`~pgreconcile.apply.runner.apply_plan`, attempted up to ``retries.attempts`` times
    while each attempt fails transiently with nothing applied. ``on_retry`` is told before each
    wait. The last error is raised as it was, saying how many attempts were made."""
    limits = timeouts if timeouts is not None else Timeouts()
    attempt = 1
    while True:
        try:
            return apply_plan(conn, plan, allow_destroy=allow_destroy, timeouts=limits, observer=observer,
                              desired=desired)
        except ReconcileError as err:
            condition = transient(err)
            if condition is None or attempt >= retries.attempts:
                raise _told(err, attempt, retries, condition) from None
            delay_s = retries.delay_ms(attempt) / 1000
            failure = err.message.split("\n", 1)[0]
            try:
                # The notice inside: a signal that arrives once it is printed says so, not less.
                if on_retry is not None:
                    on_retry(RetryNotice(attempt, retries.attempts, condition, failure, delay_s))
                waited = wait(delay_s)
            except KeyboardInterrupt as why:
                name = why.signal_name if isinstance(why, Interrupted) else "SIGINT"
                raise ApplyFailed(
                    f"interrupted by {name} while waiting to retry, after attempt {attempt} of {retries.attempts} "
                    f"failed ({failure}): nothing was applied."
                ) from None
            if not waited:
                err.message += f"\nA stop was requested, so attempt {attempt} of {retries.attempts} was the last."
                raise _rendered(err) from None
            attempt += 1


def _told(err: ReconcileError, attempt: int, retries: Retries, condition: str | None) -> ReconcileError:
    """``err``, saying how many attempts were made (and, for a transient failure without
    retries, that a retry may help)."""
    if attempt > 1:
        if condition is not None:
            err.message += (
                f"\nGave up after {attempt} attempts ({_retries(retries.retries)}); each failed on a lock conflict, "
                "a deadlock or a serialization failure, and applied nothing."
            )
        else:
            earlier = "the attempt before it" if attempt == 2 else f"the {attempt - 1} attempts before it"
            err.message += (
                f"\nThis was attempt {attempt} of {retries.attempts}; {earlier} failed on a lock conflict, "
                "a deadlock or a serialization failure, and applied nothing."
            )
    elif condition is not None and retries.retries == 0 and err.hint is None:
        err.hint = (
            "such a conflict is usually transient: apply again, or let apply retry it with --retries N "
            "(with a short --lock-timeout, so that each attempt keeps other sessions waiting briefly)"
        )
    return _rendered(err)


def _retries(count: int) -> str:
    return f"{count} retr{'y' if count == 1 else 'ies'}"


def _rendered(err: ReconcileError) -> ReconcileError:
    err.args = (err.render(),)
    return err
