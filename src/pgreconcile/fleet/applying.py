"""Apply a fleet: canaries first, then the rest with bounded concurrency and a failure budget.

Each target keeps every one-database guarantee, because each runs the same code as ``reconcile
apply``: its own plan, the advisory lock, the staleness check, one transaction, the timeouts,
and verification by planning again. What the fleet adds is the order (``canary`` targets one by
one first; if one fails, nothing else starts), the budget (no new target starts once
``max_failures`` have failed), the results file written as targets finish, ``resume`` (targets
a results file records as done are skipped), and a clean stop (:mod:`.stopping`): after a first
Ctrl-C no new target starts and the running ones finish, each committed whole; after a second
they are cancelled, each rolled back whole; the outcomes say which.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import nullcontext
from dataclasses import dataclass, field

import psycopg

from pgreconcile.apply.retry import RetryNotice, apply_with_retries, sleep
from pgreconcile.apply.runner import Timeouts
from pgreconcile.apply.timeouts import Retries
from pgreconcile.catalog.canonical import canonicalize
from pgreconcile.catalog.connect import connect
from pgreconcile.errors import ApplyFailed, PlanRefused, ReconcileError
from pgreconcile.fleet.planning import Declared, ProberFactory, TargetPlan, failure_text, plan_target, read_live
from pgreconcile.fleet.results import Outcome, ResultsWriter, Status, now
from pgreconcile.fleet.stopping import Stopper
from pgreconcile.fleet.targets import Fleet, Target
from pgreconcile.plan import Plan, make_plan
from pgreconcile.plan.fingerprint import declarations_digest

Listener = Callable[[str, Target, Outcome | None], None]  # ("started" | "finished", target, outcome)
RetryListener = Callable[[Target, RetryNotice], None]  # a target's attempt failed transiently; it retries


@dataclass(frozen=True)
class ApplyOptions:
    parallel: int = 4
    canary: int = 1
    max_failures: int = 1
    allow_destroy: bool = False
    timeouts: Timeouts = field(default_factory=Timeouts)
    concurrently: bool = False
    retries: Retries = field(default_factory=Retries)


def _summary(plan: Plan) -> str:
    s = plan.summary
    return f"{s.add} added, {s.change} changed, {s.destroy} destroyed"


def apply_target(
    target: Target,
    declared: Declared,
    options: ApplyOptions,
    prober: ProberFactory | None = None,
    saved: dict[str, Plan] | None = None,
    stopper: Stopper | None = None,
    on_retry: RetryListener | None = None,
) -> Outcome:
    """Plan and apply one target on its own connections (or apply its plan from a saved fleet
    plan, ``saved``); never raises for a target's failure. Once ``stopper`` is cancelled, the
    target's apply is cancelled (or never begins) and it ends ``interrupted``, rolled back.
    With ``options.retries``, a transient failure that applied nothing is tried again (each
    attempt with every check of the first); once the fleet is asked to stop, no new attempt
    begins."""
    started = time.perf_counter()

    def ended(status: Status, summary: str = "", error: str | None = None) -> Outcome:
        return Outcome(target.name, status, round(time.perf_counter() - started, 3), summary, error, now())

    if saved is not None:
        planned = _saved_plan(target, declared, saved)
        if isinstance(planned, str):
            return ended(Status.REFUSED, error=planned)
    else:
        planned = plan_target(target, declared, concurrently=options.concurrently, prober=prober)
    if planned.plan is None or planned.desired is None or planned.scope is None:
        return ended(Status.FAILED, error=planned.error)
    plan = planned.plan
    if plan.refusals:
        return ended(Status.REFUSED, error="the plan is refused: " + "; ".join(plan.refusals))
    if not plan.has_changes:
        return ended(Status.NO_CHANGES)
    if stopper is not None and stopper.cancel.is_set():
        return ended(Status.INTERRUPTED, error="cancelled by Ctrl-C before its apply began: nothing was applied")
    try:
        with connect(target.url, autocommit=True) as conn:
            with stopper.applying(target.name, conn) if stopper is not None else nullcontext():
                apply_with_retries(
                    conn,
                    plan,
                    retries=options.retries,
                    on_retry=(lambda notice: on_retry(target, notice)) if on_retry is not None else None,
                    wait=_waiter(stopper),
                    allow_destroy=options.allow_destroy,
                    timeouts=options.timeouts,
                    observer=stopper.observer() if stopper is not None else None,
                    # A saved plan is planned again under the lock and must come out step for step the same.
                    desired=planned.desired if saved is not None else None,
                )
            after = read_live(conn, planned.scope, declared.patterns)
            desired, _ = canonicalize(conn, planned.desired, after)  # [views] as planning compares them
        leftover = make_plan(desired, after, source=plan.source, target=target.name)
        if leftover.has_changes:
            return ended(
                Status.FAILED,
                _summary(plan),
                "verification failed: the database still differs from the declarations after apply "
                f"({len(leftover.steps)} steps left)",
            )
    except PlanRefused as err:
        return ended(Status.REFUSED, error=failure_text(err, target.url))
    except ApplyFailed as err:
        if stopper is not None and stopper.cancel.is_set():
            # Cancelled by the fleet: the error says which step it stopped in and what was kept.
            return ended(Status.INTERRUPTED, _summary(plan), "cancelled by Ctrl-C: " + failure_text(err, target.url))
        return ended(Status.FAILED, error=failure_text(err, target.url))
    except KeyboardInterrupt:
        return ended(Status.INTERRUPTED, error="interrupted; the transaction was rolled back")
    except (ReconcileError, psycopg.Error, OSError) as err:
        return ended(Status.FAILED, error=failure_text(err, target.url))
    return ended(Status.APPLIED, _summary(plan))


def _waiter(stopper: Stopper | None) -> Callable[[float], bool]:
    """Sleep between attempts, cut short (and no retry) once the fleet is asked to stop."""
    if stopper is None:
        return sleep
    return lambda seconds: not stopper.stop.wait(seconds)


def _saved_plan(target: Target, declared: Declared, saved: dict[str, Plan]) -> TargetPlan | str:
    """The target's plan from a saved fleet plan, or why it cannot be applied. Staleness is
    checked by apply itself (the plan's fingerprints, under the advisory lock)."""
    plan = saved.get(target.name)
    if plan is None:
        return "the saved fleet plan has no plan for this target (it was added to the fleet since): plan again"
    desired, scope = declared.for_target(target)
    digest = declarations_digest(desired, scope)
    if plan.scope != scope or plan.declarations is None or plan.declarations.digest != digest:
        return "the declarations or the scope changed since the fleet plan was made: plan again"
    return TargetPlan(target, plan, desired, scope)


def apply_fleet(
    fleet: Fleet,
    declared: Declared,
    options: ApplyOptions,
    *,
    writer: ResultsWriter,
    skip: frozenset[str] = frozenset(),
    stopper: Stopper | None = None,
    listener: Listener | None = None,
    prober: ProberFactory | None = None,
    saved: dict[str, Plan] | None = None,
    on_retry: RetryListener | None = None,
) -> tuple[list[Outcome], list[Target]]:
    """Apply every target not in ``skip``. Returns the outcomes (in finishing order) and the
    targets never started (budget spent, a canary failed, or stopped)."""
    stopper = stopper or Stopper()
    todo = [t for t in fleet.targets if t.name not in skip]
    canaries = min(max(0, options.canary), len(todo))
    outcomes: list[Outcome] = []
    failures = 0
    canaries_done = 0
    canary_failed = False

    def run(target: Target) -> Outcome:
        try:
            if listener:
                listener("started", target, None)
            outcome = apply_target(target, declared, options, prober, saved, stopper, on_retry)
            writer.write(outcome)
            if listener:
                listener("finished", target, outcome)
            return outcome
        finally:
            stopper.finished(target.name)

    def failed(outcome: Outcome) -> bool:
        return outcome.status in (Status.FAILED, Status.REFUSED, Status.INTERRUPTED)

    # Every target runs on a worker thread, canaries too: the main thread only starts targets
    # and waits, so it sees a stop request within a fraction of a second.
    queue = list(reversed(todo))
    running: dict[Future[Outcome], bool] = {}  # future -> is a canary
    with ThreadPoolExecutor(max_workers=max(1, options.parallel), thread_name_prefix="fleet-apply") as pool:
        while True:
            stopper.poll()
            budget_spent = options.max_failures > 0 and failures >= options.max_failures
            # Canaries one at a time, alone; a failing canary stops the fleet before anything else starts.
            width = 1 if canaries_done < canaries else max(1, options.parallel)
            while (queue and len(running) < width and not stopper.stop.is_set() and not budget_spent
                   and not canary_failed):
                target = queue.pop()
                stopper.started(target.name)
                running[pool.submit(run, target)] = len(todo) - len(queue) <= canaries
            if not running:
                break
            try:
                done = _wait(set(running))
            except KeyboardInterrupt:
                # Without the CLI's signal handlers (a library caller), Ctrl-C still stops cleanly.
                stopper.request()
                continue
            for future in done:
                canary = running.pop(future)
                outcome = future.result()
                outcomes.append(outcome)
                failures += failed(outcome)
                canaries_done += canary
                canary_failed = canary_failed or (canary and failed(outcome))
    return outcomes, list(reversed(queue))


def _wait(running: set[Future[Outcome]]) -> set[Future[Outcome]]:
    # A timeout keeps the main thread returning to Python often, so a stop request is seen promptly.
    done, _ = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
    return set(done)
