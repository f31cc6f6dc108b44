"""SQL for partitions: CREATE TABLE … PARTITION OF … (a dropped partition is a DROP TABLE)."""

from __future__ import annotations

from pgreconcile.ddl.statements import statements
from pgreconcile.diff.partition_changes import (
    AttachPartition,
    AttachPartitionIndex,
    CreatePartition,
    DetachPartition,
    SetPartitionComment,
    SetPartitionDefault,
    SetPartitionNotNull,
)
from pgreconcile.quoting import ident, literal, qualified


@statements.register
def _(change: CreatePartition) -> list[str]:
    part = change.partition
    name = qualified(part.schema or change.schema, part.name)
    parent = qualified(change.parent_schema or change.schema, change.parent)
    if change.standalone:
        # The parent's columns, NOT NULLs, defaults and CHECKs (ATTACH PARTITION wants them).
        sql = (f"CREATE TABLE {name} (LIKE {parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
               "INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION)")
        # LIKE copies the parent's NOT NULL names; the table's own until it is attached.
        renames = [f"ALTER TABLE {name} RENAME CONSTRAINT {ident(old)} TO {ident(new)}"
                   for _, old, new in change.not_null_names]
        return [sql, *renames,
                *([f"COMMENT ON TABLE {name} IS {literal(part.comment)}"] if part.comment is not None else [])]
    # [PostgreSQL 18] A NOT NULL written in the column list takes the name written there.
    named = ", ".join(f"{ident(column)} CONSTRAINT {ident(new)} NOT NULL" for column, _, new in change.not_null_names)
    # The bound and the key are SQL the declaration wrote (values quoted when it was built).
    sql = f"CREATE TABLE {name} PARTITION OF {parent}{f' ({named})' if named else ''} {part.bound}"
    if part.partition_by is not None:
        sql += f" PARTITION BY {part.partition_by}"
    out = [sql]
    if part.comment is not None:
        out.append(f"COMMENT ON TABLE {name} IS {literal(part.comment)}")
    return out


@statements.register
def _(change: SetPartitionComment) -> list[str]:
    return [f"COMMENT ON TABLE {qualified(change.schema, change.partition_name)} IS {literal(change.new)}"]


@statements.register
def _(change: AttachPartitionIndex) -> list[str]:
    out: list[str] = []
    if change.constraint is not None:
        # The constraint is named after the index it takes over (ADD CONSTRAINT … USING INDEX).
        out.append(
            f"ALTER TABLE {qualified(change.schema, change.table_name)} ADD CONSTRAINT {ident(change.index)} "
            f"{'PRIMARY KEY' if change.constraint == 'PRIMARY KEY' else 'UNIQUE'} USING INDEX {ident(change.index)}"
        )
    out.append(
        f"ALTER INDEX {qualified(change.parent_schema, change.parent_index)} "
        f"ATTACH PARTITION {qualified(change.schema, change.index)}"
    )
    return out


@statements.register
def _(change: SetPartitionNotNull) -> list[str]:
    if change.not_null and change.name is not None:
        # [PostgreSQL 18] SET NOT NULL would name it <partition>_<column>_not_null.
        return [f"ALTER TABLE {qualified(change.schema, change.partition_name)} ADD CONSTRAINT {ident(change.name)} "
                f"NOT NULL {ident(change.column)}"]
    verb = "SET" if change.not_null else "DROP"
    return [f"ALTER TABLE {qualified(change.schema, change.partition_name)} ALTER COLUMN {ident(change.column)} "
            f"{verb} NOT NULL"]


@statements.register
def _(change: SetPartitionDefault) -> list[str]:
    # The default is SQL the catalog printed or the declaration built (values quoted there).
    action = f"SET DEFAULT {change.default}" if change.default is not None else "DROP DEFAULT"
    return [f"ALTER TABLE ONLY {qualified(change.partition_schema or change.schema, change.partition_name)} "
            f"ALTER COLUMN {ident(change.column)} {action}"]


@statements.register
def _(change: DetachPartition) -> list[str]:
    name = qualified(change.partition_schema, change.partition.name)
    return [f"ALTER TABLE {qualified(change.schema, change.table_name)} DETACH PARTITION {name}"]


@statements.register
def _(change: AttachPartition) -> list[str]:
    name = qualified(change.partition_schema, change.partition_name)
    # [PostgreSQL 18] The table's own NOT NULLs until the attach: renamed as declared, or added so.
    out = [f"ALTER TABLE {name} RENAME CONSTRAINT {ident(old)} TO {ident(new)}" for old, new in change.not_null_renames]
    named = dict(change.not_null_names)
    out += [f"ALTER TABLE {name} ADD CONSTRAINT {ident(named[c])} NOT NULL {ident(c)}" if c in named
            else f"ALTER TABLE {name} ALTER COLUMN {ident(c)} SET NOT NULL" for c in change.set_not_null]
    for column, default in change.defaults:
        # The default is SQL the catalog printed or the declaration normalized.
        action = f"SET DEFAULT {default}" if default is not None else "DROP DEFAULT"
        out.append(f"ALTER TABLE {name} ALTER COLUMN {ident(column)} {action}")
    # The CHECK expressions are SQL the declaration wrote (checked when it was built).
    out += [f"ALTER TABLE {name} ADD CONSTRAINT {ident(c.name)} CHECK ({c.expression})" for c in change.checks]
    # The bound is SQL the declaration wrote (values quoted when it was built).
    out.append(f"ALTER TABLE {qualified(change.schema, change.table_name)} ATTACH PARTITION {name} {change.bound}")
    return out
