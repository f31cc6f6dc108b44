"""Rows of ``queries/comments.sql`` → the comments of indexes, constraints and policies, put
onto the objects the other queries built (one extra query, whatever the schema's size). The
index of a primary key, unique or exclusion constraint has a comment of its own (COMMENT ON
INDEX), kept on the key as ``index_comment``."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from pgreconcile.model.objects import (
    CheckConstraint,
    ExclusionConstraint,
    ForeignKey,
    Index,
    Partition,
    Policy,
    PrimaryKey,
    Table,
    UniqueConstraint,
)
from pgreconcile.model.views import MaterializedView

Row = Sequence[Any]
Comments = dict[tuple[str, int, str], str]
T = TypeVar("T", UniqueConstraint, ForeignKey, CheckConstraint, ExclusionConstraint, Index, Policy)


def comments(rows: Iterable[Row]) -> Comments:
    """``(kind, relation oid, name) → comment``."""
    return {(kind, relid, name): text for kind, relid, name, text in rows}


def _with(objects: tuple[T, ...], found: Comments, kind: str, relid: int) -> tuple[T, ...]:
    return tuple(
        dataclasses.replace(o, comment=found[(kind, relid, o.name)]) if (kind, relid, o.name) in found else o
        for o in objects
    )


K = TypeVar("K", PrimaryKey, UniqueConstraint, ExclusionConstraint)


def _with_index(keys: tuple[K, ...], found: Comments, relid: int) -> tuple[K, ...]:
    """Keys with the comment of the index that implements each: PostgreSQL names that index
    after the constraint (and renames it with the constraint)."""
    return tuple(
        dataclasses.replace(k, index_comment=found[("index", relid, k.name)]) if ("index", relid, k.name) in found
        else k
        for k in keys
    )


def table_with_comments(table: Table, relid: int, found: Comments) -> Table:
    """``table`` with the comments of its indexes, constraints and policies."""
    if not found:
        return table
    pk = table.primary_key
    if pk is not None and ("constraint", relid, pk.name) in found:
        pk = dataclasses.replace(pk, comment=found[("constraint", relid, pk.name)])
    if pk is not None:
        (pk,) = _with_index((pk,), found, relid)
    return dataclasses.replace(
        table,
        primary_key=pk,
        uniques=_with_index(_with(table.uniques, found, "constraint", relid), found, relid),
        foreign_keys=_with(table.foreign_keys, found, "constraint", relid),
        checks=_with(table.checks, found, "constraint", relid),
        exclusions=_with_index(_with(table.exclusions, found, "constraint", relid), found, relid),
        indexes=_with(table.indexes, found, "index", relid),
        policies=_with(table.policies, found, "policy", relid),
    )


def view_with_comments(view: MaterializedView, relid: int, found: Comments) -> MaterializedView:
    """A materialized view with the comments of its indexes."""
    if not found:
        return view
    return dataclasses.replace(view, indexes=_with(view.indexes, found, "index", relid))


def with_comments(
    rows: Iterable[Row],
    tables: dict[tuple[str, str], Table],
    views: dict[tuple[str, str], MaterializedView],
    relations: dict[int, tuple[str, str]],
) -> tuple[dict[tuple[str, str], Table], dict[tuple[str, str], MaterializedView]]:
    """``tables`` and materialized ``views`` with their sub-objects' comments, partitions' own
    included; ``relations`` maps each relation's oid (partitions' too) to its (schema, name)."""
    found = comments(rows)
    if not found:
        return tables, views
    oids = {key: oid for oid, key in relations.items()}
    tables = {key: _partitions_with_comments(t, oids, found) if t.partitions else t for key, t in tables.items()}
    return (
        {key: table_with_comments(t, oids[key], found) if key in oids else t for key, t in tables.items()},
        {key: view_with_comments(v, oids[key], found) if key in oids else v for key, v in views.items()},
    )


def _partitions_with_comments(table: Table, oids: dict[tuple[str, str], int], found: Comments) -> Table:
    """[partitions] ``table`` with the comments of what its partitions (every level) hold of their own."""

    def level(schema: str, parts: tuple[Partition, ...]) -> tuple[Partition, ...]:
        out = []
        for part in parts:
            where = part.schema or schema
            oid = oids.get((where, part.name))
            if oid is not None:
                own = table_with_comments(Table(where, part.name, primary_key=part.primary_key, uniques=part.uniques,
                                                foreign_keys=part.foreign_keys, checks=part.checks,
                                                indexes=part.indexes, policies=part.policies), oid, found)
                part = dataclasses.replace(part, primary_key=own.primary_key, uniques=own.uniques,
                                           foreign_keys=own.foreign_keys, checks=own.checks, indexes=own.indexes,
                                           policies=own.policies)
            out.append(dataclasses.replace(part, partitions=level(where, part.partitions)) if part.partitions
                       else part)
        return tuple(out)

    return dataclasses.replace(table, partitions=level(table.schema, table.partitions))
