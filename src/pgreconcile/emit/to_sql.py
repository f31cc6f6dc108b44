"""A schema → SQL declarations (``reconcile inspect --format sql``).

The SQL is not written by a second renderer: it is the plan that would build ``schema`` in an
empty database, made by the same planner and DDL renderer as every plan. So the output orders
statements by the same dependency graph (types before the tables that use them, tables before
the foreign keys into them), and loading it back as an SQL desired state
(:mod:`pgreconcile.declare.sql.source`) reads back the schema it was written from.
"""

from __future__ import annotations

import re

from pgreconcile.diff.changes import Action
from pgreconcile.emit.privileges import as_declared  # [privileges]
from pgreconcile.model.keys import table_key
from pgreconcile.model.objects import Column, Namespace, Schema, Table
from pgreconcile.plan.build import make_plan
from pgreconcile.quoting import ident, qualified

# Every new database has a `public` schema with this comment (PostgreSQL 11+): the "empty
# database" the plan starts from has it too, so the output neither creates `public` (which
# would fail where it exists) nor repeats its stock comment.
FRESH_PUBLIC = Namespace("public", "standard public schema")

HEADER = (
    "-- Desired state written by `reconcile inspect --format sql`.\n"
    "-- SQL files in the schema directory are run, in sorted order, into a scratch database\n"
    "-- and read back (docs/sql-desired-state.md).\n"
)


def empty_database(schema: Schema) -> Schema:
    """The state of a new database, as seen by a plan for ``schema``'s managed schemas: only
    ``public`` exists, and tables outside the managed schemas are referable as they are live."""
    namespaces = {"public": FRESH_PUBLIC} if "public" in schema.managed else {}
    return Schema(namespaces=namespaces, managed=schema.managed, external_tables=dict(schema.external_tables))


def emit_sql(schema: Schema) -> str:
    """SQL statements that create ``schema`` in a new database, one blank line between steps."""
    declared = as_declared(schema)  # [privileges] the access inspect writes, not every owner
    plan = make_plan(declared, empty_database(schema), source="inspect", target="an empty database")
    sequences = {table_key(t.schema, t.name): _owned_sequences(t) for t in schema.tables.values()}
    blocks = [HEADER.rstrip("\n")]
    for step in plan.steps:
        owned = sequences.get(step.key, []) if step.action is Action.CREATE else []
        lines = [f"CREATE SEQUENCE {seq}{_as(col.type)};" for seq, _, col in owned]
        lines += [f"{sql};" for sql in step.statements]
        lines += [f"ALTER SEQUENCE {seq} OWNED BY {table}.{ident(col.name)};" for seq, table, col in owned]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


# A serial column's default, as the catalog prints it: nextval('public.events_id_seq'::regclass).
_NEXTVAL = re.compile(r"^nextval\('((?:[^']|'')+)'::regclass\)$")
_QUALIFIED_PART = re.compile(r'"((?:[^"]|"")*)"|([^."]+)')


def _owned_sequences(table: Table) -> list[tuple[str, str, Column]]:
    """(sequence, table, column) for every column whose default draws from a sequence.

    The model holds a serial column as an integer with a ``nextval()`` default and no sequence;
    the sequence is written out here, owned by its column as ``serial`` would make it, so that
    the SQL runs in a new database and reads back as the same column."""
    found = []
    for col in table.columns:
        match = _NEXTVAL.match(col.default or "")
        parts = _regclass_parts(match.group(1).replace("''", "'")) if match else None
        if parts is not None:
            found.append((qualified(*parts), qualified(table.schema, table.name), col))
    return found


def _regclass_parts(text: str) -> tuple[str, str] | None:
    """``schema.name`` as ``regclass`` prints it (parts quoted when needed) → its two names."""
    parts = []
    position = 0
    while position <= len(text):
        part = _QUALIFIED_PART.match(text, position)
        if part is None:
            return None
        parts.append(part.group(1).replace('""', '"') if part.group(1) is not None else part.group(2))
        position = part.end()
        if position == len(text):
            break
        if text[position] != ".":
            return None
        position += 1
    return (parts[0], parts[1]) if len(parts) == 2 else None


def _as(column_type: str) -> str:
    # A sequence is bigint unless told otherwise; serial and smallserial make theirs match.
    return f" AS {column_type}" if column_type in ("smallint", "integer") else ""
