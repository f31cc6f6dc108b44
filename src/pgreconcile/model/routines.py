"""Code objects: functions, procedures, aggregates, triggers and event triggers.

Both sides spell them the way PostgreSQL prints them with ``search_path = pg_catalog``:

* argument and result types are canonical ``format_type()`` text (``integer``, ``public.mood``);
  ``Function.returns`` is what ``pg_get_function_result()`` prints: ``integer``, ``SETOF text``,
  ``TABLE(id integer, "Name" text)``, ``trigger``; None for a procedure;
* ``Function.body`` is ``prosrc`` exactly as stored (PostgreSQL keeps the text between the dollar
  quotes verbatim), or, for an SQL-standard body (``BEGIN ATOMIC … END`` / ``RETURN …``), what
  ``pg_get_function_sqlbody()`` prints; ``sql_body`` says which;
* ``Function.config`` holds ``SET`` clauses as ``proconfig`` stores them (``search_path=""``), by name;
* argument defaults and a trigger's ``WHEN`` are SQL expressions, compared through the normalizer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pgreconcile.model.keys import function_key, trigger_key
from pgreconcile.model.origin import Origin


class ArgMode(StrEnum):
    """How an argument passes: ``IN`` (the default), ``OUT``, ``INOUT``, ``VARIADIC``."""

    IN = "in"
    OUT = "out"
    INOUT = "inout"
    VARIADIC = "variadic"


class Volatility(StrEnum):
    VOLATILE = "volatile"
    STABLE = "stable"
    IMMUTABLE = "immutable"


class Parallel(StrEnum):
    UNSAFE = "unsafe"
    RESTRICTED = "restricted"
    SAFE = "safe"


# The modes that make an argument part of the signature (pg_proc.proargtypes).
_INPUT = frozenset({ArgMode.IN, ArgMode.INOUT, ArgMode.VARIADIC})


@dataclass(frozen=True, slots=True)
class Argument:
    """One argument of a function or procedure; ``default`` is an SQL expression."""

    name: str | None
    type: str
    mode: ArgMode = ArgMode.IN
    default: str | None = None

    @property
    def is_input(self) -> bool:
        return self.mode in _INPUT


@dataclass(frozen=True, slots=True)
class Function:
    """A function or (``procedure`` true, ``returns`` None) a procedure.

    ``cost`` and ``rows`` are PostgreSQL's (100 and, for a set-returning function, 1000 unless
    declared); ``support`` is the planner support function (``SUPPORT``) as ``(schema, name)``;
    ``renamed_from`` is a declaration-only hint: the former name, same schema and argument types
    (``ALTER FUNCTION … RENAME TO``)."""

    schema: str
    name: str
    arguments: tuple[Argument, ...] = ()
    returns: str | None = "void"
    procedure: bool = False
    language: str = "sql"
    body: str = ""
    sql_body: bool = False
    volatility: Volatility = Volatility.VOLATILE
    strict: bool = False
    security_definer: bool = False
    leakproof: bool = False
    parallel: Parallel = Parallel.UNSAFE
    cost: float = 100.0
    rows: float = 0.0
    config: tuple[tuple[str, str], ...] = ()
    # The SET clauses' names in the order the source wrote them (never compared): proconfig keeps
    # that order and a dump prints it, so CREATE writes them so.
    config_order: tuple[str, ...] = field(default=(), compare=False)
    support: tuple[str, str] | None = None
    comment: str | None = None
    origin: Origin | None = field(default=None, compare=False)
    renamed_from: str | None = field(default=None, compare=False)
    # Declared in SQL files that turn check_function_bodies off (as pg_dump's output does): the
    # body is created unchecked, as those files created it, and may name what does not exist.
    body_checked: bool = field(default=True, compare=False)

    @property
    def input_types(self) -> tuple[str, ...]:
        """The canonical types of the arguments that make up the signature."""
        return tuple(a.type for a in self.arguments if a.is_input)

    @property
    def key(self) -> str:
        return function_key(self.schema, self.name, self.input_types)

    @property
    def kind(self) -> str:
        return "procedure" if self.procedure else "function"

    @property
    def signature(self) -> str:
        """``schema.name(type, type)`` — how a plan names it."""
        return f"{self.schema}.{self.name}({', '.join(self.input_types)})"


class TriggerTiming(StrEnum):
    BEFORE = "before"
    AFTER = "after"
    INSTEAD_OF = "instead of"


class TriggerEvent(StrEnum):
    """In the order PostgreSQL prints them."""

    INSERT = "insert"
    DELETE = "delete"
    UPDATE = "update"
    TRUNCATE = "truncate"


EVENT_ORDER: tuple[TriggerEvent, ...] = tuple(TriggerEvent)


class TriggerEnabled(StrEnum):
    """``pg_trigger.tgenabled``: fires in origin/local sessions (the default), never, only in
    replica sessions, or always."""

    ORIGIN = "origin"
    DISABLED = "disabled"
    REPLICA = "replica"
    ALWAYS = "always"


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger on ``schema.table`` calling the trigger function ``function`` (schema, name).

    ``events`` are in :data:`EVENT_ORDER`; ``update_columns`` (``UPDATE OF``) are sorted by name;
    ``arguments`` are the literal strings passed to the function; ``old_table`` / ``new_table``
    are transition table names (``REFERENCING``); ``referenced_table`` is the ``FROM`` table of a
    constraint trigger (``(schema, name)``), the other table of a hand-made foreign key."""

    schema: str
    table: str
    name: str
    function: tuple[str, str]
    timing: TriggerTiming = TriggerTiming.AFTER
    events: tuple[TriggerEvent, ...] = (TriggerEvent.INSERT,)
    update_columns: tuple[str, ...] = ()
    for_each_row: bool = True
    when: str | None = None
    arguments: tuple[str, ...] = ()
    old_table: str | None = None
    new_table: str | None = None
    constraint: bool = False
    deferrable: bool = False
    initially_deferred: bool = False
    referenced_table: tuple[str, str] | None = None
    enabled: TriggerEnabled = TriggerEnabled.ORIGIN
    comment: str | None = None
    origin: Origin | None = field(default=None, compare=False)
    renamed_from: str | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return trigger_key(self.schema, self.table, self.name)

    @property
    def function_key(self) -> str:
        # A trigger function takes no declared arguments (its arguments come through TG_ARGV).
        return function_key(self.function[0], self.function[1], ())


@dataclass(frozen=True, slots=True)
class Aggregate:
    """An aggregate (``CREATE AGGREGATE``). Support functions are ``(schema, name)``
    pairs — ``("pg_catalog", "int4pl")`` for built-ins; ``initcond`` is the text PostgreSQL
    stores. ``variadic``: the last argument is ``VARIADIC``; ``finalfunc_extra``: the final
    function also receives the arguments (``FINALFUNC_EXTRA``). An ordered-set aggregate
    (``percentile(float8 ORDER BY float8)``) has ``direct_args``: how many of ``arg_types`` come
    before ``ORDER BY`` (None: an ordinary aggregate); ``hypothetical`` marks a hypothetical-set
    one (``HYPOTHETICAL``). In ``(VARIADIC "any" ORDER BY VARIADIC "any")`` one argument stands
    on both sides, as the catalog stores it (``direct_args`` equals the number of arguments).
    Moving-aggregate forms and sort operators are not modelled."""

    schema: str
    name: str
    arg_types: tuple[str, ...]
    sfunc: tuple[str, str]
    stype: str
    finalfunc: tuple[str, str] | None = None
    combinefunc: tuple[str, str] | None = None
    initcond: str | None = None
    parallel: Parallel = Parallel.UNSAFE
    comment: str | None = None
    origin: Origin | None = field(default=None, compare=False)
    variadic: bool = False
    finalfunc_extra: bool = False
    direct_args: int | None = None
    hypothetical: bool = False

    @property
    def key(self) -> str:
        return function_key(self.schema, self.name, self.arg_types)

    @property
    def args_sql(self) -> str:
        """The argument list as CREATE AGGREGATE writes it: ``integer, text``, ``*`` (none) or
        ``float8 ORDER BY float8``."""
        written = list(self.written_args)
        if self.direct_args is None:
            return ", ".join(written) or "*"  # count(*): no argument is written `*`
        direct = written[: self.direct_args]
        # All arguments direct: the last (VARIADIC "any") is the aggregated one as well.
        ordered = written[self.direct_args:] or written[-1:]
        return f"{', '.join(direct)}{' ' if direct else ''}ORDER BY {', '.join(ordered)}"

    @property
    def written_args(self) -> tuple[str, ...]:
        """The argument types as CREATE AGGREGATE writes them (``VARIADIC`` before the last)."""
        if not (self.variadic and self.arg_types):
            return self.arg_types
        return (*self.arg_types[:-1], f"VARIADIC {self.arg_types[-1]}")

    @property
    def signature(self) -> str:
        return f"{self.schema}.{self.name}({self.args_sql})"

    @property
    def support(self) -> tuple[tuple[str, str], ...]:
        """The functions it calls."""
        return tuple(f for f in (self.sfunc, self.finalfunc, self.combinefunc) if f is not None)


@dataclass(frozen=True, slots=True)
class EventTrigger:
    """A database-wide event trigger (``CREATE EVENT TRIGGER``). It belongs to no schema: it is
    managed when declared, or when its function lives in a managed schema. ``tags`` are sorted
    (``WHEN TAG IN``), empty for every command; ``written`` is the same tags in the order they
    were written (not compared: the server keeps that order, and DDL repeats it). ``owner`` None
    in a declaration means "whoever owns it"; it is compared alone, when declared."""

    name: str
    event: str
    function: tuple[str, str]
    tags: tuple[str, ...] = ()
    enabled: TriggerEnabled = TriggerEnabled.ORIGIN
    comment: str | None = None
    origin: Origin | None = field(default=None, compare=False)
    written: tuple[str, ...] = field(default=(), compare=False)
    owner: str | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return f"event trigger:{self.name}"

    @property
    def tags_in_order(self) -> tuple[str, ...]:
        """The tags as written when known, else sorted."""
        return self.written if sorted(self.written) == list(self.tags) else self.tags

    @property
    def function_key(self) -> str:
        return function_key(self.function[0], self.function[1], ())
