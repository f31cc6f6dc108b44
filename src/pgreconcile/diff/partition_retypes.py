"""PostgreSQL 18 and a partitioned table's column type change, when a partition holds the
column's NOT NULL under another name than its parent's.

PostgreSQL 18 (18.6 measured) re-creates the parent's NOT NULL down the partitions as it
changes the type, and then:

- a partition that declared the NOT NULL itself (``PARTITION OF t (c NOT NULL)`` or ``(c
  CONSTRAINT x NOT NULL)``: its own, ``conislocal``) under another name fails the change with
  SQLSTATE 55000 ("cannot create not-null constraint … already exists"), which rolls the whole
  apply back; one level down too (a partition of a partition), even when the top table's column
  is nullable;
- a partition attached from a table that had the NOT NULL under its own name (an inherited one
  now) gets the parent's name instead, which no later plan can give back (PostgreSQL renames no
  inherited constraint).

Both are avoided the same way, measured on 18.6: each such partition is detached from its
parent before the change, changed on its own, and attached again with its bound after it. The
names, the indexes and keys attached to the parent's, and the rows stay; the attach reads the
partition to check its bound (the type change itself rewrites it anyway). A detached partition
that is partitioned itself is changed with its own partitions, those that hold the name of
their own detached from it the same way.

The plan refuses the change, naming the partitions, where a detour is not safe to plan: a
foreign key references the table or a partition (the detach would check the references), the
column has an identity, or the change regenerates keys through scratch columns — when a
partition declared its NOT NULL itself (``conislocal``), as then the ALTER would fail. Attached
partitions only, the change goes as PostgreSQL does it, with a note of the names it takes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from pgreconcile.diff.changes import AlterColumn, Change, Detour
from pgreconcile.diff.partition_changes import AttachPartition, CreatePartition, DropPartition
from pgreconcile.diff.partition_not_nulls import KIND
from pgreconcile.diff.rename_changes import RenameConstraint
from pgreconcile.model import Partition, Schema, Table
from pgreconcile.model.keys import column_key
from pgreconcile.model.partitions import every_partition
from pgreconcile.quoting import qualified

Key = tuple[str, str]


def partition_retypes(live: Schema, changes: list[Change]) -> tuple[list[Change], list[str], list[str]]:
    """``changes`` with the detours each partitioned table's column type change needs on
    PostgreSQL 18 (names are known only from 18 on: before, nothing changes); a refusal for each
    such change that cannot take them and would fail, and a note for each that would not fail
    but renames NOT NULLs of attached partitions."""
    changes = _created_after(changes)
    retyped = [
        i for i, c in enumerate(changes)
        if isinstance(c, AlterColumn) and c.type_changed and _partitioned(live, c)
    ]
    if not retyped:
        return changes, [], []
    # Partitions this plan drops or attaches: gone before the change, or not there yet.
    skip = {(c.table_def.schema, c.table_def.name) for c in changes if isinstance(c, DropPartition)}
    skip |= {(c.partition_schema, c.partition_name) for c in changes if isinstance(c, AttachPartition)}
    # NOT NULL renames run before the type change: the names then held are the ones that count.
    renamed = {
        (c.schema, c.table_name, c.old_name): c.name
        for c in changes if isinstance(c, RenameConstraint) and c.constraint_kind == KIND
    }
    out = list(changes)
    refusals: list[str] = []
    notes: list[str] = []
    for i in retyped:
        change = out[i]
        assert isinstance(change, AlterColumn)
        table = live.tables[(change.schema, change.table_name)]
        column = change.old.name
        top = None if change.old.nullable else change.old.not_null_name or change.old.inherited_not_null_name
        detours = tuple(_detours(table, column, top, skip, renamed))
        if not detours:
            continue
        why = _unsafe(live, table, change)
        if why is None:
            out[i] = dataclasses.replace(change, detours=detours)
            continue
        where = f"column {column} of table {table.qualified}"
        own = [d for d in detours if d.local]
        if not own:
            held = ", ".join(f"{d.held} of {qualified(d.schema, d.name)} becomes {d.parent_held}" for d in detours)
            notes.append(f"NOT NULL names of attached partitions renamed by PostgreSQL 18 with the type change of "
                         f"{where} ({held}): a detach around it cannot be planned, as {why}")
            continue
        held = ", ".join(f"{qualified(d.schema, d.name)} ({d.held}, not {d.parent_held})" for d in own)
        refusals.append(
            f"{where}: PostgreSQL 18 cannot change its type while a partition holds its NOT NULL under a name of "
            f"its own ({held}): the ALTER fails with \"cannot create not-null constraint\". The plan would "
            f"detach each around the change, but {why}. Change the types by hand: detach each such partition "
            "(ALTER TABLE … DETACH PARTITION), change the column on the table and on each, and attach them again"
        )
    return out, refusals, notes


def _created_after(changes: list[Change]) -> list[Change]:
    """The partitions this plan makes under a table whose column changes type, made after the
    change: they are made with the new type (a copy made like the table to be attached would
    otherwise keep the old one), and one made with a NOT NULL of its own under another name
    (``PARTITION OF t (a CONSTRAINT x NOT NULL)``) before it would fail it on PostgreSQL 18."""
    retyped: dict[Key, frozenset[str]] = {}
    for c in changes:
        if isinstance(c, AlterColumn) and c.type_changed:
            key = (c.schema, c.table_name)
            retyped[key] = retyped.get(key, frozenset()) | {column_key(c.schema, c.table_name, c.old.name)}
    if not retyped:
        return changes
    return [
        dataclasses.replace(c, needs=c.needs | retyped[(c.schema, c.table_name)])
        if isinstance(c, CreatePartition) and (c.schema, c.table_name) in retyped else c
        for c in changes
    ]


def _partitioned(live: Schema, change: AlterColumn) -> bool:
    table = live.tables.get((change.schema, change.table_name))
    return table is not None and bool(table.partitions)


def _detours(
    table: Table, column: str, top: str | None, skip: set[Key], renamed: dict[tuple[str, str, str], str]
) -> Iterator[Detour]:
    """Every partition (at every level, parents first) holding ``column``'s NOT NULL under
    another name than the parent it is attached to holds it (``top``: the table's live one;
    None: none), once the plan's renames ran (a parent's takes the partitions' of the same
    name along)."""

    def walk(parts: tuple[Partition, ...], schema: str, parent: str, live: str | None,
             held: str | None) -> Iterator[Detour]:
        for part in parts:
            where = part.schema or schema
            if (where, part.name) in skip:
                continue
            was = dict(part.not_null_names or ()).get(column)
            mine = held if was is not None and was == live else renamed.get((where, part.name, was or ""), was)
            if held is not None and mine is not None and mine != held:
                yield Detour(schema, parent, where, part.name, part.bound, mine, held, column in part.not_null_local)
            yield from walk(part.partitions, where, part.name, was, mine)

    held = renamed.get((table.schema, table.name, top), top) if top is not None else None
    yield from walk(table.partitions, table.schema, table.name, top, held)


def _unsafe(live: Schema, table: Table, change: AlterColumn) -> str | None:
    """Why the detours cannot be planned (None: they can)."""
    if change.old.identity is not None or change.new.identity is not None:
        return "the column is an identity column (its partitions share its sequence; a detach is not measured)"
    if (change.conversion is not None and change.conversion.regenerate) or change.parent is not None:
        return "the change carries new key values through scratch columns on the table"
    family = {(table.schema, table.name)}
    family |= {(where, part.name) for part, where in every_partition(table.schema, table.partitions)}
    for other in live.tables.values():
        parts = every_partition(other.schema, other.partitions)
        keys = [*other.foreign_keys, *(fk for part, _ in parts for fk in part.foreign_keys)]
        for fk in keys:
            if (fk.ref_schema, fk.ref_table) in family:
                return (f"foreign key {fk.name} of {other.qualified} references it (a detach checks every "
                        "referencing row and drops the reference)")
    return None
