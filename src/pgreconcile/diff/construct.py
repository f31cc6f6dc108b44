"""Constructors of the changes that several diff passes emit (the table comparison, renames,
dependent re-creation): each fills in the keys the ordering graph needs, in one place."""

from __future__ import annotations

from pgreconcile.diff import deps
from pgreconcile.diff.changes import AddConstraint, Constraint, CreateIndex, DropConstraint, DropIndex
from pgreconcile.diff.rls_changes import CreatePolicy, DropPolicy
from pgreconcile.model import Index, Policy, Schema, Table
from pgreconcile.model.keys import constraint_key, index_key, policy_key
from pgreconcile.normalize.expressions import canonical_index_element, equivalent


def add_constraint(table: Table, con: Constraint, desired: Schema, *, replaces: bool = False) -> AddConstraint:
    """ALTER TABLE … ADD CONSTRAINT, after the columns, table and referenced key it needs."""
    return AddConstraint(
        table.schema, table.name, con,
        needs=frozenset(deps.constraint_needs(table, con, desired)),
        creates=frozenset({constraint_key(table.schema, table.name, con.name)}),
        replaces=replaces,
    )


def drop_constraint(table: Table, con: Constraint, live: Schema, *, replaces: bool = False) -> DropConstraint:
    """ALTER TABLE … DROP CONSTRAINT, before anything it reads is removed."""
    ckey = constraint_key(table.schema, table.name, con.name)
    return DropConstraint(
        table.schema, table.name, con,
        removes=frozenset({ckey}),
        live_needs=frozenset(deps.constraint_needs(table, con, live) - {ckey}),
        replaces=replaces,
    )


def create_index(table: Table, index: Index, *, replaces: bool = False) -> CreateIndex:
    """CREATE INDEX, after the columns and extensions it needs."""
    return CreateIndex(
        table.schema, table.name, index,
        needs=frozenset(deps.index_needs(table, index)),
        creates=frozenset({index_key(table.schema, index.name)}),
        replaces=replaces,
    )


def drop_index(table: Table, index: Index, *, replaces: bool = False) -> DropIndex:
    """DROP INDEX, before the columns it reads are removed."""
    return DropIndex(
        table.schema, table.name, index,
        removes=frozenset({index_key(table.schema, index.name)}),
        live_needs=frozenset(deps.index_needs(table, index)),
        replaces=replaces,
    )


def create_policy(table: Table, policy: Policy, *, replaces: bool = False) -> CreatePolicy:
    """CREATE POLICY, after the table and the columns its expressions read."""
    return CreatePolicy(
        table.schema, table.name, policy,
        needs=frozenset(deps.policy_needs(table, policy)),
        creates=frozenset({policy_key(table.schema, table.name, policy.name)}),
        replaces=replaces,
    )


def drop_policy(table: Table, policy: Policy, live: Schema, *, replaces: bool = False) -> DropPolicy:
    """DROP POLICY, before any column it reads (per pg_depend, any table's) is altered or removed."""
    pkey = policy_key(table.schema, table.name, policy.name)
    reads = {key for key, found in live.dependents.items() if any(d.key == pkey for d in found)}
    return DropPolicy(
        table.schema, table.name, policy,
        rls_stays_on=table.rls_enabled,
        removes=frozenset({pkey}),
        live_needs=frozenset(deps.policy_needs(table, policy) | reads),
        replaces=replaces,
    )



def same_index(a: Index, b: Index) -> bool:
    """Whether two indexes are the same as PostgreSQL would build them: elements in canonical
    spelling, the predicate through the normalizer, every other attribute as is. The one
    definition for tables, partitions and materialized views; an index that differs is
    re-created."""
    return (
        (a.unique, a.method, a.include, a.nulls_not_distinct, a.options, len(a.elements))
        == (b.unique, b.method, b.include, b.nulls_not_distinct, b.options, len(b.elements))
        # Elements spelled alike are alike: only the others are parsed (an unchanged index of a
        # changed table would parse every key, and import the parser's renderer, for nothing).
        and all(x == y or canonical_index_element(x) == canonical_index_element(y)
                for x, y in zip(a.elements, b.elements, strict=True))
        and equivalent(a.where, b.where)
    )
