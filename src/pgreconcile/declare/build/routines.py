"""Declared functions, procedures and triggers → model objects, spelled as the catalog reads them.

Types become canonical (``int`` → ``integer``, an enum → ``public.mood``); ``returns`` becomes what
``pg_get_function_result()`` prints (``SETOF integer``, ``TABLE(id integer, "Name" text)``);
``SET`` values become what ``proconfig`` stores (``search_path=""``); a body is kept verbatim, as
PostgreSQL keeps it. A function's key is its schema, name and input argument types, so a function
declared twice — in two files, or by two spellings of one signature — is an error naming both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pgreconcile.declare.build.privileges import Declared, declare_access
from pgreconcile.declare.documents import Document
from pgreconcile.declare.spec.names import split_dotted
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.spec.routines import AggregateSpec, FunctionSpec, TriggerSpec
from pgreconcile.declare.spec.types import TypeProblem, TypeResolver
from pgreconcile.model.objects import Origin
from pgreconcile.model.privileges import GrantKind, GrantTarget
from pgreconcile.model.routines import (
    EVENT_ORDER,
    Aggregate,
    ArgMode,
    Argument,
    EventTrigger,
    Function,
    Parallel,
    Trigger,
    TriggerEnabled,
    TriggerTiming,
    Volatility,
)
from pgreconcile.normalize.types import qualified_type
from pgreconcile.quoting import ident

# Pseudo-types a function may take or return; format_type prints them as written.
PSEUDO_TYPES = frozenset({
    "trigger", "event_trigger", "void", "record", "anyelement", "anyarray", "anynonarray", "anyenum",
    "anyrange", "anymultirange", "anycompatible", "anycompatiblearray", "anycompatiblenonarray",
    "anycompatiblerange", "anycompatiblemultirange",
    # An aggregate's state of C support functions (ordered-set ones: ordered_set_transition),
    # and the any-type argument of VARIADIC "any" (format_type keeps its quotes: a keyword).
    "internal", '"any"',
})
LIST_SETTINGS = frozenset({"search_path", "temp_tablespaces"})
_MODES = {"in": ArgMode.IN, "out": ArgMode.OUT, "inout": ArgMode.INOUT, "variadic": ArgMode.VARIADIC}
# An SQL-standard body: stored parsed (prosqlbody), not as text.
_SQL_BODY = re.compile(r"\s*(?:BEGIN\s+ATOMIC\b|RETURN\b)", re.IGNORECASE)
_DEFAULT = re.compile(r"\s+(?:DEFAULT\s+|=\s*)(?P<expr>.+)$", re.IGNORECASE | re.DOTALL)
_VARIADIC = re.compile(r"^\s*VARIADIC\s+", re.IGNORECASE)


def split_top(text: str, sep: str = ",") -> list[str]:
    """``text`` split at ``sep`` outside parentheses and quotes."""
    parts, depth, quote, start = [], 0, None, 0
    for i, char in enumerate(text):
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


class SignatureError(ValueError):
    """A function key or ``returns`` that cannot be read."""


_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


def _aggregate_args(text: str) -> tuple[list[str], int | None]:
    """An aggregate's arguments and, for an ordered-set one (``float8 ORDER BY float8``), how
    many come before ORDER BY. ``VARIADIC "any" ORDER BY VARIADIC "any"`` is one argument, on
    both sides, as PostgreSQL stores it."""
    parts = _ORDER_BY.split(text)
    if len(parts) == 1:
        return ([] if text.strip() == "*" else split_top(text)), None
    if len(parts) != 2 or not parts[1].strip():
        raise SignatureError("an ordered-set aggregate has one ORDER BY, then its aggregated arguments")
    direct = split_top(parts[0]) if parts[0].strip() else []
    ordered = split_top(parts[1])
    if direct and len(ordered) == 1 and all(_VARIADIC.match(a) for a in (direct[-1], ordered[0])):
        if " ".join(direct[-1].split()) != " ".join(ordered[0].split()):
            raise SignatureError("VARIADIC on both sides of ORDER BY must be the same type (VARIADIC \"any\")")
        return direct, len(direct)
    return [*direct, *ordered], len(direct)


def split_signature(key: str) -> tuple[str, str]:
    """``note_count(p_owner uuid)`` → ``("note_count", "p_owner uuid")``; ``touch`` → ``("touch", "")``."""
    key = key.strip()
    if "(" not in key:
        return _name(key), ""
    if not key.endswith(")"):
        raise SignatureError(f"{key!r} must be `name(arguments)`")
    name, _, rest = key.partition("(")
    return _name(name.strip()), rest[:-1]


def _name(text: str) -> str:
    if text.startswith('"') and text.endswith('"'):
        return text[1:-1].replace('""', '"')
    if not re.fullmatch(r"[A-Za-z_][\w$]*", text):
        raise SignatureError(f"{text!r} is not a function name")
    return text.lower()


@dataclass
class RoutineBuilder:
    """Builds the functions and triggers of every document, collecting problems."""

    resolver: TypeResolver
    problems: Problems
    tables: frozenset[tuple[str, str]] = frozenset()  # a table's row type is a type too
    functions: dict[str, Function] = field(default_factory=dict)
    triggers: dict[tuple[str, str, str], Trigger] = field(default_factory=dict)
    aggregates: dict[str, Aggregate] = field(default_factory=dict)
    access: Declared | None = None  # [privileges] where a routine's `grants:`/`owner:` go

    # --- types -------------------------------------------------------------------------------

    def type_of(self, text: str, schema: str) -> str:
        """A canonical argument or result type; raises TypeProblem."""
        bare = " ".join(text.lower().split())
        if bare in PSEUDO_TYPES:
            return bare
        try:
            return self.resolver.canonical(text, schema)
        except TypeProblem:
            row = self._row_type(text.strip(), schema)
            if row is None:
                raise
            return row

    def _row_type(self, text: str, schema: str) -> str | None:
        """``notes`` / ``app.notes`` (``[]``) when that is a declared table: its row type."""
        array = "[]" if text.endswith("[]") else ""
        try:
            parts = split_dotted(text.removesuffix("[]"))
        except ValueError:
            return None
        key = (parts[0], parts[1]) if len(parts) == 2 else (schema, parts[-1])
        return qualified_type(*key) + array if key in self.tables else None

    def returns(self, text: str, schema: str) -> str:
        """``returns:`` as pg_get_function_result prints it."""
        text = text.strip()
        lower = text.lower()
        if lower.startswith("setof "):
            return "SETOF " + self.type_of(text[6:], schema)
        if lower.startswith("table") and text[5:].lstrip().startswith("(") and text.endswith(")"):
            inner = text[5:].lstrip()[1:-1]
            columns = []
            for part in split_top(inner):
                name, _, type_text = part.partition(" ")
                columns.append(f"{ident(_name(name))} {self.type_of(type_text, schema)}")
            return f"TABLE({', '.join(columns)})"
        return self.type_of(text, schema)

    def argument(self, text: str, schema: str) -> Argument:
        """One argument as written in CREATE FUNCTION: ``[mode] [name] type [DEFAULT expr]``."""
        default = None
        found = _DEFAULT.search(text)
        if found is not None:
            default = found["expr"].strip()
            text = text[: found.start()]
        words = text.split(None, 1)
        mode = ArgMode.IN
        if len(words) == 2 and words[0].lower() in _MODES:
            mode = _MODES[words[0].lower()]
            text = words[1]
        try:
            return Argument(None, self.type_of(text, schema), mode, default)
        except TypeProblem:
            name, _, rest = text.strip().partition(" ")
            if not rest:
                raise
            return Argument(_name(name), self.type_of(rest, schema), mode, default)

    # --- functions ---------------------------------------------------------------------------

    def function(self, schema: str, key: str, spec: FunctionSpec, origin: Origin, *, procedure: bool) -> None:
        what = f"{'procedure' if procedure else 'function'} {schema}.{key}"
        try:
            name, args_text = split_signature(key)
            arguments = tuple(self.argument(a, schema) for a in split_top(args_text))
            returns = None if procedure else self._result(spec, arguments, schema, what)
        except (SignatureError, TypeProblem, ValueError) as err:
            self.problems.at(origin, f"{what}: {err}", getattr(err, "hint", None) or
                             "write the key as in CREATE FUNCTION: `name(arg_name type, …)`")
            return
        if procedure and spec.returns is not None:
            self.problems.at(origin, f"{what}: a procedure returns nothing", "remove `returns:` or declare a function")
            return
        support: tuple[str, str] | None = None
        if spec.support is not None:
            if procedure:
                self.problems.at(origin, f"{what}: a procedure has no support function", "remove `support:`")
                return
            try:
                parts = split_dotted(spec.support.strip().removesuffix("()"))
            except ValueError as err:
                self.problems.at(origin, f"{what}: support: {err}")
                return
            support = (parts[0], parts[1]) if len(parts) == 2 else ("pg_catalog", parts[0])
        language = spec.language.lower()
        sql_body = language == "sql" and _SQL_BODY.match(spec.body) is not None
        set_returning = bool(returns and returns.startswith(("SETOF ", "TABLE(")))
        fn = Function(
            schema=schema,
            name=name,
            arguments=arguments,
            returns=returns,
            procedure=procedure,
            language=language,
            body=spec.body,
            sql_body=sql_body,
            volatility=Volatility(spec.volatility),
            strict=spec.strict,
            security_definer=spec.security_definer,
            leakproof=spec.leakproof,
            parallel=Parallel(spec.parallel),
            cost=spec.cost if spec.cost is not None else 100.0,
            rows=spec.rows if spec.rows is not None else (1000.0 if set_returning else 0.0),
            config=tuple(sorted((k, stored_setting(k, v)) for k, v in spec.set.items())),
            config_order=tuple(spec.set),
            support=support,
            comment=spec.comment,
            origin=origin,
            renamed_from=_name(spec.renamed_from) if spec.renamed_from else None,
        )
        first = self.functions.get(fn.key)
        if first is not None:
            self.problems.at(origin, f"{what} is declared twice: at {first.origin} and at {origin}",
                             "declare each function once (argument types make the signature)")
            return
        self.functions[fn.key] = fn
        if self.access is not None:
            # Grants name a routine by its input argument types, as the catalog does.
            kind = GrantKind.PROCEDURE if procedure else GrantKind.FUNCTION
            target = GrantTarget(kind, schema, name, args=fn.input_types)
            declare_access(self.access, target, spec.grants, spec.owner, (origin, origin), self.problems)

    def _result(self, spec: FunctionSpec, arguments: tuple[Argument, ...], schema: str, what: str) -> str:
        if spec.returns is not None:
            return self.returns(spec.returns, schema)
        outs = [a for a in arguments if a.mode in (ArgMode.OUT, ArgMode.INOUT)]
        if len(outs) == 1:
            return outs[0].type
        if outs:
            return "record"
        raise SignatureError("a function needs `returns:` (void, a type, SETOF type or TABLE(...))")

    # --- aggregates --------------------------------------------------------------------------

    def aggregate(self, schema: str, key: str, spec: AggregateSpec, origin: Origin, declared: set[str]) -> None:
        what = f"aggregate {schema}.{key}"
        try:
            name, args_text = split_signature(key)
            args, direct_args = _aggregate_args(args_text)
            # VARIADIC may mark the last argument only, as in CREATE AGGREGATE.
            variadic = bool(args) and _VARIADIC.match(args[-1]) is not None
            if variadic:
                args = [*args[:-1], _VARIADIC.sub("", args[-1], count=1)]
            if any(_VARIADIC.match(a) for a in args):
                raise SignatureError("only the last argument can be VARIADIC")
            if spec.hypothetical and direct_args is None:
                raise SignatureError("a hypothetical-set aggregate has ORDER BY in its arguments: "
                                     "`rank_of(integer ORDER BY integer)`")
            arg_types = tuple(self.type_of(a, schema) for a in args)
            stype = self.type_of(spec.stype, schema)
            support = [self.support(text, schema, declared) if text else None
                       for text in (spec.sfunc, spec.finalfunc, spec.combinefunc)]
        except (SignatureError, TypeProblem, ValueError) as err:
            self.problems.at(origin, f"{what}: {err}", getattr(err, "hint", None))
            return
        sfunc = support[0]
        assert sfunc is not None  # sfunc is required by the spec
        agg = Aggregate(schema, name, arg_types, sfunc, stype, support[1], support[2], spec.initcond,
                        Parallel(spec.parallel), spec.comment, origin, variadic, spec.finalfunc_extra,
                        direct_args, spec.hypothetical)
        if agg.key in self.aggregates or agg.key in self.functions:
            self.problems.at(origin, f"{what}: a function or aggregate with this signature is declared twice")
            return
        self.aggregates[agg.key] = agg
        if self.access is not None:
            target = GrantTarget(GrantKind.AGGREGATE, schema, name, args=arg_types)
            declare_access(self.access, target, spec.grants, spec.owner, (origin, origin), self.problems)

    @staticmethod
    def support(text: str, schema: str, declared: set[str]) -> tuple[str, str]:
        """A support function's (schema, name): unqualified means the aggregate's schema when a
        function of that name is declared there, else a built-in."""
        parts = split_dotted(text.strip().removesuffix("()"))
        if len(parts) == 2:
            return parts[0], parts[1]
        return (schema if f"{schema}.{parts[0]}" in declared else "pg_catalog"), parts[0]

    # --- triggers ----------------------------------------------------------------------------

    def trigger(self, schema: str, table: str, name: str, spec: TriggerSpec, origin: Origin, declared_in: str) -> None:
        what = f"trigger {name} on {schema}.{table}"
        try:
            parts = split_dotted(spec.function.strip().removesuffix("()"))
        except ValueError as err:
            self.problems.at(origin, f"{what}: {err}")
            return
        function = (parts[0], parts[1]) if len(parts) == 2 else (declared_in, parts[-1])
        if spec.update_of and "update" not in spec.events:
            self.problems.at(origin, f"{what}: `update_of` needs the update event")
            return
        if (spec.old_table or spec.new_table) and (len(spec.events) != 1 or spec.timing != "after"):
            self.problems.at(origin, f"{what}: transition tables need one event and timing after",
                             "declare one trigger per event")
            return
        if (spec.deferrable or spec.initially_deferred) and not spec.constraint:
            self.problems.at(origin, f"{what}: only a constraint trigger is deferrable", "add `constraint: true`")
            return
        referenced: tuple[str, str] | None = None
        if spec.referenced_table is not None:
            if not spec.constraint:
                self.problems.at(origin, f"{what}: only a constraint trigger has a `referenced_table` (FROM)",
                                 "add `constraint: true`")
                return
            try:
                found = split_dotted(spec.referenced_table.strip())
            except ValueError as err:
                self.problems.at(origin, f"{what}: {err}")
                return
            referenced = (found[0], found[1]) if len(found) == 2 else (declared_in, found[-1])
        trigger = Trigger(
            schema=schema,
            table=table,
            name=name,
            function=function,
            timing=TriggerTiming(spec.timing),
            events=tuple(e for e in EVENT_ORDER if e.value in spec.events),
            update_columns=tuple(sorted(spec.update_of)),
            for_each_row=spec.for_each == "row",
            when=spec.when,
            arguments=tuple(spec.arguments),
            old_table=spec.old_table,
            new_table=spec.new_table,
            constraint=spec.constraint,
            deferrable=spec.deferrable or spec.initially_deferred,
            initially_deferred=spec.initially_deferred,
            referenced_table=referenced,
            enabled=TriggerEnabled(spec.enabled),
            comment=spec.comment,
            origin=origin,
            renamed_from=spec.renamed_from,
        )
        key = (schema, table, name)
        first = self.triggers.get(key)
        if first is not None:
            self.problems.at(origin, f"{what} is declared twice: at {first.origin} and at {origin}")
            return
        self.triggers[key] = trigger


def stored_setting(name: str, value: str) -> str:
    """A ``SET`` value as ``proconfig`` stores it: list settings element by element, each quoted
    as an identifier when needed (``''`` → ``""``, ``$user`` → ``"$user"``)."""
    if name.lower() not in LIST_SETTINGS:
        return value
    items = split_top(value) if value.strip() else [""]
    out = []
    for item in items:
        if item.startswith('"') and item.endswith('"') and len(item) >= 2:
            out.append(item)
        elif item.startswith("'") and item.endswith("'") and len(item) >= 2:
            out.append(ident(item[1:-1]) if item[1:-1] else '""')
        else:
            out.append(ident(item) if item else '""')
    return ", ".join(out)


def build_event_triggers(documents: Sequence[Document], problems: Problems) -> dict[str, EventTrigger]:
    """Every declared event trigger by name; an unqualified function lives in ``public``."""
    found: dict[str, EventTrigger] = {}
    for doc in documents:
        for name, spec in doc.spec.event_triggers.items():
            origin = Origin(doc.file, doc.line("event_triggers", name))
            if name in found:
                problems.at(origin, f"event trigger {name} is declared twice: at {found[name].origin} and at {origin}")
                continue
            parts = split_dotted(spec.function.strip().removesuffix("()"))
            function = (parts[0], parts[1]) if len(parts) == 2 else ("public", parts[-1])
            found[name] = EventTrigger(
                name,
                spec.event,
                function,
                tuple(sorted(spec.tags)),
                TriggerEnabled(spec.enabled),
                spec.comment,
                origin,
                written=tuple(spec.tags),
                owner=spec.owner,
            )
    return dict(sorted(found.items()))


def build_routines(
    documents: Sequence[Document],
    resolver: TypeResolver,
    problems: Problems,
    tables: frozenset[tuple[str, str]] = frozenset(),
    access: Declared | None = None,
) -> tuple[dict[str, Function], dict[tuple[str, str, str], Trigger], dict[str, Aggregate]]:
    """Every declared function, procedure and trigger, keyed as the model keys them; the
    grants and owners routines declare are added to ``access``."""
    builder = RoutineBuilder(resolver, problems, tables, access=access)
    for doc in documents:
        for schema, spec in doc.spec.schemas.items():
            for kind, specs in (("functions", spec.functions), ("procedures", spec.procedures)):
                for key, fn in specs.items():
                    origin = Origin(doc.file, doc.line("schemas", schema, kind, key))
                    builder.function(schema, key, fn, origin, procedure=kind == "procedures")
            for table_name, table in spec.tables.items():
                for name, trg in table.triggers.items():
                    origin = Origin(doc.file, doc.line("schemas", schema, "tables", table_name, "triggers", name))
                    if trg.table is not None:
                        problems.at(origin, f"trigger {name}: `table` is implied by the table it is declared in")
                        continue
                    builder.trigger(schema, table_name, name, trg, origin, schema)
            for name, trg in spec.triggers.items():
                origin = Origin(doc.file, doc.line("schemas", schema, "triggers", name))
                if trg.table is None:
                    problems.at(origin, f"trigger {name}: a trigger declared under the schema needs `table:`",
                                "write `table: auth.users`, or declare it under its table's `triggers:`")
                    continue
                try:
                    parts = split_dotted(trg.table)
                except ValueError as err:
                    problems.at(origin, f"trigger {name}: {err}")
                    continue
                table_schema, table_name = (parts[0], parts[1]) if len(parts) == 2 else (schema, parts[-1])
                builder.trigger(table_schema, table_name, name, trg, origin, schema)
    # Aggregates last: an unqualified support function is looked up among the declared functions.
    declared = {f"{f.schema}.{f.name}" for f in builder.functions.values()}
    for doc in documents:
        for schema, spec in doc.spec.schemas.items():
            for key, agg in spec.aggregates.items():
                origin = Origin(doc.file, doc.line("schemas", schema, "aggregates", key))
                builder.aggregate(schema, key, agg, origin, declared)
    return (
        dict(sorted(builder.functions.items())),
        dict(sorted(builder.triggers.items())),
        dict(sorted(builder.aggregates.items())),
    )


__all__ = ["PSEUDO_TYPES", "build_routines", "split_signature", "stored_setting"]
