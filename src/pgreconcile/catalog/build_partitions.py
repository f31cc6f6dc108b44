"""Catalog rows of ``queries/partitions.sql`` → the partition key and partitions of each table.

Partitions hang under their parent (a sub-partition under its partition), so the tables the
catalog reads stay the top-level ones. A partition in another schema than its parent's has no
place in the model (partitions live beside their table): it is noted and left alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pgreconcile.model.objects import Partition
from pgreconcile.normalize.partitions import declared_key
from pgreconcile.quoting import qualified

Row = Sequence[Any]


@dataclass(frozen=True, slots=True)
class Partitioning:
    """What a table's Table(...) takes: its key and its partitions (both empty when ordinary)."""

    partition_by: str | None = None
    partitions: tuple[Partition, ...] = ()


NONE = Partitioning()


def partitioning(rows: Iterable[Row], notes: list[str]) -> dict[int, Partitioning]:
    """Rows ``(oid, parent oid, schema, name, bound, key, comment, own objects)`` → the
    partitioning of every partitioned table by oid (partitions included, for sub-levels)."""
    rows = list(rows)
    by_oid = {row[0]: row for row in rows}
    children: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        parent = row[1]
        if parent is None:
            continue
        if parent in by_oid and by_oid[parent][2] != row[2]:
            notes.append(
                f"partition {qualified(row[2], row[3])} of {qualified(*by_oid[parent][2:4])} lives in another "
                "schema than its table; it is not managed"
            )
            continue
        children[parent].append(row)
        for what in row[7] or ():
            notes.append(f"{what} on partition {qualified(row[2], row[3])} is not managed (declare it on the table)")

    def partition(row: Row) -> Partition:
        oid, _, _, name, bound, key, comment, _ = row
        return Partition(
            name=name,
            bound=bound,
            partition_by=declared_key(key) if key is not None else None,
            partitions=tuple(partition(child) for child in children.get(oid, ())),
            comment=comment,
        )

    return {
        oid: Partitioning(declared_key(row[5]), tuple(partition(child) for child in children.get(oid, ())))
        for oid, row in by_oid.items()
        if row[5] is not None
    }
