"""Labels of the partition changes that attach, detach and set a partition's own NOT NULLs."""

from __future__ import annotations

from pgreconcile.diff.partition_changes import SetPartitionNotNull
from pgreconcile.plan.describe import describe

Label = tuple[str, tuple[str, ...]]


@describe.register
def _(c: SetPartitionNotNull) -> Label:
    state = "not null" if c.not_null else "nullable"
    return f"partition {c.partition_name} column {c.column} {state}", ()
