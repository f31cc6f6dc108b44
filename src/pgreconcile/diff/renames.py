"""Declared renames: planned from hints, never guessed, applied to the live model before the
comparison.

A ``renamed_from`` (or ``renamed_values``) hint matters only while the old name exists live and
the new one does not: then the plan renames the object, keeping its data and everything that
points at it, and the comparison that follows sees the live state *as it will be after the
renames* — so an unchanged column that was only renamed plans nothing else. Once applied, the
hint is inert. If the new name is already held by another live object (incident 000: a bigint
``id`` beside the uuid ``user_id`` being renamed to ``id``), that object is a different one: it
is dropped first — a destroy, on its own line, gated by ``--allow-destroy`` — together with
whatever reads it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from pgreconcile.diff import deps
from pgreconcile.diff.changes import Change, DropColumn, DropTable, constraint_kind
from pgreconcile.diff.dependents import Reader, drop_reader, readers
from pgreconcile.diff.enum_rebuild import aside_name, needs_rebuild, retyped_functions, set_aside_key
from pgreconcile.diff.rename_changes import (
    RenameColumn,
    RenameConstraint,
    RenameEnum,
    RenameEnumValue,
    RenameIndex,
    RenamePolicy,
    RenameTable,
)
from pgreconcile.diff.rename_rewrites import (
    constraints,
    fk_ref_renamed,
    follow_implicit_names,
    swap_table,
    with_column_renamed,
    with_constraint_renamed,
)
from pgreconcile.model import (
    Column,
    Dependent,
    Enum,
    Index,
    Policy,
    Schema,
    Table,
)
from pgreconcile.model.keys import column_key, constraint_key, index_key, policy_key, schema_key, table_key, type_key
from pgreconcile.model.sequences import serial_sequence_name
from pgreconcile.quoting import literal, qualified


@dataclass
class Renamed:
    """The live schema as it will be after the renames, the changes that get it there, and
    the reasons a rename cannot be planned."""

    live: Schema
    changes: list[Change] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)


def identity_names_kept(table: Table, column: str | None = None) -> Table:
    """``table`` with its identity columns' sequences (or ``column``'s alone) named as they are
    now: PostgreSQL keeps that name when the table or column is renamed, so after the rename it
    is no longer the default one, and the comparison that follows renames it when declared so."""
    def kept(col: Column) -> Column:
        if col.identity is None or col.identity_sequence is not None or column not in (None, col.name):
            return col
        return dataclasses.replace(col, identity_sequence=(table.schema, serial_sequence_name(table.name, col.name)))

    return dataclasses.replace(table, columns=tuple(kept(c) for c in table.columns))


def plan_renames(desired: Schema, live: Schema) -> Renamed:
    """Rename changes for every pending hint, and the live model they produce."""
    state = _State(live)
    for key, enum in sorted(desired.enums.items()):
        state.enum(key, enum)
    for key, table in sorted(desired.tables.items()):
        state.table(key, table)
    for key, table in sorted(desired.tables.items()):
        if key in state.tables:
            state.inside(follow_implicit_names(table, state.tables[key], live))
    return Renamed(
        dataclasses.replace(
            live, tables=state.tables, enums=state.enums, functions=state.functions, dependents=state.dependents
        ),
        state.changes,
        state.refusals,
    )


class _State:
    """The live model being renamed in place, and what has been planned so far."""

    def __init__(self, live: Schema) -> None:
        self.original = live
        self.tables = dict(live.tables)
        self.enums = dict(live.enums)
        self.functions = dict(live.functions)
        self.dependents = dict(live.dependents)
        self.changes: list[Change] = []
        self.refusals: list[str] = []

    # -- enums --------------------------------------------------------------------------------

    def enum(self, key: tuple[str, str], enum: Enum) -> None:
        old = enum.renamed_from
        if old is not None and old != key and old in self.enums:
            if key in self.enums:
                self.refusals.append(
                    f"enum {enum.qualified} declares `renamed_from: {qualified(*old)}`, but both exist; drop "
                    f"{enum.qualified} yourself if it is unused, or remove the hint"
                )
                return
            self.changes.append(
                RenameEnum(
                    *old, *key,
                    needs=frozenset({schema_key(key[0])}),
                    removes=frozenset({type_key(*old)}),
                    creates=frozenset({type_key(*key)}),
                )
            )
            moved = self.enums.pop(old)
            self.enums[key] = dataclasses.replace(moved, schema=key[0], name=key[1])
            self._retype_columns(qualified(*old), qualified(*key))
        current = self.enums.get(key)
        if current is None:
            return
        values = list(current.values)
        for before, after in enum.renamed_values:
            if before not in values:
                continue  # already renamed (or never there): the hint is inert
            if after in values:
                self.refusals.append(
                    f"enum {enum.qualified}: `renamed_values` maps {before!r} to {after!r}, but both labels exist; "
                    "PostgreSQL cannot merge labels"
                )
                continue
            self.changes.append(
                RenameEnumValue(
                    *key, before, after,
                    needs=frozenset({type_key(*key)}),
                    creates=frozenset({f"{type_key(*key)}+{after}"}),
                )
            )
            values[values.index(before)] = after
            self._rename_label_defaults(qualified(*key), before, after)
        self.enums[key] = dataclasses.replace(current, values=tuple(values))
        if needs_rebuild(tuple(values), enum.values):
            self._set_aside(key, enum)

    def _set_aside(self, key: tuple[str, str], enum: Enum) -> None:
        """Labels to remove or reorder: PostgreSQL can do neither in place, so the live type is
        renamed out of the way, and the comparison that follows sees a new enum to create under
        the declared name, columns to convert to it (through the label mapping, see
        diff/conversions.py) and the set-aside type to drop once nothing uses it.

        The set-aside enum remembers the declared name (``renamed_from``) and the declared
        mapping (``removed_values``), which is how the conversions find it."""
        aside = (key[0], aside_name(key[1]))
        if aside in self.enums:
            self.refusals.append(
                f"enum {enum.qualified}: its labels must be rebuilt, but {qualified(*aside)} (the name it is set "
                "aside under) exists; drop it first"
            )
            return
        self.changes.append(
            RenameEnum(
                *key, *aside,
                reason="set aside: its labels are removed or reordered, so it is rebuilt as declared",
                needs=frozenset({schema_key(key[0])}),
                removes=frozenset({type_key(*key)}),
                # Not the type's own key: the set-aside type is dropped under that key, and a
                # drop goes before a creation of the same key. This marker orders it after.
                creates=frozenset({set_aside_key(*aside)}),
            )
        )
        current = self.enums.pop(key)
        self.enums[aside] = dataclasses.replace(
            current, schema=aside[0], name=aside[1], renamed_from=key, removed_values=enum.removed_values
        )
        self._retype_columns(qualified(*key), qualified(*aside))
        self.functions = retyped_functions(self.functions, qualified(*key), qualified(*aside))

    def _retype_columns(self, old_type: str, new_type: str) -> None:
        """Columns of a renamed enum now print the new type name (arrays too)."""
        for tkey, table in self.tables.items():
            columns = []
            for col in table.columns:
                base, brackets = col.type, ""
                while base.endswith("[]"):
                    base, brackets = base[:-2], brackets + "[]"
                if base == old_type:
                    default = col.default.replace(f"::{old_type}", f"::{new_type}") if col.default else None
                    col = dataclasses.replace(col, type=new_type + brackets, default=default)
                columns.append(col)
            self.tables[tkey] = dataclasses.replace(table, columns=tuple(columns))

    def _rename_label_defaults(self, type_text: str, before: str, after: str) -> None:
        """A default holding the old label prints the new one after RENAME VALUE."""
        old_text, new_text = f"{literal(before)}::{type_text}", f"{literal(after)}::{type_text}"
        for tkey, table in self.tables.items():
            if any(c.default and old_text in c.default for c in table.columns):
                columns = tuple(
                    dataclasses.replace(c, default=c.default.replace(old_text, new_text))
                    if c.default and old_text in c.default else c
                    for c in table.columns
                )
                self.tables[tkey] = dataclasses.replace(table, columns=columns)

    # -- tables -------------------------------------------------------------------------------

    def table(self, key: tuple[str, str], table: Table) -> None:
        old = table.renamed_from
        if old is None or old == key or old not in self.tables:
            return
        if key in self.tables:
            taken = self.tables.pop(key)
            self.changes.append(
                DropTable(
                    taken,
                    removes=frozenset(deps.table_creates(taken) | {index_key(key[0], i.name) for i in taken.indexes}),
                    live_needs=frozenset({schema_key(key[0])}),
                    reason=f"dropped first: its name goes to {qualified(*old)}, renamed (a different table)",
                )
            )
        moved = self.tables.pop(old)
        self.changes.append(
            RenameTable(
                *old, *key,
                needs=frozenset({schema_key(key[0])}),
                removes=frozenset({table_key(*old)}),
                creates=frozenset({table_key(*key)}),
            )
        )
        self.tables[key] = dataclasses.replace(identity_names_kept(moved), schema=key[0], name=key[1])
        for other_key, other in self.tables.items():
            if any((fk.ref_schema, fk.ref_table) == old for fk in other.foreign_keys):
                fks = tuple(
                    dataclasses.replace(fk, ref_schema=key[0], ref_table=key[1])
                    if (fk.ref_schema, fk.ref_table) == old else fk
                    for fk in other.foreign_keys
                )
                self.tables[other_key] = dataclasses.replace(other, foreign_keys=fks)
        for other_key, other in self.tables.items():  # [inheritance] the children follow the rename
            if old in other.inherits:
                parents = tuple(key if p == old else p for p in other.inherits)
                self.tables[other_key] = dataclasses.replace(other, inherits=parents)
        old_prefix, new_prefix = f"{old[0]}.{old[1]}", f"{key[0]}.{key[1]}"
        self._rekey(lambda k: swap_table(k, old_prefix, new_prefix))

    def _rekey(self, fix: Callable[[str], str]) -> None:
        """Re-key the pg_depend map after a rename (both the read objects and the readers)."""
        self.dependents = {
            fix(k): tuple(dataclasses.replace(d, key=fix(d.key)) for d in found)
            for k, found in self.dependents.items()
        }

    # -- columns, constraints, indexes, policies ----------------------------------------------

    def inside(self, table: Table) -> None:
        key = (table.schema, table.name)
        for col in table.columns:
            current = self.tables[key]
            old = col.renamed_from
            if old is None or old == col.name or current.column(old) is None:
                continue
            if current.column(col.name) is not None:
                if table.prevent_destroy:
                    self.refusals.append(
                        f"column {table.qualified}.{col.name} declares `renamed_from: {old}`, but a different live "
                        f"column already holds the name {col.name}, and dropping it is forbidden by "
                        f"`prevent_destroy: true` ({table.origin or table.qualified})"
                    )
                    continue
                self._drop_taken_column(current, col)
            self._rename_column(key, old, col.name)
        self._rename_named(table)

    def _drop_taken_column(self, current: Table, col: Column) -> None:
        """The live column already called ``col.name`` is another column: drop it, and first
        whatever reads it."""
        taken = current.column(col.name)
        assert taken is not None
        schema, name = current.schema, current.name
        why = f"reads column {taken.name}, which is dropped"
        managed, unmanaged = readers(self._live_now(), schema, name, taken.name)
        self._refuse_unmanaged(unmanaged, f"{schema}.{name}.{taken.name}")
        gone = column_key(schema, name, taken.name)
        # The key `gone` names two columns in turn: the one dropped here, then the renamed one.
        # What reads the dropped column is ordered on a key of its own, so that it goes before
        # the drop without being held until after the rename (which takes over `gone`).
        replaced = gone + "@replaced"
        for reader in managed:
            drop = drop_reader(reader, self._live_now())
            live_needs = frozenset(replaced if k == gone else k for k in drop.live_needs)
            self.changes.append(dataclasses.replace(drop, live_needs=live_needs, reason=f"dropped first: {why}"))
            self._forget(reader)
        current = self.tables[(schema, name)]
        self.changes.append(
            DropColumn(
                schema, name, taken,
                # Not `gone` itself: the renamed column's own readers live-need that key and
                # must wait for the rename. The rename waits for this drop through `@free`.
                removes=frozenset({replaced}),
                creates=frozenset({gone + "@free"}),
                live_needs=frozenset(deps.column_needs(taken)),
                reason=f"dropped first: its name goes to column {col.renamed_from}, renamed (a different column)",
            )
        )
        self.tables[(schema, name)] = dataclasses.replace(
            current, columns=tuple(c for c in current.columns if c.name != taken.name)
        )
        self.dependents.pop(gone, None)

    def _refuse_unmanaged(self, unmanaged: list[Dependent], column: str) -> None:
        self.refusals.extend(
            f"{d.label} reads column {column}, which this plan drops to make room for a declared rename; "
            "pgreconcile does not manage it. Drop it before applying and re-create it afterwards"
            for d in unmanaged
        )

    def _live_now(self) -> Schema:
        return dataclasses.replace(
            self.original, tables=self.tables, enums=self.enums, functions=self.functions, dependents=self.dependents
        )

    def _forget(self, reader: Reader) -> None:
        """Remove a dropped reader from the live model, so the comparison re-creates it."""
        tkey = (reader.table.schema, reader.table.name)
        table = self.tables[tkey]
        obj = reader.obj
        if isinstance(obj, Policy):
            table = dataclasses.replace(table, policies=tuple(p for p in table.policies if p.name != obj.name))
        elif isinstance(obj, Index):
            table = dataclasses.replace(table, indexes=tuple(i for i in table.indexes if i.name != obj.name))
        elif table.primary_key is not None and table.primary_key.name == obj.name:
            table = dataclasses.replace(table, primary_key=None)
        else:
            table = dataclasses.replace(
                table,
                uniques=tuple(u for u in table.uniques if u.name != obj.name),
                foreign_keys=tuple(f for f in table.foreign_keys if f.name != obj.name),
                checks=tuple(c for c in table.checks if c.name != obj.name),
            )
        self.tables[tkey] = table

    def _rename_column(self, key: tuple[str, str], old: str, new: str) -> None:
        schema, name = key
        table = self.tables[key]
        self.changes.append(
            RenameColumn(
                schema, name, old, new,
                needs=frozenset({table_key(schema, name), column_key(schema, name, new) + "@free"}),
                removes=frozenset({column_key(schema, name, old)}),
                creates=frozenset({column_key(schema, name, new)}),
            )
        )
        self.tables[key] = with_column_renamed(identity_names_kept(table, old), old, new)
        for other_key, other in self.tables.items():
            if other_key != key and any(
                (fk.ref_schema, fk.ref_table) == key and old in fk.ref_columns for fk in other.foreign_keys
            ):
                fks = tuple(fk_ref_renamed(fk, key, old, new) for fk in other.foreign_keys)
                self.tables[other_key] = dataclasses.replace(other, foreign_keys=fks)
        old_key, new_key = column_key(schema, name, old), column_key(schema, name, new)
        self._rekey(lambda k: new_key if k == old_key else k)

    def _rename_named(self, table: Table) -> None:
        """Constraints, indexes and policies declared with ``renamed_from``."""
        key = (table.schema, table.name)
        current = self.tables[key]
        live = {c.name for c in constraints(current)}
        for old, con in self._pending(constraints(table), live, f"constraint {{}} of {table.qualified}"):
            self.changes.append(
                RenameConstraint(
                    table.schema, table.name, old, con.name, constraint_kind(con),
                    needs=frozenset({table_key(*key)}),
                    removes=frozenset({constraint_key(*key, old)}),
                    creates=frozenset({constraint_key(*key, con.name)}),
                )
            )
            current = with_constraint_renamed(current, old, con.name)
        live = {i.name for i in current.indexes}
        for old, index in self._pending(table.indexes, live, f"index {table.schema}.{{}}"):
            self.changes.append(
                RenameIndex(
                    table.schema, table.name, old, index.name,
                    removes=frozenset({index_key(table.schema, old)}),
                    creates=frozenset({index_key(table.schema, index.name)}),
                )
            )
            renamed = (dataclasses.replace(i, name=index.name) if i.name == old else i for i in current.indexes)
            current = dataclasses.replace(current, indexes=tuple(renamed))
        live = {p.name for p in current.policies}
        for old, policy in self._pending(table.policies, live, f"policy {{}} on {table.qualified}"):
            self.changes.append(
                RenamePolicy(
                    table.schema, table.name, old, policy.name,
                    removes=frozenset({policy_key(*key, old)}),
                    creates=frozenset({policy_key(*key, policy.name)}),
                )
            )
            policies = (dataclasses.replace(p, name=policy.name) if p.name == old else p for p in current.policies)
            current = dataclasses.replace(current, policies=tuple(sorted(policies, key=lambda p: p.name)))
        self.tables[key] = current

    def _pending(self, declared: Iterable[_Named], live: set[str], what: str) -> list[tuple[str, _Named]]:
        """``(old name, declared object)`` for each rename hint that still matters: the old name
        exists live and the new one does not (both existing is refused, naming ``what``)."""
        out = []
        for obj in declared:
            old = obj.renamed_from
            if old is None or old == obj.name or old not in live:
                continue
            if obj.name in live:
                self._both(what.format(obj.name), old)
                continue
            out.append((old, obj))
        return out

    def _both(self, what: str, old: str) -> None:
        self.refusals.append(
            f"{what} declares `renamed_from: {old}`, but both names exist live; drop one yourself, or remove the hint"
        )


class _Renamable(Protocol):
    """A declared object that may carry a rename hint (constraint, index, policy)."""

    @property
    def name(self) -> str: ...

    @property
    def renamed_from(self) -> str | None: ...


_Named = TypeVar("_Named", bound=_Renamable)
