"""Tables that move in or out of a partitioned table: ``DETACH PARTITION`` and ``ATTACH PARTITION``.

A table declared as an ordinary table (or as a partition of another table, or with another
bound) that is a partition today is detached: its rows stay, and it keeps copies of its
table's columns, keys, indexes (under the names they had on the partition), CHECKs and foreign
keys. The live model is rewritten to that state, so the table comparison that follows plans
whatever else the declaration wants of the now ordinary table.

A declared partition that is an ordinary table today (with the table's columns) is attached
with its declared bound. PostgreSQL scans it to check every row fits the bound (the step fails
and the transaction rolls back otherwise), wants the table's NOT NULLs and CHECKs on it first
(added in the same step), and attaches the table's indexes to matching indexes of the new
partition, creating those it does not find. So that the attached indexes get the names the
declaration gives them, a matching index of the table is renamed, or a copy of the table's
index is made under the declared name, before the attach. The live table is then seen as the
partition it becomes, and the partition comparison plans the rest.

Partitions directly under their table move both ways; one level down (a leaf of a partition
that is partitioned itself), a partition declared as an ordinary table is detached from its
parent too. Deeper levels, and attaching below the first level, keep being refused.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from pgreconcile.diff.changes import AddConstraint, AlterColumn, Change, CreateIndex, DropConstraint, DropTable
from pgreconcile.diff.construct import same_index
from pgreconcile.diff.partition_changes import AttachPartition, DetachPartition, detach_key, room_key
from pgreconcile.diff.partition_not_nulls import attach_renames
from pgreconcile.diff.rename_changes import RenameConstraint, RenameIndex
from pgreconcile.model import Index, Partition, PrimaryKey, Schema, Table, UniqueConstraint
from pgreconcile.model.keys import column_key, constraint_key, index_key, sequence_key, table_key
from pgreconcile.model.objects import default_not_null_name
from pgreconcile.normalize.expressions import equivalent_default
from pgreconcile.normalize.partitions import canonical_bound, same_bound
from pgreconcile.quoting import ident

Key = tuple[str, str]
Keyed = PrimaryKey | UniqueConstraint | Index


@dataclass
class Moves:
    """What moving tables in and out of partitioned tables plans, and the live state after it
    (what cannot move is refused by the partition comparison, which sees the same clash)."""

    live: Schema
    changes: list[Change] = field(default_factory=list)
    # Attached tables as the partitions they become, by (schema, name).
    attached: dict[Key, Partition] = field(default_factory=dict)
    # Parents a partition is detached from, and the partitions detached: every change of
    # theirs waits for the detach (by a key it creates).
    detached_from: dict[Key, str] = field(default_factory=dict)
    # Each detached table's former parent.
    parents: dict[Key, Key] = field(default_factory=dict)


def plan_moves(desired: Schema, live: Schema) -> Moves:
    """Detach and attach what the declarations move (see the module docstring)."""
    moves = Moves(live)
    declared = _declared_partitions(desired)
    for key, top in sorted(live.tables.items()):
        if key[0] not in desired.managed:
            continue
        for part in top.partitions:
            where = (part.schema or top.schema, part.name)
            wanted = declared.get(where)
            moved = wanted is not None and part.partition_by is None and wanted[1].partition_by is None and (
                wanted[0] != key or not same_bound(wanted[1].bound, part.bound)
            )
            if (where in desired.tables and wanted is None and part.partition_by is None) or moved:
                _detach(top, part, moves)
            elif part.partition_by is not None:
                # One level down: a leaf of this partition declared as an ordinary table.
                for leaf in part.partitions:
                    at = (leaf.schema or part.schema or top.schema, leaf.name)
                    if at in desired.tables and at not in declared and leaf.partition_by is None:
                        _detach_nested(moves.live.tables[key], part, leaf, moves)
    for where, (top_key, part) in sorted(declared.items()):
        current = moves.live.tables.get(where)
        if current is None or where in desired.tables:
            continue
        top = desired.tables[top_key]
        if part not in top.partitions:
            continue  # a deeper level: refused as before
        if cannot_attach(top, part, current):
            continue  # refused by the partition comparison, which sees the clash
        _attach(top, part, current, moves)
    return moves


def _declared_partitions(schema: Schema) -> dict[Key, tuple[Key, Partition]]:
    out: dict[Key, tuple[Key, Partition]] = {}

    def level(top: Key, where: str, parts: Sequence[Partition]) -> None:
        for part in parts:
            at = part.schema or where
            out[(at, part.name)] = (top, part)
            level(top, at, part.partitions)

    for key, table in schema.tables.items():
        level(key, table.schema, table.partitions)
    return out


# --- detach ----------------------------------------------------------------------------------


def _detach(top: Table, part: Partition, moves: Moves) -> None:
    schema = part.schema or top.schema
    moves.changes.append(DetachPartition(
        top.schema, top.name, part, schema,
        creates=frozenset({table_key(schema, part.name), detach_key(top.schema, top.name),
                           room_key(top.schema, top.name)}),
    ))
    moves.detached_from[(top.schema, top.name)] = detach_key(top.schema, top.name)
    moves.detached_from[(schema, part.name)] = table_key(schema, part.name)
    moves.parents[(schema, part.name)] = (top.schema, top.name)
    left = dataclasses.replace(top, partitions=tuple(p for p in top.partitions if p is not part))
    tables = dict(moves.live.tables)
    tables[(top.schema, top.name)] = left
    tables[(schema, part.name)] = detached_table(top, part)
    moves.live = dataclasses.replace(moves.live, tables=tables)


def _detach_nested(top: Table, parent: Partition, leaf: Partition, moves: Moves) -> None:
    """Detach ``leaf`` from ``parent``, itself a partitioned partition of ``top``: as from a
    table, with the parent seen as the table it is to its own partitions (its keys and indexes
    under its own names, attached to the top's, and its own ones beside them)."""
    # ``top`` as the moves left it so far: an earlier leaf of the same parent may be gone already.
    parent = next(p for p in top.partitions if p.name == parent.name and p.schema == parent.schema)
    parent_schema = parent.schema or top.schema
    as_table = dataclasses.replace(detached_table(top, parent), partitions=parent.partitions)
    schema = leaf.schema or parent_schema
    moves.changes.append(DetachPartition(
        parent_schema, parent.name, leaf, schema,
        creates=frozenset({table_key(schema, leaf.name), detach_key(parent_schema, parent.name),
                           room_key(parent_schema, parent.name)}),
    ))
    moves.detached_from[(parent_schema, parent.name)] = detach_key(parent_schema, parent.name)
    moves.detached_from[(schema, leaf.name)] = table_key(schema, leaf.name)
    moves.parents[(schema, leaf.name)] = (parent_schema, parent.name)
    kept = dataclasses.replace(parent, partitions=tuple(p for p in parent.partitions if p is not leaf))
    left = dataclasses.replace(top, partitions=tuple(kept if p is parent else p for p in top.partitions))
    tables = dict(moves.live.tables)
    tables[(top.schema, top.name)] = left
    tables[(schema, leaf.name)] = detached_table(as_table, leaf)
    moves.live = dataclasses.replace(moves.live, tables=tables)


def detached_table(top: Table, part: Partition) -> Table:
    """The partition as PostgreSQL leaves it once detached: the table's columns (NOT NULL where
    the partition had them so), its own objects, and the table's keys, indexes, CHECKs and
    foreign keys as its own (under the names they had on the partition)."""
    schema = part.schema or top.schema
    child = {parent: own for own, parent in part.attached}
    columns = tuple(
        dataclasses.replace(c, nullable=c.nullable and c.name not in part.not_null, identity=None,
                            identity_options=None, comment=None)
        for c in top.columns
    )
    primary_key = part.primary_key
    if primary_key is None and top.primary_key is not None and top.primary_key.name in child:
        primary_key = PrimaryKey(child[top.primary_key.name], top.primary_key.columns,
                                 include=top.primary_key.include, options=top.primary_key.options)
    uniques = [*part.uniques, *(dataclasses.replace(u, name=child[u.name], comment=None)
                                for u in top.uniques if u.name in child)]
    indexes = [*part.indexes, *(dataclasses.replace(i, name=child[i.name], comment=None)
                                for i in top.indexes if i.name in child)]
    checks = [*part.checks, *(dataclasses.replace(c, inherited=False, comment=None)
                              for c in top.checks if not c.no_inherit)]
    return Table(
        schema, part.name, columns=columns, primary_key=primary_key,
        uniques=tuple(sorted(uniques, key=lambda u: u.name)),
        foreign_keys=tuple(sorted((*part.foreign_keys, *(dataclasses.replace(f, comment=None)
                                                           for f in top.foreign_keys)), key=lambda f: f.name)),
        checks=tuple(sorted(checks, key=lambda c: c.name)),
        indexes=tuple(sorted(indexes, key=lambda i: i.name)),
        comment=part.comment, rls_enabled=part.rls_enabled, rls_forced=part.rls_forced,
        replica_identity=part.replica_identity, replica_index=part.replica_index,
    )


# --- attach ----------------------------------------------------------------------------------


def cannot_attach(top: Table, part: Partition, current: Table) -> str | None:
    """Why the ordinary table ``current`` cannot become the declared partition ``part`` of
    ``top``, or None when it can."""
    name = current.qualified
    if current.partition_by is not None or part.partition_by is not None:
        return (f"{name} is declared as a partition of {top.qualified} but is a table today; pgreconcile attaches "
                "only tables that are not partitioned themselves, under a partition that is not either. Attach it by "
                "hand, or give the partition another name")
    if current.server is not None or current.inherits:
        return (f"{name} is declared as a partition of {top.qualified} but is a foreign or inheriting table today; "
                "attach it by hand, or give the partition another name")
    mine = {c.name: c.type for c in current.columns}
    theirs = {c.name: c.type for c in top.columns}
    if mine != theirs:
        missing = sorted(set(theirs) - set(mine))
        extra = sorted(set(mine) - set(theirs))
        typed = sorted(c for c in set(mine) & set(theirs) if mine[c] != theirs[c])
        why = "; ".join(part for part in (
            f"lacks {', '.join(missing)}" if missing else "",
            f"has {', '.join(extra)} too" if extra else "",
            f"types differ for {', '.join(typed)}" if typed else "",
        ) if part)
        return (f"{name} is declared as a partition of {top.qualified}, but its columns are not the table's ({why}); "
                "PostgreSQL attaches only a table with exactly the table's columns. Change it to match first, or "
                "give the partition another name")
    return None



def _as_index(key: Keyed) -> Index:
    if isinstance(key, Index):
        return key
    return Index(key.name, tuple(ident(c) for c in key.columns), unique=True)


def _parent_keys(top: Table) -> dict[str, Keyed]:
    found: dict[str, Keyed] = {i.name: i for i in top.indexes}
    found.update({u.name: u for u in top.uniques})
    if top.primary_key is not None:
        found[top.primary_key.name] = top.primary_key
    return found


def _matches(parent: Keyed, own: Keyed) -> bool:
    """Whether PostgreSQL would attach ``own`` to ``parent`` (a key's index needs a key)."""
    if isinstance(parent, PrimaryKey | UniqueConstraint) and isinstance(own, Index):
        return False
    if isinstance(parent, PrimaryKey | UniqueConstraint) and isinstance(own, PrimaryKey | UniqueConstraint):
        return set(parent.columns) == set(own.columns) and parent.columns == own.columns
    return same_index(_as_index(parent), _as_index(own))


def _attach(top: Table, part: Partition, current: Table, moves: Moves) -> None:
    schema = part.schema or top.schema
    tkey = table_key(schema, part.name)
    parents = _parent_keys(top)
    own = _parent_keys(current)
    # For each of the table's indexes and keys, the table's own one PostgreSQL will attach to it:
    # the declared name when the table has a matching one under it; else a matching one renamed
    # to it (one declared as the partition's own is then made again after the attach); else a
    # copy made under it. Undeclared: the first matching one, or one PostgreSQL builds and names.
    attached: list[tuple[str, str]] = []
    taken: set[str] = set()
    before: list[Change] = []
    for parent_name, parent in sorted(parents.items()):
        wanted = next((c for c, p in part.attached if p == parent_name), None)
        matching = [n for n, k in sorted(own.items()) if n not in taken and _matches(parent, k)]
        if wanted is not None and wanted in matching:
            chosen = wanted
        elif wanted is not None and wanted not in own and matching:
            chosen = matching[0]
            before.append(_rename(schema, part.name, own[chosen], wanted))
            chosen = wanted
        elif wanted is not None and wanted not in own:
            before.append(_copy(schema, part.name, parent, wanted))
            chosen = wanted
        elif matching:
            chosen = matching[0]
        else:
            continue  # PostgreSQL creates it under a name of its choosing: known after the attach
        taken.add(chosen)
        attached.append((chosen, parent_name))
    old_names = {c.old_name for c in before if isinstance(c, RenameIndex | RenameConstraint)}
    keep_own = {n: k for n, k in own.items() if n not in taken and n not in old_names}
    not_null = tuple(sorted(c.name for c in current.columns
                            if not c.nullable and (t := top.column(c.name)) is not None and t.nullable))
    set_not_null = tuple(c.name for c in top.columns
                         if not c.nullable and (mine := current.column(c.name)) is not None and mine.nullable)
    # [PostgreSQL 18] The table's NOT NULLs take their declared names before the attach.
    renames = attach_renames(part, current)
    added = tuple((c, n) for c, n in (part.not_null_names or ())
                  if c in set_not_null and n != default_not_null_name(part.name, c))
    moves.attached[(schema, part.name)] = Partition(
        name=part.name, bound=part.bound, comment=current.comment, schema=part.schema,
        primary_key=next((k for k in keep_own.values() if isinstance(k, PrimaryKey)), None),
        uniques=tuple(k for k in keep_own.values() if isinstance(k, UniqueConstraint)),
        indexes=tuple(k for k in keep_own.values() if isinstance(k, Index)),
        rls_enabled=current.rls_enabled, rls_forced=current.rls_forced,
        replica_identity=current.replica_identity, replica_index=current.replica_index,
        attached=tuple(sorted(attached)),
        foreign_keys=current.foreign_keys,
        checks=tuple(c for c in current.checks if c.name not in {t.name for t in top.checks}),
        not_null=not_null,
        not_null_names=_names_after(part, current, renames, set_not_null),
    )
    live_checks = {c.name for c in current.checks}
    checks = tuple(c for c in top.checks if not c.no_inherit and c.name not in live_checks)
    defaults = tuple(
        (c.name, c.default) for c in top.columns
        if (mine := current.column(c.name)) is not None and c.generated is None
        and not equivalent_default(c.default, mine.default, c.type)
    )
    sequences = frozenset(
        sequence_key(s.schema, s.name) for s in moves.live.sequences.values()
        if s.owned_by is not None and (s.schema, s.owned_by[0]) == (current.schema, current.name)
    )
    default_exists = any(canonical_bound(p.bound) == ("default",) for p in top.partitions if p is not part)
    moves.changes += before
    moves.changes.append(AttachPartition(
        top.schema, top.name, part.name, schema, part.bound, checks=checks, set_not_null=set_not_null,
        defaults=defaults, default_exists=default_exists, not_null_renames=renames, not_null_names=added,
        needs=frozenset({tkey, table_key(top.schema, top.name), room_key(top.schema, top.name),
                         *(column_key(top.schema, top.name, c.name) for c in top.columns),
                         *(index_key(schema, c) for c, _ in part.attached),
                         *(constraint_key(schema, part.name, c) for c, _ in part.attached)}),
        live_needs=sequences,
        # The partition's own changes (compared as it will be) wait for it.
        creates=frozenset({tkey}),
        reason="scans the table: every row must fit the bound" + (
            "; the DEFAULT partition is scanned too" if default_exists else ""),
    ))
    tables = {k: t for k, t in moves.live.tables.items() if k != (schema, part.name)}
    moves.live = dataclasses.replace(moves.live, tables=tables)


def _names_after(
    part: Partition, current: Table, renames: tuple[tuple[str, str], ...], set_not_null: tuple[str, ...]
) -> tuple[tuple[str, str], ...] | None:
    """The NOT NULL names the attached table holds after the attach (None: not declared)."""
    if part.not_null_names is None:
        return None
    declared = dict(part.not_null_names)
    moved = dict(renames)
    held = {c.name: moved.get(c.not_null_name, c.not_null_name) for c in current.columns
            if not c.nullable and c.not_null_name is not None}
    held |= {c: declared.get(c, default_not_null_name(part.name, c)) for c in set_not_null}
    return tuple(sorted(held.items()))


def _rename(schema: str, table: str, key: Keyed, name: str) -> Change:
    if isinstance(key, Index):
        return RenameIndex(schema, table, key.name, name, creates=frozenset({index_key(schema, name)}))
    kind = "primary key" if isinstance(key, PrimaryKey) else "unique"
    return RenameConstraint(schema, table, key.name, name, kind,
                            creates=frozenset({constraint_key(schema, table, name), index_key(schema, name)}))


def _copy(schema: str, table: str, parent: Keyed, name: str) -> Change:
    """The table's index or key, made on the table to attach under the declared name."""
    # No need of the table's key: the table exists, and the attach (which "creates" it) comes after.
    if isinstance(parent, Index):
        return CreateIndex(schema, table, dataclasses.replace(parent, name=name, comment=None),
                           creates=frozenset({index_key(schema, name)}))
    con = dataclasses.replace(parent, name=name, comment=None)
    return AddConstraint(schema, table, con,
                         creates=frozenset({constraint_key(schema, table, name), index_key(schema, name)}))


def _dropped_once(changes: list[Change]) -> list[Change]:
    """A detached table's copy of a foreign key to a table the plan re-creates is dropped by the
    re-creation (first) and, undeclared, by the table comparison: once is enough."""
    seen: set[str] = set()
    out: list[Change] = []
    for c in changes:
        if isinstance(c, DropConstraint):
            if c.key in seen:
                continue
            seen.add(c.key)
        out.append(c)
    return out


def waits_for_detach(changes: list[Change], moves: Moves) -> list[Change]:
    """Every change of a table a partition is detached from runs after the detach (a column or
    key added first would be added to the partition too), and so does every change of the
    detached table (its inherited CHECKs, say, can be dropped only once they are its own)."""
    if not moves.detached_from:
        return changes
    changes = _dropped_once(changes)
    by_name = {f"{s}.{n}": m for (s, n), m in moves.detached_from.items()}
    by_key = {table_key(s, n): m for (s, n), m in moves.detached_from.items()}
    # A detached table's columns keep the parent's defaults, which may call a sequence the
    # parent owns: they are changed before a parent that is dropped takes that sequence along.
    going = {f"{s}.{n}": table_key(*parent) + "#defaults" for (s, n), parent in moves.parents.items()}
    dropped = set(going.values())
    out: list[Change] = []
    for c in changes:
        marker = by_name.get(c.table or "") or by_key.get(c.key)
        if marker is not None and not isinstance(c, DetachPartition):
            c = dataclasses.replace(c, needs=c.needs | {marker})
        if isinstance(c, AlterColumn) and c.table in going:
            c = dataclasses.replace(c, live_needs=c.live_needs | {going[c.table or ""]})
        elif isinstance(c, DropTable) and c.key + "#defaults" in dropped:
            # The sequences it owns go with it: one declared again is created after.
            owned = {sequence_key(s.schema, s.name) for s in moves.live.sequences.values()
                     if s.owned_by is not None and table_key(s.schema, s.owned_by[0]) == c.key}
            c = dataclasses.replace(c, removes=c.removes | {c.key + "#defaults"} | owned)
        out.append(c)
    return out


__all__ = ["Moves", "cannot_attach", "detached_table", "plan_moves", "waits_for_detach"]
