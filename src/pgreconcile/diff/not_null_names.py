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
from pgreconcile.diff.changes import AlterColumn, Change
from pgreconcile.diff.partition_not_nulls import KIND, blocked_by_partitions
from pgreconcile.diff.rename_changes import RenameConstraint
from pgreconcile.model import Column, Schema, Table
from pgreconcile.model.keys import column_key, constraint_key, table_key


def not_null_renames(desired: Schema, live: Schema, changes: list[Change], notes: list[str]) -> list[Change]:
    """``RENAME CONSTRAINT`` for each NOT NULL held on both sides under another name. Columns the
    plan adds (or drops and adds again) are left out: they come with their declared name. So is
    a rename PostgreSQL would fail on, said in ``notes`` instead: one that a partition or an
    inheritance child holds under another name (PostgreSQL renames theirs along, and finds none
    there), and one a table inherits from a parent (PostgreSQL renames only the parent's, which
    takes the children's of the same name along)."""
    created = {c.key for c in changes if c.action is Action.CREATE or c.replaces}
    wanted: list[tuple[Table, Table, Column, str, str]] = []
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
            held = _held_name(old)
            if held is None or name == held:
                continue
            wanted.append((table, current, old, held, name))
    children = _children(live) if wanted and live_inherits(live) else {}
    out: list[Change] = []
    along: dict[tuple[str, str, str], str] = {}  # (schema, table, column) → the name a parent's rename gives
    inherited: list[tuple[Table, Table, Column, str, str]] = []
    for table, current, old, old_name, name in wanted:
        if old.not_null_name is None:  # inherited from a parent (read so from 18 on)
            inherited.append((table, current, old, old_name, name))
            continue
        blocked = blocked_by_partitions(current, old.name, old_name)
        blocked += _blocked_by_children(children, current, old.name, old_name)
        if blocked:
            notes.append(
                f"{KIND} {old_name} of table {current.qualified} (declared as {name}: PostgreSQL "
                f"renames it on every partition and child table too, and {', '.join(blocked)} holds it under "
                "another name)"
            )
            continue
        for child in _descendants(children, current, old.name, old_name):
            along[(child.schema, child.name, old.name)] = name
        out.append(
            RenameConstraint(
                table.schema, table.name, old_name, name, KIND,
                needs=frozenset({table_key(table.schema, table.name)}),
                # The column's own change may name the NOT NULL ([NO] INHERIT): by this name.
                creates=frozenset({constraint_key(table.schema, table.name, name)}),
                reason="PostgreSQL 18 keeps a NOT NULL's name across renames and detaches",
            )
        )
    for _table, current, old, old_name, name in inherited:
        if along.get((current.schema, current.name, old.name)) == name:
            continue  # its parent's rename gives it the declared name
        notes.append(
            f"{KIND} {old_name} of table {current.qualified} (declared as {name}: it is inherited from "
            f"{', '.join(_parents_holding(live, current, old.name)) or 'a parent'}, and PostgreSQL cannot rename "
            "a constraint a table inherits; to rename it, rename the parent's, or take the table out of the "
            "inheritance (NO INHERIT), rename it and add it back)"
        )
    return out


def retype_refusals(live: Schema, changes: list[Change]) -> list[str]:
    """PostgreSQL 18 (18.6 measured) fails a parent's column type change (SQLSTATE 55000, "cannot
    create not-null constraint …") when an inheritance child holds the column's NOT NULL under a
    name of its own — one that declared the column NOT NULL itself (``CREATE TABLE c (a integer
    NOT NULL) INHERITS (p)``: ``c_a_not_null``). Refused while planning, naming the child."""
    retyped = [c for c in changes if isinstance(c, AlterColumn) and c.type_changed and not c.old.nullable]
    if not retyped or not live_inherits(live):
        return []
    children = _children(live)
    out: list[str] = []
    for change in retyped:
        parent = live.tables.get((change.schema, change.table_name))
        name = _held_name(change.old)
        if parent is None or name is None or change.old.not_null_no_inherit:
            continue
        blocked = _blocked_by_children(children, parent, change.old.name, name)
        if blocked:
            out.append(
                f"column {change.old.name} of table {parent.qualified}: PostgreSQL 18 cannot change its type while "
                f"{', '.join(blocked)} holds its NOT NULL under a name of its own (not {name}): the ALTER fails "
                "with \"cannot create not-null constraint\". Change the types by hand: take each such child out "
                "(ALTER TABLE … NO INHERIT), change the column on both, and put it back (ALTER TABLE … INHERIT)"
            )
    return out


def live_inherits(live: Schema) -> bool:
    """Whether any live table inherits from another (most schemas: none, and nothing to walk)."""
    return any(t.inherits for t in live.tables.values())


def _children(live: Schema) -> dict[tuple[str, str], list[Table]]:
    """Each live table's inheritance children (not partitions), by the parent's (schema, name)."""
    out: dict[tuple[str, str], list[Table]] = {}
    for table in live.tables.values():
        for parent in table.inherits:
            out.setdefault(parent, []).append(table)
    return out


def _parents_holding(live: Schema, table: Table, column: str) -> list[str]:
    """The live parents of ``table`` whose NOT NULL on ``column`` it inherits (not NO INHERIT)."""
    found = []
    for schema, name in table.inherits:
        parent = live.tables.get((schema, name))
        col = parent.column(column) if parent is not None else None
        if col is not None and not col.nullable and not col.not_null_no_inherit:
            found.append(parent.qualified if parent is not None else name)
    return found


def _descendants(
    children: dict[tuple[str, str], list[Table]], table: Table, column: str, name: str
) -> list[Table]:
    """The inheritance children (at every level) holding ``column``'s NOT NULL as ``name``: a
    rename of the table's renames theirs along."""
    out: list[Table] = []
    for child in children.get((table.schema, table.name), []):
        col = child.column(column)
        if col is not None and not col.nullable and _held_name(col) == name:
            out.append(child)
            out += _descendants(children, child, column, name)
    return out


def _held_name(col: Column) -> str | None:
    """The name of ``col``'s NOT NULL, its own or inherited (None: not known, before 18)."""
    return col.not_null_name or col.inherited_not_null_name


def _blocked_by_children(
    children: dict[tuple[str, str], list[Table]], table: Table, column: str, name: str
) -> list[str]:
    """The inheritance children (at every level) that hold the NOT NULL of ``column`` under
    another name than ``name``: renaming the table's then fails on them (42704)."""
    if not children:
        return []
    col = table.column(column)
    if col is None or col.not_null_no_inherit:
        return []
    found: list[str] = []
    for child in children.get((table.schema, table.name), []):
        mine = child.column(column)
        if mine is None or mine.nullable:
            continue
        if _held_name(mine) not in (None, name):
            found.append(child.qualified)
        else:
            found += _blocked_by_children(children, child, column, name)
    return found


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
