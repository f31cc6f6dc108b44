"""Compare what a column is besides its type, default and nullability — a generated
expression, a collation, compression, storage, its identity's sequence options — and a
table's UNLOGGED switch, storage parameters and replica identity.

A generated expression cannot be altered in place: a changed one, or one changing between
STORED and VIRTUAL (PostgreSQL 18), is the column dropped and added again (its values are
recomputed, which rewrites the table unless it is virtual); a plain column becoming generated
loses its values (gated like any drop); a stored generated column becoming plain keeps them
(``DROP EXPRESSION``). PostgreSQL refuses DROP EXPRESSION on a virtual column, which stores
nothing to keep: it is dropped and added again as a plain column. Never is a declared
generated column created as a plain one.
"""

from __future__ import annotations

import dataclasses

from pgreconcile.diff import deps
from pgreconcile.diff.actions import Action
from pgreconcile.diff.changes import AddColumn, AlterColumn, Change, DropColumn
from pgreconcile.diff.column_option_changes import (
    AddGeneratedColumn,
    AlterColumnOptions,
    DropColumnExpression,
    DropGeneratedColumn,
    SetClusterOn,
    SetIdentityLogged,
    SetReplicaIdentity,
    SetTableOptions,
)
from pgreconcile.model import Column, Schema, Table
from pgreconcile.model.keys import column_key, constraint_key, index_key, table_key
from pgreconcile.normalize.expressions import column_refs, equivalent


def _options(col: Column, identity: bool) -> tuple[object, ...]:
    # An identity's options matter only while the declared column is an identity (dropping the
    # identity drops its sequence, options and all).
    return (col.collation, col.compression, col.storage, col.statistics, col.options,
            col.identity_options if identity else None, col.identity_sequence if identity else None)


def _after_create(col: Column) -> Column | None:
    """The column as CREATE TABLE / ADD COLUMN leaves it when it has settings those cannot
    write (STORAGE before PostgreSQL 16, a statistics target, attribute options), else None."""
    if col.storage is None and col.statistics is None and not col.options:
        return None
    return dataclasses.replace(col, storage=None, statistics=None, options=())


def compare_column_options(
    desired: Schema, live: Schema, changes: list[Change], unchanged: frozenset[tuple[str, str]] = frozenset()
) -> list[Change]:
    """``changes`` with generated columns handled and option changes added. ``unchanged``: keys
    of tables known to equal their live selves (nothing of theirs to compare)."""
    out: list[Change] = []
    replaced: set[tuple[str, str, str]] = set()
    extra: list[Change] = []
    for key, table in sorted(desired.tables.items()):
        current = live.tables.get(key)
        if current is None:
            extra += _new_table_options(table)
        elif key not in unchanged and table != current:
            extra += _existing_table(table, current, replaced)
        extra += _replica_identity(table, current, changes)
        extra += _cluster_on(table, current, changes)
    for change in changes:
        if isinstance(change, AddColumn) and change.column.generated is not None:
            change = AddGeneratedColumn(
                change.schema, change.table_name, change.column,
                needs=change.needs | _reads(change.schema, change.table_name, change.column),
                creates=change.creates, replaces=change.replaces, reason=change.reason,
            )
        elif isinstance(change, AlterColumn) and (change.schema, change.table_name, change.new.name) in replaced:
            continue  # the column is dropped and added again: the new definition says it all
        out.append(change)
    return out + extra


def _new_table_options(table: Table) -> list[Change]:
    """Storage cannot be written in CREATE TABLE before PostgreSQL 16, a statistics target and
    attribute options not at all: set after it."""
    tkey = table_key(table.schema, table.name)
    return [
        AlterColumnOptions(
            table.schema, table.name, bare, col,
            needs=frozenset({tkey, column_key(table.schema, table.name, col.name)}),
        )
        for col in table.columns
        if (bare := _after_create(col)) is not None
    ]


def _replica_identity(table: Table, current: Table | None, changes: list[Change]) -> list[Change]:
    """``REPLICA IDENTITY`` when it differs, or when the plan (re-)creates the index it names:
    a dropped index takes the setting with it."""
    wanted = (table.replica_identity, table.replica_index)
    had = (current.replica_identity, current.replica_index) if current is not None else ("default", None)
    needs = {table_key(table.schema, table.name)}
    if table.replica_index is not None:
        rebuilt = _made_by_plan(table, table.replica_index, changes)
        if wanted == had and not rebuilt:
            return []
        needs |= set(rebuilt)
    elif wanted == had:
        return []
    return [SetReplicaIdentity(table.schema, table.name, *wanted, *had, new_table=current is None,
                               needs=frozenset(needs))]


def _made_by_plan(table: Table, index: str, changes: list[Change]) -> list[str]:
    """The keys of the plan's changes that (re-)create ``index`` of ``table``: the index of a
    primary key or unique constraint is named after it, so either key creates it."""
    made = {index_key(table.schema, index), constraint_key(table.schema, table.name, index)}
    return [c.key for c in changes if c.action is Action.CREATE and c.key in made]


def _cluster_on(table: Table, current: Table | None, changes: list[Change]) -> list[Change]:
    """``CLUSTER ON`` when the mark differs, or when the plan (re-)creates the marked index
    (a dropped index takes the mark with it); ``SET WITHOUT CLUSTER`` when none is declared."""
    had = current.cluster_on if current is not None else None
    needs = {table_key(table.schema, table.name)}
    if table.cluster_on is not None:
        rebuilt = _made_by_plan(table, table.cluster_on, changes)
        if table.cluster_on == had and not rebuilt:
            return []
        needs |= set(rebuilt)
    elif had is None:
        return []
    return [SetClusterOn(table.schema, table.name, table.cluster_on, had, needs=frozenset(needs))]


def _existing_table(table: Table, current: Table, replaced: set[tuple[str, str, str]]) -> list[Change]:
    schema, name = table.schema, table.name
    tkey = table_key(schema, name)
    out: list[Change] = []
    if (table.unlogged, table.options) != (current.unlogged, current.options):
        out.append(
            SetTableOptions(
                schema, name, table.unlogged, current.unlogged, table.options, current.options,
                table.options_text, needs=frozenset({tkey}),
            )
        )
    live_columns = {c.name: c for c in current.columns}
    for col in table.columns:
        old = live_columns.get(col.name)
        ckey = column_key(schema, name, col.name)
        if old is None:
            bare = _after_create(col)  # ADD COLUMN cannot say these either
            if bare is not None:
                out.append(AlterColumnOptions(schema, name, bare, col, needs=frozenset({tkey, ckey})))
            continue
        same_kind = col.virtual == old.virtual
        if col.generated is not None and not (
            old.generated is not None and same_kind and equivalent(col.generated, old.generated)
        ):
            replaced.add((schema, name, col.name))
            drop_class = DropGeneratedColumn if old.generated is not None else DropColumn
            if old.generated is None:
                why = "becomes a generated column"
            elif same_kind:
                why = "expression changed"
            else:
                why = "becomes " + ("virtual" if col.virtual else "stored")
            out.append(
                drop_class(
                    schema, name, old,
                    removes=frozenset({ckey}),
                    live_needs=frozenset(deps.column_needs(old)),
                    replaces=True,
                    reason=f"re-created: {why}",
                )
            )
            out.append(
                AddGeneratedColumn(
                    schema, name, col,
                    needs=frozenset({tkey} | deps.column_needs(col)) | _reads(schema, name, col),
                    creates=frozenset({ckey}),
                    replaces=True,
                    reason=f"re-created: {why}",
                )
            )
            out += _settings_again(schema, name, col)
            continue
        if col.generated is None and old.generated is not None and old.virtual:
            replaced.add((schema, name, col.name))
            why = "re-created: a virtual generated column becomes plain (PostgreSQL cannot DROP EXPRESSION on it)"
            out.append(DropGeneratedColumn(schema, name, old, removes=frozenset({ckey}),
                                           live_needs=frozenset(deps.column_needs(old)), replaces=True, reason=why))
            out.append(AddColumn(schema, name, col, needs=frozenset({tkey} | deps.column_needs(col)),
                                 creates=frozenset({ckey}), replaces=True, reason=why))
            out += _settings_again(schema, name, col)
            continue
        if col.generated is None and old.generated is not None:
            out.append(DropColumnExpression(schema, name, col, needs=frozenset({tkey})))
        renamed = frozenset({ckey + _IDENTITY_NAMED})
        if _options(col, col.identity is not None) != _options(old, col.identity is not None):
            out.append(AlterColumnOptions(schema, name, old, col, needs=frozenset({tkey}), creates=renamed))
        if col.identity is not None:
            out += _identity_persistence(table, current, col, old, needs=frozenset({tkey, ckey}) | renamed)
    return out


# What renaming an identity's sequence makes exist: its persistence is set by the new name.
_IDENTITY_NAMED = "#identity sequence named"


def _identity_persistence(table: Table, current: Table, col: Column, old: Column,
                          needs: frozenset[str]) -> list[Change]:
    """``ALTER SEQUENCE … SET LOGGED / UNLOGGED`` for an identity's sequence that would otherwise
    end up as its table leaves it: a new identity's follows the table, and so does one whose
    table's SET LOGGED / UNLOGGED carries it along (PostgreSQL 15+)."""
    wanted = table.unlogged if col.identity_unlogged is None else col.identity_unlogged
    now = current.unlogged if old.identity_unlogged is None else old.identity_unlogged
    after = table.unlogged if old.identity is None or table.unlogged != current.unlogged else now
    if wanted == after:
        return []
    # ``was``: as it is live, or None when it is a new identity's (made as its table is).
    was = None if old.identity is None else now
    return [SetIdentityLogged(table.schema, table.name, col, unlogged=wanted, was_unlogged=was, needs=needs)]


def _settings_again(schema: str, table: str, col: Column) -> list[Change]:
    """What a column added again (re-created) must have set after its ADD COLUMN."""
    bare = _after_create(col)
    if bare is None:
        return []
    needs = frozenset({table_key(schema, table), column_key(schema, table, col.name)})
    return [AlterColumnOptions(schema, table, bare, col, needs=needs)]


def _reads(schema: str, table: str, col: Column) -> frozenset[str]:
    """The columns a generation expression reads: they must exist before it is added (a plan may
    add them too)."""
    return frozenset(column_key(schema, table, c) for c in column_refs(col.generated or "") if c != col.name)
