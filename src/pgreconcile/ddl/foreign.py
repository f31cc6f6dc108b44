"""``CREATE / ALTER / DROP FOREIGN DATA WRAPPER`` and ``SERVER``, and a foreign table's
``OPTIONS`` (see :mod:`pgreconcile.diff.foreign`; CREATE FOREIGN TABLE is rendered with the
other tables, in :mod:`pgreconcile.ddl.statements`)."""

from __future__ import annotations

from pgreconcile.ddl.statements import statements
from pgreconcile.diff.foreign import (
    AlterForeignDataWrapper,
    AlterForeignServer,
    AlterUserMapping,
    CreateForeignDataWrapper,
    CreateForeignServer,
    CreateUserMapping,
    DropForeignDataWrapper,
    DropForeignServer,
    DropUserMapping,
    SetForeignColumnOptions,
    SetForeignTableComment,
    SetForeignTableOptions,
    option_changes,
)
from pgreconcile.model.foreign import Options, UserMapping
from pgreconcile.quoting import ident, literal, qualified


def options_clause(options: Options) -> str:
    """`` OPTIONS (host 'db', port '5432')``, or nothing."""
    if not options:
        return ""
    return " OPTIONS (" + ", ".join(f"{ident(k)} {literal(v)}" for k, v in options) + ")"


def alter_options_clause(old: Options, new: Options) -> str:
    """``OPTIONS (ADD a '1', SET b '2', DROP c)`` turning ``old`` into ``new``."""
    parts = [f"{verb} {ident(name)}" + ("" if value is None else f" {literal(value)}")
             for verb, name, value in option_changes(old, new)]
    return f"OPTIONS ({', '.join(parts)})"


def _function(name: str | None, word: str) -> str:
    # regproc text is SQL already (schema-qualified where not visible).
    return f" {word} {name}" if name is not None else f" NO {word}"


@statements.register
def _(change: CreateForeignDataWrapper) -> list[str]:
    w = change.wrapper
    sql = f"CREATE FOREIGN DATA WRAPPER {ident(w.name)}"
    if w.handler is not None:
        sql += _function(w.handler, "HANDLER")
    if w.validator is not None:
        sql += _function(w.validator, "VALIDATOR")
    out = [sql + options_clause(w.options)]
    if w.owner is not None:
        out.append(f"ALTER FOREIGN DATA WRAPPER {ident(w.name)} OWNER TO {ident(w.owner)}")
    return out


@statements.register
def _(change: AlterForeignDataWrapper) -> list[str]:
    w, old = change.wrapper, change.old
    target = f"ALTER FOREIGN DATA WRAPPER {ident(w.name)}"
    out: list[str] = []
    clauses = ""
    if w.handler != old.handler:
        clauses += _function(w.handler, "HANDLER")
    if w.validator != old.validator:
        clauses += _function(w.validator, "VALIDATOR")
    if w.options != old.options:
        clauses += " " + alter_options_clause(old.options, w.options)
    if clauses:
        out.append(target + clauses)
    if w.owner is not None and w.owner != old.owner:
        out.append(f"{target} OWNER TO {ident(w.owner)}")
    return out


@statements.register
def _(change: DropForeignDataWrapper) -> list[str]:
    return [f"DROP FOREIGN DATA WRAPPER {ident(change.wrapper.name)}"]


@statements.register
def _(change: CreateForeignServer) -> list[str]:
    s = change.server
    sql = f"CREATE SERVER {ident(s.name)}"
    if s.type is not None:
        sql += f" TYPE {literal(s.type)}"
    if s.version is not None:
        sql += f" VERSION {literal(s.version)}"
    out = [sql + f" FOREIGN DATA WRAPPER {ident(s.wrapper)}" + options_clause(s.options)]
    if s.owner is not None:
        out.append(f"ALTER SERVER {ident(s.name)} OWNER TO {ident(s.owner)}")
    return out


@statements.register
def _(change: AlterForeignServer) -> list[str]:
    s, old = change.server, change.old
    target = f"ALTER SERVER {ident(s.name)}"
    clauses = ""
    if s.version != old.version:
        # ALTER SERVER has no way to remove a version: an empty one is the nearest.
        clauses += f" VERSION {literal(s.version)}" if s.version is not None else " VERSION NULL"
    if s.options != old.options:
        clauses += " " + alter_options_clause(old.options, s.options)
    out = [target + clauses] if clauses else []
    if s.owner is not None and s.owner != old.owner:
        out.append(f"{target} OWNER TO {ident(s.owner)}")
    return out


@statements.register
def _(change: DropForeignServer) -> list[str]:
    return [f"DROP SERVER {ident(change.server.name)}"]


@statements.register
def _(change: SetForeignTableOptions) -> list[str]:
    target = qualified(change.schema, change.table_name)
    return [f"ALTER FOREIGN TABLE {target} {alter_options_clause(change.old, change.new)}"]


@statements.register
def _(change: SetForeignColumnOptions) -> list[str]:
    target = qualified(change.schema, change.table_name)
    return [f"ALTER FOREIGN TABLE {target} ALTER COLUMN {ident(change.column)} "
            f"{alter_options_clause(change.old, change.new)}"]


def _mapping_target(mapping: UserMapping) -> str:
    user = "PUBLIC" if mapping.user == "public" else ident(mapping.user)
    return f"FOR {user} SERVER {ident(mapping.server)}"


@statements.register
def _(change: CreateUserMapping) -> list[str]:
    m = change.mapping
    return [f"CREATE USER MAPPING {_mapping_target(m)}" + options_clause(m.options or ())]


@statements.register
def _(change: AlterUserMapping) -> list[str]:
    m = change.mapping
    clause = alter_options_clause(change.old.options or (), m.options or ())
    return [f"ALTER USER MAPPING {_mapping_target(m)} {clause}"]


@statements.register
def _(change: DropUserMapping) -> list[str]:
    return [f"DROP USER MAPPING {_mapping_target(change.mapping)}"]


@statements.register
def _(change: SetForeignTableComment) -> list[str]:
    target = qualified(change.schema, change.table_name)
    return [f"COMMENT ON FOREIGN TABLE {target} IS {literal(change.new)}"]
