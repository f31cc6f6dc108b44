"""Foreign keys: resolving their targets among the declarations, and the ones that cannot be.

A foreign key into a declared schema must name a declared table and existing columns that form
its primary key or a unique constraint, with compatible types — the checks PostgreSQL would make
at apply time, made here with file:line. A foreign key into a schema that is not declared
(``auth.users`` on Supabase) cannot be checked from the declarations alone:
:func:`unresolved_references` lists those so the planner can check them against the live
database (:func:`check_external_references`).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pgreconcile.declare.build.partitions import partition_tables, with_partition_keys  # [partitions]
from pgreconcile.declare.spec.names import split_dotted
from pgreconcile.errors import DeclarationError
from pgreconcile.model.objects import FkAction, ForeignKey, Origin, Table
from pgreconcile.model.schema import Schema
from pgreconcile.normalize.index_elements import element_column
from pgreconcile.normalize.types import base_of, is_array

if TYPE_CHECKING:
    from pgreconcile.declare.spec.problems import Problems

# Types whose values compare across each other (PostgreSQL has cross-type equality operators
# within each group); a foreign key between two different groups can never be created.
_FAMILIES = {
    "smallint": "number",
    "integer": "number",
    "bigint": "number",
    "numeric": "number",
    "real": "number",
    "double precision": "number",
    "text": "text",
    "character varying": "text",
    "character": "text",
    "bpchar": "text",
    "uuid": "uuid",
    "boolean": "boolean",
    "bytea": "bytea",
    "date": "datetime",
    "timestamp without time zone": "datetime",
    "timestamp with time zone": "datetime",
}


@dataclass(frozen=True, slots=True)
class ForeignKeyDraft:
    """A declared foreign key before its target is resolved. ``ref_columns`` None means the
    target's primary key (as ``REFERENCES t`` without columns means in SQL)."""

    name: str
    columns: tuple[str, ...]
    target: str
    ref_columns: tuple[str, ...] | None
    on_delete: FkAction
    on_update: FkAction
    deferrable: bool
    initially_deferred: bool
    origin: Origin
    renamed_from: str | None = None
    validated: bool = True  # [constraints-types]
    comment: str | None = None
    enforced: bool = True  # PostgreSQL 18: False is NOT ENFORCED
    period: bool = False  # PostgreSQL 18 temporal key: the last column on each side is PERIOD


@dataclass
class TableDraft:
    """A table with everything but its foreign keys, which need every table to resolve."""

    table: Table
    foreign_keys: list[ForeignKeyDraft] = field(default_factory=list)
    # [partitions] its partitions' own foreign keys, by the partition's (schema, name)
    partition_foreign_keys: dict[tuple[str, str], list[ForeignKeyDraft]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExternalReference:
    """A foreign key whose target lies outside the declared schemas."""

    table: Table
    foreign_key: ForeignKey

    @property
    def target(self) -> str:
        """``auth.users``."""
        return f"{self.foreign_key.ref_schema}.{self.foreign_key.ref_table}"

    @property
    def origin(self) -> Origin | None:
        return self.foreign_key.origin


def resolve_foreign_keys(
    drafts: dict[tuple[str, str], TableDraft],
    managed: frozenset[str],
    problems: Problems,
    known: Mapping[tuple[str, str], Table] | None = None,
) -> dict[tuple[str, str], Table]:
    """Every draft as a finished table, with its foreign keys resolved and checked. ``known``
    tables (declared by another source) are targets too, but not part of the result."""
    tables: dict[tuple[str, str], Table] = {}
    targets = {key: draft.table for key, draft in drafts.items()}
    for key, table in (known or {}).items():
        targets.setdefault(key, table)
    for key, draft in drafts.items():
        keys = [fk for fk in (_resolve(fk, draft.table, targets, managed, problems) for fk in draft.foreign_keys) if fk]
        tables[key] = replace(draft.table, foreign_keys=tuple(sorted(keys, key=lambda fk: fk.name)))
    if any(draft.partition_foreign_keys for draft in drafts.values()):  # [partitions]
        targets = {**partition_tables(tables.values()), **targets}
        for key, draft in drafts.items():
            resolved = {
                where: [fk for fk in (_resolve(fk, targets[where], targets, managed, problems) for fk in fks) if fk]
                for where, fks in draft.partition_foreign_keys.items()
            }
            tables[key] = with_partition_keys(tables[key], resolved)
    return tables


def _resolve(
    draft: ForeignKeyDraft,
    table: Table,
    targets: Mapping[tuple[str, str], Table],
    managed: frozenset[str],
    problems: Problems,
) -> ForeignKey | None:
    where = f"table {table.qualified}: foreign key {draft.name}"
    try:
        parts = split_dotted(draft.target)
    except ValueError as err:
        problems.at(draft.origin, f"{where}: {err}")
        return None
    if len(parts) > 2:
        problems.at(draft.origin, f"{where}: references {draft.target!r}, expected 'table' or 'schema.table'")
        return None
    ref_schema, ref_table = (table.schema, parts[0]) if len(parts) == 1 else (parts[0], parts[1])
    target_text = f"{ref_schema}.{ref_table}"
    ref_columns = draft.ref_columns
    if ref_schema in managed:
        target = targets.get((ref_schema, ref_table))
        if target is None:
            names = [t for s, t in targets if s == ref_schema]
            close = difflib.get_close_matches(ref_table, names, n=1, cutoff=0.6)
            problems.at(
                draft.origin,
                f"{where}: references {target_text}, which is not declared"
                + (f"; did you mean {ref_schema}.{close[0]}?" if close else ""),
                f"schema {ref_schema} is declared, so every table it has must be declared too",
            )
            return None
        if ref_columns is None:
            if target.primary_key is None:
                problems.at(
                    draft.origin,
                    f"{where}: {target_text} has no primary key to reference",
                    "name the referenced columns",
                )
                return None
            ref_columns = target.primary_key.columns
        if not _check_target(draft, table, target, ref_columns, where, problems):
            return None
    elif ref_columns is None:
        problems.at(
            draft.origin,
            f"{where}: references {target_text} without naming its columns",
            f"schema {ref_schema} is not declared, so its primary key is unknown here; name the column (column: id)",
        )
        return None
    return ForeignKey(
        draft.name,
        draft.columns,
        ref_schema,
        ref_table,
        ref_columns,
        draft.on_delete,
        draft.on_update,
        draft.deferrable,
        draft.initially_deferred,
        draft.origin,
        draft.renamed_from,
        validated=draft.validated,
        comment=draft.comment,
        enforced=draft.enforced,
        period=draft.period,
    )


def _check_target(
    draft: ForeignKeyDraft,
    table: Table,
    target: Table,
    ref_columns: tuple[str, ...],
    where: str,
    problems: Problems,
) -> bool:
    missing = [c for c in ref_columns if target.column(c) is None]
    if missing:
        names = [c.name for c in target.columns]
        close = difflib.get_close_matches(missing[0], names, n=1, cutoff=0.6)
        problems.at(
            draft.origin,
            f"{where}: column {missing[0]!r} does not exist in {target.qualified}"
            + (f"; did you mean {close[0]!r}?" if close else ""),
        )
        return False
    if len(ref_columns) != len(draft.columns):
        problems.at(
            draft.origin,
            f"{where}: {len(draft.columns)} column(s) reference {len(ref_columns)} column(s) of {target.qualified}",
        )
        return False
    if not _is_unique(target, ref_columns):
        problems.at(
            draft.origin,
            f"{where}: ({', '.join(ref_columns)}) of {target.qualified} is neither its primary key nor unique",
            "a foreign key must reference a primary key or unique constraint; declare one on those columns",
        )
        return False
    temporal = _temporal_key(target, ref_columns)
    if temporal is not None and temporal != draft.period:
        # PostgreSQL 18 pairs them: PERIOD references a WITHOUT OVERLAPS key, and only PERIOD does.
        problems.at(
            draft.origin,
            f"{where}: ({', '.join(ref_columns)}) of {target.qualified} is "
            + ("a temporal key (WITHOUT OVERLAPS)" if temporal else "not a temporal key (WITHOUT OVERLAPS)"),
            "add `period: true` to the foreign key" if temporal
            else "remove `period: true`, or declare the referenced key `without_overlaps: true`",
        )
        return False
    for own, ref in zip(draft.columns, ref_columns, strict=True):
        own_type = _type_of(table, own)
        ref_type = _type_of(target, ref)
        if own_type and ref_type and not _comparable(own_type, ref_type):
            problems.at(
                draft.origin,
                f"{where}: column {own} is {own_type} but {target.qualified}.{ref} is {ref_type}",
                "a foreign key column must have the type of the column it references",
            )
            return False
    return True


def _type_of(table: Table, column: str) -> str | None:
    found = table.column(column)
    return found.type if found else None


def _is_unique(target: Table, columns: tuple[str, ...]) -> bool:
    wanted = set(columns)
    keys = [u.columns for u in target.uniques]
    if target.primary_key is not None:
        keys.append(target.primary_key.columns)
    # A unique index without a predicate serves too, when every key is a plain column.
    for index in target.indexes:
        if index.unique and index.where is None:
            named = tuple(element_column(e) for e in index.elements)
            keys.append(tuple(n for n in named if n is not None) if None not in named else ())
    return any(set(key) == wanted and len(key) == len(wanted) for key in keys)


def _temporal_key(target: Table, columns: tuple[str, ...]) -> bool | None:
    """Whether the primary key or unique constraint on exactly ``columns`` is a temporal one
    (PostgreSQL 18 ``WITHOUT OVERLAPS``); None when the columns are unique some other way."""
    found = [u.without_overlaps for u in target.uniques if u.columns == columns]
    if target.primary_key is not None and target.primary_key.columns == columns:
        found.append(target.primary_key.without_overlaps)
    return found[0] if found else None


def _comparable(a: str, b: str) -> bool:
    if is_array(a) != is_array(b):
        return False
    family_a = _FAMILIES.get(base_of(a.removesuffix("[]")))
    family_b = _FAMILIES.get(base_of(b.removesuffix("[]")))
    if family_a is None or family_b is None:
        return True  # user-defined or uncommon types: leave the verdict to the server
    return family_a == family_b


def unresolved_references(schema: Schema) -> list[ExternalReference]:
    """Foreign keys into schemas that ``schema`` does not manage, for checking against the live
    database; in table and constraint name order."""
    out = []
    for key in sorted(schema.tables):
        table = schema.tables[key]
        out += [ExternalReference(table, fk) for fk in table.foreign_keys if fk.ref_schema not in schema.managed]
    return out


def check_external_references(
    schema: Schema, external_tables: dict[tuple[str, str], tuple[str, ...]]
) -> list[DeclarationError]:
    """Errors for foreign keys whose external target table or columns do not exist.

    ``external_tables`` maps each live table outside the managed schemas to its column names
    (what :attr:`Schema.external_tables` holds for the live side).
    """
    errors = []
    for ref in unresolved_references(schema):
        fk = ref.foreign_key
        columns = external_tables.get((fk.ref_schema, fk.ref_table))
        where = str(ref.origin) if ref.origin else None
        prefix = f"table {ref.table.qualified}: foreign key {fk.name}"
        if columns is None:
            errors.append(
                DeclarationError(
                    f"{prefix}: references {ref.target}, which does not exist in the database", where=where
                )
            )
            continue
        for column in fk.ref_columns:
            if column not in columns:
                errors.append(
                    DeclarationError(
                        f"{prefix}: column {column!r} does not exist in {ref.target}",
                        where=where,
                        hint=f"{ref.target} has: {', '.join(columns)}",
                    )
                )
    return errors
