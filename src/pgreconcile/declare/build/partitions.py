"""A table's ``partition_by`` and ``partitions`` → the model's key and :class:`Partition` objects.

Bounds become SQL here, values quoted by :mod:`pgreconcile.quoting` (never pasted); each is
checked against its parent's key: a RANGE key takes ``from``/``to`` with one value per key
column, LIST takes ``in``, HASH takes ``modulus``/``remainder``, and only RANGE and LIST take a
DEFAULT partition. Plain key columns must be columns of the table.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from pgreconcile.declare.build.collect import check_name
from pgreconcile.declare.spec.language import TableSpec
from pgreconcile.declare.spec.partition_specs import BoundValue, PartitionSpec
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.model.objects import ForeignKey, Origin, PrimaryKey, Table, UniqueConstraint
from pgreconcile.model.partitions import Partition
from pgreconcile.normalize.index_elements import element_column
from pgreconcile.normalize.partitions import STRATEGIES, key_elements, key_strategy
from pgreconcile.quoting import literal

ErrorSink = Callable[[Origin, str, str | None], None]
_OPEN_ENDS = frozenset({"MINVALUE", "MAXVALUE"})
_FORMS = {"range": "{from: …, to: …}", "list": "{in: […]}", "hash": "{modulus: …, remainder: …}"}


def value_sql(value: BoundValue) -> str:
    """One bound value as SQL: text quoted, numbers and booleans as written, ``MINVALUE`` /
    ``MAXVALUE`` as the keywords."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if value.upper() in _OPEN_ENDS:
        return value.upper()
    return literal(value)


def bound_sql(spec: PartitionSpec) -> str:
    """The bound clause of ``CREATE TABLE … PARTITION OF …`` for a validated spec."""
    if spec.default:
        return "DEFAULT"
    if spec.from_ is not None and spec.to is not None:
        low = ", ".join(value_sql(v) for v in spec.from_)
        high = ", ".join(value_sql(v) for v in spec.to)
        return f"FOR VALUES FROM ({low}) TO ({high})"
    if spec.in_ is not None:
        return f"FOR VALUES IN ({', '.join(value_sql(v) for v in spec.in_)})"
    return f"FOR VALUES WITH (modulus {spec.modulus}, remainder {spec.remainder})"


def build_partitioning(
    spec: TableSpec, columns: list[str], at: Callable[..., Origin], error: ErrorSink
) -> tuple[str | None, tuple[Partition, ...]]:
    """``(partition_by, partitions)`` of a declared table, every problem sent to ``error``."""
    if spec.partition_by is None:
        if spec.partitions:
            error(at("partitions"), "declares `partitions` but no `partition_by`",
                  "declare the key: partition_by: range (created_at)")
        return None, ()
    if not _key_ok(spec.partition_by, columns, at("partition_by"), "partition_by", error):
        return spec.partition_by, ()
    return spec.partition_by, _level(spec.partition_by, spec.partitions, columns, ("partitions",), at, error)


def _key_ok(key: str, columns: list[str], origin: Origin, what: str, error: ErrorSink) -> bool:
    strategy, elements = key_strategy(key), key_elements(key)
    if strategy is None or not elements:
        error(origin, f"{what}: {key!r} is not a partition key",
              "write the method and the key: range (created_at), list (region) or hash (id)")
        return False
    for element in elements:
        column = element_column(element)
        if column is not None and column not in columns:
            error(origin, f"{what}: column {column!r} does not exist", None)
            return False
    return True


def _level(
    key: str,
    specs: dict[str, PartitionSpec],
    columns: list[str],
    path: tuple[str, ...],
    at: Callable[..., Origin],
    error: ErrorSink,
) -> tuple[Partition, ...]:
    strategy = key_strategy(key)
    width = len(key_elements(key) or ())
    out: list[Partition] = []
    for name, part in specs.items():
        origin = at(*path, name)
        kind = _bound_kind(part)
        if kind == "default" and strategy == "hash":
            error(origin, f"partition {name}: a hash-partitioned table has no DEFAULT partition", None)
            continue
        if kind not in ("default", strategy):
            error(origin, f"partition {name}: a {kind} bound under a {strategy} key",
                  f"a {strategy} partition is written {_FORMS[str(strategy)]}")
            continue
        if kind == "range" and part.from_ is not None and len(part.from_) != width:
            error(origin, f"partition {name}: `from` and `to` need {width} value(s), one per key column", None)
            continue
        sub: tuple[Partition, ...] = ()
        if part.partition_by is not None:
            if not _key_ok(part.partition_by, columns, at(*path, name, "partition_by"), f"partition {name}", error):
                continue
            sub = _level(part.partition_by, part.partitions, columns, (*path, name, "partitions"), at, error)
        out.append(
            Partition(
                name=name,
                bound=bound_sql(part),
                partition_by=part.partition_by,
                partitions=sub,
                comment=part.comment,
                origin=origin,
            )
        )
    return tuple(sorted(out, key=lambda p: p.name))


def partition_not_null(table: Table, spec: PartitionSpec, origin: Origin, error: ErrorSink) -> tuple[str, ...]:
    """The declared ``not_null`` columns of a partition that the table leaves nullable (a column
    NOT NULL on the table is NOT NULL on every partition already, so it is not listed)."""
    out: list[str] = []
    for name in spec.not_null:
        column = table.column(name)
        if column is None:
            error(origin, f"partition not_null: column {name!r} does not exist", None)
        elif column.nullable:
            out.append(name)
    return tuple(sorted(set(out)))


def with_not_null_names(
    table: Table, specs: dict[str, PartitionSpec], parts: tuple[Partition, ...], at: Callable[..., Origin],
    error: ErrorSink, problems: Problems, path: tuple[str, ...] = ("partitions",), above: frozenset[str] = frozenset(),
) -> tuple[Partition, ...]:
    """[PostgreSQL 18] The partitions (every level) with their declared ``not_null_names``;
    ``above``: the columns the levels above hold NOT NULL of their own, which a partition
    inherits."""
    out: list[Partition] = []
    for part in parts:
        spec = specs.get(part.name)
        if spec is None:
            out.append(part)
            continue
        held = above | set(part.not_null)
        where = (*path, part.name)
        subs = with_not_null_names(table, spec.partitions, part.partitions, at, error, problems,
                                   (*where, "partitions"), held)
        names = part_not_null_names(table, part, spec, held, lambda *k, w=where: at(*w, *k), error, problems)
        out.append(dataclasses.replace(part, partitions=subs, not_null_names=names))
    return tuple(out)


def part_not_null_names(
    table: Table, part: Partition, spec: PartitionSpec, held: frozenset[str], at: Callable[..., Origin],
    error: ErrorSink, problems: Problems,
) -> tuple[tuple[str, str], ...] | None:
    """The declared ``not_null_names`` of one partition as (column, name) sorted pairs; None when
    it names none (its live names are then left as they are). Each column must be NOT NULL on
    the partition: on the table, or of its own or a level above's (``not_null``, a primary key)."""
    if not spec.not_null_names:
        return None
    out: list[tuple[str, str]] = []
    taken: dict[str, str] = {}
    # Its own constraints share the namespace (the table's are the table's to check).
    own = {c.name for c in part.checks} | {u.name for u in part.uniques} | {f.name for f in part.foreign_keys}
    if part.primary_key is not None:
        own.add(part.primary_key.name)
    for column, name in spec.not_null_names.items():
        origin = at("not_null_names", column)
        check_name(name, "not-null constraint", origin, problems)
        declared = table.column(column)
        if declared is None:
            error(origin, f"partition {part.name}: not_null_names: column {column!r} does not exist",
                  "name a column of the table")
        elif declared.nullable and column not in held:
            error(origin, f"partition {part.name}: not_null_names: column {column!r} is not NOT NULL there",
                  f"add it to the partition's not_null: [{column}], or make the table's column NOT NULL")
        elif name in own:
            error(origin, f"partition {part.name}: not_null_names: {name!r} is already the name of one of "
                  "its constraints", "give one of them a different name")
        elif name in taken:
            error(origin, f"partition {part.name}: not_null_names: {name!r} names the NOT NULLs of both "
                  f"{taken[name]} and {column}", "give each column's NOT NULL its own name")
        else:
            taken[name] = column
            out.append((column, name))
    return tuple(sorted(out))


def implied_not_null(table: Table, primary_key: PrimaryKey | None) -> list[str]:
    """The columns a partition's own primary key makes NOT NULL there (PostgreSQL marks them),
    among those the table leaves nullable."""
    if primary_key is None:
        return []
    return [c for c in primary_key.columns if (column := table.column(c)) is not None and column.nullable]


def check_unique_keys(table: Table, at: Callable[..., Origin], error: ErrorSink) -> None:
    """PostgreSQL enforces a primary key, unique constraint or unique index of a partitioned
    table partition by partition, so each must hold every column of every partition key below
    it, and none can exist over an expression key. Refused here, not half-way through apply."""
    keys = [table.partition_by, *(p.partition_by for p in walk_partitions(table.partitions))]
    elements = [e for key in keys if key is not None for e in key_elements(key) or ()]
    columns = [element_column(e) for e in elements]
    unique: list[tuple[str, str, tuple[str, ...], tuple[str | int, ...]]] = []
    if table.primary_key is not None:
        unique.append(("primary key", table.primary_key.name, table.primary_key.columns, ("primary_key",)))
    unique += [("unique constraint", u.name, u.columns, ("unique",)) for u in table.uniques]
    unique += [
        ("unique index", i.name, tuple(c for c in map(element_column, i.elements) if c), ("indexes", i.name))
        for i in table.indexes
        if i.unique
    ]
    for what, name, held, path in unique:
        if None in columns:
            error(at(*path), f"{what} {name}: the partition key has an expression; PostgreSQL allows no unique "
                  "key on such a table", "key the partitions on columns, or drop the unique key")
            continue
        missing = [c for c in dict.fromkeys(columns) if c is not None and c not in held]
        if missing:
            error(at(*path), f"{what} {name} must hold the partition key column(s) {', '.join(missing)}: "
                  "PostgreSQL checks it one partition at a time", f"add {', '.join(missing)} to its columns")


def _bound_kind(part: PartitionSpec) -> str:
    if part.default:
        return "default"
    if part.from_ is not None:
        return "range"
    return "list" if part.in_ is not None else "hash"


def partition_tables(tables: Iterable[Table]) -> dict[tuple[str, str], Table]:
    """Every declared partition as a table a foreign key may reference or be declared on: the
    table's columns, its own keys and indexes, and the table's (which every partition has)."""
    out: dict[tuple[str, str], Table] = {}

    def level(top: Table, schema: str, parts: tuple[Partition, ...]) -> None:
        for part in parts:
            where = part.schema or schema
            out[(where, part.name)] = Table(
                where, part.name, columns=top.columns,
                primary_key=part.primary_key or top.primary_key,
                uniques=(*part.uniques, *top.uniques) if part.primary_key is None or top.primary_key is None
                else (*part.uniques, *top.uniques, UniqueConstraint(top.primary_key.name, top.primary_key.columns,
                                                          include=top.primary_key.include,
                                                          options=top.primary_key.options)),
                indexes=(*part.indexes, *top.indexes),
            )
            level(top, where, part.partitions)

    for table in tables:
        level(table, table.schema, table.partitions)
    return out


def with_partition_keys(table: Table, resolved: dict[tuple[str, str], list[ForeignKey]]) -> Table:
    """``table`` with each partition's resolved foreign keys (by the partition's schema, name)."""
    if not resolved:
        return table

    def level(schema: str, parts: tuple[Partition, ...]) -> tuple[Partition, ...]:
        out = []
        for part in parts:
            where = part.schema or schema
            keys = resolved.get((where, part.name), [])
            out.append(dataclasses.replace(
                part, foreign_keys=tuple(sorted(keys, key=lambda fk: fk.name)), partitions=level(where, part.partitions)
            ))
        return tuple(out)

    return dataclasses.replace(table, partitions=level(table.schema, table.partitions))


def walk_partitions(partitions: tuple[Partition, ...]) -> list[Partition]:
    """Every partition, sub-levels included (each after its parent)."""
    found: list[Partition] = []
    for part in partitions:
        found.append(part)
        found += walk_partitions(part.partitions)
    return found


__all__ = ["STRATEGIES", "bound_sql", "build_partitioning", "check_unique_keys", "value_sql", "walk_partitions"]
