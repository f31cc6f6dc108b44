"""The probe of a new partition beside a DEFAULT one: PostgreSQL refuses to create it while the
DEFAULT partition holds rows that belong to it, so those rows are counted first.

The condition is the new bound over the parent's key, written with the bound's own values (SQL
the plan sends anyway, quoted when the declaration was built). A timestamptz value written
without an offset is read in UTC, as apply reads it. What cannot be written exactly — a range
bound over several columns with MINVALUE/MAXVALUE — is "not measured".
"""

from __future__ import annotations

import re

from pgreconcile.diff.partition_changes import AttachPartition, CreatePartition
from pgreconcile.model import Partition, Table
from pgreconcile.normalize.index_elements import element_column
from pgreconcile.normalize.partitions import canonical_bound, key_elements, split_top_level
from pgreconcile.plan.facts import FactKind
from pgreconcile.probe import sql, wording
from pgreconcile.probe.choose import _probes
from pgreconcile.probe.context import Context
from pgreconcile.probe.probes import Probe, unmeasurable
from pgreconcile.quoting import ident

_RANGE = re.compile(r"^\s*FOR\s+VALUES\s+FROM\s*\((.*)\)\s*TO\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)
_LIST = re.compile(r"^\s*FOR\s+VALUES\s+IN\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)
_NAIVE = re.compile(r"'(\d{4}-\d{2}-\d{2})((?: \d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)'")
_OPEN = frozenset({"MINVALUE", "MAXVALUE"})


def _level(table: Table, parent: str) -> tuple[str | None, tuple[Partition, ...]]:
    """The key and partitions of ``parent`` (the table, or a partition somewhere below it)."""
    if parent == table.name:
        return table.partition_by, table.partitions
    stack = list(table.partitions)
    while stack:
        part = stack.pop()
        if part.name == parent:
            return part.partition_by, part.partitions
        stack += part.partitions
    return None, ()


def _value(value: str, column_type: str | None) -> str:
    """A bound value as the condition compares it: a naive timestamptz literal read in UTC."""
    if column_type == "timestamp with time zone":
        match = _NAIVE.fullmatch(value.strip())
        if match:
            return f"'{match.group(1)}{match.group(2) or ' 00:00:00'}+00'"
    return value


def condition(bound: str, elements: list[str], types: list[str | None]) -> str | None:
    """SQL that is true for a row the bound takes, or None when it cannot be written exactly."""
    keys = [e if element_column(e) is None else ident(str(element_column(e))) for e in elements]
    if match := _RANGE.match(bound):
        low, high = split_top_level(match.group(1)), split_top_level(match.group(2))
        if low is None or high is None or len(low) != len(keys) or len(high) != len(keys):
            return None
        if len(keys) == 1:
            parts = []
            if low[0].upper() not in _OPEN:
                parts.append(f"{keys[0]} >= {_value(low[0], types[0])}")
            if high[0].upper() not in _OPEN:
                parts.append(f"{keys[0]} < {_value(high[0], types[0])}")
            return " AND ".join(parts) or f"{keys[0]} IS NOT NULL"
        if any(v.upper() in _OPEN for v in (*low, *high)):
            return None
        row = f"ROW({', '.join(keys)})"
        lows = ", ".join(_value(v, t) for v, t in zip(low, types, strict=True))
        highs = ", ".join(_value(v, t) for v, t in zip(high, types, strict=True))
        return f"{row} >= ROW({lows}) AND {row} < ROW({highs})"
    if (match := _LIST.match(bound)) and len(keys) == 1:
        values = split_top_level(match.group(1))
        if values is None:
            return None
        present = [_value(v, types[0]) for v in values if v.upper() != "NULL"]
        parts = [f"{keys[0]} IN ({', '.join(present)})"] if present else []
        if len(present) != len(values):
            parts.append(f"{keys[0]} IS NULL")
        return " OR ".join(parts)
    return None


@_probes.register
def _(change: CreatePartition, index: int, context: Context) -> list[Probe]:
    if not change.default_exists:
        return []
    table = context.live.tables.get((change.schema, change.table_name))
    if table is None:
        return []
    key, parts = _level(table, change.parent)
    default = next((p for p in parts if canonical_bound(p.bound) == ("default",)), None)
    if key is None or default is None:
        return []
    where = (change.schema, default.name)
    elements = key_elements(key) or []
    columns = {c.name: c.type for c in table.columns}
    types = [columns.get(str(element_column(e))) if element_column(e) else None for e in elements]
    cond = condition(change.partition.bound, elements, types)
    if cond is None:
        return [unmeasurable(index, where, FactKind.IN_DEFAULT, "a bound this probe cannot write as a condition")]
    read = lambda v: (wording.rows_in_default(v[1], v[0], default.name),)  # noqa: E731
    return [Probe(index, where, (FactKind.IN_DEFAULT,), read, aggregates=(sql.COUNT_ROWS, sql.count_where(cond)))]


@_probes.register
def _(change: AttachPartition, index: int, context: Context) -> list[Probe]:
    """Rows of a table to attach that its bound does not take: PostgreSQL scans for them and
    fails the attach. A table made by the plan is empty; a DEFAULT bound takes what the others
    do not (which needs them all): not measured."""
    where = (change.partition_schema, change.partition_name)
    table = context.desired.tables.get((change.schema, change.table_name))
    if change.new_table or table is None or table.partition_by is None:
        return []
    elements = key_elements(table.partition_by) or []
    columns = {c.name: c.type for c in table.columns}
    types = [columns.get(str(element_column(e))) if element_column(e) else None for e in elements]
    cond = None if canonical_bound(change.bound) == ("default",) else condition(change.bound, elements, types)
    if cond is None:
        return [unmeasurable(index, where, FactKind.OUTSIDE_BOUND, "a bound this probe cannot write as a condition")]
    read = lambda v: (wording.rows_outside_bound(v[1], v[0], change.partition_name),)  # noqa: E731
    outside = sql.count_where(f"({cond}) IS NOT TRUE")
    return [Probe(index, where, (FactKind.OUTSIDE_BOUND,), read, aggregates=(sql.COUNT_ROWS, outside))]
