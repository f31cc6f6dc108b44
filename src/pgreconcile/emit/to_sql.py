"""A schema → SQL declarations (``reconcile inspect --format sql``).

The SQL is not written by a second renderer: it is the plan that would build ``schema`` in an
empty database, made by the same planner and DDL renderer as every plan. So the output orders
statements by the same dependency graph (types before the tables that use them, tables before
the foreign keys into them), and loading it back as an SQL desired state
(:mod:`pgreconcile.declare.sql.source`) reads back the schema it was written from.
"""

from __future__ import annotations

import dataclasses

from pgreconcile.emit.privileges import as_declared  # [privileges]
from pgreconcile.emit.subscriptions import subscriptions_declared  # [subscriptions]
from pgreconcile.model.objects import Namespace
from pgreconcile.model.schema import Schema
from pgreconcile.plan.build import make_plan

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
    """SQL statements that create ``schema`` in a new database, one blank line between steps.

    Sequences are steps like any other: a serial column's sequence is created before its table
    and given to its column after it (``OWNED BY``), as ``serial`` itself would."""
    declared = as_declared(schema)  # [privileges] the access inspect writes, not every owner
    declared = subscriptions_declared(declared)  # [subscriptions] without owners; passwords masked by the plan
    # Extension versions are not written (as in YAML and Python): a declaration pins one only
    # when someone chooses to.
    declared = dataclasses.replace(declared, extensions={
        name: dataclasses.replace(ext, version=None, reachable=()) for name, ext in declared.extensions.items()
    })
    # Read from a catalog: nothing to digest (no plan file is written) and every expression is
    # PostgreSQL's own text (nothing to parse); both cost more than the comparison at scale.
    plan = make_plan(declared, empty_database(schema), source="inspect", target="an empty database",
                     digest=False, check=False)
    blocks = [HEADER.rstrip("\n")]
    for step in plan.steps:
        blocks.append("\n".join(f"{sql};" for sql in step.statements))
    return "\n\n".join(blocks) + "\n"
