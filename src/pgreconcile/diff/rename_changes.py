"""Typed changes for declared renames. A rename keeps the object, its data and everything that
points at it; it is never inferred, only planned from a ``renamed_from`` / ``renamed_values``
hint whose old name still exists live."""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.diff.changes import Change, TableChange
from pgreconcile.model.keys import column_key, constraint_key, index_key, policy_key, table_key, type_key


@dataclass(frozen=True)
class RenameTable(Change):
    """ALTER TABLE … RENAME TO, and/or SET SCHEMA when the table moves between schemas."""

    old_schema: str
    old_name: str
    schema: str
    name: str

    ACTION = Action.RENAME
    KIND = "table"

    @property
    def key(self) -> str:
        return table_key(self.schema, self.name)

    @property
    def table(self) -> str | None:
        return f"{self.schema}.{self.name}"

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class RenameColumn(TableChange):
    old_name: str
    name: str

    ACTION = Action.RENAME
    KIND = "column"

    @property
    def key(self) -> str:
        return column_key(self.schema, self.table_name, self.name)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class RenameConstraint(TableChange):
    old_name: str
    name: str
    constraint_kind: str

    ACTION = Action.RENAME
    KIND = "constraint"

    @property
    def kind(self) -> str:
        return self.constraint_kind

    @property
    def key(self) -> str:
        return constraint_key(self.schema, self.table_name, self.name)


@dataclass(frozen=True)
class RenameIndex(TableChange):
    old_name: str
    name: str

    ACTION = Action.RENAME
    KIND = "index"

    @property
    def key(self) -> str:
        return index_key(self.schema, self.name)


@dataclass(frozen=True)
class RenamePolicy(TableChange):
    old_name: str
    name: str

    ACTION = Action.RENAME
    KIND = "policy"

    @property
    def key(self) -> str:
        return policy_key(self.schema, self.table_name, self.name)


@dataclass(frozen=True)
class RenameEnum(Change):
    """ALTER TYPE … RENAME TO, and/or SET SCHEMA."""

    old_schema: str
    old_name: str
    schema: str
    name: str

    ACTION = Action.RENAME
    KIND = "enum"

    @property
    def key(self) -> str:
        return type_key(self.schema, self.name)


@dataclass(frozen=True)
class RenameEnumValue(Change):
    """ALTER TYPE … RENAME VALUE: every row holding the old label now reads the new one."""

    schema: str
    name: str
    old_value: str
    value: str

    ACTION = Action.RENAME
    KIND = "enum value"

    @property
    def key(self) -> str:
        return f"{type_key(self.schema, self.name)}+{self.value}"
