"""What a function or aggregate needs and creates, as ordering-graph keys.

A function needs its schema and the user types of its signature; an SQL function (whose body
PostgreSQL checks when it is created, and whose ``RETURN`` / ``BEGIN ATOMIC`` body pins what it
names) also needs the tables, columns, views and functions its body names; a PL/pgSQL function
needs the types its blocks' DECLARE sections name (resolved when it is created, statements are
not). The same keys order drops: a live function's DROP runs before the DROP of what its
signature or body uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pgreconcile.diff import deps
from pgreconcile.model import MaterializedView, Schema, Table, View
from pgreconcile.model.keys import (
    column_key,
    function_name_key,
    matview_key,
    schema_key,
    table_key,
    type_key,
    view_key,
)
from pgreconcile.model.routines import Aggregate, Function
from pgreconcile.normalize.lexical import called_functions, mentioned_names
from pgreconcile.normalize.types import user_type_ref


def routine_type_needs(text: str | None) -> set[str]:
    """A type's needs; a table's row type (``SETOF public.notes``) needs the table as well."""
    if not text:
        return set()
    text = text.removeprefix("SETOF ")
    if text.startswith("TABLE("):
        return set()
    ref = user_type_ref(text)
    return deps.type_needs(text) | ({table_key(*ref)} if ref is not None else set())


def function_needs(fn: Function, desired: Schema) -> set[str]:
    """Its schema, the user types of its arguments and result and, for an SQL function (whose
    body PostgreSQL checks when it is created), the declared tables, columns, views,
    materialized views and functions its body names (quoted names too: ``"increment func"``);
    for a PL/pgSQL one, the relations and types its DECLARE sections use as variable types.

    pg_depend records what a body uses only for ``BEGIN ATOMIC`` / ``RETURN`` bodies, and never
    on the desired side before the function exists, so the body's words are the source here:
    a name that matches by accident only adds an edge."""
    needs = {schema_key(fn.schema)} | routine_type_needs(fn.returns)
    for arg in fn.arguments:
        needs |= routine_type_needs(arg.type) | deps.expression_needs(arg.default)
    # [text-search] configurations named in any body: cheap, and an SQL body resolves them at
    # CREATE (a BEGIN ATOMIC one depends on them in pg_depend).
    needs |= deps.text_search_needs(fn.body)
    if fn.language == "sql":
        words = mentioned_names(fn.body)
        arguments = {a.name.lower() for a in fn.arguments if a.name}
        names = _names_of(desired)
        for word in words:
            for (schema, name), table in names.tables.get(word, ()):
                needs.add(table_key(schema, name))
                needs |= {column_key(schema, name, c.name) for c in table.columns if c.name.lower() in words}
            needs |= {function_name_key(other.name) for other in names.functions.get(word, ()) if other.key != fn.key}
            # Views are created late, so a false match here can close a cycle: an argument's name
            # in the body is the argument (``SELECT v * 100``), and a view that calls this
            # function cannot be what its body reads (PostgreSQL could not have created both).
            if word in arguments:
                continue
            needs |= {view_key(*key) for key in names.views.get(word, ()) if not _calls(desired.views[key], fn)}
            needs |= {matview_key(*key) for key in names.matviews.get(word, ())
                      if not _calls(desired.materialized_views[key], fn)}
    elif fn.language == "plpgsql":
        needs |= declared_type_needs(fn.body, desired)
    return needs


# A block's declarations, from DECLARE to its BEGIN (each nested block has its own section).
_DECLARE_SECTION = re.compile(r"\bdeclare\b(.*?)\bbegin\b", re.IGNORECASE | re.DOTALL)
_LINE_COMMENT = re.compile(r"--[^\n]*")
# ``name [CONSTANT] type ...``: what follows the variable's name.
_DECLARATION = re.compile(r'^\s*(?:"(?:[^"]|"")+"|[^\W\d][\w$]*)\s+(?:constant\s+)?(.+)$',
                          re.IGNORECASE | re.DOTALL)
_NOT_A_TYPE = re.compile(r"(?:alias\b|(?:no\s+)?scroll\s+cursor\b|cursor\b)", re.IGNORECASE)
_TYPE_END = re.compile(r"\b(?:collate|not\s+null|default)\b|:=|=", re.IGNORECASE)
_DOT_OUTSIDE_QUOTES = re.compile(r'\.(?=(?:[^"]*"[^"]*")*[^"]*$)')


def declared_type_needs(body: str | None, desired: Schema) -> set[str]:
    """The declared tables, views, columns and types a PL/pgSQL body's DECLARE sections use as
    variable types (``r events%ROWTYPE``, ``v events.kind%TYPE``, ``batch items[]``, ``res
    app.result``): PostgreSQL resolves them when the function is created (with
    check_function_bodies on, the default), so the function must come after them. Statements are
    only parsed then, not resolved, so what they read adds no edge."""
    needs: set[str] = set()
    for section in _DECLARE_SECTION.findall(_LINE_COMMENT.sub("", body or "")):
        for declaration in section.split(";"):
            match = _DECLARATION.match(declaration)
            if match is None or _NOT_A_TYPE.match(match.group(1)):
                continue
            needs |= _type_name_needs(_TYPE_END.split(match.group(1), maxsplit=1)[0], desired)
    return needs


def _type_name_needs(text: str, desired: Schema) -> set[str]:
    """What one declared variable type names: a relation's row type, a column's type, a user type."""
    column_type = re.search(r"%\s*type\b", text, re.IGNORECASE) is not None
    text = re.sub(r"\[[\d\s]*\]|\([\d\s,]*\)", "", text.split("%", 1)[0]).strip()
    parts = [_unquoted(part) for part in _DOT_OUTSIDE_QUOTES.split(text)]
    column = parts.pop() if column_type and len(parts) > 1 else None
    if not parts or not parts[-1]:
        return set()
    name, schema = parts[-1], (parts[-2] if len(parts) > 1 else None)

    tables = _named(desired.tables, name, schema)
    needs = {table_key(*key) for key in tables}
    if column is not None:
        needs |= {column_key(*key, column) for key in tables}
    needs |= {view_key(*key) for key in _named(desired.views, name, schema)}
    needs |= {matview_key(*key) for key in _named(desired.materialized_views, name, schema)}
    for types in (desired.enums, desired.domains, desired.composite_types, desired.range_types):
        needs |= {type_key(*key) for key in _named(types, name, schema)}
    return needs


def _named(keys: Iterable[tuple[str, str]], name: str, schema: str | None) -> list[tuple[str, str]]:
    """The (schema, name) keys that an unquoted-or-quoted name, qualified or not, may mean (an
    unqualified one: any schema's, as the function's search_path is not known here)."""
    return [key for key in keys if key[1].lower() == name.lower() and (schema is None or key[0] == schema)]


def _unquoted(part: str) -> str:
    part = part.strip()
    if part.startswith('"') and part.endswith('"') and len(part) > 1:
        return part[1:-1].replace('""', '"')
    return part.lower()


def _calls(view: View | MaterializedView, fn: Function) -> bool:
    """Whether a declared view's query calls ``fn`` (by the server's reads, or by name)."""
    return fn.key in view.reads or fn.name.lower() in called_functions(view.query)


@dataclass(frozen=True)
class _Names:
    """The declared objects an SQL body may name, by lower-cased name."""

    tables: dict[str, list[tuple[tuple[str, str], Table]]]
    views: dict[str, list[tuple[str, str]]]
    matviews: dict[str, list[tuple[str, str]]]
    functions: dict[str, list[Function]]


# The declared names for the schema last asked about: each SQL function's body is matched
# against them word by word, rather than every table against every body (300 functions x
# 2,000 tables took a third of a no-op plan).
_names_cache: list[tuple[Schema, _Names]] = []


def _names_of(desired: Schema) -> _Names:
    if _names_cache and _names_cache[0][0] is desired:
        return _names_cache[0][1]
    names = _Names({}, {}, {}, {})
    for key, table in desired.tables.items():
        names.tables.setdefault(key[1].lower(), []).append((key, table))
    for key in desired.views:
        names.views.setdefault(key[1].lower(), []).append(key)
    for key in desired.materialized_views:
        names.matviews.setdefault(key[1].lower(), []).append(key)
    for other in desired.functions.values():
        names.functions.setdefault(other.name.lower(), []).append(other)
    _names_cache[:] = [(desired, names)]
    return names


def aggregate_needs(agg: Aggregate) -> set[str]:
    """Its schema, its types and its support functions (by name: they are declared functions or
    built-ins, whose keys have no change behind them)."""
    needs = {schema_key(agg.schema)} | routine_type_needs(agg.stype)
    for arg in agg.arg_types:
        needs |= routine_type_needs(arg)
    return needs | {function_name_key(name) for schema, name in agg.support if schema != "pg_catalog"}


def aggregate_keys(agg: Aggregate) -> frozenset[str]:
    return frozenset({agg.key, function_name_key(agg.name)})


def signature_needs(fn: Function) -> frozenset[str]:
    """The user types a live function's signature names: its DROP runs before theirs."""
    needs = {schema_key(fn.schema)} | routine_type_needs(fn.returns)
    for arg in fn.arguments:
        needs |= routine_type_needs(arg.type)
    return frozenset(needs)


def function_creates(fn: Function) -> frozenset[str]:
    return frozenset({fn.key, function_name_key(fn.name)})
