"""Is the plan still the plan? Re-read the objects it touches and compare their fingerprints.

Checked after the advisory lock is taken and before the first statement, so no other apply can
slip in between; a plan made by ``reconcile plan -out`` and one waiting for a "yes" are checked
alike. The catalog is read through the plan's own scope (managed schemas, ignore patterns), the
way it was read when the plan was made.
"""

from __future__ import annotations

from typing import Any

import psycopg

from pgreconcile.catalog.canonical import compared_sides
from pgreconcile.catalog.reader import read_schema
from pgreconcile.errors import PlanRefused
from pgreconcile.ignore import parse_patterns, without_ignored
from pgreconcile.model import Schema
from pgreconcile.plan.fingerprint import changed_since
from pgreconcile.plan.model import Plan
from pgreconcile.plan.rederive import first_difference


class PlanStale(PlanRefused):
    """The database changed since the plan was made; the plan is not applied."""


class PlanNotDerived(PlanRefused):
    """A saved plan whose steps are not what pgreconcile plans (edited by hand, or made from
    something else than its recorded declarations); it is not applied."""


def check_fresh(
    conn: psycopg.Connection[Any], plan: Plan, *, desired: Schema | None = None, lock_timeout_ms: int = 10_000
) -> None:
    """Raise :class:`PlanStale` naming every touched object that changed since planning. With
    ``desired`` (a saved plan's declarations), also make the plan again and raise
    :class:`PlanNotDerived` unless its steps are exactly the saved ones (:mod:`pgreconcile.plan.rederive`)."""
    if not plan.steps:
        return
    if not plan.fingerprints or plan.scope is None:
        raise PlanRefused(
            "the plan carries no fingerprints of the objects it touches, so whether the database "
            "changed since it was made cannot be checked",
            hint="make the plan again with this pgreconcile: `reconcile plan -out FILE`",
        )
    live = read_schema(conn, plan.scope.managed, lock_timeout_ms=lock_timeout_ms)
    live = without_ignored(live, parse_patterns(plan.scope.ignore))
    changed = changed_since(plan.fingerprints, live)
    if changed:
        raise PlanStale(
            "the database changed since the plan was made, in objects the plan touches:\n"
            + "\n".join(f"  - {line}" for line in changed)
            + "\nNothing was applied.",
            hint="make the plan again (`reconcile plan -out FILE`), review it, and apply that",
        )
    if desired is None:
        return
    # The declarations as the planner saw them: view queries in the server's own spelling.
    # [sequences] Counters too: a value drawn since planning changes what a narrowed range needs,
    # so the plan derived now differs (no RESTART, or a refusal) and the saved one is refused.
    desired, live, _ = compared_sides(conn, desired, live)
    difference = first_difference(plan, desired, live)
    if difference is not None:
        raise PlanNotDerived(
            difference + ". A saved plan must be exactly what pgreconcile plans; nothing was applied.",
            hint="a plan file must not be edited: make the plan again (`reconcile plan -out FILE`), "
            "review it, and apply that",
        )
