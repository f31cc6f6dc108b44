"""Catalog rows of ``queries/partitions.sql`` → the partition key and partitions of each table.

Partitions hang under their parent (a sub-partition under its partition), so the tables the
catalog reads stay the top-level ones. A partition carries what it holds of its own: its
schema when it is not its parent's, its indexes and keys not attached to the parent's, its
row-level security switches and policies, its replica identity, and which of its indexes are attached to
which of the parent's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pgreconcile.model.objects import CheckConstraint, ForeignKey, Index, PrimaryKey, UniqueConstraint
from pgreconcile.model.partitions import Partition
from pgreconcile.model.policies import Policy
from pgreconcile.normalize.partitions import declared_key
from pgreconcile.quoting import qualified

Row = Sequence[Any]


class OwnKeys(Protocol):
    """The keys, foreign keys and CHECKs the constraint reader found on one relation."""

    primary_key: PrimaryKey | None
    uniques: list[UniqueConstraint]
    foreign_keys: list[ForeignKey]
    checks: list[CheckConstraint]


@dataclass(frozen=True, slots=True)
class Partitioning:
    """What a table's Table(...) takes: its key and its partitions (both empty when ordinary)."""

    partition_by: str | None = None
    partitions: tuple[Partition, ...] = ()


NONE = Partitioning()


def partition_names(rows: Iterable[Row]) -> dict[int, tuple[str, str]]:
    """(schema, name) of every partition by oid, for the readers of indexes and constraints."""
    return {row[0]: (row[2], row[3]) for row in rows if row[1] is not None}


def partition_tops(rows: Iterable[Row], tables: Mapping[int, tuple[str, str]]) -> dict[int, tuple[str, str]]:
    """(schema, name) of the top-level table of every partition by oid (sub-levels included)."""
    parents = {row[0]: row[1] for row in rows if row[1] is not None}
    out: dict[int, tuple[str, str]] = {}
    for oid in parents:
        top = parents[oid]
        while top in parents:
            top = parents[top]
        if top in tables:
            out[oid] = tables[top]
    return out


def partitioning(
    rows: Iterable[Row],
    notes: list[str],
    indexes: Mapping[int, Sequence[Index]] | None = None,
    keys: Mapping[int, OwnKeys] | None = None,
    options: Mapping[int, Mapping[str, Any]] | None = None,
    policies: Mapping[int, Sequence[Policy]] | None = None,
) -> dict[int, Partitioning]:
    """Rows ``(oid, parent oid, schema, name, bound, key, comment, own constraints, rls,
    forced rls, attached, not-null columns, own defaults, NOT NULL names, whether the server
    names them)`` → the partitioning of every
    partitioned table by oid (partitions included, for sub-levels); ``indexes``, ``keys`` and
    ``options`` and ``policies`` are the other readers' results by oid, a partition's own among them."""
    rows = list(rows)
    indexes = indexes or {}
    policies = policies or {}
    keys = keys or {}
    options = options or {}
    by_oid = {row[0]: row for row in rows}
    children: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        parent = row[1]
        if parent is None:
            continue
        children[parent].append(row)
        for what in row[7] or ():
            notes.append(f"{what} on partition {qualified(row[2], row[3])} is not managed (declare it on the table)")

    def partition(row: Row, parent_schema: str) -> Partition:
        oid, _, schema, name, bound, key, comment, _, rls, forced, attached, not_null, defaults, names, local, known = (
            row
        )
        own = keys.get(oid)
        extra = options.get(oid, {})
        return Partition(
            name=name,
            bound=bound,
            partition_by=declared_key(key) if key is not None else None,
            partitions=_level(oid, schema),
            comment=comment,
            schema=schema if schema != parent_schema else None,
            primary_key=own.primary_key if own is not None else None,
            uniques=tuple(sorted(own.uniques, key=lambda u: u.name)) if own is not None else (),
            indexes=tuple(sorted(indexes.get(oid, ()), key=lambda i: i.name)),
            rls_enabled=rls,
            rls_forced=forced,
            replica_identity=extra.get("replica_identity", "default"),
            replica_index=extra.get("replica_index"),
            attached=tuple(sorted((child, parent) for child, parent, _ in attached or ())),
            attached_comments=tuple(sorted((child, note) for child, _, note in attached or () if note is not None)),
            foreign_keys=tuple(sorted(own.foreign_keys, key=lambda f: f.name)) if own is not None else (),
            checks=tuple(sorted(own.checks, key=lambda c: c.name)) if own is not None else (),
            not_null=tuple(sorted(not_null or ())),
            column_defaults=tuple((column, default) for column, default in defaults or ()),
            policies=tuple(policies.get(oid, ())),
            not_null_names=tuple((column, con) for column, con in names or ()) if known else None,
            not_null_local=tuple(local or ()) if known else (),
        )

    def _level(oid: int, schema: str) -> tuple[Partition, ...]:
        return tuple(sorted((partition(child, schema) for child in children.get(oid, ())), key=lambda p: p.name))

    return {
        oid: Partitioning(declared_key(row[5]), _level(oid, row[2]))
        for oid, row in by_oid.items()
        if row[5] is not None
    }
