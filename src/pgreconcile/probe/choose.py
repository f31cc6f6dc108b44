"""Which probes a plan's changes call for, and how each turns numbers into facts.

A probe measures what one change does to existing rows: what a drop loses, what a conversion
rejects, the NULLs, duplicates, orphans or CHECK failures that a new constraint would meet.
Changes to tables created by the same plan meet no rows and get no probe.

Columns are read as they will be when the step runs: a column converted earlier in the plan is
read through its conversion (so a new UNIQUE on a column turned into uuid counts uuid
duplicates), and a column added by the plan is NULL when it has no default. Where that cannot be
known — an expression over a table whose columns change, a column added with a default — the
fact says "not measured" instead of guessing. What a column holds at its step is worked out by
:mod:`.context`; this module decides which probes each kind of change gets.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from functools import singledispatch

from pgreconcile.diff.changes import (
    AddColumn,
    AddConstraint,
    AlterColumn,
    Change,
    CreateIndex,
    DropColumn,
    DropTable,
)
from pgreconcile.diff.column_option_changes import DropGeneratedColumn
from pgreconcile.diff.constraint_changes import ValidateConstraint
from pgreconcile.diff.costs import lossy
from pgreconcile.diff.group_changes import AbsorbColumns
from pgreconcile.diff.type_changes import AlterDomain
from pgreconcile.model import CheckConstraint, ExclusionConstraint, ForeignKey, PrimaryKey, Schema, UniqueConstraint
from pgreconcile.normalize.index_elements import split_index_element
from pgreconcile.normalize.types import qualified_type
from pgreconcile.plan.facts import Fact, FactKind
from pgreconcile.probe import sql, wording
from pgreconcile.probe.column_probes import changed_probe, relabel_probe, relabelled_nulls, using_probe
from pgreconcile.probe.context import ALWAYS_NULL, Context, Unknown, for_column
from pgreconcile.probe.conversions import Check
from pgreconcile.probe.probes import Numbers, Probe, unmeasurable
from pgreconcile.probe.wording import Outcome
from pgreconcile.quoting import ident, qualified


def outcome(change: AlterColumn) -> Outcome:
    """What the apply does with a value that ``change``'s conversion rejects: PostgreSQL's own
    cast and ``on_invalid: fail`` raise; ``on_invalid: null`` stores NULL; other declared
    conversions (``using``, ``time_zone``, ``from``, ``regenerate``) do not use the cast."""
    conv = change.conversion
    if conv is None or conv.on_invalid == "fail":
        return Outcome.FAIL
    return Outcome.NULL if conv.on_invalid == "null" else Outcome.UNKNOWN


def casts_values(change: AlterColumn) -> bool:
    """Whether ``change`` converts each value with the type's input function (PostgreSQL's cast
    or a guarded one), so that the conversion check predicts what happens to it."""
    if not change.type_changed or change.parent is not None:
        return False
    conv = change.conversion
    return change.type_may_fail if conv is None else conv.on_invalid is not None


def choose(changes: Sequence[Change], desired: Schema, live: Schema, *, server_version: int) -> list[Probe]:
    """The probes for ``changes`` (in plan order), each naming the change it concerns."""
    context = Context(changes, desired, live, server_version)
    # [foreign] A foreign table's rows live behind its wrapper: reading them would ask the
    # remote server (or fail, for a wrapper without a handler), so nothing probes them.
    foreign = {key for key, table in live.tables.items() if table.server is not None}
    probes: list[Probe] = []
    for index, change in enumerate(changes):
        probes += [p for p in _probes(change, index, context) if p.table not in foreign]
    return probes


@singledispatch
def _probes(change: Change, index: int, context: Context) -> list[Probe]:
    return []  # nothing in the data bears on it


@_probes.register
def _(change: DropTable, index: int, context: Context) -> list[Probe]:
    table = (change.table_def.schema, change.table_def.name)
    read = lambda v: (wording.rows_lost(v[0]),)  # noqa: E731
    if any(table in other.inherits for other in context.live.tables.values()):
        # [inheritance] a parent's scan reads its children's rows too; they are not lost with it
        query = f"SELECT count(*) FROM ONLY {qualified(*table)}"
        return [Probe(index, table, (FactKind.ROWS_LOST,), read, query=query)]
    return [Probe(index, table, (FactKind.ROWS_LOST,), read, aggregates=(sql.COUNT_ROWS,))]


@_probes.register
def _(change: AbsorbColumns, index: int, context: Context) -> list[Probe]:
    table = (change.schema, change.table_name)
    columns = ", ".join(ident(c) for c in change.columns)
    aggregates = (sql.COUNT_ROWS, sql.count_where(f"num_nonnulls({columns}) > 0"))
    read = lambda v: (wording.rows_moved(v[1], v[0], change.group),)  # noqa: E731
    return [Probe(index, table, (FactKind.MOVED,), read, aggregates=aggregates)]


@_probes.register
def _(change: DropColumn, index: int, context: Context) -> list[Probe]:
    if change.absorbed_into is not None:
        return []  # its values moved into a group first (counted on the absorbing step)
    table = (change.schema, change.table_name)
    aggregates = (sql.COUNT_ROWS, sql.count_values(ident(change.column.name)))
    read = lambda v: (wording.values_lost(v[1], v[0]),)  # noqa: E731
    return [Probe(index, table, (FactKind.VALUES_LOST,), read, aggregates=aggregates)]


@_probes.register
def _(change: DropGeneratedColumn, index: int, context: Context) -> list[Probe]:
    return []  # [sequences] computed values, computed again by the column added in its place


@_probes.register
def _(change: AddColumn, index: int, context: Context) -> list[Probe]:
    col = change.column
    if col.nullable or col.default is not None or col.identity is not None or col.generated is not None:
        return []
    if not col.not_null_validated:
        return []  # PostgreSQL 18: its NOT NULL is added NOT VALID, existing rows are not read
    table = (change.schema, change.table_name)
    read = lambda v: (wording.rows_without_value(v[0]),)  # noqa: E731
    return [Probe(index, table, (FactKind.NULLS,), read, aggregates=(sql.COUNT_ROWS,))]


@_probes.register
def _(change: AlterColumn, index: int, context: Context) -> list[Probe]:
    table = (change.schema, change.table_name)
    column = ident(change.old.name)
    probes: list[Probe] = []
    check: Check | str | None = None
    using = change.conversion.using if change.conversion is not None and change.type_changed else None
    if casts_values(change):
        check = context.check(change, column)
        probes.append(_conversion_probe(index, table, column, check, outcome(change), change.new.type))
        # The cast itself rounds or cuts (not a guarded conversion that stores NULL instead).
        if lossy(change.old.type, change.new.type) and outcome(change) is Outcome.FAIL and isinstance(check, Check):
            probes.append(changed_probe(index, table, column, change, check))
    elif change.conversion is not None and (change.conversion.relabel or change.conversion.unmapped):
        probes.append(relabel_probe(index, table, change))
    elif using is not None:
        others = context.reshaped.get(table, set()) - {change.old.name}
        probes.append(using_probe(index, table, change, using, others))
    if (change.checks_nulls or using is not None) and not change.new.nullable and change.new.not_null_validated:
        # Rejected values that the conversion turns into NULL are NULLs too; when it raises on
        # them instead, the conversion's own fact already says the apply fails. A USING
        # expression is read as the new column will hold it.
        value = column
        if isinstance(check, Check) and outcome(change) is Outcome.NULL:
            value = f"({check.converted})"
        elif change.conversion is not None and (change.conversion.relabel or change.conversion.unmapped):
            value = relabelled_nulls(column, change)
        elif using is not None:
            value = f"({using})"
        aggregates = (sql.COUNT_ROWS, sql.count_where(f"{value} IS NULL"))
        read = lambda v: (wording.nulls(v[1], v[0]),)  # noqa: E731
        probes.append(Probe(index, table, (FactKind.NULLS,), read, aggregates=aggregates, on_data_error=(
            (lambda why: (wording.using_raises(why),)) if using is not None else None
        )))  # fmt: skip
    return probes


def _conversion_probe(
    index: int, table: tuple[str, str], column: str, check: Check | str, result: Outcome, target: str
) -> Probe:
    if isinstance(check, str):
        return unmeasurable(index, table, FactKind.NOT_CONVERTED, check)
    rejected = f"{column} IS NOT NULL AND NOT ({check.valid})"
    aggregates = [sql.count_values(column), sql.count_where(rejected)]
    if check.unsure:
        rejected = f"{rejected} AND NOT ({check.unsure})"
        # NULLs are never converted, so never unsure (the check alone would call them unsure).
        unsure = f"{column} IS NOT NULL AND ({check.unsure})"
        aggregates = [sql.count_values(column), sql.count_where(rejected), sql.count_where(unsure)]

    def read(v: Numbers) -> tuple[Fact, ...]:
        unsure = v[2] if len(v) > 2 else 0
        return (wording.rejected(check.kind, v[1], v[0], check.noun, result, unsure, target),)

    examples = sql.examples_query(*table, column, rejected)
    return Probe(index, table, (check.kind,), read, aggregates=tuple(aggregates), examples=examples)


# --- constraints and indexes -----------------------------------------------------------------


def _key_values(
    context: Context, table: tuple[str, str], columns: Sequence[str], alias: str | None = None
) -> list[str] | Unknown | None:
    """The values of key ``columns`` as later steps see them (see :meth:`Context.value`)."""
    values: list[str] = []
    for name in columns:
        reference = f"{alias}.{ident(name)}" if alias else ident(name)
        value = context.value(*table, name, reference)
        if value is None or isinstance(value, Unknown):
            return value
        values.append(value)
    return values


def _partitioned(context: Context, table: tuple[str, str]) -> bool:
    live = context.live.tables.get(table)
    return live is not None and live.partition_by is not None


def _duplicates_probe(
    index: int, table: tuple[str, str], keys: Sequence[str], context: Context, *, primary: bool,
    where: str | None = None, nulls_equal: bool = False,
) -> Probe:
    kinds = (FactKind.DUPLICATES, FactKind.NULLS) if primary else (FactKind.DUPLICATES,)

    def read(v: Numbers) -> tuple[Fact, ...]:
        groups, in_groups, complete, incomplete = v
        if nulls_equal:  # every row's key is compared, NULLs included
            return (wording.duplicates(groups, in_groups, complete + incomplete),)
        found = [wording.duplicates(groups, in_groups, complete, incomplete)]
        if primary:
            found.append(wording.nulls(incomplete, complete + incomplete, key=True))
        return tuple(found)

    if nulls_equal:
        # A key column NULL in every row (added by this plan) is equal in every row: it groups
        # nothing apart, so it is left out of the grouping (GROUP BY refuses a bare NULL).
        keys = [key for key in keys if key != ALWAYS_NULL]
    # A partitioned table's key spans its partitions' rows (the table itself holds none).
    query = sql.duplicates_query(*table, keys, where, nulls_equal=nulls_equal, only=not _partitioned(context, table))
    return Probe(index, table, kinds, read, query=query)


def _needs_15(index: int, table: tuple[str, str], what: str, context: Context) -> list[Probe] | None:
    """A refusal when ``what`` (NULLS NOT DISTINCT) meets a server older than PostgreSQL 15,
    where the step would be a syntax error mid-apply; None on 15 and later."""
    if context.server_version >= 150000:
        return None
    major = context.server_version // 10000
    text = f"{what} needs PostgreSQL 15 or later (this server is {major}): apply will fail"
    refusal = (Fact(FactKind.DUPLICATES, text, None, None, True),)
    return [Probe(index, table, (FactKind.DUPLICATES,), lambda _: refusal, query="SELECT 0")]


@_probes.register
def _(change: AddConstraint, index: int, context: Context) -> list[Probe]:
    table = (change.schema, change.table_name)
    if change.new_table or table in context.created:
        return []
    con = change.constraint
    if isinstance(con, CheckConstraint | ForeignKey) and not con.validated:
        return []  # NOT VALID: existing rows are not checked
    if isinstance(con, ExclusionConstraint):
        why = "rows that conflict under an exclusion constraint are not counted"
        return [unmeasurable(index, table, FactKind.DUPLICATES, why)]
    if isinstance(con, PrimaryKey | UniqueConstraint) and con.without_overlaps:
        # PostgreSQL 18 temporal key: equal keys are not what fails it, overlapping ranges are.
        why = "rows whose ranges overlap under a temporal key (WITHOUT OVERLAPS) are not counted"
        return [unmeasurable(index, table, FactKind.DUPLICATES, why)]
    nulls_equal = isinstance(con, UniqueConstraint) and con.nulls_not_distinct
    if nulls_equal and (refused := _needs_15(index, table, "UNIQUE NULLS NOT DISTINCT", context)):
        return refused
    if isinstance(con, PrimaryKey | UniqueConstraint):
        primary = isinstance(con, PrimaryKey)
        keys = _key_values(context, table, con.columns)
        if keys is None:
            return []
        if isinstance(keys, Unknown):
            return [unmeasurable(index, table, FactKind.DUPLICATES, keys)]
        if nulls_equal:
            return [_duplicates_probe(index, table, keys, context, primary=False, nulls_equal=True)]
        if ALWAYS_NULL in keys:
            # No row has a complete key: nothing can be duplicated, and a primary key meets a
            # NULL in every row.
            if not primary:
                return []
            read = lambda v: (wording.nulls(v[0], v[0], key=True),)  # noqa: E731
            return [Probe(index, table, (FactKind.NULLS,), read, aggregates=(sql.COUNT_ROWS,))]
        return [_duplicates_probe(index, table, keys, context, primary=primary)]
    if isinstance(con, ForeignKey):
        return _orphans_probe(change, con, index, context)
    assert isinstance(con, CheckConstraint)
    return [_check_probe(index, table, con.expression, context, only=con.no_inherit)]


def _check_probe(
    index: int, table: tuple[str, str], expression: str, context: Context, *, only: bool = False
) -> Probe:
    kind = FactKind.CHECK_VIOLATIONS
    if context.reads_reshaped(table, expression):
        # The expression names columns as the DDL will see them; read against today's types it
        # could count something else, so it is not read at all.
        return unmeasurable(index, table, kind, "it reads columns that this plan adds or converts")
    aggregates = (sql.COUNT_ROWS, sql.count_where(f"NOT ({expression})"))
    read = lambda v: (wording.check_violations(v[1], v[0]),)  # noqa: E731
    if only and any(table in other.inherits for other in context.live.tables.values()):
        # [inheritance] a NO INHERIT check holds for the table's own rows, not its children's
        query = f"SELECT {', '.join(aggregates)} FROM ONLY {qualified(*table)}"
        return Probe(index, table, (kind,), read, query=query)
    return Probe(index, table, (kind,), read, aggregates=aggregates)


def _orphans_probe(
    change: AddConstraint | ValidateConstraint, fk: ForeignKey, index: int, context: Context
) -> list[Probe]:
    table = (change.schema, change.table_name)
    parent = (fk.ref_schema, fk.ref_table)
    parent_name = f"{fk.ref_schema}.{fk.ref_table}"
    kind = FactKind.ORPHANS
    created = parent in context.created
    keys = _key_values(context, table, fk.columns, None if created else sql.CHILD)
    if keys is None or (isinstance(keys, list) and ALWAYS_NULL in keys):
        return []  # no row has a complete key: a foreign key checks none
    if isinstance(keys, Unknown):
        return [unmeasurable(index, table, kind, keys)]
    if created:
        # A table this plan creates is empty: every complete key is an orphan.
        aggregates = (sql.count_where(sql.all_present(keys)),)
        read = lambda v: (wording.orphans(v[0], v[0], parent_name),)  # noqa: E731
        return [Probe(index, table, (kind,), read, aggregates=aggregates)]
    parent_keys = _key_values(context, parent, fk.ref_columns, sql.PARENT)
    if parent_keys is None or isinstance(parent_keys, Unknown):
        why = parent_keys or f"the referenced columns of {parent_name} are added by this plan"
        return [unmeasurable(index, table, kind, why)]
    query = sql.orphans_query(*table, keys, *parent, parent_keys)
    read = lambda v: (wording.orphans(v[0], v[1], parent_name),)  # noqa: E731
    return [Probe(index, table, (kind,), read, query=query)]


_BARE_NAME = re.compile(r"^[A-Za-z_][\w$]*$")


def _element_column(element: str, columns: set[str]) -> str | None:
    """The column an index element is, when it is a bare or quoted column name."""
    if _BARE_NAME.match(element):
        name = element if element in columns else element.lower()
    elif len(element) > 1 and element[0] == element[-1] == '"':
        name = element[1:-1].replace('""', '"')
    else:
        return None
    return name if name in columns else None


@_probes.register
def _(change: CreateIndex, index: int, context: Context) -> list[Probe]:
    table = (change.schema, change.table_name)
    if not change.index.unique or change.new_table or table in context.created:
        return []
    nulls_equal = change.index.nulls_not_distinct
    if nulls_equal and (refused := _needs_15(index, table, "a unique index NULLS NOT DISTINCT", context)):
        return refused
    live_table = context.live.table(*table)
    columns = {c.name for c in live_table.columns} if live_table else set()
    columns |= {name for (schema, name_of_table, name) in context.added if (schema, name_of_table) == table}
    keys: list[str] = []
    expressions = [change.index.where] if change.index.where else []
    for element in change.index.elements:
        expression = split_index_element(element)[0]
        column = _element_column(expression, columns)
        if column is None:
            keys.append(f"({expression})")
            expressions.append(expression)
            continue
        value = context.value(*table, column, ident(column))
        if value is None or (value == ALWAYS_NULL and not nulls_equal):
            return []  # distinct by construction, or NULL in every row (NULLs are distinct)
        if isinstance(value, Unknown):
            return [unmeasurable(index, table, FactKind.DUPLICATES, value)]
        keys.append(value)
    if any(context.reads_reshaped(table, e) for e in expressions):
        why = "the index reads columns that this plan adds or converts"
        return [unmeasurable(index, table, FactKind.DUPLICATES, why)]
    where = f"({change.index.where})" if change.index.where else None
    return [_duplicates_probe(index, table, keys, context, primary=False, where=where, nulls_equal=nulls_equal)]


# [constraints-types] VALIDATE CONSTRAINT reads the rows a NOT VALID constraint skipped.
@_probes.register
def _(change: ValidateConstraint, index: int, context: Context) -> list[Probe]:
    con = change.constraint
    if isinstance(con, ForeignKey):
        return _orphans_probe(change, con, index, context)
    return [_check_probe(index, (change.schema, change.table_name), con.expression, context)]


def _labelled(where: str, facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
    return tuple(dataclasses.replace(f, text=f"{where}: {f.text}") for f in facts)


# [constraints-types] A domain's new NOT NULL or validated check reads every column of the
# domain: count, per table, the values that would fail it.
@_probes.register
def _(change: AlterDomain, index: int, context: Context) -> list[Probe]:
    new = change.new
    checks = [c for c in change.add_checks if c.validated] + list(change.validate_checks)
    not_null = change.old.nullable and not new.nullable
    if not checks and not not_null:
        return []
    probes: list[Probe] = []
    for (schema, name), table in sorted(context.live.tables.items()):
        for col in table.columns:
            if col.type != qualified_type(new.schema, new.name) or (schema, name) in context.created:
                continue
            where = f"{name}.{col.name}"
            column = ident(col.name)
            if not_null:
                aggregates = (sql.COUNT_ROWS, sql.count_where(f"{column} IS NULL"))
                read = lambda v, w=where: _labelled(w, (wording.nulls(v[1], v[0]),))  # noqa: E731
                probes.append(Probe(index, (schema, name), (FactKind.NULLS,), read, aggregates=aggregates))
            for check in checks:
                expression = for_column(check.expression, column)
                kind = FactKind.CHECK_VIOLATIONS
                if expression is None:
                    probes.append(unmeasurable(index, (schema, name), kind, f"check {check.name} is not plain SQL"))
                    continue
                aggregates = (sql.COUNT_ROWS, sql.count_where(f"NOT ({expression})"))
                read = lambda v, w=where: _labelled(w, (wording.check_violations(v[1], v[0]),))  # noqa: E731
                probes.append(Probe(index, (schema, name), (kind,), read, aggregates=aggregates))
    return probes
