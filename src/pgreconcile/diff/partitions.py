"""Compare partitioned tables: their partition key and their partitions, level by level.

The parent's columns, keys, CHECKs and indexes are compared as any table's (PostgreSQL puts
them on every partition, which the catalog therefore does not read); here only the partitions
themselves: a new one is created with its bound, one no longer declared is dropped with its
rows (a data-destroying step, counted by the probes and gated by ``--allow-destroy``). What
PostgreSQL cannot do in place — turning a table into a partitioned one or back, another key,
another bound — refuses the plan with what to do instead: each would move every row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pgreconcile.diff.attached_keys import cascade_attached_keys
from pgreconcile.diff.changes import AlterColumn, Change, CreateTable, DropColumn, DropConstraint, DropTable
from pgreconcile.diff.detached_indexes import detach_declared_indexes
from pgreconcile.diff.partition_changes import (
    AttachPartition,
    CreatePartition,
    DropPartition,
    SetPartitionComment,
    room_key,
)
from pgreconcile.diff.partition_defaults import NOTHING_ABOVE, Above, default_changes, touched_defaults
from pgreconcile.diff.partition_moves import cannot_attach
from pgreconcile.diff.partition_not_nulls import passed_on, renamed_at_creation, top_names
from pgreconcile.diff.partition_objects import attached_names, compare_partition, created_partition
from pgreconcile.model import Partition, Schema, Table
from pgreconcile.model.keys import constraint_key, index_key, schema_key, table_key
from pgreconcile.normalize.index_elements import element_column
from pgreconcile.normalize.partitions import canonical_bound, key_elements, readable_bound, same_bound, same_key


def compare_partitions(
    desired: Schema, live: Schema, changes: list[Change], attached: Mapping[tuple[str, str], Partition] | None = None
) -> tuple[list[Change], list[str]]:
    """The partition changes and refusals for every managed table; ``changes`` are those the
    table comparison made (a new table's partitions follow its CreateTable); ``attached`` are
    the tables this plan attaches, as the partitions they become (see partition_moves)."""
    out: list[Change] = []
    refusals: list[str] = []
    created = {c.table_def.qualified for c in changes if isinstance(c, CreateTable)}
    moved = attached or {}
    for key, table in sorted(desired.tables.items()):
        current = live.tables.get(key)
        if current is None:
            if table.qualified in created:
                _level(Pair(table, table, desired, live, moved), table.name, table.schema, table.partitions, (), True,
                       out, refusals)
            continue
        if not same_key(table.partition_by, current.partition_by):
            refusals.append(_key_refusal(table, current))
            continue
        # Only a partitioned table's column defaults reach partitions (most tables have none).
        touched = touched_defaults(table, current) if table.partitions else frozenset()
        _level(Pair(table, current, desired, live, moved, touched), table.name,
               table.schema, table.partitions, current.partitions, False, out, refusals)
    gone, cascade_refusals = cascade_attached_keys(desired, live, changes, out)
    refusals += cascade_refusals
    _attach(desired, live, changes, out, attached or {}, gone)
    refusals += detach_declared_indexes(desired, live, changes, out)
    out += _keys_between_dropped(changes)
    refusals += _name_clashes(desired, live)
    refusals += _key_columns_changed(live, changes)
    return out, refusals


def _key_columns(key: str | None, parts: Sequence[Partition]) -> set[str]:
    """The plain columns a partition key reads, at every level below too."""
    found = {c for c in (element_column(e) for e in key_elements(key) or ()) if c} if key else set()
    for part in parts:
        found |= _key_columns(part.partition_by, part.partitions)
    return found


def _key_columns_changed(live: Schema, changes: list[Change]) -> list[str]:
    """PostgreSQL refuses to drop or retype a column a partition key reads; say so now rather
    than fail halfway through apply."""
    refusals: list[str] = []
    for c in changes:
        if isinstance(c, DropColumn) or (isinstance(c, AlterColumn) and c.type_changed):
            column = c.column.name if isinstance(c, DropColumn) else c.old.name
            table = live.tables.get((c.schema, c.table_name))
            if table is None or column not in _key_columns(table.partition_by, table.partitions):
                continue
            what = "dropped" if isinstance(c, DropColumn) else "retyped"
            refusals.append(
                f"column {table.qualified}.{column} would be {what}, but the table's partitions are keyed on it; "
                "PostgreSQL cannot change a partition key column. Keep the column as it is"
            )
    return refusals


def _key_refusal(table: Table, current: Table) -> str:
    where = table.origin or table.qualified
    if current.partition_by is None:
        return (
            f"table {table.qualified} is an ordinary table but is declared partitioned "
            f"(partition_by: {table.partition_by}, {where}); PostgreSQL cannot partition an existing "
            "table in place and pgreconcile does not move its rows. Create the partitioned table under "
            "another name and move the rows yourself, or remove partition_by"
        )
    if table.partition_by is None:
        return (
            f"table {table.qualified} is partitioned ({current.partition_by}) but is declared as an "
            f"ordinary table ({where}); pgreconcile does not merge partitions into one table. "
            f"Declare partition_by: {current.partition_by.lower()} and its partitions again"
        )
    return (
        f"table {table.qualified}: the partition key changes from {current.partition_by} to "
        f"{table.partition_by} ({where}); PostgreSQL cannot change a partition key in place and "
        "pgreconcile does not move rows between tables. Keep the live key"
    )


@dataclass(frozen=True, slots=True)
class Pair:
    """A partitioned table as declared and as it is (the same object for a new table), with
    both schemas, for the comparison of its partitions' own objects."""

    table: Table
    current: Table
    desired: Schema
    live: Schema
    attached: Mapping[tuple[str, str], Partition]
    # Columns whose default the table's own change sets or drops on every partition.
    touched: frozenset[str] = frozenset()


def _level(
    pair: Pair,
    parent: str,
    parent_schema: str,
    wanted: Sequence[Partition],
    existing: Sequence[Partition],
    new_parent: bool,
    out: list[Change],
    refusals: list[str],
    above: Above = NOTHING_ABOVE,
    names: Mapping[str, str] | None = None,
) -> None:
    """Partitions of ``parent`` (the table, or a partition one level up, in ``parent_schema``);
    ``above``: the column defaults of their own that the levels above hold; ``names``: the NOT
    NULL names the parent passes on (None: the table's, see partition_not_nulls)."""
    if not wanted and not existing:
        return  # most tables: no partitions to compare (and no NOT NULL names to work out)
    table = pair.table
    if names is None:
        names = top_names(table, pair.current)
    live = {p.name: p for p in existing}
    has_default = any(canonical_bound(p.bound) == ("default",) for p in existing)
    for part in wanted:
        old = live.get(part.name)
        schema = part.schema or table.schema
        if old is not None and (old.schema or pair.current.schema) != schema:
            old = None  # another schema: another table (the live one is dropped below)
        if old is None and (schema, part.name) in pair.attached:
            old = pair.attached[(schema, part.name)]  # attached by this plan, compared as it will be
        if old is None:
            _create(pair, parent, parent_schema, part, new_parent, has_default, out, above, names)
            continue
        if not same_bound(part.bound, old.bound):
            refusals.append(
                f"partition {schema}.{part.name} of {parent_schema}.{parent}: the bound changes from "
                f"{readable_bound(old.bound)} to "
                f"{part.bound} ({part.origin or table.qualified}); pgreconcile does not move rows between "
                "partitions. Keep the live bound, or declare a new partition under another name (and drop "
                "this one with --allow-destroy once its rows are elsewhere)"
            )
            continue
        if not same_key(part.partition_by, old.partition_by):
            refusals.append(
                f"partition {schema}.{part.name} of {parent_schema}.{parent}: its own partition key changes from "
                f"{old.partition_by or 'none'} to {part.partition_by or 'none'} ({part.origin or table.qualified}); "
                "a partition cannot be (un)partitioned in place. Keep the live form"
            )
            continue
        if part.comment != old.comment:
            out.append(
                SetPartitionComment(
                    schema, table.name, part.name, part.comment, old.comment,
                    needs=frozenset({table_key(schema, part.name)}),
                )
            )
        compare_partition(table, pair.current, part, old, pair.desired, pair.live, out)
        below = default_changes(table, pair.current, part, old, above, pair.touched, out)
        _level(pair, part.name, schema, part.partitions, old.partitions, False, out, refusals, below,
               passed_on(part, names, old))
    declared = {(p.schema or table.schema, p.name) for p in wanted}
    for old in existing:
        if ((old.schema or pair.current.schema), old.name) in declared:
            continue
        if table.prevent_destroy:
            refusals.append(
                f"partition {old.schema or table.schema}.{old.name} of {table.qualified} would be dropped with its "
                f"rows, but the table is declared with `prevent_destroy: true` ({table.origin or table.qualified}); "
                "declare the partition, or remove prevent_destroy deliberately"
            )
            continue
        out.append(_drop(pair.current, parent, parent_schema, old))


_SCANS_DEFAULT = "the DEFAULT partition is scanned for rows that belong here"


def _create(
    pair: Pair, parent: str, parent_schema: str, part: Partition, new_parent: bool, has_default: bool,
    out: list[Change], above: Above = NOTHING_ABOVE, names: Mapping[str, str] | None = None,
) -> None:
    table = pair.table
    schema = part.schema or table.schema
    # [PostgreSQL 18] NOT NULLs declared under other names than the parent's (partition_not_nulls).
    named = renamed_at_creation(part, names or {})
    # A key or index of its own that backs one of the parent's existing indexes: PostgreSQL would
    # make the parent's index on a partition created in place before the key, so the partition
    # is made as a table like its parent, given its keys, then attached (which adopts them).
    own = {i.name for i in part.indexes} | {u.name for u in part.uniques}
    if part.primary_key is not None:
        own.add(part.primary_key.name)
    backing = [child for child, _ in part.attached if child in own]
    standalone = bool(backing) and not new_parent and parent == table.name and part.partition_by is None
    out.append(
        CreatePartition(
            table.schema,
            table.name,
            parent,
            part,
            parent_schema=parent_schema,
            default_exists=has_default and not new_parent and not standalone,
            new_table=new_parent,
            reason=_SCANS_DEFAULT if has_default and not new_parent and not standalone else None,
            needs=frozenset({schema_key(schema), table_key(parent_schema, parent), room_key(parent_schema, parent)}),
            creates=frozenset({table_key(schema, part.name)}),
            standalone=standalone,
            not_null_names=named,
        )
    )
    created_partition(table, part, pair.desired, out)
    if standalone:
        out.append(AttachPartition(
            table.schema, table.name, part.name, schema, part.bound, default_exists=has_default, new_table=True,
            needs=frozenset({table_key(schema, part.name), room_key(parent_schema, parent),
                             *(index_key(schema, c) for c in backing),
                             *(constraint_key(schema, part.name, c) for c in backing)}),
            reason="the new table is empty: nothing to scan" + (
                "; the DEFAULT partition is scanned for rows that belong here" if has_default else ""),
        ))
    below = default_changes(table, pair.current, part, None, above, pair.touched, out)
    _level(pair, part.name, schema, part.partitions, (), True, out, [], below, passed_on(part, names or {}))


def _keys(schema: str, part: Partition) -> set[str]:
    where = part.schema or schema
    keys = {table_key(where, part.name)}
    keys |= {index_key(where, i.name) for i in part.indexes}
    keys |= {index_key(where, child) for child, _ in part.attached}
    for sub in part.partitions:
        keys |= _keys(where, sub)
    return keys


def partition_keys(table: Table) -> set[str]:
    """Keys of every partition of ``table`` (and of their own indexes): they go with it."""
    keys: set[str] = set()
    for part in table.partitions:
        keys |= _keys(table.schema, part)
    return keys


def _drop(table: Table, parent: str, parent_schema: str, part: Partition) -> DropPartition:
    schema = part.schema or table.schema
    return DropPartition(
        Table(schema, part.name),
        table.name,
        part,
        parent,
        removes=frozenset(_keys(table.schema, part)),
        creates=frozenset({room_key(parent_schema, parent)}),
        live_needs=frozenset({table_key(parent_schema, parent)}),
    )


def _attach(
    desired: Schema, live: Schema, changes: list[Change], out: list[Change],
    moved: Mapping[tuple[str, str], Partition], gone: Mapping[tuple[str, str], frozenset[str]],
) -> None:
    """Names of the partitions' indexes attached to their table's (see partition_objects); a
    table this plan attaches has them made before (partition_moves); ``gone``: the live keys of
    partitions a CASCADE drops (attached_keys)."""
    for key, table in sorted(desired.tables.items()):
        current = live.tables.get(key)
        olds = {(p.schema or table.schema, p.name): p for p in _walk(current.partitions)} if current else {}
        for part in _walk(table.partitions):
            if part.attached and (part.schema or table.schema, part.name) not in moved:
                old = olds.get((part.schema or table.schema, part.name))
                where = (part.schema or table.schema, part.name)
                attached_names(table, part, old, changes, out, gone.get(where, frozenset()))


def _keys_between_dropped(changes: list[Change]) -> list[Change]:
    """Foreign keys of a dropped partition that reference another table (or partition) the plan
    drops: PostgreSQL refuses to drop the referenced one while they exist, and dropping the two
    tables in either order would need the other gone first, so those keys go before both."""
    removed: set[str] = set()
    dropped: list[tuple[str, Partition]] = []
    for c in changes:
        if isinstance(c, DropPartition):
            removed |= c.removes
            dropped.append((c.table_def.schema, dataclasses.replace(c.partition, schema=c.table_def.schema)))
        elif isinstance(c, DropTable):
            removed |= c.removes
            dropped += [(c.table_def.schema, p) for p in c.table_def.partitions]
    out: list[Change] = []
    for schema, top in dropped:
        for part in _walk([top]):
            where = part.schema or schema
            for fk in part.foreign_keys:
                target = table_key(fk.ref_schema, fk.ref_table)
                if target in removed and (fk.ref_schema, fk.ref_table) != (where, part.name):
                    out.append(DropConstraint(
                        where, part.name, fk, removes=frozenset({constraint_key(where, part.name, fk.name)}),
                        live_needs=frozenset({table_key(where, part.name), target}),
                    ))
    return out


def _walk(parts: Sequence[Partition]) -> list[Partition]:
    found: list[Partition] = []
    for part in parts:
        found.append(part)
        found += _walk(part.partitions)
    return found


def _name_clashes(desired: Schema, live: Schema) -> list[str]:
    """A declared partition that is an ordinary table today, or a declared table that is a
    partition today, which partition_moves could not attach or detach (a partitioned one, one
    below the first level, columns that differ): either would drop a table and create another
    under the same name, losing its rows. Refused, saying why and what to do."""
    refusals: list[str] = []
    live_parts = {key: t for t in live.tables.values() for key in _names(t.schema, t.partitions)}
    desired_parts = {key: t for t in desired.tables.values() for key in _names(t.schema, t.partitions)}
    for (schema, name), table in sorted(desired_parts.items()):
        current = live.tables.get((schema, name))
        if current is not None and (schema, name) not in desired.tables:
            part = next((p for p in table.partitions if (p.schema or table.schema, p.name) == (schema, name)), None)
            why = cannot_attach(table, part, current) if part is not None else None
            refusals.append(why or (
                f"{schema}.{name} is declared as a partition of {table.qualified} (below its first level) but is an "
                "ordinary table today; pgreconcile attaches tables only directly under their table. Attach it by "
                "hand and plan again, or give the partition another name"
            ))
    for (schema, name), table in sorted(live_parts.items()):
        if (schema, name) in desired.tables:
            refusals.append(
                f"{schema}.{name} is declared as a table but is a partition of {table.qualified} today that "
                "pgreconcile does not detach (it is partitioned itself, or below the table's first level). Detach it "
                f"by hand (ALTER TABLE … DETACH PARTITION {schema}.{name}) and plan again, or give the table another "
                "name"
            )
    return refusals


def _names(schema: str, parts: Sequence[Partition]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for part in parts:
        where = part.schema or schema
        found.append((where, part.name))
        found += _names(where, part.partitions)
    return found
