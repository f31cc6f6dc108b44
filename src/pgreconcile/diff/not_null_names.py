"""PostgreSQL 18 keeps each NOT NULL as a named constraint (``<table>_<column>_not_null`` unless
written otherwise). The name stays when the table or the column is renamed and when a
partition is detached (its NOT NULLs keep the parent's names), so a live table can hold names
that a table created from the declarations would not. Where both sides know the name — the
declarations were read from a catalog of 18 or later, as SQL files are — a NOT NULL that both
hold under different names is renamed, and so is one declared with a name (``not_null:`` in
YAML and Python). A NOT NULL the plan adds gets the declared name when it is added
(ddl/not_nulls.py); one declared without a name leaves the live name alone. Also here: whether
a NOT NULL both hold changes otherwise (NOT VALID to validate, NO INHERIT), which the column's
own change carries out.
"""

from __future__ import annotations

from pgreconcile.diff.actions import Action
from pgreconcile.diff.changes import Change
from pgreconcile.diff.partition_not_nulls import KIND, blocked_by_partitions
from pgreconcile.diff.rename_changes import RenameConstraint
from pgreconcile.model import Column, Schema
from pgreconcile.model.keys import column_key, constraint_key, table_key


def not_null_renames(desired: Schema, live: Schema, changes: list[Change], notes: list[str]) -> list[Change]:
    """``RENAME CONSTRAINT`` for each NOT NULL held on both sides under another name. Columns the
    plan adds (or drops and adds again) are left out: they come with their declared name. So is
    a rename PostgreSQL would fail on, because a partition holds the NOT NULL under another
    name (it renames the partitions' along): said in ``notes`` instead."""
    created = {c.key for c in changes if c.action is Action.CREATE or c.replaces}
    out: list[Change] = []
    for key, table in sorted(desired.tables.items()):
        # Only declarations read from a catalog of 18 or later name their NOT NULLs: most plans
        # have no named one at all, and skip every table here without looking at the live side.
        named = [(c, c.not_null_name) for c in table.columns if c.not_null_name is not None and not c.nullable]
        current = live.tables.get(key) if named else None
        if current is None:
            continue
        live_columns = {c.name: c for c in current.columns}
        for col, name in named:
            old = live_columns.get(col.name)
            if old is None or old.nullable or column_key(table.schema, table.name, col.name) in created:
                continue
            if old.not_null_name is None or name == old.not_null_name:
                continue
            blocked = blocked_by_partitions(current, col.name, old.not_null_name)
            if blocked:
                notes.append(
                    f"{KIND} {old.not_null_name} of table {current.qualified} (declared as {name}: PostgreSQL "
                    f"renames it on every partition too, and {', '.join(blocked)} holds it under another name)"
                )
                continue
            out.append(
                RenameConstraint(
                    table.schema, table.name, old.not_null_name, name, KIND,
                    needs=frozenset({table_key(table.schema, table.name)}),
                    # The column's own change may name the NOT NULL ([NO] INHERIT): by this name.
                    creates=frozenset({constraint_key(table.schema, table.name, name)}),
                    reason="PostgreSQL 18 keeps a NOT NULL's name across renames and detaches",
                )
            )
    return out


def not_null_differs(new: Column, old: Column) -> bool:
    """Both hold a NOT NULL and the live one is to be validated or changes NO INHERIT (a
    validated live one satisfies one declared ``validated: false``, as for a CHECK)."""
    if new.nullable or old.nullable:
        return False
    return (new.not_null_validated and not old.not_null_validated) or new.not_null_no_inherit != old.not_null_no_inherit


def not_null_needs(schema: str, table: str, new: Column, old: Column) -> frozenset[str]:
    """The NOT NULL's key under its declared name when the column's change switches its [NO]
    INHERIT (which names it) and a rename gives it that name first."""
    if not not_null_differs(new, old) or new.not_null_no_inherit == old.not_null_no_inherit:
        return frozenset()
    if new.not_null_name is None or old.not_null_name in (None, new.not_null_name):
        return frozenset()
    return frozenset({constraint_key(schema, table, new.not_null_name)})
