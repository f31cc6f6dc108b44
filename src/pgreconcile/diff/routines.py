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

from pgreconcile.diff.changes import AlterColumn, Change, DropColumn, DropTable
from pgreconcile.diff.construct import (
    add_constraint,
    create_index,
    create_policy,
    drop_constraint,
    drop_index,
    drop_policy,
)
from pgreconcile.diff.event_triggers import compare_event_triggers
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
from pgreconcile.model import Partition, Schema
from pgreconcile.model.keys import (
    column_key,
    constraint_key,
    function_key,
    function_name_key,
    index_key,
    policy_key,
    table_key,
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
                gone |= set(_partition_names(table.schema, table.partitions))
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

    # --- what calls a function that goes -----------------------------------------------------

    def callers(self) -> None:
        """Re-create what calls a re-created function; order the drops of what calls a dropped one."""
        going = set(self.recreated) | self.dropped
        handled = {c.key for c in (*self.changes, *self.out)}
        for fkey in sorted(going):
            fn = self.live.functions.get(fkey) or next(
                (f for f in self.live_functions.values() if f.key == fkey), None
            )
            if fn is None:
                continue
            for caller in self.live.function_callers.get(fkey, ()):
                if caller.startswith("trigger:"):
                    # Triggers are compared above and re-created with their function; one that
                    # stays while its function goes would make the DROP fail mid-apply.
                    trigger = next((t for t in self.live.triggers.values() if t.key == caller), None)
                    table_goes = trigger is not None and (trigger.schema, trigger.table) not in self.desired.tables \
                        and trigger.schema in self.desired.managed
                    if fkey in self.dropped and caller not in handled and not table_goes:
                        self.refusals.append(
                            f"{fn.kind} {fn.signature} is not declared and would be dropped, but "
                            f"{caller.replace(':', ' ', 1)} calls it; declare the function, or drop the trigger"
                        )
                    continue
                self._caller(fn, caller, fkey in self.recreated, handled)
        # A dropped table takes its triggers along: it must go before their functions.
        table_functions: dict[str, set[str]] = {}
        for trigger in self.live.triggers.values():
            tkey = table_key(trigger.schema, trigger.table)
            table_functions.setdefault(tkey, set()).update(
                {trigger.function_key, function_name_key(trigger.function[1])}
            )
        # A partition's triggers go with the partitioned table above it.
        for (schema, name), table in self.live.tables.items():
            below = [table_key(*p) for p in _partition_names(schema, table.partitions)]
            for pkey in below:
                if pkey in table_functions:
                    table_functions.setdefault(table_key(schema, name), set()).update(table_functions[pkey])
        # A dropped view takes its INSTEAD OF triggers along too.
        for key in list(table_functions):
            view = key.replace("table:", "view:", 1)
            table_functions[view] = table_functions[key]
        self.changes[:] = [
            dataclasses.replace(c, live_needs=c.live_needs | table_functions[c.key])
            if isinstance(c, DropTable | DropView) and c.key in table_functions else c
            for c in self.changes
        ]

    def _caller(self, fn: Function, caller: str, recreate: bool, handled: set[str]) -> None:
        kind, _, rest = caller.partition(":")
        label = f"{fn.kind} {fn.signature}"
        if kind == "column" and recreate and self._recreate_default(caller, fn, handled):
            return
        if kind == "column" and not recreate and self._default_before_drop(caller, fn, handled):
            return
        if kind == "column" or caller not in _live_keys(self.live):
            if recreate or caller not in handled:
                where = rest.removesuffix("#default")
                self.refusals.append(
                    f"{label} must be dropped ({'re-created' if recreate else 'not declared'}), but "
                    f"{'the default of column ' + where if kind == 'column' else kind + ' ' + where} calls it; "
                    "pgreconcile does not re-create that yet: change it in two steps"
                )
            return
        if caller in handled:
            return  # its own change is planned already (dropped, or re-created)
        if not recreate:
            self.refusals.append(
                f"{label} is not declared and would be dropped, but {kind} {rest} calls it; "
                "declare the function, or drop what calls it"
            )
            return
        self._recreate(caller, kind, fn)

    def _recreate_default(self, caller: str, fn: Function, handled: set[str]) -> bool:
        """A column default that calls a re-created function: dropped before the function goes
        and set again after it is back. False (the caller refuses) when the column has no twin
        in the declarations, or when the plan changes that column anyway (one ALTER cannot come
        both before the drop and after the create)."""
        target = caller.removesuffix("#default")
        if target in handled:
            return False
        for (schema, name), table in sorted(self.live.tables.items()):
            for col in table.columns:
                if column_key(schema, name, col.name) != target or col.default is None:
                    continue
                wanted = self.desired.tables.get((schema, name))
                again = wanted.column(col.name) if wanted is not None else None
                if again is None or again.default is None:
                    return False
                reason = f"re-created: the default calls {fn.kind} {fn.signature}, which is re-created"
                fkeys = frozenset({fn.key, function_name_key(fn.name)})
                bare = dataclasses.replace(col, default=None)
                # The default is an expression of the live function: it must go before the
                # DROP FUNCTION (live_needs) and come back after the CREATE (needs).
                self.out.append(AlterColumn(schema, name, col, bare, type_rewrites=False, type_may_fail=False,
                                            default_changed=True, reason=reason, live_needs=fkeys))
                self.out.append(AlterColumn(schema, name, bare, dataclasses.replace(bare, default=again.default),
                                            type_rewrites=False, type_may_fail=False, default_changed=True,
                                            reason=reason, needs=fkeys))
                return True
        return False

    def _default_before_drop(self, caller: str, fn: Function, handled: set[str]) -> bool:
        """A column default that calls a dropped function: the change that takes the default
        away (a new default, the column or its table dropped) runs before the DROP FUNCTION; a
        default declared with the same text (it calls another overload of that name now) is
        dropped before the function goes and set again after the new one exists. False (the
        caller refuses) when the plan keeps the old default in place."""
        target = caller.removesuffix("#default")
        found = next(((schema, name, col) for (schema, name), table in sorted(self.live.tables.items())
                      for col in table.columns if column_key(schema, name, col.name) == target), None)
        if found is None:
            return False
        schema, table_name, col = found
        fkeys = frozenset({fn.key, function_name_key(fn.name)})
        for i, change in enumerate(self.changes):
            takes_it = (
                (change.key == target and (isinstance(change, DropColumn)
                                           or (isinstance(change, AlterColumn) and change.default_changed)))
                or (isinstance(change, DropTable) and change.key == table_key(schema, table_name))
            )
            if takes_it:
                # The live default still calls the function while this change runs.
                self.changes[i] = dataclasses.replace(change, live_needs=change.live_needs | fkeys)
                return True
        if target in handled:
            return False  # the column changes otherwise and keeps its default: one ALTER cannot split
        wanted = self.desired.tables.get((schema, table_name))
        again = wanted.column(col.name) if wanted is not None else None
        if col.default is None or again is None or again.default is None:
            return False
        reason = f"re-created: the default calls {fn.kind} {fn.signature}, which is dropped"
        bare = dataclasses.replace(col, default=None)
        self.out.append(AlterColumn(schema, table_name, col, bare, type_rewrites=False, type_may_fail=False,
                                    default_changed=True, reason=reason, live_needs=fkeys))
        # Set again after the functions of that name are created (the declared overload).
        self.out.append(AlterColumn(schema, table_name, bare, dataclasses.replace(bare, default=again.default),
                                    type_rewrites=False, type_may_fail=False, default_changed=True,
                                    reason=reason, needs=frozenset({function_name_key(fn.name)})))
        return True

    def _recreate(self, caller: str, kind: str, fn: Function) -> None:
        reason = f"re-created: calls {fn.kind} {fn.signature}, which is re-created"
        fkeys = frozenset({fn.key, function_name_key(fn.name)})
        for (schema, name), table in sorted(self.live.tables.items()):
            wanted = self.desired.tables.get((schema, name))
            for pol in table.policies:
                if policy_key(schema, name, pol.name) == caller:
                    drop = drop_policy(table, pol, self.live, replaces=True)
                    self.out.append(dataclasses.replace(drop, reason=reason, live_needs=drop.live_needs | fkeys))
                    again = next((p for p in (wanted.policies if wanted else ()) if p.name == pol.name), None)
                    if wanted is not None and again is not None:
                        new = create_policy(wanted, again, replaces=True)
                        self.out.append(dataclasses.replace(new, reason=reason, needs=new.needs | fkeys))
            for con in table.checks:
                if constraint_key(schema, name, con.name) == caller:
                    dropc = drop_constraint(table, con, self.live, replaces=True)
                    self.out.append(dataclasses.replace(dropc, reason=reason, live_needs=dropc.live_needs | fkeys))
                    againc = next((c for c in (wanted.checks if wanted else ()) if c.name == con.name), None)
                    if wanted is not None and againc is not None:
                        newc = add_constraint(wanted, againc, self.desired, replaces=True)
                        self.out.append(dataclasses.replace(newc, reason=reason, needs=newc.needs | fkeys))
            for index in table.indexes:
                if index_key(schema, index.name) == caller:
                    dropi = drop_index(table, index, replaces=True)
                    self.out.append(dataclasses.replace(dropi, reason=reason, live_needs=dropi.live_needs | fkeys))
                    againi = next((i for i in (wanted.indexes if wanted else ()) if i.name == index.name), None)
                    if wanted is not None and againi is not None:
                        newi = create_index(wanted, againi, replaces=True)
                        self.out.append(dataclasses.replace(newi, reason=reason, needs=newi.needs | fkeys))


def _partition_names(schema: str, partitions: tuple[Partition, ...]) -> list[tuple[str, str]]:
    """(schema, name) of these partitions (of a table in ``schema``) and of every one below them."""
    names: list[tuple[str, str]] = []
    for partition in partitions:
        where = partition.schema or schema
        names.append((where, partition.name))
        names += _partition_names(where, partition.partitions)
    return names


def _declared_relations(desired: Schema) -> set[tuple[str, str]]:
    """Declared tables and their partitions at every level, and declared views: the relations a
    trigger may be on."""
    found = set(desired.tables) | set(desired.views)
    for (schema, _), table in desired.tables.items():
        found |= set(_partition_names(schema, table.partitions))
    return found


def _live_keys(live: Schema) -> set[str]:
    """Keys of the per-table objects pgreconcile can re-create: policies, CHECKs, indexes."""
    keys: set[str] = set()
    for (schema, name), table in live.tables.items():
        keys |= {policy_key(schema, name, p.name) for p in table.policies}
        keys |= {constraint_key(schema, name, c.name) for c in table.checks}
        keys |= {index_key(schema, i.name) for i in table.indexes}
    return keys


def compare_routines(desired: Schema, live: Schema, changes: list[Change]) -> tuple[list[Change], list[str]]:
    """``changes`` (the table diff's, possibly adjusted) followed by the function and trigger
    changes, and the refusals."""
    diff = _RoutineDiff(desired, live, list(changes))
    diff.functions()
    diff.aggregates()
    diff.out += compare_event_triggers(desired, live, frozenset(diff.recreated))
    diff.triggers()
    diff.callers()
    return diff.changes + diff.out, diff.refusals


__all__ = ["compare_routines", "create_trigger", "drop_trigger", "function_name_key", "same_function"]
