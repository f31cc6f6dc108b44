"""A table's constraints and indexes compared, and the foreign keys a re-created key takes along.

Split out of :mod:`.compare`, which calls these for every table it compares. A constraint or an
index that differs is dropped and created again under the same key (PostgreSQL alters neither in
place); ordering both is ``order/``'s job.
"""

from __future__ import annotations

import dataclasses

from pgreconcile.diff import deps
from pgreconcile.diff.changes import Change, Constraint, DropConstraint, DropIndex, constraint_key
from pgreconcile.diff.constraint_changes import ValidateConstraint, same_constraint, to_validate
from pgreconcile.diff.construct import add_constraint, create_index, drop_constraint, drop_index, same_index
from pgreconcile.diff.inheritance import inherited_checks  # [inheritance]
from pgreconcile.model import CheckConstraint, ForeignKey, PrimaryKey, Schema, Table, UniqueConstraint

# --- constraints -----------------------------------------------------------------------------


def _constraints(table: Table) -> dict[str, Constraint]:
    result: dict[str, Constraint] = {}
    if table.primary_key:
        result[table.primary_key.name] = table.primary_key
    others: list[Constraint] = [*table.uniques, *table.checks, *table.foreign_keys, *table.exclusions]
    for con in others:
        result[con.name] = con
    return result


def compare_constraints(table: Table, current: Table, desired: Schema, live: Schema, changes: list[Change]) -> None:
    """The constraints of ``table`` against its live form ``current``: added, dropped, re-created
    when they differ (PostgreSQL alters none in place), validated when only NOT VALID changed."""
    wanted = _constraints(table)
    existing = _constraints(current)
    for cname, con in wanted.items():
        old = existing.get(cname)
        if old is None:
            changes.append(add_constraint(table, con, desired))
        elif not same_constraint(con, old):
            changes.append(drop_constraint(current, old, live, replaces=True))
            changes.append(add_constraint(table, con, desired, replaces=True))
        elif to_validate(con, old):
            assert isinstance(con, CheckConstraint | ForeignKey)
            ckey = constraint_key(table.schema, table.name, cname)
            changes.append(ValidateConstraint(table.schema, table.name, con, needs=frozenset({ckey})))
    parents_checks = inherited_checks(desired, table) if table.inherits else {}  # [inheritance]
    for cname, old in existing.items():
        if isinstance(old, CheckConstraint) and old.inherited and cname in parents_checks:
            continue  # a parent's CHECK the child had before it was linked: it cannot be dropped
        if cname not in wanted:
            changes.append(drop_constraint(current, old, live))


def recreate_dependent_foreign_keys(desired: Schema, live: Schema, changes: list[Change]) -> None:
    """A primary key or unique constraint that is dropped or re-created takes the unique index
    that foreign keys elsewhere rely on: PostgreSQL refuses to drop it while they exist. Such
    foreign keys are dropped first and, where still declared, re-created after — even though
    their own declaration did not change."""
    gone = {
        c.key
        for c in changes
        if (isinstance(c, DropConstraint) and isinstance(c.constraint, PrimaryKey | UniqueConstraint))
        or (isinstance(c, DropIndex) and c.index.unique)
    }
    if not gone:
        return
    handled = {c.key for c in changes if isinstance(c, DropConstraint)}
    for (schema, name), table in sorted(live.tables.items()):
        wanted = desired.tables.get((schema, name))
        if wanted is None:
            continue  # the whole table goes; its foreign keys go with it
        for fk in table.foreign_keys:
            ref = deps.referenced_key_constraint(live, fk)
            if ref not in gone or constraint_key(schema, name, fk.name) in handled:
                continue
            reason = f"re-created: references {ref.rsplit('.', 1)[1]} of {fk.ref_schema}.{fk.ref_table}"
            changes.append(dataclasses.replace(drop_constraint(table, fk, live, replaces=True), reason=reason))
            again = next((f for f in wanted.foreign_keys if f.name == fk.name), None)
            if again is not None:
                changes.append(
                    dataclasses.replace(add_constraint(wanted, again, desired, replaces=True), reason=reason)
                )


# --- indexes ---------------------------------------------------------------------------------



def compare_indexes(table: Table, current: Table, changes: list[Change]) -> None:
    """The indexes of ``table`` against ``current``: created, dropped, re-created when they differ."""
    existing = {i.name: i for i in current.indexes}
    wanted = {i.name: i for i in table.indexes}
    for iname, index in wanted.items():
        old = existing.get(iname)
        if old is None:
            changes.append(create_index(table, index))
        elif not same_index(index, old):
            changes.append(drop_index(current, old, replaces=True))
            changes.append(create_index(table, index, replaces=True))
    for iname, old in existing.items():
        if iname not in wanted:
            changes.append(drop_index(current, old))
