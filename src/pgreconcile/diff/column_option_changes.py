"""Typed changes for generated columns, column options (collation, compression, storage,
identity sequence options) and table options (UNLOGGED, storage parameters, replica identity)."""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.diff.changes import AddColumn, DropColumn, TableChange
from pgreconcile.model import Column
from pgreconcile.model.keys import column_key, table_key


@dataclass(frozen=True)
class AddGeneratedColumn(AddColumn):
    """``ADD COLUMN … GENERATED ALWAYS AS (…) STORED``: every existing row gets its value
    computed, so the table is rewritten. A ``VIRTUAL`` one (PostgreSQL 18) stores nothing:
    only the catalog changes."""

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        if self.column.virtual:
            return (Hazard.ACCESS_EXCLUSIVE_LOCK,)
        return (Hazard.ACCESS_EXCLUSIVE_LOCK, Hazard.REWRITES_TABLE)


@dataclass(frozen=True)
class DropGeneratedColumn(DropColumn):
    """The old form of a generated column whose expression changed: its values are computed
    from the other columns, so dropping them loses nothing the re-added column does not
    compute again."""

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class DropColumnExpression(TableChange):
    """``ALTER COLUMN … DROP EXPRESSION``: a generated column becomes a plain one, keeping its
    values."""

    column: Column

    ACTION = Action.UPDATE
    KIND = "column"

    @property
    def key(self) -> str:
        return column_key(self.schema, self.table_name, self.column.name) + "#expression"

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class AlterColumnOptions(TableChange):
    """Collation, compression, storage, statistics target, attribute options and the identity's
    sequence options of one column, as far as they differ (``old`` is the live column, ``new``
    the declared one)."""

    old: Column
    new: Column

    ACTION = Action.UPDATE
    KIND = "column"

    @property
    def key(self) -> str:
        return column_key(self.schema, self.table_name, self.new.name) + "#options"

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        if self.old.collation != self.new.collation:
            # ALTER COLUMN … TYPE … COLLATE: indexes on the column are rebuilt under the lock.
            return (Hazard.ACCESS_EXCLUSIVE_LOCK, Hazard.BLOCKS_WRITES)
        planner_only = ("statistics", "options")
        if all(getattr(self.old, f) == getattr(self.new, f)
               for f in ("collation", "compression", "storage", "identity_options", "identity_sequence")) \
                and any(getattr(self.old, f) != getattr(self.new, f) for f in planner_only):
            # SET STATISTICS and SET (n_distinct …) take SHARE UPDATE EXCLUSIVE: reads and
            # writes go on; they only steer the next ANALYZE.
            return ()
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class SetIdentityLogged(TableChange):
    """``ALTER SEQUENCE … SET LOGGED`` / ``SET UNLOGGED`` of an identity's sequence declared
    logged otherwise than its table (PostgreSQL 15+): after the table's own SET LOGGED /
    UNLOGGED, which carries the sequence along."""

    column: Column
    unlogged: bool
    # As it is live (None: a new identity's, made as its table is): the same as ``unlogged``
    # when only the table's change would switch it, and this step sets it back.
    was_unlogged: bool | None = None

    ACTION = Action.UPDATE
    KIND = "column"
    ORDER_RANK = 24  # after SetTableOptions

    @property
    def key(self) -> str:
        return column_key(self.schema, self.table_name, self.column.name) + "#identity persistence"

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class SetTableOptions(TableChange):
    """``SET LOGGED`` / ``SET UNLOGGED`` and storage parameters (``SET (…)``, ``RESET (…)``)."""

    unlogged: bool
    was_unlogged: bool
    options: tuple[tuple[str, str], ...]
    old_options: tuple[tuple[str, str], ...]
    # ``options`` as declared (Table.options_text): what SET writes.
    options_text: tuple[tuple[str, str], ...] = ()

    ACTION = Action.UPDATE
    KIND = "table options"

    @property
    def key(self) -> str:
        return table_key(self.schema, self.table_name) + "#options"

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        if self.unlogged != self.was_unlogged:
            # SET LOGGED / UNLOGGED copies the whole table (and SET LOGGED writes it to WAL).
            return (Hazard.ACCESS_EXCLUSIVE_LOCK, Hazard.REWRITES_TABLE)
        # Storage parameters take a lighter lock (SHARE UPDATE EXCLUSIVE for most) and apply
        # to pages written from now on.
        return ()


@dataclass(frozen=True)
class SetReplicaIdentity(TableChange):
    """``ALTER TABLE … REPLICA IDENTITY``: what logical decoding writes for an old row."""

    identity: str
    index: str | None
    was_identity: str
    was_index: str | None
    new_table: bool = False

    ACTION = Action.UPDATE
    KIND = "replica identity"

    @property
    def key(self) -> str:
        return table_key(self.schema, self.table_name) + "#replica-identity"

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        # A catalog-only change, but under the ACCESS EXCLUSIVE lock of ALTER TABLE.
        return () if self.new_table else (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class SetClusterOn(TableChange):
    """``ALTER TABLE … CLUSTER ON`` / ``SET WITHOUT CLUSTER``: which index a bare ``CLUSTER``
    of the table uses. Nothing is reordered: only the mark is set."""

    index: str | None
    was_index: str | None

    ACTION = Action.UPDATE
    KIND = "cluster index"

    @property
    def key(self) -> str:
        return table_key(self.schema, self.table_name) + "#cluster-on"

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        # A catalog-only change under SHARE UPDATE EXCLUSIVE: reads and writes go on.
        return ()


@dataclass(frozen=True)
class SetTableOf(TableChange):
    """``ALTER TABLE … OF type`` (the table's columns must then be the type's, in its order) or
    ``ALTER TABLE … NOT OF``: a link to a composite type, which then owns the columns. Only the
    catalog changes."""

    of_type: tuple[str, str] | None
    was_of_type: tuple[str, str] | None

    ACTION = Action.UPDATE
    KIND = "typed table"

    @property
    def key(self) -> str:
        return table_key(self.schema, self.table_name) + ("#of" if self.of_type is not None else "#not-of")

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)
