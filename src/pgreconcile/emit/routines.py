"""Functions, procedures and triggers in the declaration language (shared by the YAML and the
Python writers of ``reconcile inspect``).

A function is keyed by its signature as ``CREATE FUNCTION`` writes it, with canonical types
(which read back unchanged); its body is written verbatim. Only attributes that differ from the
language's defaults are written. Triggers on managed tables go under their table; a trigger on a
table elsewhere (``auth.users``) is written when its function lives in a managed schema, under
that schema's ``triggers:`` with its ``table``.
"""

from __future__ import annotations

from pgreconcile.declare.spec.names import dotted
from pgreconcile.model.routines import (
    Aggregate,
    ArgMode,
    EventTrigger,
    Function,
    Parallel,
    Trigger,
    TriggerEnabled,
    Volatility,
)
from pgreconcile.model.schema import Schema
from pgreconcile.quoting import ident

_LIST_SETTINGS = frozenset({"search_path", "temp_tablespaces"})


def signature_key(fn: Function) -> str:
    """``note_count(p_owner uuid)``: what ``schemas.<s>.functions`` is keyed by."""
    parts = []
    for arg in fn.arguments:
        words = [] if arg.mode is ArgMode.IN else [arg.mode.value.upper()]
        if arg.name:
            words.append(ident(arg.name))
        words.append(arg.type)
        if arg.default is not None:
            words.append(f"DEFAULT {arg.default}")
        parts.append(" ".join(words))
    return f"{ident(fn.name)}({', '.join(parts)})"


def function_options(fn: Function) -> dict[str, object]:
    """The keys of one function or procedure, ``body`` verbatim, defaults left out."""
    out: dict[str, object] = {}
    if not fn.procedure:
        out["returns"] = fn.returns
    out["language"] = fn.language
    if fn.volatility is not Volatility.VOLATILE:
        out["volatility"] = fn.volatility.value
    if fn.strict:
        out["strict"] = True
    if fn.security_definer:
        out["security_definer"] = True
    if fn.leakproof:
        out["leakproof"] = True
    if fn.support is not None:
        out["support"] = dotted(*fn.support)
    if fn.parallel is not Parallel.UNSAFE:
        out["parallel"] = fn.parallel.value
    if fn.cost != 100:
        out["cost"] = _number(fn.cost)
    set_returning = bool(fn.returns and fn.returns.startswith(("SETOF ", "TABLE(")))
    if fn.rows != (1000 if set_returning else 0):
        out["rows"] = _number(fn.rows)
    if fn.config:
        # An empty list setting is stored as `""`; written as the '' a user would write.
        out["set"] = {k: ("" if v == '""' and k in _LIST_SETTINGS else v) for k, v in fn.config}
    if fn.comment is not None:
        out["comment"] = fn.comment
    out["body"] = fn.body
    return out


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def trigger_options(trigger: Trigger, declared_in: str, *, with_table: bool) -> dict[str, object]:
    """The keys of one trigger; its function is unqualified when it lives in ``declared_in``."""
    out: dict[str, object] = {}
    if with_table:
        out["table"] = dotted(trigger.schema, trigger.table)
    if trigger.constraint:
        out["constraint"] = True
    out["timing"] = trigger.timing.value
    out["events"] = [e.value for e in trigger.events]
    if trigger.update_columns:
        out["update_of"] = list(trigger.update_columns)
    out["for_each"] = "row" if trigger.for_each_row else "statement"
    schema, name = trigger.function
    out["function"] = f"{ident(name)}()" if schema == declared_in else f"{dotted(schema, name)}()"
    if trigger.arguments:
        out["arguments"] = list(trigger.arguments)
    if trigger.when is not None:
        out["when"] = trigger.when
    if trigger.old_table:
        out["old_table"] = trigger.old_table
    if trigger.new_table:
        out["new_table"] = trigger.new_table
    if trigger.deferrable:
        out["deferrable"] = True
    if trigger.initially_deferred:
        out["initially_deferred"] = True
    if trigger.referenced_table is not None:
        ref_schema, ref_name = trigger.referenced_table
        out["referenced_table"] = ident(ref_name) if ref_schema == declared_in else dotted(ref_schema, ref_name)
    if trigger.enabled is not TriggerEnabled.ORIGIN:
        out["enabled"] = trigger.enabled.value
    if trigger.comment is not None:
        out["comment"] = trigger.comment
    return out


def functions_of(schema: Schema, namespace: str) -> tuple[list[Function], list[Function]]:
    """The functions and the procedures of ``namespace``, by signature."""
    found = sorted((f for f in schema.functions.values() if f.schema == namespace), key=signature_key)
    return [f for f in found if not f.procedure], [f for f in found if f.procedure]


def table_triggers(schema: Schema, table: tuple[str, str]) -> list[Trigger]:
    """The triggers of a managed table, by name."""
    return sorted((t for k, t in schema.triggers.items() if k[:2] == table), key=lambda t: t.name)


def external_triggers(schema: Schema, namespace: str) -> list[Trigger]:
    """Triggers on tables outside the managed schemas whose function lives in ``namespace``."""
    return sorted(
        (
            t for k, t in schema.triggers.items()
            if k[0] not in schema.managed and (k[0], k[1]) not in schema.tables and t.function[0] == namespace
        ),
        key=lambda t: (t.schema, t.table, t.name),
    )


def holding_schemas(schema: Schema) -> set[str]:
    """Schemas that hold a function, a procedure or a trigger on a table elsewhere."""
    held = {f.schema for f in schema.functions.values()} | {a.schema for a in schema.aggregates.values()}
    return held | {t.function[0] for ns in held for t in external_triggers(schema, ns)}


def aggregate_key(agg: Aggregate) -> str:
    """``mysum(integer)``: what ``schemas.<s>.aggregates`` is keyed by."""
    return f"{ident(agg.name)}({agg.args_sql})"


def aggregate_options(agg: Aggregate, schema: Schema) -> dict[str, object]:
    """The keys of one aggregate; a support function is unqualified when that reads back to it."""

    def support(function: tuple[str, str]) -> str:
        declared = any((f.schema, f.name) == function for f in schema.functions.values())
        if function[0] == "pg_catalog" or (function[0] == agg.schema and declared):
            return ident(function[1])
        return dotted(*function)

    out: dict[str, object] = {"sfunc": support(agg.sfunc), "stype": agg.stype}
    if agg.finalfunc is not None:
        out["finalfunc"] = support(agg.finalfunc)
    if agg.finalfunc_extra:
        out["finalfunc_extra"] = True
    if agg.combinefunc is not None:
        out["combinefunc"] = support(agg.combinefunc)
    if agg.initcond is not None:
        out["initcond"] = agg.initcond
    if agg.parallel is not Parallel.UNSAFE:
        out["parallel"] = agg.parallel.value
    if agg.hypothetical:
        out["hypothetical"] = True
    if agg.comment is not None:
        out["comment"] = agg.comment
    return out


def aggregates_of(schema: Schema, namespace: str) -> list[Aggregate]:
    return sorted((a for a in schema.aggregates.values() if a.schema == namespace), key=aggregate_key)


def event_triggers_of(schema: Schema) -> list[EventTrigger]:
    """The event triggers whose function lives in a managed schema (the ones a plan manages)."""
    return [e for _, e in sorted(schema.event_triggers.items()) if e.function[0] in schema.managed]


def event_trigger_options(et: EventTrigger) -> dict[str, object]:
    out: dict[str, object] = {"event": et.event}
    if et.tags:
        out["tags"] = list(et.tags_in_order)
    out["function"] = f"{dotted(*et.function)}()"
    if et.enabled is not TriggerEnabled.ORIGIN:
        out["enabled"] = et.enabled.value
    if et.comment is not None:
        out["comment"] = et.comment
    return out
