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


def _rename_and_move(kind: str, old_schema: str, old_name: str, schema: str, name: str) -> list[str]:
    """``ALTER <kind> … RENAME TO`` and/or ``SET SCHEMA``: a rename first, then the move."""
    out = []
    if name != old_name:
        out.append(f"ALTER {kind} {qualified(old_schema, old_name)} RENAME TO {ident(name)}")
    if schema != old_schema:
        out.append(f"ALTER {kind} {qualified(old_schema, name)} SET SCHEMA {ident(schema)}")
    return out


@statements.register
def _(change: RenameTable) -> list[str]:
    return _rename_and_move("TABLE", change.old_schema, change.old_name, change.schema, change.name)


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
    return _rename_and_move("TYPE", change.old_schema, change.old_name, change.schema, change.name)


@statements.register
def _(change: RenameEnumValue) -> list[str]:
    return [
        f"ALTER TYPE {qualified(change.schema, change.name)} "
        f"RENAME VALUE {literal(change.old_value)} TO {literal(change.value)}"
    ]
