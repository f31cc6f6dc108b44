"""Functions, procedures and triggers in Python declaration files.

``function("touch()", returns="trigger", language="plpgsql", body=...)`` and ``procedure(...)`` go
in a module's ``__functions__`` / ``__procedures__`` lists; ``trigger("t", timing="before", ...)``
in a table class's ``__triggers__`` (or, with ``table="auth.users"``, in the module's
``__triggers__``). Each call records the YAML-shaped body and where it was written; the module's
lists become ``schemas.<schema>.functions`` (and so on) of the same data a YAML file holds, so the
one language definition validates them (:mod:`pgreconcile.declare.spec.routines`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pgreconcile.declare.python.api import Item, _call_site, _given
from pgreconcile.declare.python.data import child, data, put, with_lines
from pgreconcile.declare.python.lines import LoadedModule
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.yaml.source import YamlMap

#: Module-level lists and the schema key each one fills.
MODULE_LISTS = {
    "__functions__": "functions", "__procedures__": "procedures", "__triggers__": "triggers",
    "__aggregates__": "aggregates",
}
#: Module-level lists that are top-level keys (not under a schema).
TOP_LEVEL_LISTS = {"__event_triggers__": "event_triggers"}


def function(
    signature: str,
    *,
    returns: str | None = None,
    body: str,
    language: str | None = None,
    volatility: str | None = None,
    strict: bool = False,
    security_definer: bool = False,
    leakproof: bool = False,
    parallel: str | None = None,
    cost: float | None = None,
    rows: float | None = None,
    set: Mapping[str, Any] | None = None,  # the language's key (shadows the builtin inside this function only)
    support: str | None = None,
    comment: str | None = None,
    renamed_from: str | None = None,
    schema: str | None = None,
    grants: Mapping[str, Any] | None = None,
    owner: str | None = None,
) -> Item:
    """One entry of ``__functions__``: ``function("note_count(p_owner uuid)", returns="bigint", body=...)``.

    The keys mean what they mean in YAML (docs/declarations.md); ``schema`` defaults to the
    module's ``__schema__``, else ``public``; ``grants`` is role → privileges (``{"anon": ["execute"]}``)."""
    body_ = _given(
        returns=returns, body=body, language=language, volatility=volatility, strict=strict,
        security_definer=security_definer, leakproof=leakproof, parallel=parallel, cost=cost, rows=rows,
        set=dict(set) if set is not None else None, support=support, comment=comment, renamed_from=renamed_from,
        schema=schema, grants=dict(grants) if grants is not None else None, owner=owner,
    )
    return Item("functions", signature, body_, _call_site())


def procedure(
    signature: str,
    *,
    body: str,
    language: str | None = None,
    security_definer: bool = False,
    set: Mapping[str, Any] | None = None,  # the language's key (shadows the builtin inside this function only)
    comment: str | None = None,
    renamed_from: str | None = None,
    schema: str | None = None,
    grants: Mapping[str, Any] | None = None,
    owner: str | None = None,
) -> Item:
    """One entry of ``__procedures__``: ``procedure("purge(p_before timestamptz)", body=...)``."""
    body_ = _given(
        body=body, language=language, security_definer=security_definer,
        set=dict(set) if set is not None else None, comment=comment, renamed_from=renamed_from, schema=schema,
        grants=dict(grants) if grants is not None else None, owner=owner,
    )
    return Item("procedures", signature, body_, _call_site())


def trigger(
    name: str,
    *,
    timing: str,
    events: str | Sequence[str],
    function: str,
    for_each: str | None = None,
    update_of: Sequence[str] | None = None,
    when: str | None = None,
    arguments: Sequence[str] | None = None,
    old_table: str | None = None,
    new_table: str | None = None,
    constraint: bool = False,
    deferrable: bool = False,
    initially_deferred: bool = False,
    referenced_table: str | None = None,
    enabled: str | bool | None = None,
    comment: str | None = None,
    renamed_from: str | None = None,
    table: str | None = None,
    schema: str | None = None,
) -> Item:
    """One entry of a table's ``__triggers__`` (or, with ``table="auth.users"``, of the module's)."""
    body = _given(
        table=table, timing=timing, events=[events] if isinstance(events, str) else list(events),
        update_of=list(update_of) if update_of else None, for_each=for_each, function=function,
        arguments=list(arguments) if arguments else None, when=when, old_table=old_table, new_table=new_table,
        constraint=constraint, deferrable=deferrable or None, initially_deferred=initially_deferred,
        referenced_table=referenced_table, enabled=enabled, comment=comment, renamed_from=renamed_from, schema=schema,
    )
    return Item("triggers", name, body, _call_site())


def aggregate(
    signature: str,
    *,
    sfunc: str,
    stype: str,
    finalfunc: str | None = None,
    finalfunc_extra: bool = False,
    combinefunc: str | None = None,
    initcond: str | None = None,
    parallel: str | None = None,
    comment: str | None = None,
    schema: str | None = None,
    grants: Mapping[str, Any] | None = None,
    owner: str | None = None,
    hypothetical: bool = False,
) -> Item:
    """One entry of ``__aggregates__``: ``aggregate("mysum(integer)", sfunc="step", stype="integer")``;
    an ordered-set one has ORDER BY in its signature: ``aggregate("pct(float8 ORDER BY float8)", …)``."""
    body = _given(sfunc=sfunc, stype=stype, finalfunc=finalfunc, finalfunc_extra=finalfunc_extra,
                  combinefunc=combinefunc, initcond=initcond, hypothetical=hypothetical,
                  parallel=parallel, comment=comment, schema=schema,
                  grants=dict(grants) if grants is not None else None, owner=owner)
    return Item("aggregates", signature, body, _call_site())


def event_trigger(
    name: str,
    *,
    event: str,
    function: str,
    tags: Sequence[str] | None = None,
    enabled: str | bool | None = None,
    comment: str | None = None,
    owner: str | None = None,
) -> Item:
    """One entry of ``__event_triggers__``:
    ``event_trigger("on_ddl", event="ddl_command_end", function="public.f()")``."""
    body = _given(event=event, tags=list(tags) if tags else None, function=function, enabled=enabled, comment=comment,
                  owner=owner)
    return Item("event_triggers", name, body, _call_site())


def routine_keys(loaded: LoadedModule, root: YamlMap, problems: Problems) -> None:
    """The module's ``__functions__``, ``__procedures__`` and ``__triggers__`` as schema keys."""
    module, lines = loaded.module, loaded.lines.module
    default_schema = getattr(module, "__schema__", None)
    default_schema = default_schema if isinstance(default_schema, str) else "public"
    for attribute, key in {**MODULE_LISTS, **TOP_LEVEL_LISTS}.items():
        value = getattr(module, attribute, None)
        if value is None:
            continue
        line = lines.names.get(attribute)
        if not isinstance(value, list | tuple):
            problems.add(f"{attribute} must be a list of {key[:-1]}(...) entries", loaded.file, line)
            continue
        for i, item in enumerate(value):
            at = item.site.line if isinstance(item, Item) and item.site.file == module.__file__ else line
            if not isinstance(item, Item) or item.kind != key or item.name is None:
                problems.add(f"{attribute}[{i}] must be made with {key[:-1]}(...)", loaded.file, at)
                continue
            body = data(dict(item.body))
            schema = body.pop("schema", None) or default_schema
            if attribute in TOP_LEVEL_LISTS:
                target = child(root, key, line)
            else:
                target = child(child(child(root, "schemas", line), schema, line), key, line)
            if item.name in target:
                problems.add(f"{attribute}: {item.name!r} is declared twice", loaded.file, at)
                continue
            put(target, item.name, with_lines(body, at), at)


def table_trigger_body(item: Item) -> dict[str, Any]:
    """A table's trigger entry as the language's data (its table is the class)."""
    return {k: v for k, v in item.body.items() if k != "schema"}
