"""Typed changes for partitions: one created under its table, one dropped with its rows.

Both are shown under the partitioned table they belong to (``top``), whatever the level: a
sub-partition is created under its own parent partition (``parent``) but listed with the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.diff.changes import DropTable, TableChange
from pgreconcile.model import CheckConstraint, Partition
from pgreconcile.model.keys import table_key


def room_key(schema: str, parent: str) -> str:
    """A key a dropped partition 'creates' and every new partition of the same parent needs, so
    that drops run first: a new bound may overlap the bound of a partition that goes."""
    return table_key(schema, parent) + "#partition-room"


def detach_key(schema: str, table: str) -> str:
    """A key a detach 'creates' and every other change of its table needs: a column or key
    added to the table before the detach would be added to the leaving partition too."""
    return table_key(schema, table) + "#detached"


@dataclass(frozen=True)
class CreatePartition(TableChange):
    """``CREATE TABLE p PARTITION OF parent FOR VALUES …`` (``table_name`` is the top table)."""

    parent: str
    partition: Partition
    # The schema of ``parent`` (a partition may live in another schema than its table).
    parent_schema: str = ""
    # The parent has a DEFAULT partition today: PostgreSQL scans it for rows that belong to the
    # new partition and fails if it finds any.
    default_exists: bool = False
    # The top table (or the parent partition) is created by this plan: nothing to lock or scan.
    new_table: bool = False
    # Made as a table like its parent (then attached by an AttachPartition): see diff/partitions.
    standalone: bool = False
    # [PostgreSQL 18] (column, the parent's name, the declared name) of each NOT NULL it inherits
    # that is declared under another name (diff/partition_not_nulls.py).
    not_null_names: tuple[tuple[str, str, str], ...] = ()

    ACTION = Action.CREATE
    KIND = "partition"

    @property
    def key(self) -> str:
        return table_key(self.partition.schema or self.schema, self.partition.name)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        if self.new_table or self.standalone:
            return ()
        if self.default_exists:
            return (Hazard.ACCESS_EXCLUSIVE_LOCK, Hazard.SCANS_TABLE, Hazard.MAY_FAIL_ON_DATA)
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class DropPartition(DropTable):
    """``DROP TABLE p``: the partition and its rows (and its own partitions) go. ``table_def``
    is the partition as a bare table, so that the probes count its rows like any dropped
    table's; ``top`` is the partitioned table it is listed under."""

    top: str
    partition: Partition
    # The partition one level up, for a sub-partition (else the top table).
    parent: str = ""

    KIND = "partition"

    @property
    def table(self) -> str | None:
        return f"{self.table_def.schema}.{self.top}"


@dataclass(frozen=True)
class SetPartitionComment(TableChange):
    """``COMMENT ON TABLE`` of a partition (``table_name`` is the top table it is listed under)."""

    partition_name: str
    new: str | None
    old: str | None

    ACTION = Action.UPDATE
    KIND = "partition comment"

    @property
    def key(self) -> str:
        return table_key(self.schema, self.partition_name) + "#comment"


@dataclass(frozen=True)
class AttachPartitionIndex(TableChange):
    """``ALTER INDEX parent_index ATTACH PARTITION index``: an index of a partition (``table_name``)
    joins the index of its table that has none on this partition yet. When the table's index is
    a primary key or unique constraint (``constraint`` says which), the partition's plain index
    first becomes a constraint of the same kind (``ADD CONSTRAINT … USING INDEX``)."""

    index: str
    parent_schema: str
    parent_index: str
    constraint: str | None = None  # "PRIMARY KEY" or "UNIQUE" when the index must become one first

    ACTION = Action.UPDATE
    KIND = "attached index"
    ORDER_RANK = 28  # after the indexes and keys it joins

    @property
    def key(self) -> str:
        return table_key(self.schema, self.table_name) + "#attach:" + self.index

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,) if self.constraint else ()


@dataclass(frozen=True)
class SetPartitionNotNull(TableChange):
    """``ALTER TABLE partition ALTER COLUMN c SET | DROP NOT NULL`` on a column the table leaves
    nullable (``table_name`` is the top table it is listed under)."""

    partition_name: str
    column: str
    not_null: bool
    # [PostgreSQL 18] The NOT NULL's declared name when it is not PostgreSQL's default.
    name: str | None = None

    ACTION = Action.UPDATE
    KIND = "partition column"
    ORDER_RANK = 24

    @property
    def key(self) -> str:
        return table_key(self.schema, self.partition_name) + "#not-null:" + self.column

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        if self.not_null:
            return (Hazard.ACCESS_EXCLUSIVE_LOCK, Hazard.SCANS_TABLE, Hazard.MAY_FAIL_ON_DATA)
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class DetachPartition(TableChange):
    """``ALTER TABLE table DETACH PARTITION p``: the partition becomes an ordinary table with its
    rows (``table_name`` is the table it leaves)."""

    partition: Partition
    partition_schema: str

    ACTION = Action.UPDATE
    KIND = "detached partition"
    ORDER_RANK = 12

    @property
    def key(self) -> str:
        return table_key(self.partition_schema, self.partition.name) + "#detach"

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class AttachPartition(TableChange):
    """``ALTER TABLE table ATTACH PARTITION p FOR VALUES …``: an ordinary table becomes a partition
    with its rows. The table's CHECKs it lacks, its NOT NULLs and its column defaults are given to
    it first, in the same step (PostgreSQL wants the first two; the third is what a partition
    made by the table would have)."""

    partition_name: str
    partition_schema: str
    bound: str
    checks: tuple[CheckConstraint, ...] = ()
    set_not_null: tuple[str, ...] = ()
    defaults: tuple[tuple[str, str | None], ...] = ()
    default_exists: bool = False
    # [PostgreSQL 18] The table's NOT NULLs renamed before the attach, as (live name, declared
    # name), and the declared names of those ``set_not_null`` adds (column, name) where not the
    # default (diff/partition_not_nulls.py).
    not_null_renames: tuple[tuple[str, str], ...] = ()
    not_null_names: tuple[tuple[str, str], ...] = ()
    # The table is made by this plan (like its parent, to adopt its own keys): empty.
    new_table: bool = False

    ACTION = Action.UPDATE
    KIND = "attached partition"
    ORDER_RANK = 27

    @property
    def key(self) -> str:
        return table_key(self.partition_schema, self.partition_name) + "#attach"

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        if self.new_table:
            return (Hazard.SCANS_TABLE, Hazard.MAY_FAIL_ON_DATA) if self.default_exists else ()
        return (Hazard.ACCESS_EXCLUSIVE_LOCK, Hazard.SCANS_TABLE, Hazard.MAY_FAIL_ON_DATA)


@dataclass(frozen=True)
class SetPartitionDefault(TableChange):
    """``ALTER TABLE ONLY partition ALTER COLUMN c SET | DROP DEFAULT``: the partition's own
    default (``table_name`` is the top table it is listed under). ONLY: a partition that is
    partitioned in turn keeps its own partitions' defaults as they are declared."""

    partition_name: str
    column: str
    default: str | None
    old: str | None = None  # as it is live (before the plan)
    # The partition is made by this plan (it would have its parent's default).
    new_partition: bool = False
    # Live already, set again: the table's own change of the column reaches every partition.
    kept: bool = False
    # The partition's schema when it is not its table's.
    partition_schema: str = ""

    ACTION = Action.UPDATE
    KIND = "partition column"
    ORDER_RANK = 24

    @property
    def key(self) -> str:
        return table_key(self.partition_schema or self.schema, self.partition_name) + "#default:" + self.column
