"""Table inheritance (``inherits:``): resolving the declared parents of each table.

A child declares only its own columns and constraints; what it has from its parents is worked
out here, the way ``CREATE TABLE … INHERITS`` works it out: the parents' columns (their own and
what they inherit), in parent order, a column two parents share once. A column the child
declares that a parent has too is one column (PostgreSQL merges them): its type must be the
parent's, it is NOT NULL when either says so, and it takes the parent's default when it
declares none. The result is ``Table.inherits`` and ``Table.inherited_columns``, and the
``inherited`` flag of merged columns — exactly what the catalog reads back.

Two passes: :func:`inherited_names` runs before the tables are built, from the specs alone, so
that a child's index, key or CHECK may name a column it inherits; :func:`with_parents` runs
after, on the built tables, and reports what PostgreSQL would refuse (an unknown parent, a
cycle, a partitioned table on either side, a type conflict) at the ``inherits:`` key.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from pgreconcile.declare.build.collect import Declared
from pgreconcile.declare.spec.language import TableSpec
from pgreconcile.declare.spec.names import split_dotted
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.yaml.source import line_at
from pgreconcile.model.objects import Column, Origin, Table

Key = tuple[str, str]


def parent_key(text: str, schema: str) -> Key | None:
    """``parent`` (in ``schema``) or ``other.parent`` as a key; None when it is not a name."""
    try:
        parts = split_dotted(text)
    except ValueError:
        return None
    if len(parts) == 1:
        return (schema, parts[0])
    if len(parts) == 2:
        return (parts[0], parts[1])
    return None


def inherited_names(tables: Mapping[Key, Declared[TableSpec]]) -> dict[Key, frozenset[str]]:
    """The names of the columns each declared child has from its parents (transitively), from
    the specs alone; unknown parents and cycles are left to :func:`with_parents`."""
    found: dict[Key, frozenset[str]] = {}

    def columns_of(key: Key, seen: frozenset[Key]) -> frozenset[str]:
        declared = tables.get(key)
        if declared is None or key in seen:
            return frozenset()
        return frozenset(declared.spec.columns) | inherited(key, seen | {key})

    def inherited(key: Key, seen: frozenset[Key]) -> frozenset[str]:
        names: set[str] = set()
        for text in tables[key].spec.inherits:
            parent = parent_key(text, key[0])
            if parent is not None:
                names |= columns_of(parent, seen)
        return frozenset(names)

    for key, declared in tables.items():
        if declared.spec.inherits:
            found[key] = inherited(key, frozenset({key}))
    return found


def with_parents(
    tables: dict[Key, Table],
    declared: Mapping[Key, Declared[TableSpec]],
    known: Mapping[Key, Table],
    problems: Problems,
    managed: frozenset[str] = frozenset(),
) -> dict[Key, Table]:
    """``tables`` with each child's parents, inherited columns and merged columns set.

    ``known`` are tables another source declares (SQL files), which may be parents too. A
    parent in a schema that is not ``managed`` is taken as named (its columns are unknown here:
    PostgreSQL checks them when the link is made)."""
    parents: dict[Key, tuple[Key, ...]] = {}
    for key, spec in declared.items():
        if not spec.spec.inherits or key not in tables:
            continue
        origin = Origin(spec.origin.file, line_at(spec.source, ("inherits",)) or spec.origin.line)
        found = _parents(key, spec.spec.inherits, tables, known, origin, problems, managed)
        if found is not None:
            parents[key] = found
    if not parents:
        return tables
    out = dict(tables)
    done: dict[Key, Table] = {}

    def resolved(key: Key, path: tuple[Key, ...]) -> Table | None:
        if key in done:
            return done[key]
        table = out.get(key) or known.get(key)
        if table is None:
            # A parent outside the managed schemas: named, its columns unknown.
            return Table(key[0], key[1]) if key[0] not in managed else None
        if key in path:
            cycle = " → ".join(f"{s}.{n}" for s, n in (*path[path.index(key):], key))
            problems.at(table.origin, f"table {table.qualified}: inheritance cycle {cycle}",
                        "a table cannot be its own ancestor; remove one of the `inherits:` entries")
            return None
        if key not in parents:
            done[key] = table
            return table
        ancestors = [resolved(p, (*path, key)) for p in parents[key]]
        if any(a is None for a in ancestors):
            return None
        table = _inherit(table, [a for a in ancestors if a is not None], problems)
        done[key] = out[key] = table
        return table

    for key in sorted(parents):
        resolved(key, ())
    return out


def _parents(
    key: Key, texts: list[str], tables: Mapping[Key, Table], known: Mapping[Key, Table], origin: Origin,
    problems: Problems, managed: frozenset[str],
) -> tuple[Key, ...] | None:
    qualified = f"{key[0]}.{key[1]}"
    out: list[Key] = []
    good = True
    for text in texts:
        parent = parent_key(text, key[0])
        table = None if parent is None else tables.get(parent) or known.get(parent)
        if parent is not None and table is None and parent[0] not in managed and parent != key:
            out.append(parent)  # outside the managed schemas: taken as named
            continue
        if parent is None or table is None:
            problems.at(origin, f"table {qualified}: inherits {text!r}, which is not a declared table",
                        "declare the parent table too (a parent in a schema the declarations do not "
                        "manage is taken as named)")
            good = False
        elif parent == key:
            problems.at(origin, f"table {qualified}: a table cannot inherit from itself")
            good = False
        elif parent in out:
            problems.at(origin, f"table {qualified}: inherits {text!r} twice")
            good = False
        elif table.partition_by is not None:
            problems.at(origin, f"table {qualified}: {text} is partitioned, and PostgreSQL cannot inherit "
                        "from a partitioned table", "declare the table as one of its partitions instead")
            good = False
        else:
            out.append(parent)
    child = tables[key]
    if child.partition_by is not None:
        problems.at(origin, f"table {qualified}: a partitioned table cannot inherit from another table")
        good = False
    return tuple(out) if good else None


def _inherit(table: Table, parents: list[Table], problems: Problems) -> Table:
    """The child with its parents' columns: inherited ones listed, merged ones flagged."""
    inherited: dict[str, Column] = {}
    for parent in parents:
        for col in (*parent.inherited_columns, *parent.columns):
            first = inherited.get(col.name)
            # A NO INHERIT NOT NULL (PostgreSQL 18) stays with the parent.
            nullable = col.nullable or col.not_null_no_inherit
            if first is None:
                # What PostgreSQL copies to the child: the definition, not the comment.
                inherited[col.name] = dataclasses.replace(
                    col, inherited=True, comment=None, origin=None, renamed_from=None, convert=None,
                    nullable=nullable, not_null_name=None, not_null_validated=True, not_null_no_inherit=False,
                )
            elif first.type != col.type:
                problems.at(table.origin, f"table {table.qualified}: column {col.name} is {first.type} in one "
                            f"parent and {col.type} in {parent.qualified}",
                            "PostgreSQL merges columns of the same name only when their types match")
            elif not nullable and first.nullable:
                inherited[col.name] = dataclasses.replace(first, nullable=False)
    columns: list[Column] = []
    for col in table.columns:
        parent_col = inherited.pop(col.name, None)
        if parent_col is None:
            columns.append(col)
            continue
        if parent_col.type != col.type:
            problems.at(col.origin or table.origin,
                        f"table {table.qualified}: column {col.name} is {col.type} here but {parent_col.type} "
                        "in a parent table", "PostgreSQL merges an inherited column only when the types match")
        columns.append(dataclasses.replace(
            col,
            inherited=True,
            nullable=col.nullable and parent_col.nullable,
            default=col.default if col.default is not None else parent_col.default,
        ))
    return dataclasses.replace(
        table,
        columns=tuple(columns),
        inherits=tuple((p.schema, p.name) for p in parents),
        inherited_columns=tuple(inherited.values()),
    )
