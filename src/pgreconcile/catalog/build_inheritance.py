"""[inheritance] Catalog rows → what a child table has from its parents, and what is its own.

The columns query splits a child's columns by ``attislocal``: the ones it declares (merged with a
parent's or not) are its ``columns``, the ones it has only from its parents its
``inherited_columns``. One more case is the child's own although not declared: an inherited
column on which the child set a default, a NOT NULL or a comment of its own (``ALTER TABLE ONLY
child ALTER COLUMN … SET DEFAULT``, as pg_dump writes it). Such a column is listed with the
child's columns (flagged ``inherited``, and not ``local``), so that it is compared, inspect
writes it, and creating the child leaves it to the parents.
"""

from __future__ import annotations

import dataclasses

from pgreconcile.model.objects import Column, Table

Key = tuple[str, str]


def _from_parents(tables: dict[Key, Table], table: Table, name: str) -> Column | None:
    """The column ``name`` as the first parent that has it has it (what the child was given)."""
    for key in table.inherits:
        parent = tables.get(key)
        found = parent.column(name) if parent is not None else None
        if found is not None:
            return found
    return None


def with_own_settings(tables: dict[Key, Table]) -> dict[Key, Table]:
    """``tables`` with each inherited column that carries settings of the child's own moved to
    the child's columns. Cheap on a schema without inheritance: one pass over the tables."""
    for key, table in tables.items():
        if not table.inherited_columns:
            continue
        own: list[Column] = []
        kept: list[Column] = []
        for col in table.inherited_columns:
            given = _from_parents(tables, table, col.name)
            if given is not None and (
                col.default != given.default or col.nullable != given.nullable or col.comment is not None
            ):
                own.append(dataclasses.replace(col, local=False))
            else:
                kept.append(col)
        if own:
            tables[key] = dataclasses.replace(
                table, columns=(*own, *table.columns), inherited_columns=tuple(kept)
            )
    return tables
