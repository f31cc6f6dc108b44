"""Typed tables (``CREATE TABLE … OF type``): the link to the composite type, and the columns
that follow the type.

A typed table's columns are its type's attributes: PostgreSQL refuses ADD / DROP / ALTER COLUMN
… TYPE on it, and ``ALTER TYPE … ADD / DROP / ALTER ATTRIBUTE … CASCADE`` changes them in every
typed table at once. So while a table stays typed by the same type, its column additions, drops
and retypes are the type's change (marked CASCADE, and gated like a column drop when it drops
attributes), and what the table sets of its own on such a column (a default, NOT NULL) comes after
it. A table that stops being typed is unlinked (``NOT OF``) before its columns change; one that
becomes typed is linked (``OF``) after they have become the type's.
"""

from __future__ import annotations

import dataclasses

from pgreconcile.diff.changes import AddColumn, AlterColumn, Change, DropColumn, TableChange
from pgreconcile.diff.column_option_changes import AlterColumnOptions, SetTableOf
from pgreconcile.diff.type_changes import AlterCompositeType
from pgreconcile.model import Column, Schema
from pgreconcile.model.keys import table_key, type_key

_COLUMN_CHANGES = (AddColumn, DropColumn, AlterColumn, AlterColumnOptions)


def attributes_key(schema: str, name: str) -> str:
    """The ordering key a composite type's attribute change creates: the typed tables' columns
    are the new ones after it."""
    return type_key(schema, name) + "#attributes"


def compare_typed_tables(desired: Schema, live: Schema, changes: list[Change]) -> list[Change]:
    """``changes`` with the typed tables' links planned and their columns following their types."""
    following: dict[tuple[str, str], tuple[str, str]] = {}  # table → the type it stays typed by
    unlink: set[tuple[str, str]] = set()
    link: dict[tuple[str, str], tuple[str, str]] = {}
    extra: list[Change] = []
    for key, table in sorted(desired.tables.items()):
        current = live.tables.get(key)
        if current is None:
            continue
        if table.of_type is not None and table.of_type == current.of_type:
            following[key] = table.of_type
            continue
        if current.of_type is not None:
            unlink.add(key)
            extra.append(SetTableOf(key[0], key[1], None, current.of_type, needs=frozenset({table_key(*key)}),
                                    creates=frozenset({_untyped(key)})))
        if table.of_type is not None:
            link[key] = table.of_type
            extra.append(SetTableOf(key[0], key[1], table.of_type, current.of_type,
                                    needs=frozenset({table_key(*key), type_key(*table.of_type), _settled(key),
                                                     _untyped(key)})))
    cascade = set(following.values()) | {t.of_type for t in live.tables.values() if t.of_type is not None}
    if not (following or unlink or link or cascade):
        return changes
    out: list[Change] = []
    for c in changes:
        if isinstance(c, AlterCompositeType) and (c.new.schema, c.new.name) in cascade:
            users = sorted(k for k, t in live.tables.items() if t.of_type == (c.new.schema, c.new.name))
            c = dataclasses.replace(c, cascade=tuple(users),
                                    creates=c.creates | {attributes_key(c.new.schema, c.new.name)})
        elif isinstance(c, _COLUMN_CHANGES) and isinstance(c, TableChange):
            key = (c.schema, c.table_name)
            if key in following:
                followed = _follow(c, following[key])
                if followed is None:
                    continue
                c = followed
            if key in unlink:
                c = dataclasses.replace(c, needs=c.needs | {_untyped(key)})
            if key in link:
                c = dataclasses.replace(c, creates=c.creates | {_settled(key)})
        out.append(c)
    return out + extra


def _follow(change: Change, of_type: tuple[str, str]) -> Change | None:
    """A column change of a table that stays typed by ``of_type``: what is left of it once the
    type's change has added, dropped or retyped the column (None: nothing)."""
    after_type = frozenset({attributes_key(*of_type)})
    if isinstance(change, DropColumn):
        return None  # the type's DROP ATTRIBUTE … CASCADE drops it (and carries the hazard)
    if isinstance(change, AddColumn):
        col = change.column
        bare = Column(col.name, col.type)
        if (col.nullable, col.default, col.comment) == (bare.nullable, bare.default, bare.comment):
            return None
        return AlterColumn(change.schema, change.table_name, bare, col, type_rewrites=False, type_may_fail=False,
                           default_changed=col.default is not None, needs=change.needs | after_type,
                           reason="the column comes with the type's new attribute")
    if isinstance(change, AlterColumn) and change.type_changed:
        old = dataclasses.replace(change.old, type=change.new.type)
        if old == change.new:
            return None
        return dataclasses.replace(change, old=old, needs=change.needs | after_type, creates=frozenset(),
                                   removes=frozenset(), type_rewrites=False, type_may_fail=False)
    return change


def _untyped(key: tuple[str, str]) -> str:
    return table_key(*key) + "#untyped"


def _settled(key: tuple[str, str]) -> str:
    return table_key(*key) + "#columns"


__all__ = ["attributes_key", "compare_typed_tables"]
