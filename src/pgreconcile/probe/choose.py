"""Which probes a plan's changes call for, and how each turns numbers into facts.

A probe measures what one change does to existing rows: what a drop loses, what a conversion
rejects, the NULLs, duplicates, orphans or CHECK failures that a new constraint would meet.
Changes to tables created by the same plan meet no rows and get no probe.

Columns are read as they will be when the step runs: a column converted earlier in the plan is
read through its conversion (so a new UNIQUE on a column turned into uuid counts uuid
duplicates), and a column added by the plan is NULL when it has no default. Where that cannot be
known — an expression over a table whose columns change, a column added with a default — the
fact says "not measured" instead of guessing.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import singledispatch

from pgreconcile.diff.changes import (
    AddColumn,
    AddConstraint,
    AlterColumn,
    Change,
    CreateIndex,
    CreateTable,
    DropColumn,
    DropTable,
)
from pgreconcile.diff.column_option_changes import DropGeneratedColumn
from pgreconcile.diff.constraint_changes import ValidateConstraint
from pgreconcile.diff.conversions import conversion_choices
from pgreconcile.diff.costs import lossy, volatile
from pgreconcile.diff.group_changes import AbsorbColumns
from pgreconcile.diff.type_changes import AlterDomain
from pgreconcile.model import CheckConstraint, ExclusionConstraint, ForeignKey, PrimaryKey, Schema, UniqueConstraint
from pgreconcile.normalize.index_elements import split_index_element
from pgreconcile.normalize.lexical import identifier_words, is_lexically_simple
from pgreconcile.normalize.types import is_array, qualified_type, user_type_ref
from pgreconcile.plan.facts import Fact, FactKind
from pgreconcile.probe import sql, wording
from pgreconcile.probe.column_probes import changed_probe, relabel_probe, relabelled_nulls, using_probe
from pgreconcile.probe.conversions import Check, check_for
from pgreconcile.probe.probes import Numbers, Probe, unmeasurable
from pgreconcile.probe.wording import Outcome
from pgreconcile.quoting import ident, qualified


class _Unknown(str):
    """A reason a column's value at apply time cannot be computed (not SQL)."""


# The value of a column the plan adds without a default: NULL in every existing row.
ALWAYS_NULL = "NULL"


@dataclass
class Context:
    """What the probes of one plan need to know beyond the change itself."""

    changes: Sequence[Change]
    desired: Schema
    live: Schema
    server_version: int
    converted: dict[tuple[str, str, str], AlterColumn] = field(default_factory=dict)
    added: dict[tuple[str, str, str], AddColumn] = field(default_factory=dict)
    created: set[tuple[str, str]] = field(default_factory=set)
    # Per table, the columns that change type or appear in this plan.
    reshaped: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for change in self.changes:
            if isinstance(change, AlterColumn) and change.type_changed:
                self.converted[(change.schema, change.table_name, change.old.name)] = change
                self.reshaped.setdefault((change.schema, change.table_name), set()).add(change.old.name)
            elif isinstance(change, AddColumn):
                self.added[(change.schema, change.table_name, change.column.name)] = change
                self.reshaped.setdefault((change.schema, change.table_name), set()).add(change.column.name)
            elif isinstance(change, CreateTable):
                self.created.add((change.table_def.schema, change.table_def.name))

    def reads_reshaped(self, table: tuple[str, str], expression: str) -> bool:
        """Whether an SQL expression over ``table`` may read a column that changes type or
        appears in this plan (it would be read against today's types, or not exist yet)."""
        changing = self.reshaped.get(table, set())
        words = identifier_words(expression)
        return any(name in words or name.lower() in words for name in changing)

    def labels(self, type_text: str) -> tuple[str, ...] | None:
        """The labels of ``type_text`` when it is an enum (declared, else live), else None."""
        ref = user_type_ref(type_text)
        if ref is None or type_text.endswith("[]"):
            return None
        enum = self.desired.enums.get(ref) or self.live.enums.get(ref)
        return enum.values if enum else None

    def check(self, change: AlterColumn, value: str) -> Check | str:
        """How to count the values ``change``'s conversion rejects, or why it cannot be."""
        if change.nulls_only:
            # No cast: every value but NULL is rejected (NULL stays NULL).
            noun = (f"are not NULL, and nothing casts {change.old.type} to {change.new.type}; "
                    f"{conversion_choices(change.new.type)}")
            return Check(FactKind.NOT_CONVERTED, "false", noun, f"NULL::{change.new.type}")
        return self.check_types(value, change.old.type, change.new.type)

    def check_types(self, value: str, old: str, new: str) -> Check | str:
        """How to count the values of ``old`` that do not become ``new`` values, or why it
        cannot be: the probes' cast checks, and for a domain also the domain's checks."""
        ref = user_type_ref(new)
        domain = None if ref is None or is_array(new) else (self.desired.domains.get(ref) or self.live.domains.get(ref))
        if domain is None:
            return check_for(value, old, new, server_version=self.server_version, labels=self.labels(new))
        # [constraints-types] a domain: the cast to its base type, then its checks on the result.
        # A value of another domain over the same type is already a value of that type.
        old_ref = None if is_array(old) else user_type_ref(old)
        old_domain = (self.desired.domains.get(old_ref) or self.live.domains.get(old_ref)) if old_ref else None
        if domain.type == old or (old_domain is not None and old_domain.type == domain.type):
            base: Check | str = Check(FactKind.NOT_CONVERTED, "true", "", value)
        else:
            base = self.check_types(value, old, domain.type)
        if isinstance(base, str):
            return base
        passes: list[str] = []
        for constraint in domain.checks:
            expression = _for_column(constraint.expression, f"({base.converted})")
            if expression is None:
                return f"check {constraint.name} of domain {domain.schema}.{domain.name} is not plain SQL"
            passes.append(f"({expression}) IS NOT FALSE")  # a CHECK passes on NULL
        valid = f"CASE WHEN {base.valid} THEN {' AND '.join(passes) or 'true'} ELSE false END"
        noun = f"do not satisfy domain {domain.schema}.{domain.name}"
        converted = f"CASE WHEN {valid} THEN ({value})::{new} END"
        return Check(FactKind.NOT_CONVERTED, valid, noun, converted, base.unsure)

    def value(self, schema: str, table: str, column: str, reference: str) -> str | _Unknown | None:
        """SQL of ``column``'s value when later steps run, given ``reference`` (the column as
        the query names it); None when the values need no probe (an identity or a volatile
        default makes them distinct and present)."""
        key = (schema, table, column)
        added = self.added.get(key)
        if added is not None:
            col = added.column
            if col.identity is not None or volatile(col.default):
                return None
            if col.default is None:
                return ALWAYS_NULL
            return _Unknown(f"column {column} is added by this plan with a default")
        change = self.converted.get(key)
        if change is None:
            return reference
        check = self.check(change, reference)
        if isinstance(check, str):
            return _Unknown(f"column {column} is converted ({check})")
        return check.converted


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
    if (change.old.nullable or using is not None) and not change.new.nullable:
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
) -> list[str] | _Unknown | None:
    """The values of key ``columns`` as later steps see them (see :meth:`Context.value`)."""
    values: list[str] = []
    for name in columns:
        reference = f"{alias}.{ident(name)}" if alias else ident(name)
        value = context.value(*table, name, reference)
        if value is None or isinstance(value, _Unknown):
            return value
        values.append(value)
    return values


def _duplicates_probe(
    index: int, table: tuple[str, str], keys: Sequence[str], *, primary: bool, where: str | None = None
) -> Probe:
    kinds = (FactKind.DUPLICATES, FactKind.NULLS) if primary else (FactKind.DUPLICATES,)

    def read(v: Numbers) -> tuple[Fact, ...]:
        groups, in_groups, complete, incomplete = v
        found = [wording.duplicates(groups, in_groups, complete, incomplete)]
        if primary:
            found.append(wording.nulls(incomplete, complete + incomplete, key=True))
        return tuple(found)

    return Probe(index, table, kinds, read, query=sql.duplicates_query(*table, keys, where))


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
    if isinstance(con, UniqueConstraint) and con.nulls_not_distinct and context.server_version < 150000:
        # PostgreSQL 14 has no NULLS NOT DISTINCT: the step would be a syntax error.
        major = context.server_version // 10000
        text = f"UNIQUE NULLS NOT DISTINCT needs PostgreSQL 15 or later (this server is {major}): apply will fail"
        refusal = (Fact(FactKind.DUPLICATES, text, None, None, True),)
        return [Probe(index, table, (FactKind.DUPLICATES,), lambda _: refusal, query="SELECT 0")]
    if isinstance(con, UniqueConstraint) and con.nulls_not_distinct:
        why = "NULLs count as equal under NULLS NOT DISTINCT; duplicates are not counted"
        return [unmeasurable(index, table, FactKind.DUPLICATES, why)]
    if isinstance(con, PrimaryKey | UniqueConstraint):
        primary = isinstance(con, PrimaryKey)
        keys = _key_values(context, table, con.columns)
        if keys is None:
            return []
        if isinstance(keys, _Unknown):
            return [unmeasurable(index, table, FactKind.DUPLICATES, keys)]
        if ALWAYS_NULL in keys:
            # No row has a complete key: nothing can be duplicated, and a primary key meets a
            # NULL in every row.
            if not primary:
                return []
            read = lambda v: (wording.nulls(v[0], v[0], key=True),)  # noqa: E731
            return [Probe(index, table, (FactKind.NULLS,), read, aggregates=(sql.COUNT_ROWS,))]
        return [_duplicates_probe(index, table, keys, primary=primary)]
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
    if isinstance(keys, _Unknown):
        return [unmeasurable(index, table, kind, keys)]
    if created:
        # A table this plan creates is empty: every complete key is an orphan.
        aggregates = (sql.count_where(sql.all_present(keys)),)
        read = lambda v: (wording.orphans(v[0], v[0], parent_name),)  # noqa: E731
        return [Probe(index, table, (kind,), read, aggregates=aggregates)]
    parent_keys = _key_values(context, parent, fk.ref_columns, sql.PARENT)
    if parent_keys is None or isinstance(parent_keys, _Unknown):
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
        if value is None or value == ALWAYS_NULL:
            return []  # distinct by construction, or NULL in every row
        if isinstance(value, _Unknown):
            return [unmeasurable(index, table, FactKind.DUPLICATES, value)]
        keys.append(value)
    if any(context.reads_reshaped(table, e) for e in expressions):
        why = "the index reads columns that this plan adds or converts"
        return [unmeasurable(index, table, FactKind.DUPLICATES, why)]
    where = f"({change.index.where})" if change.index.where else None
    return [_duplicates_probe(index, table, keys, primary=False, where=where)]


# [constraints-types] VALIDATE CONSTRAINT reads the rows a NOT VALID constraint skipped.
@_probes.register
def _(change: ValidateConstraint, index: int, context: Context) -> list[Probe]:
    con = change.constraint
    if isinstance(con, ForeignKey):
        return _orphans_probe(change, con, index, context)
    return [_check_probe(index, (change.schema, change.table_name), con.expression, context)]


# [constraints-types] A domain's new NOT NULL or validated check reads every column of the
# domain: count, per table, the values that would fail it.
_VALUE = re.compile(r"\bVALUE\b", re.IGNORECASE)
_QUOTED_RUN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")


def _for_column(expression: str, column: str) -> str | None:
    """``expression`` with ``VALUE`` replaced by ``column`` outside quotes (None when the text
    has comments or dollar quotes, where quotes cannot be found without parsing)."""
    if not is_lexically_simple(expression):
        return None
    out, position = [], 0
    for match in _QUOTED_RUN.finditer(expression):
        out.append(_VALUE.sub(column, expression[position : match.start()]))
        out.append(match.group())
        position = match.end()
    out.append(_VALUE.sub(column, expression[position:]))
    return "".join(out)


def _labelled(where: str, facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
    return tuple(dataclasses.replace(f, text=f"{where}: {f.text}") for f in facts)


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
                expression = _for_column(check.expression, column)
                kind = FactKind.CHECK_VIOLATIONS
                if expression is None:
                    probes.append(unmeasurable(index, (schema, name), kind, f"check {check.name} is not plain SQL"))
                    continue
                aggregates = (sql.COUNT_ROWS, sql.count_where(f"NOT ({expression})"))
                read = lambda v, w=where: _labelled(w, (wording.check_violations(v[1], v[0]),))  # noqa: E731
                probes.append(Probe(index, (schema, name), (kind,), read, aggregates=aggregates))
    return probes
