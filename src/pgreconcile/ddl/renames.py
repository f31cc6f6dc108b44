"""SQL for declared renames. Each keeps the object's identity (OID): data, grants, comments
and everything that points at it stay."""

from __future__ import annotations

from pgreconcile.ddl.statements import statements
from pgreconcile.diff.rename_changes import (
    RenameColumn,
    RenameConstraint,
    RenameEnum,
    RenameEnumValue,
    RenameIndex,
    RenamePolicy,
    RenameTable,
)
from pgreconcile.quoting import ident, literal, qualified


@statements.register
def _(change: RenameTable) -> list[str]:
    out = []
    name = change.old_name
    if change.name != change.old_name:
        out.append(f"ALTER TABLE {qualified(change.old_schema, name)} RENAME TO {ident(change.name)}")
        name = change.name
    if change.schema != change.old_schema:
        out.append(f"ALTER TABLE {qualified(change.old_schema, name)} SET SCHEMA {ident(change.schema)}")
    return out


@statements.register
def _(change: RenameColumn) -> list[str]:
    return [
        f"ALTER TABLE {qualified(change.schema, change.table_name)} "
        f"RENAME COLUMN {ident(change.old_name)} TO {ident(change.name)}"
    ]


@statements.register
def _(change: RenameConstraint) -> list[str]:
    return [
        f"ALTER TABLE {qualified(change.schema, change.table_name)} "
        f"RENAME CONSTRAINT {ident(change.old_name)} TO {ident(change.name)}"
    ]


@statements.register
def _(change: RenameIndex) -> list[str]:
    return [f"ALTER INDEX {qualified(change.schema, change.old_name)} RENAME TO {ident(change.name)}"]


@statements.register
def _(change: RenamePolicy) -> list[str]:
    return [
        f"ALTER POLICY {ident(change.old_name)} ON {qualified(change.schema, change.table_name)} "
        f"RENAME TO {ident(change.name)}"
    ]


@statements.register
def _(change: RenameEnum) -> list[str]:
    out = []
    name = change.old_name
    if change.name != change.old_name:
        out.append(f"ALTER TYPE {qualified(change.old_schema, name)} RENAME TO {ident(change.name)}")
        name = change.name
    if change.schema != change.old_schema:
        out.append(f"ALTER TYPE {qualified(change.old_schema, name)} SET SCHEMA {ident(change.schema)}")
    return out


@statements.register
def _(change: RenameEnumValue) -> list[str]:
    return [
        f"ALTER TYPE {qualified(change.schema, change.name)} "
        f"RENAME VALUE {literal(change.old_value)} TO {literal(change.value)}"
    ]
