"""Compare what a partition holds of its own: its indexes, primary key and unique constraints
not attached to the parent's, its row-level security switches and policies, its replica
identity, and the names of its indexes attached to the parent's.

Each side's partition is seen as a bare table (no columns: they are the parent's) so that the
table comparison's constructors make the changes; a column a partition's index or key reads is
the parent's column, so the keys that name it are moved onto the parent (a column dropped from
the parent goes after the partition's index on it is dropped).

An index of the partition attached to an index of the parent keeps the name the declaration
gives it: a live one under another name is renamed; when the plan creates the parent's index,
the partition's is created first under its declared name (or the live one of its own with
that name is kept), so that PostgreSQL attaches it rather than create one under a name of its
choosing.
"""

from __future__ import annotations

import dataclasses

from pgreconcile.diff.changes import AddConstraint, Change, Constraint, CreateIndex, DropConstraint, DropIndex
from pgreconcile.diff.column_option_changes import SetReplicaIdentity
from pgreconcile.diff.constraint_changes import ValidateConstraint, same_constraint, to_validate
from pgreconcile.diff.construct import add_constraint, create_index, drop_constraint, drop_index, same_index
from pgreconcile.diff.partition_changes import AttachPartitionIndex, SetPartitionNotNull
from pgreconcile.diff.partition_not_nulls import own_name
from pgreconcile.diff.policies import compare_row_security
from pgreconcile.diff.rename_changes import RenameIndex
from pgreconcile.model import (
    CheckConstraint,
    ForeignKey,
    Index,
    Partition,
    PrimaryKey,
    Schema,
    Table,
    UniqueConstraint,
)
from pgreconcile.model.keys import column_key, constraint_key, index_key, table_key
from pgreconcile.model.partitions import every_partition
from pgreconcile.normalize.expressions import column_refs

Key = PrimaryKey | UniqueConstraint | Index


def bare_table(top: Table, part: Partition) -> Table:
    """The partition as a table of its own objects (in its own schema)."""
    return Table(
        part.schema or top.schema,
        part.name,
        primary_key=part.primary_key,
        uniques=part.uniques,
        indexes=part.indexes,
        rls_enabled=part.rls_enabled,
        rls_forced=part.rls_forced,
        policies=part.policies,
        replica_identity=part.replica_identity,
        replica_index=part.replica_index,
        foreign_keys=part.foreign_keys,
        checks=part.checks,
    )


def onto_parent(change: Change, top: Table, bare: Table) -> Change:
    """Keys of the partition's columns → the parent's columns (the partition has none of its own)."""
    prefix = column_key(bare.schema, bare.name, "")
    into = column_key(top.schema, top.name, "")

    def moved(keys: frozenset[str]) -> frozenset[str]:
        return frozenset(into + k[len(prefix):] if k.startswith(prefix) else k for k in keys)

    keys = {c.name for c in top.columns}
    return dataclasses.replace(
        change,
        needs=moved(change.needs) | {column_key(top.schema, top.name, c) for c in _reads(change) & keys},
        live_needs=moved(change.live_needs) | (
            {column_key(top.schema, top.name, c) for c in _reads(change) & keys}
            if isinstance(change, DropIndex | DropConstraint) else frozenset()
        ),
    )


def _with_partition_targets(change: Change, desired: Schema, live: Schema) -> Change:
    """A foreign key of a partition that references another partition waits for (and, dropped,
    goes before) that partition's keys: the table comparison only knows tables' keys."""
    if not isinstance(change, AddConstraint | DropConstraint) or not isinstance(change.constraint, ForeignKey):
        return change
    fk = change.constraint
    if isinstance(change, AddConstraint):
        return dataclasses.replace(change, needs=change.needs | referenced_partition_keys(desired, fk))
    return dataclasses.replace(change, live_needs=change.live_needs | referenced_partition_keys(live, fk))


def referenced_partition_keys(schema: Schema, fk: ForeignKey) -> frozenset[str]:
    """Keys of the partition ``fk`` references (its keys and unique indexes, its table's, and its
    own table key), or nothing when it references a table."""
    for table in schema.tables.values():
        for found, where in every_partition(table.schema, table.partitions):
            if (where, found.name) != (fk.ref_schema, fk.ref_table):
                continue
            keys = {table_key(where, found.name)}
            for con in (found.primary_key, *found.uniques):
                if con is not None and set(con.columns) == set(fk.ref_columns):
                    keys |= {constraint_key(where, found.name, con.name), index_key(where, con.name)}
            for index in found.indexes:
                if index.unique:
                    keys.add(index_key(where, index.name))
            for con in (table.primary_key, *table.uniques):
                if con is not None and set(con.columns) == set(fk.ref_columns):
                    keys.add(constraint_key(table.schema, table.name, con.name))
            keys |= {index_key(table.schema, i.name) for i in table.indexes if i.unique}
            return frozenset(keys)
    return frozenset()


def _reads(change: Change) -> set[str]:
    """Plain columns a key or index change reads (the bare table knows no columns)."""
    if isinstance(change, CreateIndex | DropIndex):
        return {element.strip('"') for element in change.index.elements} | set(change.index.include)
    keyed = isinstance(change, AddConstraint | DropConstraint)
    if keyed and isinstance(change.constraint, PrimaryKey | UniqueConstraint | ForeignKey):  # type: ignore[attr-defined]
        return set(change.constraint.columns)  # type: ignore[attr-defined]
    if keyed and isinstance(change.constraint, CheckConstraint):  # type: ignore[attr-defined]
        return set(column_refs(change.constraint.expression))  # type: ignore[attr-defined]
    return set()


def created_partition(top: Table, part: Partition, desired: Schema, out: list[Change]) -> None:
    """The own objects of a partition this plan creates."""
    bare = bare_table(top, part)
    empty = Table(bare.schema, bare.name)
    _compare(top, bare, empty, desired, desired, out, new=True, not_null=part.not_null)
    out.extend(not_null_changes(top, part, None))


def compare_partition(
    top: Table, current_top: Table, part: Partition, old: Partition, desired: Schema, live: Schema, out: list[Change]
) -> None:
    """The changes that bring a live partition's own objects to the declared ones."""
    keep = frozenset(child for child, _ in part.attached)
    _compare(top, bare_table(top, part), bare_table(current_top, old), desired, live, out, new=False, keep=keep,
             not_null=part.not_null)
    out.extend(not_null_changes(top, part, old))


def not_null_changes(top: Table, part: Partition, old: Partition | None) -> list[Change]:
    """SET / DROP NOT NULL on the partition's columns the table leaves nullable. Columns of a
    primary key are left to it: adding one sets NOT NULL, dropping one drops it (``nullable_again``)."""
    schema = part.schema or top.schema
    now = set(old.not_null) if old is not None else set()
    wanted = set(part.not_null)
    new_pk = set(part.primary_key.columns) if part.primary_key is not None else set()
    old_pk = set(old.primary_key.columns) if old is not None and old.primary_key is not None else set()
    if old is not None and old.primary_key is not None and part.primary_key != old.primary_key:
        now -= old_pk  # the dropped key's columns: its drop makes them nullable again where declared so
    out: list[Change] = []
    for column in sorted((wanted - now - new_pk) | (now - wanted)):
        out.append(SetPartitionNotNull(
            schema, top.name, part.name, column, column in wanted, own_name(part, column) if column in wanted else None,
            needs=frozenset({table_key(schema, part.name), column_key(top.schema, top.name, column)}),
        ))
    return out



def _compare(
    top: Table, bare: Table, current: Table, desired: Schema, live: Schema, out: list[Change], *, new: bool,
    keep: frozenset[str] = frozenset(), not_null: tuple[str, ...] = (),
) -> None:
    """``keep``: live indexes and keys of the partition's own that are declared attached to an
    index of the parent (the parent's index, when the plan creates it, attaches them)."""
    found: list[Change] = []
    tkey = table_key(bare.schema, bare.name)
    wanted: dict[str, Constraint] = {}
    existing: dict[str, Constraint] = {}
    for side, table in ((wanted, bare), (existing, current)):
        side.update({u.name: u for u in table.uniques})
        side.update({c.name: c for c in table.checks})
        side.update({f.name: f for f in table.foreign_keys})
    if bare.primary_key is not None:
        wanted[bare.primary_key.name] = bare.primary_key
    if current.primary_key is not None:
        existing[current.primary_key.name] = current.primary_key
    for name, con in wanted.items():
        had = existing.get(name)
        if had is None:
            found.append(dataclasses.replace(add_constraint(bare, con, desired), new_table=new))
        elif not same_constraint(con, had):
            found.append(drop_constraint(current, had, live, replaces=True))
            found.append(add_constraint(bare, con, desired, replaces=True))
        elif to_validate(con, had):
            assert isinstance(con, CheckConstraint | ForeignKey)
            found.append(ValidateConstraint(bare.schema, bare.name, con,
                                            needs=frozenset({constraint_key(bare.schema, bare.name, name)})))
    for name, had in existing.items():
        if name not in wanted and name not in keep:
            found.append(drop_constraint(current, had, live))
    found = [_with_partition_targets(c, desired, live) for c in found]
    indexes = {i.name: i for i in bare.indexes}
    live_indexes = {i.name: i for i in current.indexes}
    for name, index in indexes.items():
        was = live_indexes.get(name)
        if was is None:
            found.append(dataclasses.replace(create_index(bare, index), new_table=new))
        elif not same_index(index, was):
            found.append(drop_index(current, was, replaces=True))
            found.append(create_index(bare, index, replaces=True))
    for name, was in live_indexes.items():
        if name not in indexes and name not in keep:
            found.append(drop_index(current, was))
    # RLS switches and policies as a table's; with the table's columns, so that a policy's
    # expressions need (and, dropped, go before changes to) the columns they read.
    found += compare_row_security(dataclasses.replace(bare, columns=top.columns),
                                  dataclasses.replace(current, columns=top.columns), live)
    if (bare.replica_identity, bare.replica_index) != (current.replica_identity, current.replica_index):
        needs = {tkey}
        if bare.replica_index is not None:
            needs |= {index_key(bare.schema, bare.replica_index),
                      constraint_key(bare.schema, bare.name, bare.replica_index)}
        found.append(
            SetReplicaIdentity(bare.schema, bare.name, bare.replica_identity, bare.replica_index,
                               current.replica_identity, current.replica_index, new_table=new,
                               needs=frozenset(needs))
        )
    nullable = {c.name for c in top.columns if c.nullable} - set(not_null)
    found = [
        dataclasses.replace(c, nullable_again=tuple(col for col in c.constraint.columns if col in nullable))
        if isinstance(c, DropConstraint) and isinstance(c.constraint, PrimaryKey) else c
        for c in found
    ]
    out.extend(onto_parent(c, top, bare) for c in found)


def attached_names(
    top: Table, part: Partition, old: Partition | None, changes: list[Change], out: list[Change],
    gone: frozenset[str] = frozenset(),
) -> None:
    """Give the partition's indexes attached to the parent's the declared names (see the module
    docstring); ``changes`` are the plan's so far, the parent's index creations among them;
    ``gone``: live keys of the partition that the plan drops with the parent's index."""
    schema = part.schema or top.schema
    live_attached = dict((parent, child) for child, parent in (old.attached if old is not None else ()))
    live_own = {i.name for i in old.indexes} if old is not None else set()
    if old is not None and old.primary_key is not None:
        live_own.add(old.primary_key.name)
    live_own |= {u.name for u in old.uniques} if old is not None else set()
    live_own -= gone
    for child, parent in part.attached:
        made = _parent_creation(top, parent, changes)
        if made is None:
            was = live_attached.get(parent)
            if was is not None and was != child:
                out.append(RenameIndex(schema, part.name, was, child, needs=frozenset({index_key(schema, was)}),
                                       creates=frozenset({index_key(schema, child)})))
            elif was is None and old is not None:
                _attach_existing(top, part, old, child, parent, changes, out)
            continue
        position, creation = made
        # Declared of the partition's own too (a key that backs the table's plain index): the
        # partition comparison makes it.
        declared = {i.name for i in part.indexes} | {u.name for u in part.uniques}
        if part.primary_key is not None:
            declared.add(part.primary_key.name)
        if child not in live_own and child not in declared:
            own = _own_copy(top, part, creation, child, changes)
            if own is None:
                continue
            out.append(own)
        # The parent's index is made after the partition's, which it then attaches.
        needs = {index_key(schema, child), constraint_key(schema, part.name, child)}
        changes[position] = dataclasses.replace(creation, needs=creation.needs | needs)


def _parent_creation(top: Table, parent: str, changes: list[Change]) -> tuple[int, Change] | None:
    keys = {index_key(top.schema, parent), constraint_key(top.schema, top.name, parent)}
    for position, change in enumerate(changes):
        if isinstance(change, CreateIndex | AddConstraint) and change.key in keys:
            return position, change
    return None


def _own_copy(top: Table, part: Partition, creation: Change, child: str, changes: list[Change]) -> Change | None:
    """The parent's new index or key, made first on the partition under ``child``."""
    bare = bare_table(top, part)
    if isinstance(creation, CreateIndex):
        made: Change = create_index(bare, dataclasses.replace(creation.index, name=child))
    elif isinstance(creation, AddConstraint) and isinstance(creation.constraint, PrimaryKey | UniqueConstraint):
        made = AddConstraint(
            bare.schema, bare.name, dataclasses.replace(creation.constraint, name=child),
            needs=frozenset({table_key(bare.schema, bare.name)}),
            creates=frozenset({constraint_key(bare.schema, bare.name, child), index_key(bare.schema, child)}),
        )
    else:
        return None
    if any(c.key == made.key and c.action is made.action for c in changes):
        return None
    if isinstance(made, CreateIndex | AddConstraint) and isinstance(creation, CreateIndex | AddConstraint):
        # On a table this plan creates (its parent's index is new with it), the copy meets no rows.
        made = dataclasses.replace(made, new_table=creation.new_table)
    return onto_parent(made, top, bare)


def _attach_existing(
    top: Table, part: Partition, old: Partition, child: str, parent: str, changes: list[Change], out: list[Change]
) -> None:
    """The table's index exists but has no index on this live partition (made ``ON ONLY`` the
    table, say): the partition's index of that name — live, declared of its own, or made here as
    a copy of the table's — is attached to it."""
    schema = part.schema or top.schema
    kind: str | None = None
    definition: PrimaryKey | UniqueConstraint | Index | None = None
    if top.primary_key is not None and top.primary_key.name == parent:
        kind, definition = "PRIMARY KEY", top.primary_key
    else:
        definition = next((u for u in top.uniques if u.name == parent), None)
        if definition is not None:
            kind = "UNIQUE"
        else:
            definition = next((i for i in top.indexes if i.name == parent), None)
    if definition is None:
        return  # an index of a partition one level up: not handled here
    live_keys = {u.name for u in old.uniques} | ({old.primary_key.name} if old.primary_key else set())
    declared = {i.name for i in part.indexes} | {u.name for u in part.uniques}
    if part.primary_key is not None:
        declared.add(part.primary_key.name)
    needs = {table_key(schema, part.name), index_key(top.schema, parent), constraint_key(top.schema, top.name, parent)}
    promote = kind
    if child in live_keys:
        promote = None  # a constraint already
    elif child not in {i.name for i in old.indexes} and child not in declared:
        bare = bare_table(top, part)
        if isinstance(definition, Index):
            copy: Change = create_index(bare, dataclasses.replace(definition, name=child))
        else:
            copy = AddConstraint(
                bare.schema, bare.name, dataclasses.replace(definition, name=child),
                needs=frozenset({table_key(bare.schema, bare.name)}),
                creates=frozenset({constraint_key(bare.schema, bare.name, child), index_key(bare.schema, child)}),
            )
            promote = None
        out.append(onto_parent(copy, top, bare))
    needs |= {index_key(schema, child), constraint_key(schema, part.name, child)}
    out.append(AttachPartitionIndex(schema, part.name, child, top.schema, parent, promote, needs=frozenset(needs)))
