"""The live model as a declared rename leaves it: a table, column or constraint under its new
name everywhere it is written (keys, column lists, foreign keys, index elements, expressions),
and the implicit names PostgreSQL derived from the old one (diff/renames.py plans the renames)."""

from __future__ import annotations

import dataclasses

from pgreconcile.diff.changes import Constraint
from pgreconcile.model import ForeignKey, Schema, Table
from pgreconcile.normalize.expressions import rename_column_refs
from pgreconcile.normalize.index_elements import element_column, split_index_element
from pgreconcile.quoting import ident


def constraints(table: Table) -> list[Constraint]:
    return [*([table.primary_key] if table.primary_key else []), *table.uniques, *table.foreign_keys, *table.checks]


def swap_table(key: str, old: str, new: str) -> str:
    """A key of the renamed table (or of one of its objects) under the new name."""
    kind, _, rest = key.partition(":")
    if kind == "table" and rest == old:
        return f"{kind}:{new}"
    if kind in ("column", "constraint", "policy") and rest.startswith(old + "."):
        return f"{kind}:{new}.{rest[len(old) + 1:]}"
    # Index keys are per schema and do not name their table; a move between schemas leaves
    # them as they were, which can only add an ordering edge, never lose one that matters.
    return key


def rename_in(columns: tuple[str, ...], old: str, new: str) -> tuple[str, ...]:
    return tuple(new if c == old else c for c in columns)


def with_column_renamed(table: Table, old: str, new: str) -> Table:
    """The table as PostgreSQL shows it after RENAME COLUMN: every column list and expression
    that read the old name reads the new one."""
    def expr(sql: str | None) -> str | None:
        return rename_column_refs(sql, {old: new}, table.name) if sql else sql

    def element(text: str) -> str:
        key = split_index_element(text)[0]
        if element_column(text) == old:
            # A plain column: the key is the first thing written; the rest (opclass, DESC) stays.
            return ident(new) + text.strip()[len(key):]
        written = text.strip()
        if element_column(text) is None and old in text and written.startswith("("):
            return f"({expr(key)}){written[written.rindex(')') + 1:]}"
        return text

    pk = table.primary_key
    return dataclasses.replace(
        table,
        columns=tuple(dataclasses.replace(c, name=new) if c.name == old else c for c in table.columns),
        primary_key=dataclasses.replace(pk, columns=rename_in(pk.columns, old, new)) if pk else None,
        uniques=tuple(dataclasses.replace(u, columns=rename_in(u.columns, old, new)) for u in table.uniques),
        foreign_keys=tuple(
            fk_ref_renamed(dataclasses.replace(f, columns=rename_in(f.columns, old, new)),
                            (table.schema, table.name), old, new)
            for f in table.foreign_keys
        ),
        checks=tuple(dataclasses.replace(c, expression=expr(c.expression) or c.expression) for c in table.checks),
        indexes=tuple(
            dataclasses.replace(
                i,
                elements=tuple(element(e) for e in i.elements),
                include=rename_in(i.include, old, new),
                where=expr(i.where),
            )
            for i in table.indexes
        ),
        policies=tuple(
            dataclasses.replace(p, using=expr(p.using), with_check=expr(p.with_check)) for p in table.policies
        ),
    )


def fk_ref_renamed(fk: ForeignKey, target: tuple[str, str], old: str, new: str) -> ForeignKey:
    if (fk.ref_schema, fk.ref_table) != target:
        return fk
    return dataclasses.replace(fk, ref_columns=rename_in(fk.ref_columns, old, new))


def with_constraint_renamed(table: Table, old: str, new: str) -> Table:
    pk = table.primary_key
    return dataclasses.replace(
        table,
        primary_key=dataclasses.replace(pk, name=new) if pk and pk.name == old else pk,
        uniques=tuple(dataclasses.replace(u, name=new) if u.name == old else u for u in table.uniques),
        foreign_keys=tuple(dataclasses.replace(f, name=new) if f.name == old else f for f in table.foreign_keys),
        checks=tuple(dataclasses.replace(c, name=new) if c.name == old else c for c in table.checks),
    )


def follow_implicit_names(table: Table, current: Table, live: Schema) -> Table:
    """Objects renamed implicitly by a declared table or column rename.

    A renamed table or column keeps the names PostgreSQL derived from it (``tbl_customers_pkey``,
    ``posts_author_fkey``), while the declaration derives them from the new name
    (``customers_pkey``, ``posts_author_id_fkey``). The naming rule is deterministic, so this is
    not a guess: a declared name with no ``renamed_from``, missing live, whose old-name spelling
    exists live, is planned as a rename of that object (RENAME CONSTRAINT / ALTER INDEX)."""
    swaps: list[tuple[str, str]] = []
    if table.renamed_from is not None and table.renamed_from in live.tables:
        swaps.append((table.name + "_", table.renamed_from[1] + "_"))
    swaps += [(f"_{c.name}_", f"_{c.renamed_from}_") for c in table.columns if c.renamed_from]
    if not swaps:
        return table
    live_names = {c.name for c in constraints(current)} | {i.name for i in current.indexes}

    def hint(name: str, renamed_from: str | None) -> str | None:
        if renamed_from is not None or name in live_names:
            return renamed_from
        candidate = name
        for new, old in swaps:
            if new.endswith("_") and new.startswith(table.name) and candidate.startswith(new):
                candidate = old + candidate[len(new):]
            elif new.startswith("_"):
                candidate = candidate.replace(new, old, 1)
        return candidate if candidate != name and candidate in live_names else None

    pk = table.primary_key
    return dataclasses.replace(
        table,
        primary_key=dataclasses.replace(pk, renamed_from=hint(pk.name, pk.renamed_from)) if pk else None,
        uniques=tuple(dataclasses.replace(u, renamed_from=hint(u.name, u.renamed_from)) for u in table.uniques),
        foreign_keys=tuple(
            dataclasses.replace(f, renamed_from=hint(f.name, f.renamed_from)) for f in table.foreign_keys
        ),
        checks=tuple(dataclasses.replace(c, renamed_from=hint(c.name, c.renamed_from)) for c in table.checks),
        indexes=tuple(dataclasses.replace(i, renamed_from=hint(i.name, i.renamed_from)) for i in table.indexes),
    )
