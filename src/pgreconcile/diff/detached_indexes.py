"""An index of a partition attached to its table's index, declared as the partition's own.

PostgreSQL has ``ALTER INDEX … ATTACH PARTITION`` but no DETACH: an attached index goes only
with the table's index, which takes every partition's attached index with it. So the table's
index is dropped and made again ``ON ONLY`` the table (built on no partition), the partition's
index is made again as its own, and each other partition whose index was attached gets it
again: made under the name it had (or the one ``attached:`` declares) and attached. A table's
index made ``ON ONLY`` stays invalid while a partition has no index attached to it, which is
what such a declaration (read from SQL files: ``CREATE INDEX … ON ONLY`` and an index of the
partition alone) describes.

A table's primary key or unique constraint cannot be made ``ON ONLY`` this way: a partition's
key attached to it and declared of its own refuses the plan, saying so.
"""

from __future__ import annotations

import dataclasses

from pgreconcile.diff.changes import Change, CreateIndex, DropIndex
from pgreconcile.diff.construct import create_index, drop_index
from pgreconcile.diff.partition_changes import AttachPartitionIndex
from pgreconcile.diff.partition_objects import bare_table, onto_parent
from pgreconcile.model import Index, Partition, Schema, Table
from pgreconcile.model.keys import index_key, table_key


def detach_declared_indexes(desired: Schema, live: Schema, changes: list[Change], out: list[Change]) -> list[str]:
    """Re-create the tables' indexes that a partition's index declared of its own is attached to
    (``changes``, the table comparison's, and ``out``, the partitions', in place); refusals."""
    refusals: list[str] = []
    for key, table in sorted(desired.tables.items()):
        current = live.tables.get(key)
        if current is None or not current.partitions:
            continue
        olds = {(p.schema or current.schema, p.name): p for p in current.partitions}
        leaving: dict[str, list[tuple[Partition, str]]] = {}
        for part in table.partitions:
            old = olds.get((part.schema or table.schema, part.name))
            if old is None:
                continue
            own = {i.name for i in part.indexes} | {u.name for u in part.uniques}
            if part.primary_key is not None:
                own.add(part.primary_key.name)
            declared = {child for child, _ in part.attached}
            for child, parent in old.attached:
                if child in own and child not in declared:
                    leaving.setdefault(parent, []).append((part, child))
        for parent, parts in sorted(leaving.items()):
            index = next((i for i in table.indexes if i.name == parent), None)
            was = next((i for i in current.indexes if i.name == parent), None)
            if index is None or was is None:
                if was is None:  # a key of the table: no ON ONLY for those here
                    names = ", ".join(f"{p.schema or table.schema}.{child}" for p, child in parts)
                    refusals.append(
                        f"{names} of {table.qualified}'s partitions are declared of their own, but they are attached "
                        f"to the table's key {parent}; PostgreSQL cannot detach an index partition, and pgreconcile "
                        "does not re-create a key ON ONLY the table. Declare them attached (`attached:`), or drop "
                        "the table's key first"
                    )
                continue  # the table's index is dropped: its partitions' indexes go with it
            _recreate_only(table, current, index, was, parts, changes, out)
    return refusals


def _recreate_only(
    table: Table, current: Table, index: Index, was: Index, parts: list[tuple[Partition, str]],
    changes: list[Change], out: list[Change],
) -> None:
    """The table's index dropped and made ON ONLY; the other partitions' made again and attached."""
    ikey = index_key(table.schema, index.name)
    leaving = {(p.schema or table.schema, p.name) for p, _ in parts}
    attached_here = [
        (p, child) for p in current.partitions for child, parent in p.attached if parent == index.name
    ]
    gone = frozenset(index_key(p.schema or current.schema, child) for p, child in attached_here)
    names = ", ".join(f"{p.schema or table.schema}.{child}" for p, child in parts)
    reason = f"ON ONLY the table: {names} stays the partition's own (PostgreSQL cannot detach an index partition)"
    drop_at = next((i for i, c in enumerate(changes) if isinstance(c, DropIndex) and c.key == ikey), None)
    make_at = next((i for i, c in enumerate(changes) if isinstance(c, CreateIndex) and c.key == ikey), None)
    if drop_at is None:
        changes.append(drop_index(current, was, replaces=True))
        drop_at = len(changes) - 1
    drop = changes[drop_at]
    changes[drop_at] = dataclasses.replace(drop, removes=drop.removes | gone)
    if make_at is None:
        changes.append(create_index(table, index, replaces=True))
        make_at = len(changes) - 1
    made = changes[make_at]
    assert isinstance(made, CreateIndex)
    changes[make_at] = dataclasses.replace(made, only=True, reason=reason)
    # The other partitions' indexes go with the table's: made again and attached to it.
    wanted = {(p.schema or table.schema, p.name): p for p in table.partitions}
    for old, child in attached_here:
        where = old.schema or current.schema
        part = wanted.get((where, old.name))
        if part is None or (where, old.name) in leaving:
            continue
        name = next((c for c, parent in part.attached if parent == index.name), child)
        ckey = index_key(where, name)
        if not any(isinstance(c, CreateIndex) and c.key == ckey for c in (*changes, *out)):
            bare = bare_table(table, part)
            out.append(onto_parent(create_index(bare, dataclasses.replace(index, name=name)), table, bare))
        out.append(AttachPartitionIndex(
            where, part.name, name, table.schema, index.name, None,
            needs=frozenset({table_key(where, part.name), ckey, ikey}),
        ))
