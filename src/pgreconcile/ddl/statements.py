"""Change → SQL statements, one renderer per change class (``functools.singledispatch``).

Names and values go through :mod:`pgreconcile.quoting`; SQL expressions (defaults, CHECKs,
predicates, index elements) are inserted as the SQL they are, having been parsed during
validation. Types are inserted in their canonical spelling, which quotes every user-defined part.
"""

from __future__ import annotations

import re
from functools import singledispatch

from pgreconcile.ddl.conversions import regenerate_prepare, scratch_cleanup, using_expression
from pgreconcile.ddl.not_nulls import altered_not_null, column_not_null, not_valid_not_nulls
from pgreconcile.ddl.sequence_options import option_clauses, storage_parameters
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
)
from pgreconcile.diff.conversions import INTEGERS
from pgreconcile.model import (
    CheckConstraint,
    Column,
    FkAction,
    ForeignKey,
    IdentityKind,
    Index,
    IndexMethod,
    PrimaryKey,
    Table,
    UniqueConstraint,
)
from pgreconcile.model.types import ExclusionConstraint
from pgreconcile.normalize.exclusions import split_exclusion_element
from pgreconcile.normalize.index_elements import split_index_element
from pgreconcile.normalize.reparse import as_reparsable
from pgreconcile.normalize.storage_options import written_options
from pgreconcile.normalize.types import base_of
from pgreconcile.quoting import ident, ident_list, literal, qualified


@singledispatch
def statements(change: Change) -> list[str]:
    """The SQL statements that carry out ``change``, in order."""
    raise NotImplementedError(f"no SQL renderer for {type(change).__name__}")


# --- pieces ----------------------------------------------------------------------------------


def column_definition(col: Column, table: str) -> str:
    """``name type [COMPRESSION …] [COLLATE …] [GENERATED … AS IDENTITY [(…)] | GENERATED ALWAYS
    AS (…) STORED | VIRTUAL] [DEFAULT …] [[CONSTRAINT name] NOT NULL]`` as in CREATE/ADD COLUMN
    of ``table`` (its name, unqualified: a NOT NULL's name is written only when it is not the
    one PostgreSQL 18 would give it)."""
    parts = [ident(col.name), col.type]
    # [sequences]
    if col.compression is not None:
        parts.append(f"COMPRESSION {ident(col.compression)}")
    if col.collation is not None:
        parts.append(f"COLLATE {col.collation}")
    if col.identity is not None:
        parts.append(f"GENERATED {col.identity.value.upper()} AS IDENTITY")
        clauses = option_clauses(col.identity_options, with_type=False) if col.identity_options else []
        if col.identity_sequence is not None:
            clauses.insert(0, f"SEQUENCE NAME {qualified(*col.identity_sequence)}")
        if col.identity_unlogged is not None:  # logged otherwise than its table (PostgreSQL 15+)
            clauses.insert(1 if col.identity_sequence is not None else 0,
                           "UNLOGGED" if col.identity_unlogged else "LOGGED")
        if clauses:
            parts.append(f"({' '.join(clauses)})")
    elif col.generated is not None:
        parts.append(f"GENERATED ALWAYS AS ({col.generated}) {'VIRTUAL' if col.virtual else 'STORED'}")
    elif col.default is not None:
        parts.append(f"DEFAULT {col.default}")
    if (not_null := column_not_null(col, table)) is not None:
        parts.append(not_null)
    return " ".join(parts)


def _deferrable(deferrable: bool, initially_deferred: bool) -> str:
    if not deferrable:
        return ""
    return " DEFERRABLE INITIALLY DEFERRED" if initially_deferred else " DEFERRABLE"


def _index_parameters(con: PrimaryKey | UniqueConstraint) -> str:
    """`` INCLUDE (…) WITH (…)`` of the index behind a primary key or unique, when it has them."""
    sql = f" INCLUDE ({ident_list(con.include)})" if con.include else ""
    return sql + (f" WITH ({storage_parameters(con.options)})" if con.options else "")


def constraint_definition(con: Constraint) -> str:
    """``CONSTRAINT name …`` as it appears in CREATE TABLE or ADD CONSTRAINT."""
    head = f"CONSTRAINT {ident(con.name)} "
    if isinstance(con, PrimaryKey):
        columns = _key_columns(con.columns, con.without_overlaps)
        return (head + f"PRIMARY KEY ({columns})" + _index_parameters(con)
                + _deferrable(con.deferrable, con.initially_deferred))
    if isinstance(con, UniqueConstraint):
        nulls = " NULLS NOT DISTINCT" if con.nulls_not_distinct else ""
        columns = _key_columns(con.columns, con.without_overlaps)
        return (head + f"UNIQUE{nulls} ({columns})" + _index_parameters(con)
                + _deferrable(con.deferrable, con.initially_deferred))
    if isinstance(con, ExclusionConstraint):
        return head + exclusion_body(con)
    if isinstance(con, ForeignKey):
        sql = (
            head
            + f"FOREIGN KEY ({_fk_columns(con.columns, con.period)}) "
            + f"REFERENCES {qualified(con.ref_schema, con.ref_table)} ({_fk_columns(con.ref_columns, con.period)})"
        )
        if con.on_delete is not FkAction.NO_ACTION:
            sql += f" ON DELETE {con.on_delete.value.upper()}"
        if con.on_update is not FkAction.NO_ACTION:
            sql += f" ON UPDATE {con.on_update.value.upper()}"
        return sql + _deferrable(con.deferrable, con.initially_deferred) + _not_enforced(con)
    assert isinstance(con, CheckConstraint)
    return (head + f"CHECK ({as_reparsable(con.expression)})" + (" NO INHERIT" if con.no_inherit else "")
            + _not_enforced(con))


def _key_columns(columns: tuple[str, ...], without_overlaps: bool) -> str:
    """A key's columns; a temporal key's last one (PostgreSQL 18) ``WITHOUT OVERLAPS``."""
    text = ident_list(columns)
    return text + " WITHOUT OVERLAPS" if without_overlaps and columns else text


def _fk_columns(columns: tuple[str, ...], period: bool) -> str:
    """A foreign key's columns; a temporal one's last (PostgreSQL 18) ``PERIOD``."""
    if not (period and columns):
        return ident_list(columns)
    return ", ".join([*(ident(c) for c in columns[:-1]), f"PERIOD {ident(columns[-1])}"])


def _not_enforced(con: CheckConstraint | ForeignKey) -> str:
    # PostgreSQL 18: never checked, which also means never validated (no NOT VALID with it).
    return "" if con.enforced else " NOT ENFORCED"


_BARE_NAME = re.compile(r"^[A-Za-z_][\w$]*$")
_QUOTED_NAME = re.compile(r'^"(?:[^"]|"")+"$')
_NEXTVAL = re.compile(r"^nextval\('((?:[^']|'')+)'(?:::regclass)?\)$")
_REGCLASS_PART = re.compile(r'"((?:[^"]|"")+)"|([^".]+)')


_NAME = r'(?:[A-Za-z_][\w$]*|"(?:[^"]|"")+")'
_FUNCTION_CALL = re.compile(rf"^{_NAME}(?:\.{_NAME})?\s*\(.*\)$", re.DOTALL)


def _element_sql(element: str) -> str:
    """An index element as CREATE INDEX accepts it: a bare leading column name quoted
    (``group`` → ``"group"``: a reserved word that names a column is still a column here;
    unquoted names mean lower case), and an expression that is neither a column nor a function
    call wrapped in parentheses (``payload->>'kind' DESC`` → ``(payload->>'kind') DESC``)."""
    text = element.strip()
    expression = split_index_element(text)[0]
    if text.startswith("(") or not text.startswith(expression):
        return element
    rest = text[len(expression) :]
    if _BARE_NAME.match(expression):
        return ident(expression.lower()) + rest
    if _FUNCTION_CALL.match(expression) or _QUOTED_NAME.match(expression):
        return element
    return f"({expression}){rest}"


def owned_sequence(default: str | None) -> tuple[str, ...] | None:
    """The sequence a ``nextval('seq'::regclass)`` default draws from, as name parts, else None."""
    match = _NEXTVAL.match((default or "").strip())
    if match is None:
        return None
    text = match.group(1).replace("''", "'")
    return tuple(q.replace('""', '"') if q else bare for q, bare in _REGCLASS_PART.findall(text))


def index_definition(
    schema: str, table: str, index: Index, *, concurrently: bool = False, only: bool = False
) -> str:
    """``CREATE [UNIQUE] INDEX [CONCURRENTLY] name ON [ONLY] table USING method (…) [INCLUDE …]
    [NULLS NOT DISTINCT] [WITH (…)] [WHERE …]``."""
    sql = "CREATE UNIQUE INDEX " if index.unique else "CREATE INDEX "
    if concurrently:
        sql += "CONCURRENTLY "
    sql += f"{ident(index.name)} ON {'ONLY ' if only else ''}{qualified(schema, table)}"
    if index.method is not IndexMethod.BTREE:
        sql += f" USING {index.method.value}"
    sql += f" ({', '.join(_element_sql(e) for e in index.elements)})"
    if index.include:
        sql += f" INCLUDE ({ident_list(index.include)})"
    if index.nulls_not_distinct:
        sql += " NULLS NOT DISTINCT"
    if index.options:
        sql += f" WITH ({storage_parameters(written_options(index.options, index.options_text))})"
    if index.where:
        sql += f" WHERE {as_reparsable(index.where)}"
    return sql


def exclusion_body(con: ExclusionConstraint) -> str:
    """``EXCLUDE USING method (element WITH op, …) [INCLUDE (…)] [WHERE (…)] [DEFERRABLE …]``."""
    elements = []
    for element in con.elements:
        parts = split_exclusion_element(element)
        elements.append(f"{_element_sql(parts[0])} WITH {parts[1]}" if parts else element)
    sql = f"EXCLUDE USING {con.method.value} ({', '.join(elements)})"
    if con.include:
        sql += f" INCLUDE ({ident_list(con.include)})"
    if con.where:
        sql += f" WHERE ({as_reparsable(con.where)})"
    return sql + _deferrable(con.deferrable, con.initially_deferred)


def comment_on(kind: str, target: str, text: str | None) -> str:
    """``COMMENT ON <kind> <target> IS …``; ``target`` already quoted, ``None`` removes the comment."""
    return f"COMMENT ON {kind} {target} IS {literal(text)}"


def _table_comments(table: Table) -> list[str]:
    target = qualified(table.schema, table.name)
    kind = "FOREIGN TABLE" if table.server is not None else "TABLE"
    out = [comment_on(kind, target, table.comment)] if table.comment is not None else []
    out += [
        comment_on("COLUMN", f"{target}.{ident(c.name)}", c.comment) for c in table.columns if c.comment is not None
    ]
    return out


# --- tables and columns ----------------------------------------------------------------------


@statements.register
def _(change: CreateTable) -> list[str]:
    table = change.table_def
    lines = [column_definition(c, table.name) for c in table.columns if c.local]
    inline: list[Constraint] = []
    if table.primary_key:
        inline.append(table.primary_key)
    # A check declared NOT VALID is added after the table (CREATE TABLE has no NOT VALID).
    inline += [*table.uniques, *(c for c in table.checks if c.validated), *table.exclusions]
    if table.of_type is not None:
        # A typed table has its type's columns: only what it sets of its own is written.
        lines = [_typed_column(c) for c in table.columns if c.default is not None or not c.nullable]
    lines += [constraint_definition(c) for c in inline]
    body = ",\n    ".join(lines)
    # [sequences] UNLOGGED and storage parameters
    kind = "UNLOGGED TABLE" if table.unlogged else "FOREIGN TABLE" if table.server is not None else "TABLE"
    create = f"CREATE {kind} {qualified(table.schema, table.name)} (\n    {body}\n)"
    if table.of_type is not None:
        of = f"CREATE {kind} {qualified(table.schema, table.name)} OF {qualified(*table.of_type)}"
        create = of + (f" (\n    {body}\n)" if lines else "")
    if table.server is not None:  # [foreign]
        create += f" SERVER {ident(table.server)}" + _server_options(table.server_options)
    if table.options:
        create += f" WITH ({storage_parameters(written_options(table.options, table.options_text))})"
    if table.inherits:  # [inheritance] the parents, in order (they give the inherited columns)
        create += f" INHERITS ({', '.join(qualified(*parent) for parent in table.inherits)})"
    if table.partition_by is not None:  # [partitions]
        create += f" PARTITION BY {table.partition_by}"
    target = qualified(table.schema, table.name)
    local = [c for c in table.columns if c.local]
    # [foreign] a foreign table's columns' own options are steps of their own (SetForeignColumnOptions)
    return [create, *not_valid_not_nulls(target, local, table.name), *_own_settings(table, change.parents_not_null),
            *_table_comments(table)]


def _typed_column(col: Column) -> str:
    """``name WITH OPTIONS [DEFAULT …] [NOT NULL]``: a typed table's setting of one column."""
    parts = [ident(col.name), "WITH OPTIONS"]
    if col.default is not None:
        parts.append(f"DEFAULT {col.default}")
    if not col.nullable:
        parts.append("NOT NULL")
    return " ".join(parts)


def _own_settings(table: Table, given: frozenset[str]) -> list[str]:
    """[inheritance] The settings of the table's own on columns it has from its parents only:
    ``ALTER TABLE ONLY`` keeps them from the parents (and the column stays theirs to drop). A
    NOT NULL the parents give (``given``) is theirs, not set again."""
    out: list[str] = []
    for col in table.columns:
        if col.local:
            continue
        alter = f"ALTER TABLE ONLY {qualified(table.schema, table.name)} ALTER COLUMN {ident(col.name)}"
        out.append(f"{alter} SET DEFAULT {col.default}" if col.default is not None else f"{alter} DROP DEFAULT")
        if not col.nullable and col.name not in given:
            out.append(f"{alter} SET NOT NULL")
    return out


@statements.register
def _(change: DropTable) -> list[str]:
    kind = "FOREIGN TABLE" if change.table_def.server is not None else "TABLE"
    return [f"DROP {kind} {qualified(change.table_def.schema, change.table_def.name)}"]


def _server_options(options: tuple[tuple[str, str], ...]) -> str:
    # As ddl/foreign.py writes them (which imports this module, so cannot be imported here).
    return " OPTIONS (" + ", ".join(f"{ident(k)} {literal(v)}" for k, v in options) + ")" if options else ""


@statements.register
def _(change: SetTableComment) -> list[str]:
    return [comment_on("TABLE", qualified(change.schema, change.table_name), change.new)]


@statements.register
def _(change: AddColumn) -> list[str]:
    target = qualified(change.schema, change.table_name)
    out = [f"ALTER TABLE {target} ADD COLUMN {column_definition(change.column, change.table_name)}"]
    out += not_valid_not_nulls(target, [change.column], change.table_name)
    if change.column.comment is not None:
        out.append(comment_on("COLUMN", f"{target}.{ident(change.column.name)}", change.column.comment))
    return out


@statements.register
def _(change: DropColumn) -> list[str]:
    only = "ONLY " if change.only else ""  # [inheritance] the children keep their copies
    return [f"ALTER TABLE {only}{qualified(change.schema, change.table_name)} DROP COLUMN {ident(change.column.name)}"]


@statements.register
def _(change: AlterColumn) -> list[str]:
    """Alter one column in the order PostgreSQL accepts: identity off and the old default off
    first (a default of the old type may not cast), then the type, the new default,
    nullability (identity requires NOT NULL), identity on, and the comment."""
    old, new = change.old, change.new
    table = qualified(change.schema, change.table_name)
    alter = f"ALTER TABLE {table} ALTER COLUMN {ident(new.name)}"
    # [inheritance] a child's own default on an inherited column stops at the child
    alter_default = f"ALTER TABLE ONLY {table} ALTER COLUMN {ident(new.name)}" if change.only else alter
    out: list[str] = []
    default_changed = change.default_changed
    if old.identity is not None and new.identity is None:
        out.append(f"{alter} DROP IDENTITY")
    if old.default is not None and (change.type_changed or default_changed):
        out.append(f"{alter_default} DROP DEFAULT")
        sequence = owned_sequence(old.default)
        serial_to_identity = new.identity is not None and old.identity is None
        # A serial key becoming uuid (convert: regenerate) no longer draws from its sequence.
        leaves_numbers = change.type_changed and base_of(new.type) not in INTEGERS
        if sequence and (serial_to_identity or leaves_numbers) and not (new.default and "nextval" in new.default):
            # The identity brings its own sequence, or the column holds no numbers any more:
            # the serial's sequence would be left behind, unused.
            out.append(f"DROP SEQUENCE {'.'.join(ident(p) for p in sequence)}")
    if change.type_changed:
        if change.conversion is not None and change.conversion.regenerate:
            out[:0] = regenerate_prepare(change)
        using = using_expression(change)
        retype = f" TYPE {new.type}" + (f" USING {using}" if using else "")
        # [partitions, PostgreSQL 18] Partitions holding the NOT NULL under a name of their own
        # are out of the table for the change (deepest first), changed alone, and put back.
        detours = change.detours
        out += [f"ALTER TABLE {qualified(d.parent_schema, d.parent)} DETACH PARTITION {qualified(d.schema, d.name)}"
                for d in reversed(detours)]
        out.append(alter + retype)
        out += [f"ALTER TABLE {qualified(d.schema, d.name)} ALTER COLUMN {ident(new.name)}{retype}" for d in detours]
        # The bound is SQL the catalog printed (pg_get_expr).
        out += [f"ALTER TABLE {qualified(d.parent_schema, d.parent)} ATTACH PARTITION {qualified(d.schema, d.name)} "
                f"{d.bound}" for d in detours]
        out.extend(scratch_cleanup(change))
    if new.default is not None and (change.type_changed or default_changed):
        out.append(f"{alter_default} SET DEFAULT {new.default}")
    out += altered_not_null(table, old, new, change.table_name)
    if new.identity is not None and old.identity is None:
        out.append(f"{alter} ADD GENERATED {new.identity.value.upper()} AS IDENTITY")
        # A new identity starts at 1: move it past the existing values, or the next insert
        # collides with a row that is already there.
        out.append(
            f"SELECT setval(pg_get_serial_sequence({literal(table)}, {literal(new.name)}), "
            f"coalesce(max({ident(new.name)}), 0) + 1, false) FROM {table}"
        )
    elif new.identity is not None and old.identity is not None and new.identity != old.identity:
        kind = "ALWAYS" if new.identity is IdentityKind.ALWAYS else "BY DEFAULT"
        out.append(f"{alter} SET GENERATED {kind}")
    if old.comment != new.comment:
        out.append(comment_on("COLUMN", f"{table}.{ident(new.name)}", new.comment))
    return out


# --- constraints and indexes -----------------------------------------------------------------


@statements.register
def _(change: AddConstraint) -> list[str]:
    con = change.constraint
    # Declared `validated: false`: existing rows are left unchecked (NOT VALID).
    not_valid = (
        " NOT VALID" if isinstance(con, CheckConstraint | ForeignKey) and not con.validated and con.enforced else ""
    )
    return [f"ALTER TABLE {qualified(change.schema, change.table_name)} ADD {constraint_definition(con)}{not_valid}"]


@statements.register
def _(change: DropConstraint) -> list[str]:
    table = qualified(change.schema, change.table_name)
    return [
        f"ALTER TABLE {table} DROP CONSTRAINT {ident(change.constraint.name)}",
        *(f"ALTER TABLE {table} ALTER COLUMN {ident(c)} DROP NOT NULL" for c in change.nullable_again),
    ]


@statements.register
def _(change: CreateIndex) -> list[str]:
    return [index_definition(change.schema, change.table_name, change.index, concurrently=change.concurrently,
                             only=change.only)]


@statements.register
def _(change: DropIndex) -> list[str]:
    # CASCADE only for the partitions' keys over an index attached to this one (diff/attached_keys.py
    # checks that nothing else depends on them): they cannot be dropped before it, nor it before them.
    cascade = " CASCADE" if change.cascades else ""
    return [f"DROP INDEX {qualified(change.schema, change.index.name)}{cascade}"]
