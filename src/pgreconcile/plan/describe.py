"""Change → the words a reviewer reads: a one-line label and optional detail lines.

Labels are computed once, while the plan is built, and stored in it; renderers never rebuild
them, so text, Markdown and JSON say the same thing.
"""

from __future__ import annotations

from functools import singledispatch

from pgreconcile.diff.changes import (
    AddColumn,
    AddConstraint,
    AlterColumn,
    Change,
    Constraint,
    CreateIndex,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropTable,
    SetTableComment,
    constraint_kind,
)
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
from pgreconcile.diff.group_changes import AbsorbColumns
from pgreconcile.diff.inheritance_changes import InheritTable, NoInheritTable  # [inheritance]
from pgreconcile.diff.not_null_names import not_null_differs
from pgreconcile.diff.partition_changes import (  # [partitions]
    AttachPartitionIndex,
    CreatePartition,
    DropPartition,
    SetPartitionComment,
)
from pgreconcile.diff.rename_changes import (
    RenameColumn,
    RenameConstraint,
    RenameEnum,
    RenameEnumValue,
    RenameIndex,
    RenamePolicy,
    RenameTable,
)
from pgreconcile.diff.rls_changes import AlterPolicy, CreatePolicy, DropPolicy, SetRowSecurity
from pgreconcile.diff.sub_comments import SetSubComment
from pgreconcile.model import (
    CheckConstraint,
    Column,
    ExclusionConstraint,
    FkAction,
    ForeignKey,
    Index,
    IndexMethod,
    Policy,
    PrimaryKey,
    UniqueConstraint,
)
from pgreconcile.normalize.expressions import equivalent
from pgreconcile.normalize.partitions import readable_bound  # [partitions]
from pgreconcile.quoting import literal


@singledispatch
def describe(change: Change) -> tuple[str, tuple[str, ...]]:
    """``(label, details)`` for a change."""
    raise NotImplementedError(f"no description for {type(change).__name__}")


def column_summary(col: Column) -> str:
    """``name type [not null] [default …] [identity]``."""
    text = f"{col.name} {col.type}"
    if col.identity is not None:
        text += f" generated {col.identity.value} as identity"
    if not col.nullable and col.identity is None:
        text += " not null" + _not_null_flags(col)
    if col.default is not None:
        text += f" default {col.default}"
    # [sequences]
    if col.generated is not None:
        text += f" generated always as ({col.generated}) {'virtual' if col.virtual else 'stored'}"
    if col.collation is not None:
        text += f" collate {col.collation}"
    return text


def _unchecked(con: CheckConstraint | ForeignKey) -> str:
    if not con.enforced:
        return " NOT ENFORCED"  # PostgreSQL 18: never checked, hence never validated either
    return "" if con.validated else " NOT VALID"


def constraint_summary(con: Constraint) -> str:
    """``kind name (columns) …`` for any constraint."""
    kind = constraint_kind(con)
    if isinstance(con, CheckConstraint):
        text = f"{kind} {con.name} ({con.expression})"
        return text + (" NO INHERIT" if con.no_inherit else "") + _unchecked(con)
    if isinstance(con, ExclusionConstraint):
        return f"{kind} {con.name} using {con.method.value} ({', '.join(con.elements)})" + (
            f" WHERE {con.where}" if con.where else ""
        )
    if isinstance(con, ForeignKey):
        target = f"{con.ref_schema}.{con.ref_table}({', '.join(con.ref_columns)})"
        target = target[:-1] + " PERIOD)" if con.period else target
        text = f"{kind} {con.name} ({', '.join(con.columns)}{' PERIOD' if con.period else ''}) → {target}"
        if con.on_delete is not FkAction.NO_ACTION:
            text += f" ON DELETE {con.on_delete.value.upper()}"
        if con.on_update is not FkAction.NO_ACTION:
            text += f" ON UPDATE {con.on_update.value.upper()}"
        if con.deferrable:
            text += " DEFERRABLE" + (" INITIALLY DEFERRED" if con.initially_deferred else "")
        return text + _unchecked(con)
    nulls = " nulls not distinct" if isinstance(con, UniqueConstraint) and con.nulls_not_distinct else ""
    overlaps = " WITHOUT OVERLAPS" if con.without_overlaps else ""
    text = f"{kind} {con.name}{nulls} ({', '.join(con.columns)}{overlaps})"
    if isinstance(con, PrimaryKey | UniqueConstraint):
        if con.include:
            text += f" include ({', '.join(con.include)})"
        if con.options:
            text += " with (" + ", ".join(f"{k}={v}" for k, v in con.options) + ")"
    if con.deferrable:
        text += " DEFERRABLE" + (" INITIALLY DEFERRED" if con.initially_deferred else "")
    return text


def index_summary(index: Index) -> str:
    """``[unique ]index name [using m] (elements) [include …] [nulls not distinct] [with (…)] [WHERE …]``."""
    text = ("unique index " if index.unique else "index ") + index.name
    if index.method is not IndexMethod.BTREE:
        text += f" using {index.method.value}"
    text += f" ({', '.join(index.elements)})"
    if index.include:
        text += f" include ({', '.join(index.include)})"
    if index.nulls_not_distinct:
        text += " nulls not distinct"
    if index.options:
        text += f" with ({', '.join(f'{name}={value}' for name, value in index.options)})"
    if index.where:
        text += f" WHERE {index.where}"
    return text


def comment_text(text: str | None) -> str:
    """A comment (or any optional text) as a plan line shows it: quoted, or ``none``."""
    return "none" if text is None else literal(text)


@describe.register
def _(c: CreateNamespace) -> tuple[str, tuple[str, ...]]:
    return f"schema {c.namespace.name}", ()


@describe.register
def _(c: DropNamespace) -> tuple[str, tuple[str, ...]]:
    return f"schema {c.namespace.name}", ()


@describe.register
def _(c: SetNamespaceComment) -> tuple[str, tuple[str, ...]]:
    return f"schema {c.namespace.name} comment {comment_text(c.old)} → {comment_text(c.namespace.comment)}", ()


@describe.register
def _(c: CreateExtension) -> tuple[str, tuple[str, ...]]:
    where = f" in schema {c.extension.schema}" if c.extension.schema else ""
    version = f" version {c.extension.version}" if c.extension.version is not None else ""
    comment = f", comment {comment_text(c.extension.comment or None)}" if c.extension.comment is not None else ""
    return f"extension {c.extension.name}{where}{version}{comment}", ()


@describe.register
def _(c: DropExtension) -> tuple[str, tuple[str, ...]]:
    return f"extension {c.extension.name}", ()


@describe.register
def _(c: SetExtensionComment) -> tuple[str, tuple[str, ...]]:
    new = "its own" if c.comment is None else comment_text(c.comment or None)
    old = "its own" if c.old is None else comment_text(c.old or None)
    return f"extension {c.name} comment {old} → {new}", ()


@describe.register
def _(c: UpdateExtension) -> tuple[str, tuple[str, ...]]:
    return f"extension {c.extension.name} version {c.old_version} → {c.extension.version}", ()


@describe.register
def _(c: MoveExtension) -> tuple[str, tuple[str, ...]]:
    return f"extension {c.extension.name} schema {c.old_schema} → {c.extension.schema}", ()


@describe.register
def _(c: CreateEnum) -> tuple[str, tuple[str, ...]]:
    return f"enum {c.enum.qualified} ({', '.join(c.enum.values)})", ()


@describe.register
def _(c: DropEnum) -> tuple[str, tuple[str, ...]]:
    return f"enum {c.enum.qualified}", ()


@describe.register
def _(c: AddEnumValue) -> tuple[str, tuple[str, ...]]:
    where = f" before {c.before!r}" if c.before else (f" after {c.after!r}" if c.after else "")
    return f"enum {c.enum.qualified} add value {c.value!r}{where}", ()


@describe.register
def _(c: SetEnumComment) -> tuple[str, tuple[str, ...]]:
    return f"enum {c.enum.qualified} comment {comment_text(c.old)} → {comment_text(c.enum.comment)}", ()


@describe.register
def _(c: CreateTable) -> tuple[str, tuple[str, ...]]:
    table = c.table_def
    details = [f"column {column_summary(col)}" for col in table.columns]
    if table.primary_key:
        details.append(constraint_summary(table.primary_key))
    details += [constraint_summary(u) for u in table.uniques]
    details += [constraint_summary(ch) for ch in table.checks if ch.validated]  # NOT VALID: a step of its own
    details += [constraint_summary(x) for x in table.exclusions]  # [constraints-types]
    if table.inherits:  # [inheritance]
        details.append("inherits " + ", ".join(f"{s}.{n}" for s, n in table.inherits))
    if table.partition_by is not None:  # [partitions]
        details.append(f"partition by {table.partition_by}")
    # [sequences]
    if table.unlogged:
        details.append("unlogged")
    if table.options:
        details.append("with (" + ", ".join(f"{k}={v}" for k, v in table.options) + ")")
    if table.server is not None:  # [foreign]
        details.append(f"server {table.server}" + "".join(
            f", option {k} {literal(v)}" for k, v in table.server_options))
        return f"foreign table {table.qualified}", tuple(details)
    return f"table {table.qualified}", tuple(details)


@describe.register
def _(c: DropTable) -> tuple[str, tuple[str, ...]]:
    kind = "foreign table" if c.table_def.server is not None else "table"
    return f"{kind} {c.table_def.qualified}", ()


@describe.register
def _(c: SetTableComment) -> tuple[str, tuple[str, ...]]:
    return f"comment {comment_text(c.old)} → {comment_text(c.new)}", ()


@describe.register
def _(c: SetSubComment) -> tuple[str, tuple[str, ...]]:
    return f"{c.what} {c.name} comment {comment_text(c.old)} → {comment_text(c.new)}", ()


@describe.register
def _(c: AddColumn) -> tuple[str, tuple[str, ...]]:
    return f"column {column_summary(c.column)}", ()


@describe.register
def _(c: DropColumn) -> tuple[str, tuple[str, ...]]:
    return f"column {c.column.name} {c.column.type}", ()


def _not_null_flags(col: Column) -> str:
    return (" NO INHERIT" if col.not_null_no_inherit else "") + ("" if col.not_null_validated else " NOT VALID")


@describe.register
def _(c: AlterColumn) -> tuple[str, tuple[str, ...]]:
    old, new = c.old, c.new
    parts: list[str] = []
    if old.type != new.type:
        parts.append(f"{old.type} → {new.type}")
    if old.nullable != new.nullable:
        parts.append("not null → nullable" if new.nullable else "nullable → not null" + _not_null_flags(new))
    elif not new.nullable and not_null_differs(new, old):  # PostgreSQL 18
        parts.append(f"not null{_not_null_flags(old)} → not null{_not_null_flags(new)}")
    if c.default_changed:
        parts.append(f"default {old.default or 'none'} → {new.default or 'none'}")
    if old.identity != new.identity:
        before = old.identity.value if old.identity else "none"
        after = new.identity.value if new.identity else "none"
        parts.append(f"identity {before} → {after}")
    if old.comment != new.comment:
        parts.append(f"comment {comment_text(old.comment)} → {comment_text(new.comment)}")
    if c.detours:  # [partitions, PostgreSQL 18]
        # PostgreSQL 18 fails the type change on them (or renames theirs): out and back in.
        held = ", ".join(f"{d.schema}.{d.name}" for d in c.detours)
        parts.append(f"partitions {held} detached around it (their NOT NULLs have names of their own)")
    return f"column {new.name} " + ", ".join(parts), ()


@describe.register
def _(c: AddConstraint) -> tuple[str, tuple[str, ...]]:
    return constraint_summary(c.constraint), ()


@describe.register
def _(c: DropConstraint) -> tuple[str, tuple[str, ...]]:
    return constraint_summary(c.constraint), ()


@describe.register
def _(c: CreateIndex) -> tuple[str, tuple[str, ...]]:
    return index_summary(c.index), ()


@describe.register
def _(c: DropIndex) -> tuple[str, tuple[str, ...]]:
    return index_summary(c.index), ()


def policy_summary(policy: Policy) -> str:
    """``policy name [restrictive] for select to r1, r2 using (…) with check (…)``."""
    text = f"policy {policy.name}"
    if not policy.permissive:
        text += " restrictive"
    text += f" for {policy.command.value}"
    if policy.roles != ("public",):
        text += f" to {', '.join(policy.roles)}"
    if policy.using is not None:
        text += f" using ({_one_line(policy.using)})"
    if policy.with_check is not None:
        text += f" with check ({_one_line(policy.with_check)})"
    return text


def _one_line(sql: str) -> str:
    # PostgreSQL deparses subqueries over several lines; a plan line is one line.
    return " ".join(sql.split())


@describe.register
def _(c: CreatePolicy) -> tuple[str, tuple[str, ...]]:
    return policy_summary(c.policy), ()


@describe.register
def _(c: DropPolicy) -> tuple[str, tuple[str, ...]]:
    return policy_summary(c.policy), ()


@describe.register
def _(c: AlterPolicy) -> tuple[str, tuple[str, ...]]:
    old, new = c.old, c.new
    parts: list[str] = []
    if old.roles != new.roles:
        parts.append(f"to {', '.join(old.roles)} → {', '.join(new.roles)}")
    if not equivalent(old.using, new.using):
        parts.append(f"using ({_one_line(old.using or 'none')}) → ({_one_line(new.using or 'none')})")
    if not equivalent(old.with_check, new.with_check):
        parts.append(f"with check ({_one_line(old.with_check or 'none')}) → ({_one_line(new.with_check or 'none')})")
    return f"policy {new.name} " + ", ".join(parts), ()


@describe.register
def _(c: SetRowSecurity) -> tuple[str, tuple[str, ...]]:
    parts: list[str] = []
    if c.enabled != c.was_enabled:
        parts.append("enabled" if c.enabled else "disabled")
    if c.forced != c.was_forced:
        parts.append("forced" if c.forced else "not forced")
    return "row level security " + ", ".join(parts), ()


@describe.register
def _(c: AbsorbColumns) -> tuple[str, tuple[str, ...]]:
    return f"group {c.group} absorbs {', '.join(c.columns)}", ()


@describe.register
def _(c: RenameTable) -> tuple[str, tuple[str, ...]]:
    return f"table {c.old_schema}.{c.old_name} → {c.schema}.{c.name}", ()


@describe.register
def _(c: RenameColumn) -> tuple[str, tuple[str, ...]]:
    return f"column {c.old_name} → {c.name}", ()


@describe.register
def _(c: RenameConstraint) -> tuple[str, tuple[str, ...]]:
    return f"{c.constraint_kind} {c.old_name} → {c.name}", ()


@describe.register
def _(c: RenameIndex) -> tuple[str, tuple[str, ...]]:
    return f"index {c.old_name} → {c.name}", ()


@describe.register
def _(c: RenamePolicy) -> tuple[str, tuple[str, ...]]:
    return f"policy {c.old_name} → {c.name}", ()


@describe.register
def _(c: RenameEnum) -> tuple[str, tuple[str, ...]]:
    return f"enum {c.old_schema}.{c.old_name} → {c.schema}.{c.name}", ()


@describe.register
def _(c: RenameEnumValue) -> tuple[str, tuple[str, ...]]:
    return f"enum {c.schema}.{c.name} value {c.old_value!r} → {c.value!r}", ()


# [partitions]
@describe.register
def _(c: CreatePartition) -> tuple[str, tuple[str, ...]]:
    part = c.partition
    label = f"partition {part.name}" + (f" of {c.parent}" if c.parent != c.table_name else "") + f" {part.bound}"
    if part.partition_by is not None:
        label += f", partitioned by {part.partition_by}"
    return label, ()


@describe.register
def _(c: DropPartition) -> tuple[str, tuple[str, ...]]:
    of = f" of {c.parent}" if c.parent and c.parent != c.top else ""
    return f"partition {c.partition.name}{of} {readable_bound(c.partition.bound)}", ()


@describe.register
def _(c: AttachPartitionIndex) -> tuple[str, tuple[str, ...]]:
    made = f" (made a {c.constraint.lower()} first)" if c.constraint else ""
    return f"index {c.index} attached to {c.parent_index}{made}", ()


@describe.register
def _(c: SetPartitionComment) -> tuple[str, tuple[str, ...]]:
    return f"partition {c.partition_name} comment {comment_text(c.old)} → {comment_text(c.new)}", ()


@describe.register
def _(c: InheritTable) -> tuple[str, tuple[str, ...]]:  # [inheritance]
    return f"inherit {c.parent[0]}.{c.parent[1]}", ()


@describe.register
def _(c: NoInheritTable) -> tuple[str, tuple[str, ...]]:
    return f"no longer inherit {c.parent[0]}.{c.parent[1]}", ()
