"""Triggers as changes: the constructors every pass uses, the comparison of two triggers, and the
re-creation of triggers around a column change they read (``UPDATE OF``, ``WHEN``)."""

from __future__ import annotations

import dataclasses

from pgreconcile.diff.changes import Change
from pgreconcile.diff.routine_changes import CreateTrigger, DropTrigger
from pgreconcile.model import Dependent, Schema
from pgreconcile.model.keys import column_key, function_name_key, table_key
from pgreconcile.model.routines import Trigger
from pgreconcile.normalize.expressions import equivalent


def same_trigger(a: Trigger, b: Trigger) -> bool:
    """Equal in everything but the enabled state and the comment (which change in place)."""
    plain = dict(when=None, enabled=a.enabled, comment=None)
    return dataclasses.replace(a, **plain) == dataclasses.replace(b, **plain) and equivalent(  # type: ignore[arg-type]
        a.when, b.when
    )


def trigger_needs(trigger: Trigger) -> frozenset[str]:
    tkey = table_key(trigger.schema, trigger.table)
    cols = {column_key(trigger.schema, trigger.table, c) for c in trigger.update_columns}
    # A constraint trigger's FROM table exists before the trigger and outlives it.
    if trigger.referenced_table is not None:
        cols.add(table_key(*trigger.referenced_table))
    return frozenset({tkey, trigger.function_key, function_name_key(trigger.function[1])} | cols)


def create_trigger(trigger: Trigger, *, replaces: bool = False, reason: str | None = None) -> CreateTrigger:
    """CREATE TRIGGER, after its table, the columns of UPDATE OF and its function."""
    return CreateTrigger(
        trigger.schema, trigger.table, trigger,
        needs=trigger_needs(trigger), creates=frozenset({trigger.key}), replaces=replaces, reason=reason,
    )


def drop_trigger(trigger: Trigger, *, replaces: bool = False, reason: str | None = None) -> DropTrigger:
    """DROP TRIGGER, before its function or the columns it names go."""
    return DropTrigger(
        trigger.schema, trigger.table, trigger,
        removes=frozenset({trigger.key}), live_needs=trigger_needs(trigger), replaces=replaces, reason=reason,
    )


def trigger_difference(old: Trigger, new: Trigger) -> str:
    """A few words on what differs, for the plan."""
    for attribute in ("timing", "events", "update_columns", "for_each_row", "function", "arguments",
                      "old_table", "new_table", "constraint", "deferrable", "initially_deferred",
                      "referenced_table"):
        if getattr(old, attribute) != getattr(new, attribute):
            return f"{attribute.replace('_', ' ')} changes"
    return "when changes"


def recreate_trigger_readers(
    found: list[Dependent], desired: Schema, live: Schema, changes: list[Change], column: str, why: str
) -> tuple[list[Change], list[Dependent]]:
    """Triggers that read a column a plan retypes or drops (``UPDATE OF``, ``WHEN``): dropped
    before the change and, when still declared, created again after it. Returns the changes and
    the readers that are not triggers (which the caller refuses)."""
    others = [d for d in found if not d.key.startswith("trigger:")]
    drops = {c.key: c for c in changes if isinstance(c, DropTrigger)}
    creates = {c.key: c for c in changes if isinstance(c, CreateTrigger)}
    out = list(changes)
    for dep in found:
        trigger = next((t for t in live.triggers.values() if t.key == dep.key), None)
        if trigger is None:
            others.append(dep)
            continue
        twin = desired.triggers.get((trigger.schema, trigger.table, trigger.name))
        reason = f"re-created: {why}" if twin is not None else f"dropped: {why}"
        if dep.key in drops:
            # Already dropped (changed or undeclared): it goes before the column changes, and
            # its new form after.
            old = drops[dep.key]
            out[out.index(old)] = drops[dep.key] = dataclasses.replace(old, live_needs=old.live_needs | {column})
            if dep.key in creates:
                new = creates[dep.key]
                out[out.index(new)] = creates[dep.key] = dataclasses.replace(new, needs=new.needs | {column})
            continue
        drops[dep.key] = dataclasses.replace(
            drop_trigger(trigger, replaces=twin is not None, reason=reason),
            live_needs=trigger_needs(trigger) | {column},
        )
        out.append(drops[dep.key])
        if twin is not None:
            creates[dep.key] = dataclasses.replace(
                create_trigger(twin, replaces=True, reason=reason), needs=trigger_needs(twin) | {column}
            )
            out.append(creates[dep.key])
    return out, others
