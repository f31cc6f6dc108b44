"""The language of code objects: functions, procedures and triggers (pydantic models).

``schemas.<s>.functions`` and ``schemas.<s>.procedures`` are keyed by the signature as written in
``CREATE FUNCTION`` (``note_count(p_owner uuid)``, ``touch()``); a table's ``triggers`` are keyed by
name, and ``schemas.<s>.triggers`` holds triggers on tables outside the managed schemas
(``auth.users``), each naming its ``table``. Values are resolved to the model in
:mod:`pgreconcile.declare.build.routines`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from pgreconcile.declare.spec.access import Grants  # [privileges]
from pgreconcile.declare.spec.base import Names, problem
from pgreconcile.declare.spec.base import Spec as _Spec
from pgreconcile.declare.spec.base import words as _words


def _setting(value: Any) -> Any:
    """``set:`` values are text as PostgreSQL stores them; numbers and booleans are written as such."""
    if isinstance(value, dict):
        return {
            key: (str(v).lower() if isinstance(v, bool) else str(v) if isinstance(v, int | float) else v)
            for key, v in value.items()
        }
    return value


def _number_text(value: Any) -> Any:
    """``initcond: 0`` is the text ``0``."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _events(value: Any) -> Any:
    """``insert or update`` / ``[insert, update]`` → a list of lower-case event names."""
    if isinstance(value, str):
        value = [part for part in value.lower().replace(",", " or ").split(" or ") if part.strip()]
    if isinstance(value, list):
        return [_words(v) for v in value]
    return value


def _enabled(value: Any) -> Any:
    if value is True:
        return "origin"
    if value is False:
        return "disabled"
    return _words(value)


class FunctionSpec(_Spec):
    """A function or procedure: ``returns`` (functions only), ``language`` and ``body``, and the
    attributes of ``CREATE FUNCTION`` (defaults are PostgreSQL's)."""

    returns: str | None = None
    language: str = "sql"
    body: str
    volatility: Annotated[Literal["volatile", "stable", "immutable"], BeforeValidator(_words)] = "volatile"
    strict: bool = False
    security_definer: bool = False
    leakproof: bool = False
    parallel: Annotated[Literal["unsafe", "restricted", "safe"], BeforeValidator(_words)] = "unsafe"
    cost: float | None = None
    rows: float | None = None
    set: Annotated[dict[str, str], BeforeValidator(_setting)] = Field(default_factory=dict)
    support: str | None = None  # the planner support function: `schema.name` (unqualified: a built-in)
    comment: str | None = None
    renamed_from: str | None = None
    grants: Grants = None  # [privileges]
    owner: str | None = None

    @classmethod
    def expand(cls, data: Any) -> Any:
        if data is None:
            raise problem("a function needs at least `body:`", "write `body: SELECT 1` and `returns: integer`")
        return data


class TriggerSpec(_Spec):
    """A trigger: ``{timing: before, events: [insert, update], for_each: row, function: touch()}``.

    ``table`` is needed only under ``schemas.<s>.triggers`` (a table outside the managed schemas)."""

    table: str | None = None
    timing: Annotated[Literal["before", "after", "instead of"], BeforeValidator(_words)]
    events: Annotated[list[Literal["insert", "update", "delete", "truncate"]], BeforeValidator(_events)]
    update_of: Names = Field(default_factory=list)
    for_each: Annotated[Literal["row", "statement"], BeforeValidator(_words)] = "statement"
    function: str
    arguments: list[str] = Field(default_factory=list)
    when: str | None = None
    old_table: str | None = None
    new_table: str | None = None
    constraint: bool = False
    deferrable: bool = False
    initially_deferred: bool = False
    referenced_table: str | None = None  # a constraint trigger's FROM table
    enabled: Annotated[Literal["origin", "disabled", "replica", "always"], BeforeValidator(_enabled)] = "origin"
    comment: str | None = None
    renamed_from: str | None = None


class AggregateSpec(_Spec):
    """An aggregate: ``{sfunc: step, stype: integer, initcond: "0", combinefunc: int4pl}``; support
    functions are `name` (a function declared in the aggregate's schema, else a built-in) or
    `schema.name`."""

    sfunc: str
    stype: str
    finalfunc: str | None = None
    finalfunc_extra: bool = False  # FINALFUNC_EXTRA: the final function gets the arguments too
    combinefunc: str | None = None
    initcond: Annotated[str | None, BeforeValidator(_number_text)] = None
    parallel: Annotated[Literal["unsafe", "restricted", "safe"], BeforeValidator(_words)] = "unsafe"
    hypothetical: bool = False  # HYPOTHETICAL: a hypothetical-set aggregate (its key has ORDER BY)
    comment: str | None = None
    grants: Grants = None  # [privileges] as a function's (EXECUTE)
    owner: str | None = None


class EventTriggerSpec(_Spec):
    """An event trigger (top-level ``event_triggers:``, keyed by name):
    ``{event: ddl_command_end, tags: [CREATE TABLE], function: public.on_ddl()}``."""

    event: Literal["ddl_command_start", "ddl_command_end", "sql_drop", "table_rewrite"]
    tags: Names = Field(default_factory=list)
    function: str
    enabled: Annotated[Literal["origin", "disabled", "replica", "always"], BeforeValidator(_enabled)] = "origin"
    comment: str | None = None
    owner: str | None = None  # compared only when written (a superuser: event triggers need one)
