"""What calls a function that is re-created or dropped: policies, CHECKs, indexes and column
defaults that name it.

``DROP FUNCTION`` fails while anything still calls the function, so a re-created function takes
its callers along: each is dropped before the function goes and created again after it is back
(``live_needs`` before, ``needs`` after). A function dropped for good must outlive the changes
that take its callers away; what would keep calling it is a refusal. A dropped table (or view,
or partitioned table) takes its triggers along, so it goes before their functions.
"""

from __future__ import annotations

import dataclasses
from typing import Protocol

from pgreconcile.diff.changes import AlterColumn, Change, DropColumn, DropTable
from pgreconcile.diff.construct import (
    add_constraint,
    create_index,
    create_policy,
    drop_constraint,
    drop_index,
    drop_policy,
)
from pgreconcile.diff.view_changes import DropView
from pgreconcile.model import Partition, Schema
from pgreconcile.model.keys import column_key, constraint_key, function_name_key, index_key, policy_key, table_key
from pgreconcile.model.partitions import every_partition
from pgreconcile.model.routines import Function


class RoutineState(Protocol):
    """The routine comparison's state that the handling of callers reads and adds to
    (diff/routines.py)."""

    desired: Schema
    live: Schema
    changes: list[Change]  # the table diff's changes (adjusted in place)
    out: list[Change]  # the routine changes
    refusals: list[str]
    recreated: dict[str, str]  # function key → why
    dropped: set[str]
    live_functions: dict[str, Function]


def partition_names(schema: str, partitions: tuple[Partition, ...]) -> list[tuple[str, str]]:
    """(schema, name) of these partitions (of a table in ``schema``) and of every one below them."""
    return [(where, partition.name) for partition, where in every_partition(schema, partitions)]


def handle_callers(diff: RoutineState) -> None:
    """Re-create what calls a re-created function; order the drops of what calls a dropped one."""
    going = set(diff.recreated) | diff.dropped
    handled = {c.key for c in (*diff.changes, *diff.out)}
    for fkey in sorted(going):
        fn = diff.live.functions.get(fkey) or next(
            (f for f in diff.live_functions.values() if f.key == fkey), None
        )
        if fn is None:
            continue
        for caller in diff.live.function_callers.get(fkey, ()):
            if caller.startswith("trigger:"):
                # Triggers are compared above and re-created with their function; one that
                # stays while its function goes would make the DROP fail mid-apply.
                trigger = next((t for t in diff.live.triggers.values() if t.key == caller), None)
                table_goes = trigger is not None and (trigger.schema, trigger.table) not in diff.desired.tables \
                    and trigger.schema in diff.desired.managed
                if fkey in diff.dropped and caller not in handled and not table_goes:
                    diff.refusals.append(
                        f"{fn.kind} {fn.signature} is not declared and would be dropped, but "
                        f"{caller.replace(':', ' ', 1)} calls it; declare the function, or drop the trigger"
                    )
                continue
            _caller(diff, fn, caller, fkey in diff.recreated, handled)
    # A dropped table takes its triggers along: it must go before their functions.
    table_functions: dict[str, set[str]] = {}
    for trigger in diff.live.triggers.values():
        tkey = table_key(trigger.schema, trigger.table)
        table_functions.setdefault(tkey, set()).update(
            {trigger.function_key, function_name_key(trigger.function[1])}
        )
    # A partition's triggers go with the partitioned table above it.
    for (schema, name), table in diff.live.tables.items():
        below = [table_key(*p) for p in partition_names(schema, table.partitions)]
        for pkey in below:
            if pkey in table_functions:
                table_functions.setdefault(table_key(schema, name), set()).update(table_functions[pkey])
    # A dropped view takes its INSTEAD OF triggers along too.
    for key in list(table_functions):
        view = key.replace("table:", "view:", 1)
        table_functions[view] = table_functions[key]
    diff.changes[:] = [
        dataclasses.replace(c, live_needs=c.live_needs | table_functions[c.key])
        if isinstance(c, DropTable | DropView) and c.key in table_functions else c
        for c in diff.changes
    ]

def _caller(diff: RoutineState, fn: Function, caller: str, recreate: bool, handled: set[str]) -> None:
    kind, _, rest = caller.partition(":")
    label = f"{fn.kind} {fn.signature}"
    if kind == "column" and recreate and _recreate_default(diff, caller, fn, handled):
        return
    if kind == "column" and not recreate and _default_before_drop(diff, caller, fn, handled):
        return
    if kind == "column" or caller not in _live_keys(diff.live):
        if recreate or caller not in handled:
            where = rest.removesuffix("#default")
            diff.refusals.append(
                f"{label} must be dropped ({'re-created' if recreate else 'not declared'}), but "
                f"{'the default of column ' + where if kind == 'column' else kind + ' ' + where} calls it; "
                "pgreconcile does not re-create that yet: change it in two steps"
            )
        return
    if caller in handled:
        return  # its own change is planned already (dropped, or re-created)
    if not recreate:
        diff.refusals.append(
            f"{label} is not declared and would be dropped, but {kind} {rest} calls it; "
            "declare the function, or drop what calls it"
        )
        return
    _recreate(diff, caller, kind, fn)

def _recreate_default(diff: RoutineState, caller: str, fn: Function, handled: set[str]) -> bool:
    """A column default that calls a re-created function: dropped before the function goes
    and set again after it is back. False (the caller refuses) when the column has no twin
    in the declarations, or when the plan changes that column anyway (one ALTER cannot come
    both before the drop and after the create)."""
    target = caller.removesuffix("#default")
    if target in handled:
        return False
    for (schema, name), table in sorted(diff.live.tables.items()):
        for col in table.columns:
            if column_key(schema, name, col.name) != target or col.default is None:
                continue
            wanted = diff.desired.tables.get((schema, name))
            again = wanted.column(col.name) if wanted is not None else None
            if again is None or again.default is None:
                return False
            reason = f"re-created: the default calls {fn.kind} {fn.signature}, which is re-created"
            fkeys = frozenset({fn.key, function_name_key(fn.name)})
            bare = dataclasses.replace(col, default=None)
            # The default is an expression of the live function: it must go before the
            # DROP FUNCTION (live_needs) and come back after the CREATE (needs).
            diff.out.append(AlterColumn(schema, name, col, bare, type_rewrites=False, type_may_fail=False,
                                        default_changed=True, reason=reason, live_needs=fkeys))
            diff.out.append(AlterColumn(schema, name, bare, dataclasses.replace(bare, default=again.default),
                                        type_rewrites=False, type_may_fail=False, default_changed=True,
                                        reason=reason, needs=fkeys))
            return True
    return False

def _default_before_drop(diff: RoutineState, caller: str, fn: Function, handled: set[str]) -> bool:
    """A column default that calls a dropped function: the change that takes the default
    away (a new default, the column or its table dropped) runs before the DROP FUNCTION; a
    default declared with the same text (it calls another overload of that name now) is
    dropped before the function goes and set again after the new one exists. False (the
    caller refuses) when the plan keeps the old default in place."""
    target = caller.removesuffix("#default")
    found = next(((schema, name, col) for (schema, name), table in sorted(diff.live.tables.items())
                  for col in table.columns if column_key(schema, name, col.name) == target), None)
    if found is None:
        return False
    schema, table_name, col = found
    fkeys = frozenset({fn.key, function_name_key(fn.name)})
    for i, change in enumerate(diff.changes):
        takes_it = (
            (change.key == target and (isinstance(change, DropColumn)
                                       or (isinstance(change, AlterColumn) and change.default_changed)))
            or (isinstance(change, DropTable) and change.key == table_key(schema, table_name))
        )
        if takes_it:
            # The live default still calls the function while this change runs.
            diff.changes[i] = dataclasses.replace(change, live_needs=change.live_needs | fkeys)
            return True
    if target in handled:
        return False  # the column changes otherwise and keeps its default: one ALTER cannot split
    wanted = diff.desired.tables.get((schema, table_name))
    again = wanted.column(col.name) if wanted is not None else None
    if col.default is None or again is None or again.default is None:
        return False
    reason = f"re-created: the default calls {fn.kind} {fn.signature}, which is dropped"
    bare = dataclasses.replace(col, default=None)
    diff.out.append(AlterColumn(schema, table_name, col, bare, type_rewrites=False, type_may_fail=False,
                                default_changed=True, reason=reason, live_needs=fkeys))
    # Set again after the functions of that name are created (the declared overload).
    diff.out.append(AlterColumn(schema, table_name, bare, dataclasses.replace(bare, default=again.default),
                                type_rewrites=False, type_may_fail=False, default_changed=True,
                                reason=reason, needs=frozenset({function_name_key(fn.name)})))
    return True

def _recreate(diff: RoutineState, caller: str, kind: str, fn: Function) -> None:
    reason = f"re-created: calls {fn.kind} {fn.signature}, which is re-created"
    fkeys = frozenset({fn.key, function_name_key(fn.name)})
    for (schema, name), table in sorted(diff.live.tables.items()):
        wanted = diff.desired.tables.get((schema, name))
        for pol in table.policies:
            if policy_key(schema, name, pol.name) == caller:
                drop = drop_policy(table, pol, diff.live, replaces=True)
                diff.out.append(dataclasses.replace(drop, reason=reason, live_needs=drop.live_needs | fkeys))
                again = next((p for p in (wanted.policies if wanted else ()) if p.name == pol.name), None)
                if wanted is not None and again is not None:
                    new = create_policy(wanted, again, replaces=True)
                    diff.out.append(dataclasses.replace(new, reason=reason, needs=new.needs | fkeys))
        for con in table.checks:
            if constraint_key(schema, name, con.name) == caller:
                dropc = drop_constraint(table, con, diff.live, replaces=True)
                diff.out.append(dataclasses.replace(dropc, reason=reason, live_needs=dropc.live_needs | fkeys))
                againc = next((c for c in (wanted.checks if wanted else ()) if c.name == con.name), None)
                if wanted is not None and againc is not None:
                    newc = add_constraint(wanted, againc, diff.desired, replaces=True)
                    diff.out.append(dataclasses.replace(newc, reason=reason, needs=newc.needs | fkeys))
        for index in table.indexes:
            if index_key(schema, index.name) == caller:
                dropi = drop_index(table, index, replaces=True)
                diff.out.append(dataclasses.replace(dropi, reason=reason, live_needs=dropi.live_needs | fkeys))
                againi = next((i for i in (wanted.indexes if wanted else ()) if i.name == index.name), None)
                if wanted is not None and againi is not None:
                    newi = create_index(wanted, againi, replaces=True)
                    diff.out.append(dataclasses.replace(newi, reason=reason, needs=newi.needs | fkeys))



def _live_keys(live: Schema) -> set[str]:
    """Keys of the per-table objects pgreconcile can re-create: policies, CHECKs, indexes."""
    keys: set[str] = set()
    for (schema, name), table in live.tables.items():
        keys |= {policy_key(schema, name, p.name) for p in table.policies}
        keys |= {constraint_key(schema, name, c.name) for c in table.checks}
        keys |= {index_key(schema, i.name) for i in table.indexes}
    return keys


