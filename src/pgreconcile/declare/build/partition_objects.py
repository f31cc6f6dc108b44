"""[partitions] What a partition declares of its own, built onto the partitions of a table.

A partition may declare keys, indexes, RLS and policies, a replica identity, checks and foreign
keys of its own (``_PARTITION_OWN``): it is then built as a table of its parent's columns by the
same builder, so that every rule a table's declaration follows holds for it too. Split out of
:mod:`.tables`; the builder is passed in (and its class used for the nested build) rather than
imported: the two modules would import each other.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

from pydantic import ValidationError

from pgreconcile.declare.build.collect import Declared
from pgreconcile.declare.build.partitions import implied_not_null, partition_not_null
from pgreconcile.declare.build.references import ForeignKeyDraft, TableDraft
from pgreconcile.declare.spec.language import TableSpec
from pgreconcile.declare.spec.partition_specs import ColumnDefaultSpec, PartitionSpec
from pgreconcile.model.objects import Origin, Table
from pgreconcile.model.partitions import Partition


class _Builder(Protocol):
    """What this needs of declare.build.tables.TableBuilder (which calls it with itself)."""

    schema: str
    spec: TableSpec
    source: Any
    built: Table
    partition_fks: dict[tuple[str, str], list[ForeignKeyDraft]]

    def at(self, *path: str | int) -> Origin: ...

    def error(self, origin: Origin, message: str, hint: str | None = None) -> None: ...

    def default(
        self, name: str, spec: ColumnDefaultSpec, column_type: str, where: str, path: tuple[str, ...] | None = None,
    ) -> str | None: ...

    def nested(self, key: tuple[str, str], declared: Declared[TableSpec]) -> TableDraft: ...

# [partitions] what a partition may declare of its own, as a table declares it
_PARTITION_OWN = (
    "primary_key", "unique", "indexes", "rls", "policies", "replica_identity", "foreign_keys", "checks",
)


def partition_objects(
    builder: _Builder, specs: dict[str, PartitionSpec], parts: tuple[Partition, ...], path: tuple[str, ...]
) -> tuple[Partition, ...]:
    """[partitions] Each partition with what it declares of its own (schema, keys, indexes,
    RLS and policies, replica identity, attached index names), built as a table of the same columns."""
    out: list[Partition] = []
    for part in parts:
        spec = specs.get(part.name)
        if spec is None:
            out.append(part)
            continue
        where = (*path, part.name)
        subs = partition_objects(builder, spec.partitions, part.partitions, (*where, "partitions"))
        attached = {child: entry if isinstance(entry, str) else entry.index for child, entry in spec.attached.items()}
        notes = {child: entry.comment for child, entry in spec.attached.items()
                 if not isinstance(entry, str) and entry.comment is not None}
        part = dataclasses.replace(part, partitions=subs, schema=spec.schema_, attached=tuple(sorted(attached.items())),
                                   attached_comments=tuple(sorted(notes.items())))
        not_null = partition_not_null(builder.built, spec, builder.at(*where), builder.error)
        part = dataclasses.replace(part, not_null=not_null,
                                   column_defaults=partition_defaults(builder, part.name, spec, where))
        own = {k: getattr(spec, k) for k in _PARTITION_OWN if getattr(spec, k) is not None}
        if not own:
            out.append(part)
            continue
        columns = {name: {"type": c.type, "nullable": c.nullable} for name, c in builder.spec.columns.items()}
        try:
            sub_spec = TableSpec.model_validate({"columns": columns, **own})
        except ValidationError as exc:
            first = exc.errors()[0]
            key = ".".join(str(p) for p in first["loc"])
            builder.error(builder.at(*where), f"partition {part.name}: {key}: {first['msg']}")
            continue
        source = builder.source
        for step in where:
            source = source.get(step) if isinstance(source, dict) else None
        schema = spec.schema_ or builder.schema
        draft = builder.nested((schema, part.name), Declared(sub_spec, builder.at(*where), source))
        sub = draft.table
        if draft.foreign_keys:
            builder.partition_fks[(schema, part.name)] = draft.foreign_keys
        out.append(dataclasses.replace(
            part, primary_key=sub.primary_key, uniques=sub.uniques, indexes=sub.indexes,
            rls_enabled=sub.rls_enabled, rls_forced=sub.rls_forced, policies=sub.policies,
            replica_identity=sub.replica_identity, replica_index=sub.replica_index, checks=sub.checks,
            not_null=tuple(sorted({*part.not_null, *implied_not_null(builder.built, sub.primary_key)})),
        ))
    return tuple(out)


def partition_defaults(
    builder: _Builder, name: str, spec: PartitionSpec, where: tuple[str, ...]
) -> tuple[tuple[str, str | None], ...]:
    """[partitions] A partition's own column defaults (``column_defaults:``), as SQL; a
    column given ``null`` has none although its parent has one."""
    out: list[tuple[str, str | None]] = []
    for column, entry in spec.column_defaults.items():
        at = (*where, "column_defaults", column)
        declared = builder.built.column(column)
        if declared is None:
            builder.error(builder.at(*at), f"partition {name}: column_defaults: column {column!r} does not exist",
                          "name a column of the table")
        elif declared.generated is not None or declared.identity is not None:
            builder.error(builder.at(*at), f"partition {name}: column_defaults: column {column!r} is "
                          f"{'generated' if declared.generated is not None else 'an identity'} and takes no default")
        elif entry is None:
            out.append((column, None))
        else:
            where_ = f"partition {name} column {column}"
            out.append((column, builder.default(column, entry, declared.type, where_, at)))
    return tuple(sorted(out))
