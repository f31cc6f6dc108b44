"""Saved plans: the plan JSON in a file, written by ``plan -out`` and applied as written.

Reading one refuses, before anything touches a database, a file this pgreconcile must not
apply: another format major version (:func:`plan_from_json` says which it reads), another tool
version (the SQL a plan holds is what that version renders; a newer one might render, order or
gate differently, and the plan would then not be what this version would apply), and a plan
without fingerprints (it could not be checked for staleness).
"""

from __future__ import annotations

from pathlib import Path

from pgreconcile import __version__
from pgreconcile.errors import PlanRefused, ReconcileError
from pgreconcile.plan.model import Plan
from pgreconcile.plan.serialize import plan_from_json, plan_to_json

_REMAKE = "make the plan again with this pgreconcile: `reconcile plan -out FILE`"


def write_saved_plan(plan: Plan, path: Path) -> None:
    """Write ``plan`` to ``path`` (parent directories created), ending with a newline."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(plan_to_json(plan) + "\n", encoding="utf-8")
    except OSError as err:
        raise ReconcileError(f"cannot write the plan: {err.strerror}", where=str(path)) from None


def read_saved_plan(path: Path) -> Plan:
    """The plan in ``path``, checked as far as it can be without a database."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ReconcileError(
            f"cannot read the saved plan: {err.strerror}",
            where=str(path),
            hint="write one with `reconcile plan -out FILE`",
        ) from None
    plan = plan_from_json(text, where=str(path))
    if plan.tool_version != __version__:
        raise PlanRefused(
            f"the plan was made by pgreconcile {plan.tool_version}; this is pgreconcile {__version__}",
            where=str(path),
            hint=_REMAKE + ", or apply it with the version that made it",
        )
    if plan.steps and (not plan.fingerprints or plan.scope is None or plan.declarations is None):
        raise PlanRefused(
            f"the plan (format_version {plan.format_version}) carries no fingerprints of the objects it "
            "touches, so whether the database changed since it was made cannot be checked",
            where=str(path),
            hint=_REMAKE,
        )
    return plan
