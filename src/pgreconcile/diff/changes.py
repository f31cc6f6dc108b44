"""Typed changes: what the diff decides must happen, before any SQL or ordering exists.

Each change knows its action, the object it concerns, its hazards, and — for ordering — which
object keys it needs, creates and removes. ``order/`` turns those sets into graph edges;
``ddl/`` turns each change into statements. Keys are strings like ``table:public.profiles``,
``column:public.profiles.id``, ``constraint:public.profiles.profiles_pkey``,
``index:public.profiles_created_at_idx``, ``type:public.user_role``, ``extension:pgcrypto``,
``schema:public``.

This module holds the :class:`Change` base and the changes of tables, columns, constraints and
indexes. Schemas, extensions and enums are in :mod:`pgreconcile.diff.foundation_changes`; other
kinds in a ``diff/*_changes.py`` module or in the ``diff/`` module that compares them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.diff.costs import volatile
from pgreconcile.model import (
    CheckConstraint,
    Column,
    Conversion,
    ForeignKey,
    Index,
    PrimaryKey,
    Table,
    UniqueConstraint,
)
from pgreconcile.model.keys import (
    column_key,
    constraint_key,
    extension_key,
    index_key,
    schema_key,
    table_key,
    type_key,
)
from pgreconcile.model.types import ExclusionConstraint

Constraint = PrimaryKey | UniqueConstraint | ForeignKey | CheckConstraint | ExclusionConstraint


def constraint_kind(con: Constraint) -> str:
    """The user-facing kind of a constraint: ``primary key``, ``unique``, ``foreign key``, ``check``."""
    if isinstance(con, PrimaryKey):
        return "primary key"
    if isinstance(con, UniqueConstraint):
        return "unique"
    if isinstance(con, ForeignKey):
        return "foreign key"
    if isinstance(con, ExclusionConstraint):
        return "exclusion constraint"
    return "check"


@dataclass(frozen=True)
class Change:
    """Base of every change. Subclasses add the objects they carry.

    ``needs``: keys that must exist when the change runs. ``creates``: keys that exist after it.
    ``removes``: keys that no longer exist (in their old form) after it. ``live_needs``: keys the
    *live* object being dropped or altered depends on (so it must go before they are removed).
    ``replaces``: this change is one half of a drop-and-re-create of the same object.
    """

    needs: frozenset[str] = field(default=frozenset(), kw_only=True)
    creates: frozenset[str] = field(default=frozenset(), kw_only=True)
    removes: frozenset[str] = field(default=frozenset(), kw_only=True)
    live_needs: frozenset[str] = field(default=frozenset(), kw_only=True)
    replaces: bool = field(default=False, kw_only=True)
    reason: str | None = field(default=None, kw_only=True)

    ACTION: ClassVar[Action]
    KIND: ClassVar[str]

    @property
    def action(self) -> Action:
        return self.ACTION

    @property
    def kind(self) -> str:
        return self.KIND

    @property
    def key(self) -> str:
        raise NotImplementedError

    @property
    def table(self) -> str | None:
        """``schema.table`` when the change belongs under a table in the plan text."""
        return None

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return ()


def created_keys(changes: Iterable[Change]) -> set[str]:
    """Keys of the objects a plan creates or re-creates (a new table creates its inline keys):
    what such an object carried live — a comment, its grants — is gone."""
    keys: set[str] = set()
    for change in changes:
        if change.action in (Action.CREATE, Action.REPLACE):
            keys.add(change.key)
            keys |= change.creates
    return keys


# --- tables and columns ----------------------------------------------------------------------


@dataclass(frozen=True)
class TableChange(Change):
    schema: str
    table_name: str

    @property
    def table(self) -> str | None:
        return f"{self.schema}.{self.table_name}"


@dataclass(frozen=True)
class CreateTable(Change):
    """CREATE TABLE with its columns, primary key, unique and check constraints inline.
    Foreign keys and indexes are separate changes so they can wait for what they need."""

    table_def: Table
    # [inheritance] Columns of the parents only whose NOT NULL a parent gives (diff/inheritance.py).
    parents_not_null: frozenset[str] = frozenset()

    ACTION = Action.CREATE
    KIND = "table"

    @property
    def key(self) -> str:
        return table_key(self.table_def.schema, self.table_def.name)

    @property
    def table(self) -> str | None:
        return self.table_def.qualified


@dataclass(frozen=True)
class DropTable(Change):
    table_def: Table

    ACTION = Action.DESTROY
    KIND = "table"

    @property
    def key(self) -> str:
        return table_key(self.table_def.schema, self.table_def.name)

    @property
    def table(self) -> str | None:
        return self.table_def.qualified

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.DROPS_DATA, Hazard.ACCESS_EXCLUSIVE_LOCK)


@dataclass(frozen=True)
class SetTableComment(TableChange):
    new: str | None
    old: str | None

    ACTION = Action.UPDATE
    KIND = "table comment"

    @property
    def key(self) -> str:
        return table_key(self.schema, self.table_name) + "#comment"


@dataclass(frozen=True)
class AddColumn(TableChange):
    column: Column

    ACTION = Action.CREATE
    KIND = "column"

    @property
    def key(self) -> str:
        return column_key(self.schema, self.table_name, self.column.name)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        hazards = [Hazard.ACCESS_EXCLUSIVE_LOCK]
        if not self.column.nullable and self.column.default is None and self.column.identity is None:
            # NOT NULL with nothing to fill existing rows: fails unless the table is empty.
            hazards.append(Hazard.MAY_FAIL_ON_DATA)
        if self.column.identity is not None or volatile(self.column.default):
            # Identity values and volatile defaults (gen_random_uuid()) differ per row, so every
            # existing row is written; PostgreSQL's fast default covers only constant ones.
            hazards.append(Hazard.REWRITES_TABLE)
        return tuple(hazards)


@dataclass(frozen=True)
class DropColumn(TableChange):
    column: Column
    # The JSONB group the column's values were moved into first; its data is not lost.
    absorbed_into: str | None = None
    # [inheritance] Children (schema, table) that have the column only from this table: PostgreSQL
    # drops theirs too, so what reads theirs must go first.
    followers: tuple[tuple[str, str], ...] = ()
    # [inheritance] ALTER TABLE ONLY: the children keep their copies as columns of their own.
    only: bool = False

    ACTION = Action.DESTROY
    KIND = "column"

    @property
    def key(self) -> str:
        return column_key(self.schema, self.table_name, self.column.name)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        if self.absorbed_into is not None:
            return (Hazard.ACCESS_EXCLUSIVE_LOCK,)
        return (Hazard.DROPS_DATA, Hazard.ACCESS_EXCLUSIVE_LOCK)


@dataclass(frozen=True)
class Detour:
    """[PostgreSQL 18] A partition taken out of its parent around a column's type change: it holds
    the column's NOT NULL under another name than the parent's (``held``, not ``parent_held``),
    on which PostgreSQL 18 fails the change (or, for one it inherits, renames it to the parent's).
    Detached, changed on its own and attached again with its ``bound``, it keeps its name."""

    parent_schema: str
    parent: str
    schema: str
    name: str
    bound: str
    held: str
    parent_held: str
    # Its own (PARTITION OF t (c NOT NULL)), on which the change fails; else inherited (attached).
    local: bool = False


@dataclass(frozen=True)
class AlterColumn(TableChange):
    """Every in-place difference of one column, rendered in a safe order
    (drop default → type → default → nullability → identity → comment)."""

    old: Column
    new: Column
    type_rewrites: bool = True
    type_may_fail: bool = True
    type_lossy: bool = False
    default_changed: bool = False
    # How existing rows convert (a declared `convert:`); None: PostgreSQL's own cast.
    conversion: Conversion | None = None
    # `convert: regenerate`: the foreign-key columns elsewhere whose values follow the new uuids;
    # and, on such a child column, the regenerated key it follows.
    children: tuple[tuple[str, str, str], ...] = ()
    parent: tuple[str, str, str] | None = None
    # No `convert:` although the cast may fail or round: planned only when the data probe
    # measured every value (plan/proven.py refuses it otherwise).
    probed: bool = False
    # No cast between the two types (one enum to another): converted through text, by label.
    via_text: bool = False
    # No cast at all (bigint → timestamp): proven only by a column without values but NULL.
    nulls_only: bool = False
    # [inheritance] Children (schema, table) that inherit the column: PostgreSQL retypes theirs
    # with it, so what reads theirs is re-created around this change too. ``only``: a child's
    # own default on a column it inherits (ALTER TABLE ONLY: not passed on to its own children).
    followers: tuple[tuple[str, str], ...] = ()
    only: bool = False
    # [partitions, PostgreSQL 18] Partitions detached around the type change, parents before
    # their own partitions (diff/partition_retypes.py).
    detours: tuple[Detour, ...] = ()

    ACTION = Action.UPDATE
    KIND = "column"

    @property
    def key(self) -> str:
        return column_key(self.schema, self.table_name, self.new.name)

    @property
    def type_changed(self) -> bool:
        return self.old.type != self.new.type

    @property
    def checks_nulls(self) -> bool:
        """The step reads every row for NULLs: a NOT NULL added validated, or a live NOT VALID
        one validated (PostgreSQL 18)."""
        new = self.new
        if new.nullable or not new.not_null_validated:
            return False
        return self.old.nullable or not self.old.not_null_validated

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        hazards: list[Hazard] = []
        if self.type_changed:
            hazards.append(Hazard.ACCESS_EXCLUSIVE_LOCK)
            if self.type_rewrites:
                hazards.append(Hazard.REWRITES_TABLE)
            if self.type_may_fail:
                hazards.append(Hazard.MAY_FAIL_ON_DATA)
            if self.type_lossy:
                hazards.insert(0, Hazard.DROPS_DATA)
            if self.detours:
                hazards.append(Hazard.SCANS_TABLE)  # the attach reads each detoured partition
        if self.checks_nulls:
            hazards.extend([Hazard.ACCESS_EXCLUSIVE_LOCK, Hazard.SCANS_TABLE, Hazard.MAY_FAIL_ON_DATA])
        elif not self.new.nullable and (
            self.old.nullable or self.old.not_null_no_inherit != self.new.not_null_no_inherit
        ):
            # PostgreSQL 18: a NOT NULL added NOT VALID (existing rows are not read), or one
            # made [NO] INHERIT (which reaches the children)
            hazards.append(Hazard.ACCESS_EXCLUSIVE_LOCK)
        if self.old.identity is None and self.new.identity is not None:
            hazards.append(Hazard.ACCESS_EXCLUSIVE_LOCK)
        return tuple(dict.fromkeys(hazards))


# --- constraints and indexes -----------------------------------------------------------------


@dataclass(frozen=True)
class AddConstraint(TableChange):
    constraint: Constraint
    new_table: bool = False

    ACTION = Action.CREATE
    KIND = "constraint"

    @property
    def kind(self) -> str:
        return constraint_kind(self.constraint)

    @property
    def key(self) -> str:
        return constraint_key(self.schema, self.table_name, self.constraint.name)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        if self.new_table:
            return ()  # the table was created by this plan: it is empty
        if isinstance(self.constraint, ForeignKey | CheckConstraint) and not self.constraint.validated:
            # NOT VALID: existing rows are not read; only new writes are checked.
            lock = Hazard.BLOCKS_WRITES if isinstance(self.constraint, ForeignKey) else Hazard.ACCESS_EXCLUSIVE_LOCK
            return (lock,)
        if isinstance(self.constraint, PrimaryKey | UniqueConstraint | ExclusionConstraint):
            # Builds a unique index under a lock that blocks writes; fails on duplicates.
            return (Hazard.ACCESS_EXCLUSIVE_LOCK, Hazard.SCANS_TABLE, Hazard.MAY_FAIL_ON_DATA)
        if isinstance(self.constraint, ForeignKey):
            # SHARE ROW EXCLUSIVE on both tables while every row is checked.
            return (Hazard.BLOCKS_WRITES, Hazard.SCANS_TABLE, Hazard.MAY_FAIL_ON_DATA)
        return (Hazard.ACCESS_EXCLUSIVE_LOCK, Hazard.SCANS_TABLE, Hazard.MAY_FAIL_ON_DATA)


@dataclass(frozen=True)
class DropConstraint(TableChange):
    constraint: Constraint
    # [partitions] Columns of a partition's own primary key that are nullable in its table: the
    # key made them NOT NULL on the partition alone, and dropping it does not undo that.
    nullable_again: tuple[str, ...] = ()

    ACTION = Action.DESTROY
    KIND = "constraint"

    @property
    def kind(self) -> str:
        return constraint_kind(self.constraint)

    @property
    def key(self) -> str:
        return constraint_key(self.schema, self.table_name, self.constraint.name)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class CreateIndex(TableChange):
    index: Index
    concurrently: bool = False
    new_table: bool = False
    # [partitions] ``ON ONLY`` a partitioned table: built on no partition; each partition's index
    # joins it by ALTER INDEX … ATTACH PARTITION (diff/detached_indexes.py).
    only: bool = False

    ACTION = Action.CREATE
    KIND = "index"

    @property
    def key(self) -> str:
        return index_key(self.schema, self.index.name)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        if self.concurrently:
            # Builds without blocking writes, but a unique one still fails on duplicates.
            if self.index.unique:
                return (Hazard.NOT_TRANSACTIONAL, Hazard.MAY_FAIL_ON_DATA)
            return (Hazard.NOT_TRANSACTIONAL,)
        if self.new_table:
            return ()  # the table was created by this plan: it is empty
        hazards = [Hazard.BLOCKS_WRITES]
        if self.index.unique:
            hazards.append(Hazard.MAY_FAIL_ON_DATA)
        return tuple(hazards)


@dataclass(frozen=True)
class DropIndex(TableChange):
    index: Index
    # [partitions] Keys of partitions (labels such as ``primary key p_pkey on public.p``) made
    # over an index attached to this one: neither can be dropped alone, so the drop is CASCADE.
    cascades: tuple[str, ...] = ()

    ACTION = Action.DESTROY
    KIND = "index"

    @property
    def key(self) -> str:
        return index_key(self.schema, self.index.name)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


__all__ = [
    "Action",
    "Hazard",
    "column_key",
    "constraint_key",
    "extension_key",
    "index_key",
    "schema_key",
    "table_key",
    "type_key",
]
