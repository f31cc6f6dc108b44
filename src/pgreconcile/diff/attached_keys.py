"""A partition's own primary key or unique constraint whose index is attached to an index of
its table that the plan drops.

``CREATE UNIQUE INDEX t_key ON t (…)`` builds an index on every partition and attaches it;
``ALTER TABLE p ADD CONSTRAINT p_pkey PRIMARY KEY USING INDEX p_idx`` then makes the partition's
index a constraint of the partition alone. PostgreSQL then refuses both drops: the
constraint's (its index is required by the table's) and the table's index's (the partition's
constraint depends on it). ``DROP INDEX t_key CASCADE`` is the one statement that removes them,
so the table's index drop takes that form and says which keys go with it; the partition's own
drop of such a key leaves the plan, and a key still declared (of the partition's own, or
attached to the table's new key) is made again after it. A foreign key that references the
partition through such a key would go too: the plan is refused instead.
"""

from __future__ import annotations

import dataclasses

from pgreconcile.diff.changes import AddConstraint, Change, DropConstraint, DropIndex
from pgreconcile.diff.construct import add_constraint
from pgreconcile.diff.partition_objects import bare_table, onto_parent
from pgreconcile.model import ForeignKey, Partition, PrimaryKey, Schema, Table, UniqueConstraint
from pgreconcile.model.keys import constraint_key, index_key, table_key

Gone = dict[tuple[str, str], frozenset[str]]


def cascade_attached_keys(
    desired: Schema, live: Schema, changes: list[Change], out: list[Change]
) -> tuple[Gone, list[str]]:
    """Rewrite the drops of the tables' indexes that partitions' own keys hang on (``changes``
    and ``out`` in place, see the module docstring); the keys gone by partition, and refusals."""
    gone: dict[tuple[str, str], set[str]] = {}
    refusals: list[str] = []
    drops = {c.key: i for i, c in enumerate(changes) if isinstance(c, DropIndex)}
    for key, current in sorted(live.tables.items()):
        for part in current.partitions:
            schema = part.schema or current.schema
            own: dict[str, PrimaryKey | UniqueConstraint] = {u.name: u for u in part.uniques}
            if part.primary_key is not None:
                own[part.primary_key.name] = part.primary_key
            for child, parent in part.attached:
                position = drops.get(index_key(current.schema, parent))
                if child not in own or position is None:
                    continue
                drop = changes[position]
                assert isinstance(drop, DropIndex)
                if (drop.schema, drop.table_name) != (current.schema, current.name):
                    continue
                con = own[child]
                referencing = _referencing(live, schema, part.name, con)
                if referencing:
                    refusals.append(
                        f"index {current.schema}.{parent} of {current.qualified} is dropped, and the "
                        f"{_kind(con)} {child} of its partition {schema}.{part.name} is made over an index "
                        f"attached to it, so it goes too (DROP INDEX … CASCADE); but foreign keys reference it "
                        f"({', '.join(referencing)}). Drop or move those foreign keys first"
                    )
                    continue
                changes[position] = dataclasses.replace(
                    drop,
                    cascades=(*drop.cascades, f"{_kind(con)} {child} on {schema}.{part.name}"),
                    removes=drop.removes | {constraint_key(schema, part.name, child), index_key(schema, child)},
                    reason=_reason(drop, con, child, schema, part.name),
                )
                gone.setdefault((schema, part.name), set()).add(child)
                _drop_left_out(changes, out, schema, part.name, child)
                _made_again(desired, key, current, part, child, changes, out)
    return {k: frozenset(v) for k, v in gone.items()}, refusals


def _kind(con: PrimaryKey | UniqueConstraint) -> str:
    return "primary key" if isinstance(con, PrimaryKey) else "unique constraint"


def _reason(drop: DropIndex, con: PrimaryKey | UniqueConstraint, child: str, schema: str, part: str) -> str:
    said = (f"CASCADE: also drops the {_kind(con)} {child} of partition {schema}.{part} "
            "(over an index attached to this one)")
    return f"{drop.reason}; {said}" if drop.reason else said


def _referencing(live: Schema, schema: str, part: str, con: PrimaryKey | UniqueConstraint) -> list[str]:
    """Foreign keys anywhere (tables and partitions) that reference the partition's key."""
    found: list[str] = []

    def check(owner: str, fks: tuple[ForeignKey, ...]) -> None:
        for fk in fks:
            if (fk.ref_schema, fk.ref_table) == (schema, part) and set(fk.ref_columns) == set(con.columns):
                found.append(f"{fk.name} on {owner}")

    def level(where: str, parts: tuple[Partition, ...]) -> None:
        for sub in parts:
            at = sub.schema or where
            check(f"{at}.{sub.name}", sub.foreign_keys)
            level(at, sub.partitions)

    for table in live.tables.values():
        check(table.qualified, table.foreign_keys)
        level(table.schema, table.partitions)
    return sorted(found)


def _drop_left_out(changes: list[Change], out: list[Change], schema: str, part: str, name: str) -> None:
    """The partition's own drop of the key: the CASCADE does it."""
    for where in (changes, out):
        where[:] = [
            c for c in where
            if not (isinstance(c, DropConstraint) and (c.schema, c.table_name) == (schema, part)
                    and c.constraint.name == name)
        ]


def _made_again(
    desired: Schema, key: tuple[str, str], current: Table, part: Partition, child: str,
    changes: list[Change], out: list[Change],
) -> None:
    """A key the partition still declares of its own under that name, unchanged (a changed one
    is re-created by the partition's comparison already), is added again after the CASCADE."""
    table = desired.tables.get(key)
    if table is None:
        return
    wanted = next((p for p in table.partitions if p.name == part.name
                   and (p.schema or table.schema) == (part.schema or current.schema)), None)
    if wanted is None:
        return
    declared: dict[str, PrimaryKey | UniqueConstraint] = {u.name: u for u in wanted.uniques}
    if wanted.primary_key is not None:
        declared[wanted.primary_key.name] = wanted.primary_key
    schema = part.schema or current.schema
    ckey = constraint_key(schema, part.name, child)
    if child not in declared or any(isinstance(c, AddConstraint) and c.key == ckey for c in (*changes, *out)):
        return
    bare = bare_table(table, wanted)
    made = add_constraint(bare, declared[child], desired)
    made = dataclasses.replace(made, needs=made.needs | {table_key(schema, part.name)})
    out.append(onto_parent(made, table, bare))
