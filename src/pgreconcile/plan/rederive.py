"""Is a saved plan what pgreconcile plans? Make the plan again and compare, step by step.

A saved plan is a file anyone with write access to it can edit, and a hash stored inside the
file proves nothing: whoever edits the steps can recompute it. What cannot be forged is the
planner itself: apply loads the declarations the plan records (their digest must match), reads
the live catalog through the plan's scope (the fingerprints must match), plans again with the
plan's own options, and requires every saved step to be exactly a step of that new plan, in
the same order. Only the probes' facts are not compared (they measure data, which moves).

The one allowed difference: steps of the new plan that concern only objects the saved plan did
not fingerprint. Those come from drift in objects the plan does not touch (someone added an
index to another table meanwhile); the saved plan does not run them, and verification reports
the drift afterwards, as it always has. A step of the saved plan that the new plan does not
have, a step with other statements, another order, or a missing step whose object the saved
plan did fingerprint, refuses the plan.
"""

from __future__ import annotations

import dataclasses

from pgreconcile.model import Schema
from pgreconcile.model.keys import table_key
from pgreconcile.plan.build import make_plan
from pgreconcile.plan.fingerprint import owners_of_parts
from pgreconcile.plan.model import Plan, Step

# The fields of a step that say what runs and what a reviewer was told; `number` is its position
# (compared through the order) and `facts` are measurements of data.
_COMPARED = (
    "phase", "action", "kind", "key", "table", "label", "statements", "hazards", "details", "reason", "replaces",
)  # fmt: skip


def _comparable(step: Step) -> Step:
    return dataclasses.replace(step, number=0, facts=())


def _owner(step: Step, owners: dict[str, str]) -> str:
    """The fingerprinted object a step belongs to (its table for a column or an index)."""
    owner = owners.get(step.key)
    if owner is not None:
        return owner
    if step.table is not None and "." in step.table:
        schema, _, name = step.table.partition(".")
        return table_key(schema, name)
    return step.key


def _field_differs(saved: Step, fresh: Step) -> str:
    for name in _COMPARED:
        if getattr(saved, name) != getattr(fresh, name):
            return name
    return "step"


def _shown(step: Step) -> str:
    return step.title


def first_difference(saved: Plan, desired: Schema, live: Schema) -> str | None:
    """None when every step of ``saved`` is exactly what planning ``desired`` against ``live``
    gives (see the module docstring); otherwise a sentence naming the first differing step."""
    fresh = make_plan(
        desired,
        live,
        source=saved.source,
        target=saved.target,
        scope=saved.scope,
        concurrently=saved.concurrently,
        digest=False,
    )
    owners = owners_of_parts(live, desired)
    kept = [step for step in fresh.steps if _owner(step, owners) in saved.fingerprints]
    for index, step in enumerate(saved.steps):
        if index >= len(kept):
            return (
                f"{_shown(step)} of the saved plan is not a step pgreconcile plans from these declarations "
                "against this database"
            )
        if _comparable(step) != _comparable(kept[index]):
            field = _field_differs(step, kept[index])
            return (
                f"{_shown(step)} of the saved plan differs from what pgreconcile plans from these declarations "
                f"against this database (its {field}: the plan says {getattr(step, field)!r}, "
                f"planning gives {getattr(kept[index], field)!r})"
            )
    if len(kept) > len(saved.steps):
        missing = kept[len(saved.steps)]
        return (
            f"the saved plan lacks a step pgreconcile plans from these declarations against this database: "
            f"{missing.action.symbol} {missing.label}"
        )
    return None
