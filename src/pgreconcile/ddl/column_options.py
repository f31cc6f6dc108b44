"""SQL for generated columns, column options and table options.

Adding and dropping a generated column are the ordinary ADD / DROP COLUMN renderers (the
column definition carries ``GENERATED ALWAYS AS (…) STORED``); here are the in-place ones.
"""

from __future__ import annotations

from pgreconcile.ddl.sequence_options import changed_clauses, storage_parameters
from pgreconcile.ddl.statements import statements
from pgreconcile.diff.column_option_changes import (
    AlterColumnOptions,
    DropColumnExpression,
    SetClusterOn,
    SetIdentityLogged,
    SetReplicaIdentity,
    SetTableOf,
    SetTableOptions,
)
from pgreconcile.model.sequences import restarts, sequence_options, serial_sequence_name
from pgreconcile.normalize.storage_options import written_options
from pgreconcile.normalize.types import base_of
from pgreconcile.quoting import ident, qualified

# Types whose own storage is MAIN rather than EXTENDED (PostgreSQL 15 has no SET STORAGE DEFAULT).
_MAIN_STORAGE = frozenset({"numeric", "tsvector", "tsquery", "inet", "cidr"})


def type_storage(type_: str) -> str:
    """The storage a column of ``type_`` has by default (what SET STORAGE goes back to)."""
    return "main" if base_of(type_) in _MAIN_STORAGE else "extended"


@statements.register
def _(change: DropColumnExpression) -> list[str]:
    table = qualified(change.schema, change.table_name)
    return [f"ALTER TABLE {table} ALTER COLUMN {ident(change.column.name)} DROP EXPRESSION"]


@statements.register
def _(change: AlterColumnOptions) -> list[str]:
    old, new = change.old, change.new
    alter = f"ALTER TABLE {qualified(change.schema, change.table_name)} ALTER COLUMN {ident(new.name)}"
    out = []
    if old.collation != new.collation:
        # Back to the type's own collation is COLLATE "default".
        out.append(f"{alter} TYPE {new.type} COLLATE {new.collation or 'pg_catalog.' + ident('default')}")
    if old.compression != new.compression:
        out.append(f"{alter} SET COMPRESSION {ident(new.compression) if new.compression else 'default'}")
    if old.storage != new.storage:
        storage = new.storage or type_storage(new.type)
        out.append(f"{alter} SET STORAGE {storage.upper()}")
    if old.statistics != new.statistics:
        out.append(f"{alter} SET STATISTICS {new.statistics if new.statistics is not None else -1}")
    if old.options != new.options:
        wanted, had = dict(new.options), dict(old.options)
        # Written as declared (text and order), compared canonically.
        written = new.options_text or new.options
        changed = tuple((k, v) for k, v in written if had.get(k) != wanted.get(k))
        removed = [k for k in had if k not in wanted]
        if changed:
            out.append(f"{alter} SET ({storage_parameters(changed)})")
        if removed:
            out.append(f"{alter} RESET ({', '.join(ident(k) for k in removed)})")
    if old.identity_options != new.identity_options and new.identity is not None:
        defaults = sequence_options(new.type)
        clauses = changed_clauses(old.identity_options or defaults, new.identity_options or defaults)
        # An identity's sequence has its column's type: there is no AS to set.
        clauses = [f"SET {c}" for c in clauses if not c.startswith("AS ")]
        if restarts(old.identity_options or defaults, new.identity_options or defaults):
            clauses.append("RESTART")  # nothing drawn yet: see ddl/sequences.py
        if clauses:
            out.append(f"{alter} " + " ".join(clauses))
    if old.identity_sequence != new.identity_sequence and new.identity is not None:
        # PostgreSQL names an identity's sequence once, when the identity is added, and never
        # follows a rename of its table or column: a different name is a rename of the sequence.
        default = (change.schema, serial_sequence_name(change.table_name, new.name))
        current, target = old.identity_sequence or default, new.identity_sequence or default
        out.append(f"ALTER SEQUENCE {qualified(*current)} RENAME TO {ident(target[1])}")
    return out


@statements.register
def _(change: SetIdentityLogged) -> list[str]:
    col = change.column
    sequence = col.identity_sequence or (change.schema, serial_sequence_name(change.table_name, col.name))
    return [f"ALTER SEQUENCE {qualified(*sequence)} SET {'UNLOGGED' if change.unlogged else 'LOGGED'}"]


@statements.register
def _(change: SetTableOptions) -> list[str]:
    table = f"ALTER TABLE {qualified(change.schema, change.table_name)}"
    out = []
    if change.unlogged != change.was_unlogged:
        out.append(f"{table} SET {'UNLOGGED' if change.unlogged else 'LOGGED'}")
    wanted, had = dict(change.options), dict(change.old_options)
    # Written as declared (text and order), compared canonically.
    written = written_options(change.options, change.options_text)
    changed = tuple((k, v) for k, v in written if had.get(k) != wanted[k])
    removed = [k for k in had if k not in wanted]
    if changed:
        out.append(f"{table} SET ({storage_parameters(changed)})")
    if removed:
        out.append(f"{table} RESET ({', '.join(ident(k) for k in removed)})")
    return out


@statements.register
def _(change: SetReplicaIdentity) -> list[str]:
    table = f"ALTER TABLE {qualified(change.schema, change.table_name)}"
    if change.identity == "index" and change.index is not None:
        return [f"{table} REPLICA IDENTITY USING INDEX {ident(change.index)}"]
    return [f"{table} REPLICA IDENTITY {change.identity.upper()}"]


@statements.register
def _(change: SetClusterOn) -> list[str]:
    table = f"ALTER TABLE {qualified(change.schema, change.table_name)}"
    if change.index is None:
        return [f"{table} SET WITHOUT CLUSTER"]
    return [f"{table} CLUSTER ON {ident(change.index)}"]


@statements.register
def _(change: SetTableOf) -> list[str]:
    table = f"ALTER TABLE {qualified(change.schema, change.table_name)}"
    if change.of_type is None:
        return [f"{table} NOT OF"]
    # A table typed by another type is unlinked from it first.
    unlink = [f"{table} NOT OF"] if change.was_of_type is not None else []
    return [*unlink, f"{table} OF {qualified(*change.of_type)}"]
