"""Labels of the partition changes that attach, detach and set a partition's own NOT NULLs and defaults."""

from __future__ import annotations

from pgreconcile.diff.partition_changes import (
    AttachPartition,
    DetachPartition,
    SetPartitionDefault,
    SetPartitionNotNull,
)
from pgreconcile.normalize.partitions import readable_bound
from pgreconcile.plan.describe import describe

Label = tuple[str, tuple[str, ...]]


@describe.register
def _(c: SetPartitionNotNull) -> Label:
    state = "not null" if c.not_null else "nullable"
    return f"partition {c.partition_name} column {c.column} {state}", ()


@describe.register
def _(c: SetPartitionDefault) -> Label:
    after = f"default {c.default}" if c.default is not None else "no default"
    what = f"partition {c.partition_name} column {c.column}"
    if c.new_partition:
        return f"{what} {after}", ()
    if c.kept:
        return f"{what} {after} kept (set again after the table's new default reaches it)", ()
    before = f"default {c.old}" if c.old is not None else "no default"
    return f"{what} {before} → {after}", ()


@describe.register
def _(c: DetachPartition) -> Label:
    where = f"{c.partition_schema}." if c.partition_schema != c.schema else ""
    return f"detach partition {where}{c.partition.name} {readable_bound(c.partition.bound)} (its rows stay)", ()


@describe.register
def _(c: AttachPartition) -> Label:
    where = f"{c.partition_schema}." if c.partition_schema != c.schema else ""
    made = [f"check {ch.name}" for ch in c.checks] + [f"{col} not null" for col in c.set_not_null]
    first = f" (given {', '.join(made)} first)" if made else ""
    return f"attach table {where}{c.partition_name} {c.bound}{first}", ()
