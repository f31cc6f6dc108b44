"""SQL for functions, procedures and triggers.

Names go through :mod:`pgreconcile.quoting`; a body is the user's code and is sent verbatim
between dollar quotes whose tag it does not contain (so ``prosrc`` stores exactly the declared
text); an SQL-standard body (``BEGIN ATOMIC … END``, ``RETURN …``) is SQL and follows the header.
``SET`` values are literals: a list setting (``search_path``) is one literal per element, which is
how PostgreSQL stores it back (``search_path=""`` for ``''``).
"""

from __future__ import annotations

from pgreconcile.ddl.statements import statements
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
from pgreconcile.quoting import ident, literal, qualified

# Settings whose value is a list of names (GUC_LIST_QUOTE in PostgreSQL).
LIST_SETTINGS = frozenset({"search_path", "temp_tablespaces"})


def split_list_setting(value: str) -> list[str]:
    """``"$user", public`` → ``['$user', 'public']``; ``""`` → ``['']`` (the stored form of a
    list setting: elements quoted as identifiers when needed, joined by ``, ``)."""
    items: list[str] = []
    current, quoted, i = "", False, 0
    while i < len(value):
        char = value[i]
        if quoted:
            if char == '"' and value[i + 1 : i + 2] == '"':
                current += '"'
                i += 1
            elif char == '"':
                quoted = False
            else:
                current += char
        elif char == '"':
            quoted = True
        elif char == ",":
            items.append(current.strip() if not quoted else current)
            current = ""
        else:
            current += char
        i += 1
    items.append(current.strip())
    return items


def setting_name(name: str) -> str:
    """A setting's name (``work_mem``, ``app.tenant``), each part quoted as needed."""
    return ".".join(ident(part) for part in name.split("."))


def set_clause(name: str, value: str) -> str:
    """``SET name = value`` for a stored ``proconfig`` pair."""
    if name in LIST_SETTINGS:
        return f"SET {setting_name(name)} = " + ", ".join(literal(v) for v in split_list_setting(value))
    return f"SET {setting_name(name)} = {literal(value)}"


def signature(fn: Function) -> str:
    """``schema.name(type, …)``: the input argument types that identify the function."""
    return f"{qualified(fn.schema, fn.name)}({', '.join(fn.input_types)})"


def _argument(mode: ArgMode, name: str | None, type_: str, default: str | None) -> str:
    parts = [] if mode is ArgMode.IN else [mode.value.upper()]
    if name:
        parts.append(ident(name))
    parts.append(type_)
    if default is not None:
        parts.append(f"DEFAULT {default}")
    return " ".join(parts)


def _dollar_quoted(body: str) -> str:
    tag, n = "$function$", 0
    while tag in body:
        n += 1
        tag = f"$function{n}$"
    return f"{tag}{body}{tag}"


def function_definition(fn: Function, *, replace: bool = False) -> str:
    """The CREATE [OR REPLACE] FUNCTION / PROCEDURE statement for ``fn``, attributes that keep
    their default left out (CREATE OR REPLACE resets every attribute it does not name)."""
    head = "CREATE OR REPLACE" if replace else "CREATE"
    args = ", ".join(_argument(a.mode, a.name, a.type, a.default) for a in fn.arguments)
    lines = [f"{head} {fn.kind.upper()} {qualified(fn.schema, fn.name)}({args})"]
    if not fn.procedure:
        lines.append(f" RETURNS {fn.returns}")
    lines.append(f" LANGUAGE {ident(fn.language)}")
    if not fn.procedure:
        if fn.volatility is not Volatility.VOLATILE:
            lines.append(f" {fn.volatility.value.upper()}")
        if fn.strict:
            lines.append(" STRICT")
        if fn.leakproof:
            lines.append(" LEAKPROOF")
        if fn.parallel is not Parallel.UNSAFE:
            lines.append(f" PARALLEL {fn.parallel.value.upper()}")
        if fn.cost != 100:
            lines.append(f" COST {fn.cost:g}")
        if fn.returns and fn.returns.startswith(("SETOF ", "TABLE(")) and fn.rows != 1000:
            lines.append(f" ROWS {fn.rows:g}")
        if fn.support is not None:
            lines.append(f" SUPPORT {qualified(*fn.support)}")
    if fn.security_definer:
        lines.append(" SECURITY DEFINER")
    order = fn.config_order  # as declared, when known (a name it does not hold goes last)
    config = sorted(fn.config, key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    lines += [f" {set_clause(name, value)}" for name, value in config]
    if fn.sql_body:
        lines.append(fn.body)
    else:
        lines.append(f"AS {_dollar_quoted(fn.body)}")
    return "\n".join(lines)


def _comment(fn: Function) -> str:
    text = literal(fn.comment) if fn.comment is not None else "NULL"
    return f"COMMENT ON {fn.kind.upper()} {signature(fn)} IS {text}"


@statements.register
def _(change: CreateFunction) -> list[str]:
    out = _as_declared(change.function, function_definition(change.function))
    if change.function.comment is not None:
        out.append(_comment(change.function))
    return out


@statements.register
def _(change: ReplaceFunction) -> list[str]:
    out = _as_declared(change.new, function_definition(change.new, replace=True))
    if change.new.comment != change.old.comment:
        out.append(_comment(change.new))
    return out


# check_function_bodies off for the one statement (is_local: until the transaction ends at the
# latest), then back to the session's default (a role's own setting included).
_UNCHECKED = ("SELECT pg_catalog.set_config('check_function_bodies', 'off', true)", "RESET check_function_bodies")


def _as_declared(fn: Function, definition: str) -> list[str]:
    """The definition, with the body check off around it when the files that declare the
    function created it that way (model/routines.py ``body_checked``)."""
    return [definition] if fn.body_checked else [_UNCHECKED[0], definition, _UNCHECKED[1]]


@statements.register
def _(change: DropFunction) -> list[str]:
    return [f"DROP {change.function.kind.upper()} {signature(change.function)}"]


@statements.register
def _(change: SetFunctionComment) -> list[str]:
    return [_comment(change.function)]


@statements.register
def _(change: RenameFunction) -> list[str]:
    fn = change.function
    old = f"{qualified(fn.schema, change.old_name)}({', '.join(fn.input_types)})"
    return [f"ALTER {fn.kind.upper()} {old} RENAME TO {ident(fn.name)}"]


# --- triggers --------------------------------------------------------------------------------

_ENABLE = {
    TriggerEnabled.ORIGIN: "ENABLE TRIGGER",
    TriggerEnabled.DISABLED: "DISABLE TRIGGER",
    TriggerEnabled.REPLICA: "ENABLE REPLICA TRIGGER",
    TriggerEnabled.ALWAYS: "ENABLE ALWAYS TRIGGER",
}


def trigger_definition(trigger: Trigger) -> str:
    """The CREATE [CONSTRAINT] TRIGGER statement for ``trigger``."""
    events = []
    for event in trigger.events:
        text = event.value.upper()
        if event.value == "update" and trigger.update_columns:
            text += " OF " + ", ".join(ident(c) for c in trigger.update_columns)
        events.append(text)
    kind = "CONSTRAINT TRIGGER" if trigger.constraint else "TRIGGER"
    text = (
        f"CREATE {kind} {ident(trigger.name)} {trigger.timing.value.upper()} {' OR '.join(events)}"
        f" ON {qualified(trigger.schema, trigger.table)}"
    )
    if trigger.constraint and trigger.referenced_table is not None:
        text += f" FROM {qualified(*trigger.referenced_table)}"
    if trigger.constraint and trigger.deferrable:
        text += " DEFERRABLE" + (" INITIALLY DEFERRED" if trigger.initially_deferred else "")
    referencing = []
    if trigger.old_table:
        referencing.append(f"OLD TABLE AS {ident(trigger.old_table)}")
    if trigger.new_table:
        referencing.append(f"NEW TABLE AS {ident(trigger.new_table)}")
    if referencing:
        text += " REFERENCING " + " ".join(referencing)
    text += " FOR EACH ROW" if trigger.for_each_row else " FOR EACH STATEMENT"
    if trigger.when is not None:
        text += f" WHEN ({trigger.when})"
    args = ", ".join(literal(a) for a in trigger.arguments)
    return text + f" EXECUTE FUNCTION {qualified(*trigger.function)}({args})"


def _on(trigger: Trigger) -> str:
    return f"{ident(trigger.name)} ON {qualified(trigger.schema, trigger.table)}"


def _trigger_comment(trigger: Trigger) -> str:
    text = literal(trigger.comment) if trigger.comment is not None else "NULL"
    return f"COMMENT ON TRIGGER {_on(trigger)} IS {text}"


def _enable(trigger: Trigger) -> str:
    return f"ALTER TABLE {qualified(trigger.schema, trigger.table)} {_ENABLE[trigger.enabled]} {ident(trigger.name)}"


@statements.register
def _(change: CreateTrigger) -> list[str]:
    trigger = change.trigger
    out = [trigger_definition(trigger)]
    if trigger.enabled is not TriggerEnabled.ORIGIN:
        out.append(_enable(trigger))
    if trigger.comment is not None:
        out.append(_trigger_comment(trigger))
    return out


@statements.register
def _(change: DropTrigger) -> list[str]:
    return [f"DROP TRIGGER {_on(change.trigger)}"]


@statements.register
def _(change: SetTriggerEnabled) -> list[str]:
    return [_enable(change.trigger)]


@statements.register
def _(change: SetTriggerComment) -> list[str]:
    return [_trigger_comment(change.trigger)]


@statements.register
def _(change: RenameTrigger) -> list[str]:
    trigger = change.trigger
    return [
        f"ALTER TRIGGER {ident(change.old_name)} ON {qualified(trigger.schema, trigger.table)}"
        f" RENAME TO {ident(trigger.name)}"
    ]


# --- aggregates ------------------------------------------------------------------------------


def _support(function: tuple[str, str]) -> str:
    return ident(function[1]) if function[0] == "pg_catalog" else qualified(*function)


def aggregate_signature(agg: Aggregate) -> str:
    return f"{qualified(agg.schema, agg.name)}({agg.args_sql})"


def aggregate_definition(agg: Aggregate, *, replace: bool = False) -> str:
    """CREATE [OR REPLACE] AGGREGATE with the options that are set."""
    options = [f"SFUNC = {_support(agg.sfunc)}", f"STYPE = {agg.stype}"]
    if agg.finalfunc is not None:
        options.append(f"FINALFUNC = {_support(agg.finalfunc)}")
    if agg.finalfunc_extra:
        options.append("FINALFUNC_EXTRA")
    if agg.combinefunc is not None:
        options.append(f"COMBINEFUNC = {_support(agg.combinefunc)}")
    if agg.initcond is not None:
        options.append(f"INITCOND = {literal(agg.initcond)}")
    if agg.parallel is not Parallel.UNSAFE:
        options.append(f"PARALLEL = {agg.parallel.value.upper()}")
    if agg.hypothetical:
        options.append("HYPOTHETICAL")
    head = "CREATE OR REPLACE AGGREGATE" if replace else "CREATE AGGREGATE"
    return f"{head} {aggregate_signature(agg)} ({', '.join(options)})"


def _aggregate_comment(agg: Aggregate) -> str:
    text = literal(agg.comment) if agg.comment is not None else "NULL"
    return f"COMMENT ON AGGREGATE {aggregate_signature(agg)} IS {text}"


@statements.register
def _(change: CreateAggregate) -> list[str]:
    out = [aggregate_definition(change.aggregate, replace=change.replace)]
    if change.aggregate.comment is not None:
        out.append(_aggregate_comment(change.aggregate))
    return out


@statements.register
def _(change: DropAggregate) -> list[str]:
    return [f"DROP AGGREGATE {aggregate_signature(change.aggregate)}"]


@statements.register
def _(change: SetAggregateComment) -> list[str]:
    return [_aggregate_comment(change.aggregate)]


# --- event triggers --------------------------------------------------------------------------

_EVENT_ENABLE = {
    TriggerEnabled.ORIGIN: "ENABLE",
    TriggerEnabled.DISABLED: "DISABLE",
    TriggerEnabled.REPLICA: "ENABLE REPLICA",
    TriggerEnabled.ALWAYS: "ENABLE ALWAYS",
}


def _event_owner(et: EventTrigger) -> str:
    return f"ALTER EVENT TRIGGER {ident(et.name)} OWNER TO {ident(et.owner or '')}"


def _event_comment(name: str, comment: str | None) -> str:
    return f"COMMENT ON EVENT TRIGGER {ident(name)} IS {literal(comment) if comment is not None else 'NULL'}"


@statements.register
def _(change: CreateEventTrigger) -> list[str]:
    et = change.event_trigger
    text = f"CREATE EVENT TRIGGER {ident(et.name)} ON {ident(et.event)}"
    if et.tags:
        text += f" WHEN TAG IN ({', '.join(literal(t) for t in et.tags_in_order)})"
    out = [text + f" EXECUTE FUNCTION {qualified(*et.function)}()"]
    if et.enabled is not TriggerEnabled.ORIGIN:
        out.append(f"ALTER EVENT TRIGGER {ident(et.name)} {_EVENT_ENABLE[et.enabled]}")
    if et.comment is not None:
        out.append(_event_comment(et.name, et.comment))
    if et.owner is not None:
        out.append(_event_owner(et))
    return out


@statements.register
def _(change: DropEventTrigger) -> list[str]:
    return [f"DROP EVENT TRIGGER {ident(change.event_trigger.name)}"]


@statements.register
def _(change: AlterEventTrigger) -> list[str]:
    et, old = change.event_trigger, change.old
    out = []
    if et.enabled != old.enabled:
        out.append(f"ALTER EVENT TRIGGER {ident(et.name)} {_EVENT_ENABLE[et.enabled]}")
    if et.comment != old.comment:
        out.append(_event_comment(et.name, et.comment))
    if et.owner is not None and et.owner != old.owner:
        out.append(_event_owner(et))
    return out
