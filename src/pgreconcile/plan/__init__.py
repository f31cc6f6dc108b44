"""Plans: the ordered, fully rendered set of steps that apply carries out.

May import: ``diff``, ``order``, ``ddl``, ``probe``, ``model``, ``normalize``. Never ``declare``,
``render``, ``apply`` or ``cli``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pgreconcile.plan.model import Plan, Step, Summary

if TYPE_CHECKING:
    from pgreconcile.plan.build import make_plan

__all__ = ["Plan", "Step", "Summary", "make_plan"]


def __getattr__(name: str) -> Any:
    # make_plan on first use: the plan's model (what a saved or remembered plan unpickles into,
    # what apply checks a database against) must not import the whole planner with it.
    if name == "make_plan":
        from pgreconcile.plan.build import make_plan

        return make_plan
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
