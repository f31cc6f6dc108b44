"""The DDL of the foundation changes: schemas, extensions and enum types (registered on import
with :func:`pgreconcile.ddl.statements.statements`, like every other ``ddl`` module)."""

from __future__ import annotations

from pgreconcile.ddl.statements import comment_on, statements
from pgreconcile.diff.foundation_changes import (
    AddEnumValue,
    CreateEnum,
    CreateExtension,
    CreateNamespace,
    DropEnum,
    DropExtension,
    DropNamespace,
    MoveExtension,
    SetEnumComment,
    SetExtensionComment,
    SetNamespaceComment,
    UpdateExtension,
)
from pgreconcile.quoting import ident, literal, qualified


@statements.register
def _(change: CreateNamespace) -> list[str]:
    out = [f"CREATE SCHEMA {ident(change.namespace.name)}"]
    if change.namespace.comment is not None:
        out.append(comment_on("SCHEMA", ident(change.namespace.name), change.namespace.comment))
    return out


@statements.register
def _(change: DropNamespace) -> list[str]:
    return [f"DROP SCHEMA {ident(change.namespace.name)}"]


@statements.register
def _(change: SetNamespaceComment) -> list[str]:
    return [comment_on("SCHEMA", ident(change.namespace.name), change.namespace.comment)]


@statements.register
def _(change: CreateExtension) -> list[str]:
    sql = f"CREATE EXTENSION {ident(change.extension.name)}"
    if change.extension.schema:
        sql += f" SCHEMA {ident(change.extension.schema)}"
    if change.extension.version is not None:
        sql += f" VERSION {literal(change.extension.version)}"
    if change.extension.comment is not None:  # another than its own ("": none)
        return [sql, comment_on("EXTENSION", ident(change.extension.name), change.extension.comment or None)]
    return [sql]


@statements.register
def _(change: SetExtensionComment) -> list[str]:
    return [comment_on("EXTENSION", ident(change.name), change.text)]


@statements.register
def _(change: UpdateExtension) -> list[str]:
    assert change.extension.version is not None
    return [f"ALTER EXTENSION {ident(change.extension.name)} UPDATE TO {literal(change.extension.version)}"]


@statements.register
def _(change: DropExtension) -> list[str]:
    return [f"DROP EXTENSION {ident(change.extension.name)}"]


@statements.register
def _(change: MoveExtension) -> list[str]:
    assert change.extension.schema is not None
    return [f"ALTER EXTENSION {ident(change.extension.name)} SET SCHEMA {ident(change.extension.schema)}"]


@statements.register
def _(change: CreateEnum) -> list[str]:
    enum = change.enum
    name = qualified(enum.schema, enum.name)
    out = [f"CREATE TYPE {name} AS ENUM ({', '.join(literal(v) for v in enum.values)})"]
    if enum.comment is not None:
        out.append(comment_on("TYPE", name, enum.comment))
    return out


@statements.register
def _(change: DropEnum) -> list[str]:
    return [f"DROP TYPE {qualified(change.enum.schema, change.enum.name)}"]


@statements.register
def _(change: AddEnumValue) -> list[str]:
    sql = f"ALTER TYPE {qualified(change.enum.schema, change.enum.name)} ADD VALUE {literal(change.value)}"
    if change.before is not None:
        sql += f" BEFORE {literal(change.before)}"
    elif change.after is not None:
        sql += f" AFTER {literal(change.after)}"
    return [sql]


@statements.register
def _(change: SetEnumComment) -> list[str]:
    return [comment_on("TYPE", qualified(change.enum.schema, change.enum.name), change.enum.comment)]
