"""Plan labels for function, procedure and trigger changes (registered on
:func:`pgreconcile.plan.describe.describe` when imported)."""

from __future__ import annotations

from pgreconcile.diff.routine_changes import (
    AlterEventTrigger,
    CreateAggregate,
    CreateEventTrigger,
    CreateFunction,
    CreateTrigger,
    DropAggregate,
    DropEventTrigger,
    DropFunction,
    DropTrigger,
    RenameFunction,
    RenameTrigger,
    ReplaceFunction,
    SetAggregateComment,
    SetFunctionComment,
    SetTriggerComment,
    SetTriggerEnabled,
)
from pgreconcile.model.routines import Function, Trigger
from pgreconcile.normalize.bodies import same_sql_body
from pgreconcile.plan.describe import comment_text, describe


def function_label(fn: Function) -> str:
    """``function public.f(integer) returns bigint`` / ``procedure public.p(integer)``."""
    text = f"{fn.kind} {fn.signature}"
    return text if fn.procedure else f"{text} returns {fn.returns}"


def trigger_summary(trigger: Trigger) -> str:
    """``trigger t before insert or update for each row → public.touch()``."""
    events = " or ".join(
        e.value + (f" of {', '.join(trigger.update_columns)}" if e.value == "update" and trigger.update_columns else "")
        for e in trigger.events
    )
    text = f"trigger {trigger.name} {trigger.timing.value} {events}"
    if trigger.referenced_table is not None:
        text += f" from {trigger.referenced_table[0]}.{trigger.referenced_table[1]}"
    text += " for each row" if trigger.for_each_row else " for each statement"
    if trigger.when is not None:
        text += f" when ({' '.join(trigger.when.split())})"
    text += f" → {trigger.function[0]}.{trigger.function[1]}()"
    if trigger.enabled.value != "origin":
        text += f" [{trigger.enabled.value}]"
    return text


def _shown(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, tuple):  # a (schema, name) pair: the support function
        return ".".join(str(part) for part in value)
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:g}"
    return str(getattr(value, "value", value))


def _changed(old: Function, new: Function) -> list[str]:
    parts: list[str] = []
    same_body = old.body == new.body or (old.sql_body and same_sql_body(old.body, new.body))
    if old.sql_body != new.sql_body or not same_body:
        parts.append("body")
    for attribute in ("language", "volatility", "strict", "security_definer", "leakproof", "parallel",
                      "cost", "rows", "config", "support"):
        before, after = getattr(old, attribute), getattr(new, attribute)
        if before != after:
            name = "set" if attribute == "config" else attribute.replace("_", " ")
            if attribute == "config":
                before = ", ".join(f"{k}={v}" for k, v in before) or "none"
                after = ", ".join(f"{k}={v}" for k, v in after) or "none"
            parts.append(f"{name} {_shown(before)} → {_shown(after)}")
    if [a.default for a in old.arguments] != [a.default for a in new.arguments]:
        parts.append("argument defaults")
    if old.comment != new.comment:
        parts.append(f"comment {comment_text(old.comment)} → {comment_text(new.comment)}")
    return parts


@describe.register
def _(c: CreateFunction) -> tuple[str, tuple[str, ...]]:
    return function_label(c.function), ()


@describe.register
def _(c: DropFunction) -> tuple[str, tuple[str, ...]]:
    return function_label(c.function), ()


@describe.register
def _(c: ReplaceFunction) -> tuple[str, tuple[str, ...]]:
    return f"{c.new.kind} {c.new.signature} " + ", ".join(_changed(c.old, c.new)), ()


@describe.register
def _(c: SetFunctionComment) -> tuple[str, tuple[str, ...]]:
    fn = c.function
    return f"{fn.kind} {fn.signature} comment {comment_text(c.old)} → {comment_text(fn.comment)}", ()


@describe.register
def _(c: RenameFunction) -> tuple[str, tuple[str, ...]]:
    fn = c.function
    return f"{fn.kind} {fn.schema}.{c.old_name}({', '.join(fn.input_types)}) → {fn.name}", ()


@describe.register
def _(c: CreateTrigger) -> tuple[str, tuple[str, ...]]:
    return trigger_summary(c.trigger), ()


@describe.register
def _(c: DropTrigger) -> tuple[str, tuple[str, ...]]:
    return trigger_summary(c.trigger), ()


@describe.register
def _(c: SetTriggerEnabled) -> tuple[str, tuple[str, ...]]:
    return f"trigger {c.trigger.name} {c.old.value} → {c.trigger.enabled.value}", ()


@describe.register
def _(c: SetTriggerComment) -> tuple[str, tuple[str, ...]]:
    return f"trigger {c.trigger.name} comment {comment_text(c.old)} → {comment_text(c.trigger.comment)}", ()


@describe.register
def _(c: RenameTrigger) -> tuple[str, tuple[str, ...]]:
    return f"trigger {c.old_name} → {c.trigger.name}", ()


def aggregate_label(c: CreateAggregate | DropAggregate | SetAggregateComment) -> str:
    agg = c.aggregate
    def name(function: tuple[str, str]) -> str:
        return ".".join(function) if function[0] != "pg_catalog" else function[1]

    final = f", final {name(agg.finalfunc)}" if agg.finalfunc is not None else ""
    final += ", hypothetical" if agg.hypothetical else ""
    return f"aggregate {agg.signature} ({name(agg.sfunc)}, {agg.stype}{final})"


@describe.register
def _(c: CreateAggregate) -> tuple[str, tuple[str, ...]]:
    return aggregate_label(c), ()


@describe.register
def _(c: DropAggregate) -> tuple[str, tuple[str, ...]]:
    return aggregate_label(c), ()


@describe.register
def _(c: SetAggregateComment) -> tuple[str, tuple[str, ...]]:
    return f"aggregate {c.aggregate.signature} comment {comment_text(c.old)} → {comment_text(c.aggregate.comment)}", ()


def event_trigger_label(c: CreateEventTrigger | DropEventTrigger) -> str:
    et = c.event_trigger
    tags = f" when tag in ({', '.join(et.tags_in_order)})" if et.tags else ""
    state = f" [{et.enabled.value}]" if et.enabled.value != "origin" else ""
    return f"event trigger {et.name} on {et.event}{tags} → {et.function[0]}.{et.function[1]}(){state}"


@describe.register
def _(c: CreateEventTrigger) -> tuple[str, tuple[str, ...]]:
    return event_trigger_label(c), ()


@describe.register
def _(c: DropEventTrigger) -> tuple[str, tuple[str, ...]]:
    return event_trigger_label(c), ()


@describe.register
def _(c: AlterEventTrigger) -> tuple[str, tuple[str, ...]]:
    parts = []
    if c.event_trigger.enabled != c.old.enabled:
        parts.append(f"{c.old.enabled.value} → {c.event_trigger.enabled.value}")
    if c.event_trigger.comment != c.old.comment:
        parts.append(f"comment {comment_text(c.old.comment)} → {comment_text(c.event_trigger.comment)}")
    if c.event_trigger.owner is not None and c.event_trigger.owner != c.old.owner:
        parts.append(f"owner {c.old.owner} → {c.event_trigger.owner}")
    return f"event trigger {c.event_trigger.name} " + ", ".join(parts), ()
