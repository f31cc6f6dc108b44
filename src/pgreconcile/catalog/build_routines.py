"""Catalog rows → functions, procedures and triggers (``queries/functions.sql``,
``queries/triggers.sql``), and the objects that call each function (for drop-and-re-create)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pgreconcile.model.keys import column_key, constraint_key, index_key, policy_key, trigger_key
from pgreconcile.model.routines import (
    Aggregate,
    ArgMode,
    Argument,
    EventTrigger,
    Function,
    Parallel,
    Trigger,
    TriggerEnabled,
    TriggerEvent,
    TriggerTiming,
    Volatility,
)

Row = Sequence[Any]

_MODES = {"i": ArgMode.IN, "o": ArgMode.OUT, "b": ArgMode.INOUT, "v": ArgMode.VARIADIC}
_VOLATILITY = {"v": Volatility.VOLATILE, "s": Volatility.STABLE, "i": Volatility.IMMUTABLE}
_PARALLEL = {"u": Parallel.UNSAFE, "r": Parallel.RESTRICTED, "s": Parallel.SAFE}
_ENABLED = {
    "O": TriggerEnabled.ORIGIN,
    "D": TriggerEnabled.DISABLED,
    "R": TriggerEnabled.REPLICA,
    "A": TriggerEnabled.ALWAYS,
}
# pg_trigger.tgtype bits (PostgreSQL's TRIGGER_TYPE_*).
_ROW, _BEFORE, _INSERT, _DELETE, _UPDATE, _TRUNCATE, _INSTEAD = 1, 2, 4, 8, 16, 32, 64
_EVENT_BITS = ((TriggerEvent.INSERT, _INSERT), (TriggerEvent.DELETE, _DELETE),
               (TriggerEvent.UPDATE, _UPDATE), (TriggerEvent.TRUNCATE, _TRUNCATE))


def _dependent_key(kind: str, schema: str, table: str | None, name: str) -> str:
    if kind == "trigger" and table is not None:
        return trigger_key(schema, table, name)
    if kind == "policy" and table is not None:
        return policy_key(schema, table, name)
    if kind == "constraint" and table is not None:
        return constraint_key(schema, table, name)
    if kind == "index":
        return index_key(schema, name)
    return column_key(schema, table or "", name) + "#default"


def functions(rows: Iterable[Row]) -> tuple[dict[str, Function], dict[str, tuple[str, ...]]]:
    """Function rows → functions by key, and the keys of what calls each (triggers, policies,
    constraints, indexes; a column default as ``column:…#default``)."""
    found: dict[str, Function] = {}
    callers: dict[str, tuple[str, ...]] = {}
    for (
        schema, name, is_procedure, types, modes, names, defaults, result, language, src, sql_body,
        volatility, strict, secdef, leakproof, parallel, cost, rows_, config, comment, dependents,
        support_schema, support_name,
    ) in rows:
        args: list[Argument] = []
        for i, type_ in enumerate(types):
            mode = modes[i] if modes else "i"
            if mode == "t":
                continue  # a RETURNS TABLE column: part of `returns`
            arg_name = names[i] if i < len(names) and names[i] else None
            args.append(Argument(arg_name, type_, _MODES[mode], defaults[i] if i < len(defaults) else None))
        function = Function(
            schema=schema,
            name=name,
            arguments=tuple(args),
            returns=None if is_procedure else result,
            procedure=is_procedure,
            language=language,
            body=sql_body if sql_body is not None else src,
            sql_body=sql_body is not None,
            volatility=_VOLATILITY[volatility],
            strict=strict,
            security_definer=secdef,
            leakproof=leakproof,
            parallel=_PARALLEL[parallel],
            cost=float(cost),
            rows=float(rows_),
            config=tuple(sorted(tuple(item.split("=", 1)) for item in config)),
            config_order=tuple(item.split("=", 1)[0] for item in config),
            support=_pair(support_schema, support_name),
            comment=comment,
        )
        found[function.key] = function
        if dependents:
            callers[function.key] = tuple(sorted({_dependent_key(*d) for d in dependents}))
    return found, callers


def _when(definition: str | None) -> str | None:
    """The condition inside ``WHEN (…)`` of a pg_get_triggerdef text (quotes respected)."""
    if definition is None:
        return None
    start = definition.find(" WHEN (")
    if start < 0:
        return None
    pos = start + len(" WHEN (")
    depth, quote = 1, None
    for end in range(pos, len(definition)):
        char = definition[end]
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return definition[pos:end]
    return None


def triggers(rows: Iterable[Row]) -> dict[tuple[str, str, str], Trigger]:
    """Trigger rows → triggers by ``(schema, table, name)``."""
    found: dict[tuple[str, str, str], Trigger] = {}
    for (
        schema, table, name, fn_schema, fn_name, tgtype, update_columns, tgargs, nargs,
        old_table, new_table, is_constraint, deferrable, deferred, enabled, definition, comment,
        referenced_schema, referenced_table,
    ) in rows:
        if tgtype & _INSTEAD:
            timing = TriggerTiming.INSTEAD_OF
        else:
            timing = TriggerTiming.BEFORE if tgtype & _BEFORE else TriggerTiming.AFTER
        arguments = tuple(bytes(tgargs).split(b"\x00")[:nargs]) if nargs else ()
        found[(schema, table, name)] = Trigger(
            schema=schema,
            table=table,
            name=name,
            function=(fn_schema, fn_name),
            timing=timing,
            events=tuple(event for event, bit in _EVENT_BITS if tgtype & bit),
            update_columns=tuple(update_columns),
            for_each_row=bool(tgtype & _ROW),
            when=_when(definition),
            arguments=tuple(a.decode("utf-8") for a in arguments),
            old_table=old_table,
            new_table=new_table,
            constraint=is_constraint,
            deferrable=deferrable,
            initially_deferred=deferred,
            referenced_table=_pair(referenced_schema, referenced_table),
            enabled=_ENABLED[enabled],
            comment=comment,
        )
    return found


def _pair(schema: str | None, name: str | None) -> tuple[str, str] | None:
    return (schema, name) if schema is not None and name is not None else None


def aggregates(rows: Iterable[Row]) -> dict[str, Aggregate]:
    """Aggregate rows → aggregates by key (the same key space as functions)."""
    found: dict[str, Aggregate] = {}
    for (
        schema, name, types, s_schema, s_name, stype, f_schema, f_name, c_schema, c_name, initcond,
        parallel, comment, variadic, finalfunc_extra, kind, direct_args,
    ) in rows:
        aggregate = Aggregate(
            schema=schema,
            name=name,
            arg_types=tuple(types),
            sfunc=(s_schema, s_name),
            stype=stype,
            finalfunc=_pair(f_schema, f_name),
            combinefunc=_pair(c_schema, c_name),
            initcond=initcond,
            parallel=_PARALLEL[parallel],
            comment=comment,
            variadic=variadic,
            finalfunc_extra=finalfunc_extra,
            direct_args=None if kind == "n" else direct_args,
            hypothetical=kind == "h",
        )
        found[aggregate.key] = aggregate
    return found


def event_triggers(rows: Iterable[Row]) -> dict[str, EventTrigger]:
    """Event trigger rows → event triggers by name."""
    return {
        name: EventTrigger(
            name, event, (fn_schema, fn_name), tuple(sorted(tags)), _ENABLED[enabled], comment, written=tuple(tags),
            owner=owner,
        )
        for name, event, fn_schema, fn_name, tags, enabled, comment, owner in rows
    }
