"""Compare functions, procedures, aggregates, triggers and event triggers.

A function is matched by its key (schema, name, input argument types). What ``CREATE OR
REPLACE`` can change (body, language, volatility, strictness, security, parallel safety, cost,
rows, ``SET``, added defaults) is changed in place; a different result type, argument names or
modes, a removed default or a function ↔ procedure switch is a drop and a re-create, and
everything that calls the function (triggers, policies, CHECKs, indexes) is dropped before it and
created again after it. Undeclared functions and triggers of managed schemas are dropped (they
hold no data); functions of extensions are never read, so never touched.

Triggers compare attribute by attribute (``WHEN`` through the normalizer); ENABLE/DISABLE and the
comment change in place, anything else is a drop and a re-create. A trigger on a table outside the
managed schemas (``auth.users``) is managed when declared, and only then.

Aggregates are replaced in place when their transition type and final function stay, otherwise
re-created. Event triggers belong to the database: a declared one is managed, and an undeclared
one only when its function lives in a managed schema.
"""

from __future__ import annotations

import dataclasses

from pgreconcile.diff.changes import Change, DropTable
from pgreconcile.diff.event_triggers import compare_event_triggers
from pgreconcile.diff.routine_callers import handle_callers, partition_names
from pgreconcile.diff.routine_changes import (
    CreateAggregate,
    CreateFunction,
    DropAggregate,
    DropFunction,
    RenameFunction,
    RenameTrigger,
    ReplaceFunction,
    SetAggregateComment,
    SetFunctionComment,
    SetTriggerComment,
    SetTriggerEnabled,
)
from pgreconcile.diff.routine_needs import (
    aggregate_keys,
    aggregate_needs,
    function_creates,
    function_needs,
    signature_needs,
)
from pgreconcile.diff.triggers import create_trigger, drop_trigger, same_trigger, trigger_difference
from pgreconcile.diff.types import recreated_types
from pgreconcile.diff.view_changes import DropView
from pgreconcile.model import Schema
from pgreconcile.model.keys import (
    function_key,
    function_name_key,
)
from pgreconcile.model.routines import Function, Trigger
from pgreconcile.normalize.bodies import same_sql_body
from pgreconcile.normalize.expressions import equivalent


def same_function(a: Function, b: Function) -> bool:
    """Equal in every stored attribute but the comment (defaults through the normalizer)."""
    if len(a.arguments) != len(b.arguments):
        return False
    for x, y in zip(a.arguments, b.arguments, strict=True):
        if (x.name, x.type, x.mode) != (y.name, y.type, y.mode) or not equivalent(x.default, y.default):
            return False
    if a.sql_body != b.sql_body or (a.body != b.body and not (a.sql_body and same_sql_body(a.body, b.body))):
        return False
    plain = dict(arguments=(), comment=None, body="")
    return dataclasses.replace(a, **plain) == dataclasses.replace(b, **plain)  # type: ignore[arg-type]


def _why_not_replaceable(old: Function, new: Function) -> str | None:
    """Why CREATE OR REPLACE cannot turn ``old`` into ``new`` (None when it can)."""
    if old.procedure != new.procedure:
        return f"{old.kind} → {new.kind}"
    if old.returns != new.returns:
        return f"returns {old.returns} → {new.returns}"
    if [(a.name, a.mode, a.type) for a in old.arguments] != [(a.name, a.mode, a.type) for a in new.arguments]:
        return "argument names or modes change"
    for a, b in zip(old.arguments, new.arguments, strict=True):
        if a.default is not None and b.default is None:
            return f"argument {a.name or a.type} loses its default"
    return None


class _RoutineDiff:
    """One comparison: changes, refusals, and which functions are re-created or dropped."""

    def __init__(self, desired: Schema, live: Schema, changes: list[Change]) -> None:
        self.desired, self.live = desired, live
        self.changes = changes
        self.out: list[Change] = []
        self.refusals: list[str] = []
        self.recreated: dict[str, str] = {}  # function key → why
        self.dropped: set[str] = set()
        self.live_functions = dict(live.functions)
        self.live_triggers = dict(live.triggers)
        self.types_recreated = recreated_types(desired, live)

    # --- functions ---------------------------------------------------------------------------

    def functions(self) -> None:
        desired = self.desired
        self._renames()
        for key, fn in sorted(desired.functions.items()):
            current = self.live_functions.get(key)
            needs = frozenset(function_needs(fn, desired))
            if current is None:
                self.out.append(CreateFunction(fn, needs=needs, creates=function_creates(fn)))
                continue
            type_why = next((why for tkey, why in sorted(self.types_recreated.items())
                             if tkey in signature_needs(current)), None)
            if type_why is not None or not same_function(fn, current):
                why = type_why or _why_not_replaceable(current, fn)
                if why is None:
                    # CREATE OR REPLACE carries the comment too (see ddl/routines.py).
                    self.out.append(ReplaceFunction(current, fn, needs=needs | {key}))
                    continue
                reason = f"re-created: {why}"
                self.recreated[key] = reason
                self.out.append(DropFunction(current, replaces=True, reason=reason, removes=function_creates(current),
                                             live_needs=signature_needs(current)))
                self.out.append(CreateFunction(fn, replaces=True, reason=reason, needs=needs,
                                               creates=function_creates(fn)))
                continue
            if fn.comment != current.comment:
                self.out.append(SetFunctionComment(fn, current.comment, needs=frozenset({key})))
        for key, current in sorted(self.live_functions.items()):
            if current.schema in desired.managed and key not in desired.functions:
                self.dropped.add(key)
                # An SQL body that calls another function pins it (pg_depend, for RETURN /
                # BEGIN ATOMIC bodies): this DROP goes before the DROP of the function it calls.
                calls = {k for k in function_needs(current, self.live) if k.startswith("function-name:")}
                calls.discard(function_name_key(current.name))  # an overload of its own name: no order
                self.out.append(DropFunction(current, removes=function_creates(current),
                                             live_needs=signature_needs(current) | calls))

    def _renames(self) -> None:
        for key, fn in sorted(self.desired.functions.items()):
            if fn.renamed_from is None or key in self.live_functions:
                continue
            old_key = function_key(fn.schema, fn.renamed_from, fn.input_types)
            old = self.live_functions.get(old_key)
            if old is None or old_key in self.desired.functions:
                continue
            self.out.append(
                RenameFunction(
                    fn, fn.renamed_from,
                    creates=frozenset({key, function_name_key(fn.name)}),
                    removes=frozenset({old_key, function_name_key(old.name)}),
                    live_needs=frozenset({old_key}),
                )
            )
            del self.live_functions[old_key]
            self.live_functions[key] = dataclasses.replace(old, name=fn.name)
            # Triggers follow the function (PostgreSQL keeps its oid): they call the new name now.
            for tkey, trigger in list(self.live_triggers.items()):
                if trigger.function == (old.schema, old.name) and not old.arguments:
                    self.live_triggers[tkey] = dataclasses.replace(trigger, function=(fn.schema, fn.name))

    # --- aggregates --------------------------------------------------------------------------

    def aggregates(self) -> None:
        """Create, replace (same transition type and final function), or drop and create again —
        also when a support function is re-created; undeclared ones of managed schemas go."""
        desired, live = self.desired, self.live
        recreated = {
            (f.schema, f.name) for key, f in self.live_functions.items() if key in self.recreated
        }
        for key, agg in sorted(desired.aggregates.items()):
            current = live.aggregates.get(key)
            needs = frozenset(aggregate_needs(agg))
            if current is None:
                self.out.append(CreateAggregate(agg, needs=needs, creates=aggregate_keys(agg)))
                continue
            support_recreated = any(f in recreated for f in current.support)
            same = dataclasses.replace(agg, comment=None) == dataclasses.replace(current, comment=None)
            if same and not support_recreated:
                if agg.comment != current.comment:
                    self.out.append(SetAggregateComment(agg, current.comment, needs=frozenset({key})))
                continue
            # CREATE OR REPLACE cannot change an aggregate's kind nor its number of direct arguments.
            kept = (agg.stype, agg.finalfunc, agg.direct_args, agg.hypothetical)
            if kept == (current.stype, current.finalfunc, current.direct_args, current.hypothetical) \
                    and not support_recreated:
                self.out.append(CreateAggregate(agg, replace=True, needs=needs | {key}))
                continue
            reason = "re-created: " + ("a support function is re-created" if support_recreated
                                       else "its kind changes (ordinary, ordered-set, hypothetical-set)"
                                       if (agg.direct_args, agg.hypothetical) != (current.direct_args,
                                                                                  current.hypothetical)
                                       else "its transition type or final function changes")
            self.out.append(DropAggregate(current, replaces=True, reason=reason, removes=aggregate_keys(current),
                                          live_needs=frozenset(aggregate_needs(current))))
            self.out.append(CreateAggregate(agg, replaces=True, reason=reason, needs=needs,
                                            creates=aggregate_keys(agg)))
        for key, current in sorted(live.aggregates.items()):
            if current.schema in desired.managed and key not in desired.aggregates:
                self.out.append(DropAggregate(current, removes=aggregate_keys(current),
                                              live_needs=frozenset(aggregate_needs(current))))

    # --- triggers ----------------------------------------------------------------------------

    def triggers(self) -> None:
        desired, managed = self.desired, self.desired.managed
        gone = self._tables_going()
        declared = _declared_relations(desired)
        for key, trigger in sorted(desired.triggers.items()):
            current = self._live_trigger(key, trigger)
            if current is None:
                self.out.append(create_trigger(trigger))
                continue
            if (trigger.schema, trigger.table) in gone:
                # Its live table or view (or the partitioned table above it) is dropped, and the
                # trigger with it: it is created again on the relation that takes the name.
                self.out.append(create_trigger(trigger, replaces=True,
                                               reason=f"re-created: {trigger.table} is re-created"))
                continue
            why = self.recreated.get(current.function_key)
            if why is not None:
                why = f"re-created: function {current.function[0]}.{current.function[1]}() is re-created"
            elif not same_trigger(trigger, current):
                why = "re-created: " + trigger_difference(current, trigger)
            if why is not None:
                self.out.append(drop_trigger(current, replaces=True, reason=why))
                self.out.append(create_trigger(trigger, replaces=True, reason=why))
                continue
            if trigger.enabled != current.enabled:
                self.out.append(
                    SetTriggerEnabled(trigger.schema, trigger.table, trigger, current.enabled,
                                      needs=frozenset({trigger.key}))
                )
            if trigger.comment != current.comment:
                self.out.append(
                    SetTriggerComment(trigger.schema, trigger.table, trigger, current.comment,
                                      needs=frozenset({trigger.key}))
                )
        for key, current in sorted(self.live_triggers.items()):
            schema, table, _ = key
            if schema not in managed or key in desired.triggers:
                continue
            if (schema, table) not in declared or (schema, table) in gone:
                continue  # the table goes, and its triggers with it
            self.out.append(drop_trigger(current))

    def _tables_going(self) -> set[tuple[str, str]]:
        """Live tables the table diff drops, with every partition below them (they go along),
        and the views the view diff drops (re-created or not): their triggers go with them."""
        gone: set[tuple[str, str]] = set()
        for change in self.changes:
            if isinstance(change, DropTable):
                table = change.table_def
                gone.add((table.schema, table.name))
                gone |= set(partition_names(table.schema, table.partitions))
            elif isinstance(change, DropView):
                gone.add((change.view.schema, change.view.name))
        return gone

    def _live_trigger(self, key: tuple[str, str, str], trigger: Trigger) -> Trigger | None:
        current = self.live_triggers.get(key)
        if current is not None or trigger.renamed_from is None:
            return current
        old_key = (trigger.schema, trigger.table, trigger.renamed_from)
        old = self.live_triggers.get(old_key)
        if old is None or old_key in self.desired.triggers:
            return None
        self.out.append(
            RenameTrigger(
                trigger.schema, trigger.table, trigger, old.name,
                creates=frozenset({trigger.key}),
                removes=frozenset({old.key}),
                live_needs=frozenset({old.key}),
            )
        )
        del self.live_triggers[old_key]
        renamed = dataclasses.replace(old, name=trigger.name)
        self.live_triggers[key] = renamed
        return renamed


def _declared_relations(desired: Schema) -> set[tuple[str, str]]:
    """Declared tables and their partitions at every level, and declared views: the relations a
    trigger may be on."""
    found = set(desired.tables) | set(desired.views)
    for (schema, _), table in desired.tables.items():
        found |= set(partition_names(schema, table.partitions))
    return found


def compare_routines(desired: Schema, live: Schema, changes: list[Change]) -> tuple[list[Change], list[str]]:
    """``changes`` (the table diff's, possibly adjusted) followed by the function and trigger
    changes, and the refusals."""
    diff = _RoutineDiff(desired, live, list(changes))
    diff.functions()
    diff.aggregates()
    diff.out += compare_event_triggers(desired, live, frozenset(diff.recreated))
    diff.triggers()
    handle_callers(diff)
    return diff.changes + diff.out, diff.refusals


__all__ = ["compare_routines", "create_trigger", "drop_trigger", "function_name_key", "same_function"]
