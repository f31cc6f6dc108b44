"""Objects that read a column, and their re-creation around the changes that break them.

PostgreSQL refuses to retype a column that a policy or a view reads, and to drop a column that a
policy, a view or another table's foreign key reads. A retype that rewrites the table also
rebuilds every index and constraint on the column — and a foreign key between two columns that
change type one after the other cannot survive the moment between them. So, for each column a
plan retypes or drops, every live object that reads it is dropped before the change and, when it
is still declared, re-created after — even when its own declaration did not change. The plan
shows each as ``-/+ … re-created: reads column id``.

Which objects read a column: pg_depend for policies (on any table, through subqueries) and
every unmanaged kind; the model for keys, foreign keys and indexes (column lists) and for CHECK
and index expressions (parsed with sqlglot, only for the columns a plan changes). Triggers are
re-created around the change too (diff/routines.py). Unmanaged readers (views, SQL-standard
functions) cannot be re-created by this tool: the plan is refused, naming them, rather than
failing halfway through apply.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from pgreconcile.diff import construct, deps
from pgreconcile.diff.changes import (
    AddConstraint,
    AlterColumn,
    Change,
    Constraint,
    CreateIndex,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropTable,
)
from pgreconcile.diff.partition_objects import onto_parent
from pgreconcile.diff.rls_changes import AlterPolicy, CreatePolicy, DropPolicy
from pgreconcile.diff.triggers import recreate_trigger_readers  # [routines]
from pgreconcile.model import Dependent, ForeignKey, Index, Partition, Policy, Schema, Table
from pgreconcile.model.keys import column_key, constraint_key, index_key, policy_key, table_key
from pgreconcile.normalize.expressions import column_refs
from pgreconcile.normalize.index_elements import element_column, split_index_element

Readable = Constraint | Index | Policy


@dataclass(frozen=True)
class Reader:
    """A managed live object that reads a column, and the table it belongs to. [partitions] A
    partition's own policy has the partition as a table of its own (with the columns of ``top``,
    its top-level table, whose columns they are)."""

    table: Table
    obj: Readable
    top: Table | None = None

    @property
    def key(self) -> str:
        return object_key(self.table, self.obj)


def object_key(table: Table, obj: Readable) -> str:
    """The change key of a table's constraint, index or policy."""
    if isinstance(obj, Policy):
        return policy_key(table.schema, table.name, obj.name)
    if isinstance(obj, Index):
        return index_key(table.schema, obj.name)
    return constraint_key(table.schema, table.name, obj.name)


def readers(live: Schema, schema: str, table_name: str, column: str) -> tuple[list[Reader], list[Dependent]]:
    """The managed objects that read ``schema.table_name.column``, and the unmanaged ones."""
    table = live.tables[(schema, table_name)]
    found = _outside_model(live, live.dependents.get(column_key(schema, table_name, column), ()))
    expression_readers = {d.key for d in found if d.managed}
    out: list[Reader] = []
    if table.primary_key and column in table.primary_key.columns:
        out.append(Reader(table, table.primary_key))
    out += [Reader(table, u) for u in table.uniques if column in u.columns]
    out += [Reader(table, fk) for fk in table.foreign_keys if column in fk.columns]
    # CHECK and index expressions are parsed here, for the few columns a plan changes, rather
    # than read from pg_depend for every table (see queries/dependents.sql).
    out += [Reader(table, check) for check in table.checks if column in column_refs(check.expression)]
    # [constraints-types] an exclusion constraint is rebuilt with the column like an index.
    ckey = column_key(schema, table_name, column)
    out += [Reader(table, x) for x in table.exclusions if ckey in deps.exclusion_needs(table, x)]
    for index in table.indexes:
        plain = {element_column(e) for e in index.elements} | set(index.include)
        expressions = [split_index_element(e)[0] for e in index.elements if element_column(e) is None]
        read = set().union(*(column_refs(x) for x in expressions)) if expressions else set()
        if index.where:
            read |= column_refs(index.where)
        if column in plain or column in read:
            out.append(Reader(table, index))
    for other in live.tables.values():
        for fk in other.foreign_keys:
            if (fk.ref_schema, fk.ref_table) == (schema, table_name) and column in fk.ref_columns and other != table:
                out.append(Reader(other, fk))
        for policy in other.policies:
            if policy_key(other.schema, other.name, policy.name) in expression_readers:
                out.append(Reader(other, policy))
        for own in _partition_tables(other):  # [partitions] their own policies
            for policy in own.policies:
                if policy_key(own.schema, own.name, policy.name) in expression_readers:
                    out.append(Reader(own, policy, other))
    unmanaged = [d for d in found if not d.managed]
    return out, unmanaged


def _outside_model(live: Schema, found: Iterable[Dependent]) -> list[Dependent]:
    """``found`` without the foreign keys of tables in the managed schemas: the model holds
    those (as Reader above), only keys of tables outside them are dependents of their own."""
    return [
        d for d in found
        if not (d.key.startswith("foreign key:") and d.table is not None and d.table[0] in live.managed)
    ]


def _table_dependents(live: Schema, table: Table) -> list[Dependent]:
    """Unmanaged objects reading any column of ``table`` or the table itself."""
    keys = [table_key(table.schema, table.name)] + [column_key(table.schema, table.name, c.name) for c in table.columns]
    seen: dict[str, Dependent] = {}
    for key in keys:
        for dep in _outside_model(live, live.dependents.get(key, ())):
            if not dep.managed and dep.table != (table.schema, table.name):
                seen.setdefault(dep.key, dep)
    return list(seen.values())


def _partition_tables(top: Table) -> list[Table]:
    """[partitions] Each partition of ``top`` (every level) as a table of its own policies and RLS
    switches, with ``top``'s columns."""
    out: list[Table] = []

    def level(schema: str, parts: tuple[Partition, ...]) -> None:
        for part in parts:
            where = part.schema or schema
            if part.policies:
                out.append(Table(where, part.name, columns=top.columns, policies=part.policies,
                                 rls_enabled=part.rls_enabled, rls_forced=part.rls_forced))
            level(where, part.partitions)

    level(top.schema, top.partitions)
    return out


def _declared_twin(desired: Schema, reader: Reader) -> tuple[Table, Readable] | None:
    """The declared object with the same key as a live reader, if it is still declared."""
    table = desired.tables.get((reader.table.schema, reader.table.name))
    if reader.top is not None:  # [partitions] a partition's own policy
        top = desired.tables.get((reader.top.schema, reader.top.name))
        owned = _partition_tables(top) if top is not None else []
        table = next((t for t in owned if (t.schema, t.name) == (reader.table.schema, reader.table.name)), None)
    if table is None:
        return None
    pool: Iterable[Readable]
    if isinstance(reader.obj, Policy):
        pool = table.policies
    elif isinstance(reader.obj, Index):
        pool = table.indexes
    else:
        pool = [*([table.primary_key] if table.primary_key else []), *table.uniques, *table.foreign_keys,
                *table.checks, *table.exclusions]
    twin = next((o for o in pool if o.name == reader.obj.name and type(o) is type(reader.obj)), None)
    return (table, twin) if twin is not None else None


def _breaking(changes: list[Change]) -> list[tuple[str, str, str, str, str]]:
    """``(schema, table, column, scope, why)`` for each column a change breaks. ``scope`` is
    ``all`` (a rewriting retype: every reader), ``policies`` (a retype PostgreSQL does in place:
    only what it refuses to keep) or ``drop``."""
    out = []
    for c in changes:
        if isinstance(c, AlterColumn) and c.type_changed:
            scope = "all" if c.type_rewrites else "policies"
            out.append((c.schema, c.table_name, c.old.name, scope, f"reads column {c.old.name}"))
            # [inheritance] the children's copies of the column change with it
            out += [(s, t, c.old.name, scope, f"reads column {c.old.name}") for s, t in c.followers]
        elif isinstance(c, DropColumn) and c.replaces:
            # [sequences] a generated column dropped and added again: its readers go and come back.
            out.append((c.schema, c.table_name, c.column.name, "all", f"reads column {c.column.name}"))
        elif isinstance(c, DropColumn) and not (c.reason or "").startswith("dropped first"):
            why = f"reads column {c.column.name}, which is dropped"
            out.append((c.schema, c.table_name, c.column.name, "drop", why))
            out += [(s, t, c.column.name, "all", why) for s, t in c.followers]  # [inheritance]
    return out


def _in_scope(reader: Reader, scope: str, schema: str, table_name: str) -> bool:
    if isinstance(reader.obj, Policy):
        return True
    if scope == "policies":
        return False
    if scope == "drop":
        # DROP COLUMN takes the table's own indexes and constraints on the column with it; a
        # foreign key in another table must go first.
        return isinstance(reader.obj, ForeignKey) and (reader.table.schema, reader.table.name) != (schema, table_name)
    return True


def recreate_readers(desired: Schema, live: Schema, changes: list[Change]) -> tuple[list[Change], list[str]]:
    """The changes with every broken reader dropped first and re-created after, plus refusals
    for unmanaged readers."""
    refusals: list[str] = []
    drops = {c.key for c in changes if isinstance(c, DropConstraint | DropIndex | DropPolicy)}
    creates = {c.key: i for i, c in enumerate(changes) if isinstance(c, AddConstraint | CreateIndex | CreatePolicy)}
    out = list(changes)
    done: set[str] = set()
    for schema, table_name, column, scope, base_why in _breaking(changes):
        if (schema, table_name) not in live.tables:
            continue
        managed, unmanaged = readers(live, schema, table_name, column)
        # [routines] triggers are managed: re-created around the change rather than refused.
        out, unmanaged = recreate_trigger_readers(
            unmanaged, desired, live, out, column_key(schema, table_name, column), base_why
        )
        verb = "drops" if scope == "drop" else "changes the type of"
        refusals.extend(
            f"{d.label} reads column {schema}.{table_name}.{column}, which this plan {verb}; pgreconcile does not "
            f"manage {_kinds(d)}, so PostgreSQL would refuse the change mid-apply. Drop it before "
            "applying and re-create it afterwards, or leave the column as it is"
            for d in unmanaged
        )
        for reader in managed:
            key = reader.key
            why = base_why
            if key in done or not _in_scope(reader, scope, schema, table_name):
                continue
            done.add(key)
            if (reader.table.schema, reader.table.name) != (schema, table_name):
                why = why.replace(f"column {column}", f"column {column} of {schema}.{table_name}", 1)
            reason = f"re-created: {why}"
            twin = _declared_twin(desired, reader)
            if key in drops:
                continue  # the comparison already drops it (and re-creates it if declared)
            out = [c for c in out if not (isinstance(c, AlterPolicy) and c.key == key)]
            drop = _onto_top(drop_reader(reader, live, replaces=twin is not None), reader.top, reader.table)
            out.append(dataclasses.replace(drop, reason=reason if twin else f"dropped: {why}"))
            if twin is None:
                continue
            if key in creates:
                i = out.index(changes[creates[key]])
                out[i] = dataclasses.replace(out[i], replaces=True, reason=reason)
            else:
                made = _onto_top(_create(*twin, desired), reader.top, twin[0])
                out.append(dataclasses.replace(made, reason=reason))
    for c in changes:
        if isinstance(c, DropTable):
            refusals.extend(
                f"{d.label} reads table {c.table_def.qualified}, which this plan drops; pgreconcile does not "
                f"manage {_kinds(d)}. Drop it first, or keep the table"
                for d in _table_dependents(live, c.table_def)
            )
    return out, refusals


def _kinds(dependent: Dependent) -> str:
    """The plural of an unmanaged dependent's kind (``materialized views``), from its key."""
    kind = dependent.key.partition(":")[0]
    if kind == "foreign key":
        return "foreign keys of tables outside the managed schemas"
    return f"{kind}s"


def drop_reader(reader: Reader, live: Schema, *, replaces: bool = False) -> Change:
    """The change that drops a reader (a policy, an index or a constraint)."""
    if isinstance(reader.obj, Policy):
        return construct.drop_policy(reader.table, reader.obj, live, replaces=replaces)
    if isinstance(reader.obj, Index):
        return construct.drop_index(reader.table, reader.obj, replaces=replaces)
    return construct.drop_constraint(reader.table, reader.obj, live, replaces=replaces)


def _onto_top(change: Change, top: Table | None, own: Table) -> Change:
    """[partitions] A partition's policy change needs the top-level table's columns."""
    return change if top is None else onto_parent(change, top, own)


def _create(table: Table, obj: Readable, desired: Schema) -> Change:
    if isinstance(obj, Policy):
        return construct.create_policy(table, obj, replaces=True)
    if isinstance(obj, Index):
        return construct.create_index(table, obj, replaces=True)
    return construct.add_constraint(table, obj, desired, replaces=True)
