"""A partition's own column defaults: ``PARTITION OF t (priority DEFAULT 10)``.

A partition takes its parent's defaults when it is made, and ``ALTER TABLE t ALTER COLUMN c
SET DEFAULT`` on the table sets them on every partition below it as well. So the comparison
works on *effective* defaults — a partition's own where it has one, else its parent's — and
knows what the plan's own changes of the table do to the live ones:

- a default of the table that the plan changes (or drops) reaches every partition: afterwards
  each has the table's new one, whatever it had of its own;
- a partition's own default is set with ``ALTER TABLE ONLY`` (its own partitions keep theirs),
  after the table's change of the column (it needs the column's key), so it is not undone.

Maps below are the overrides in force over a partition, by column: the partition's own and its
ancestors' (a column absent from a map has the table's default).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pgreconcile.diff.changes import Change
from pgreconcile.diff.partition_changes import SetPartitionDefault
from pgreconcile.model import Partition, Table
from pgreconcile.model.keys import column_key, table_key
from pgreconcile.normalize.expressions import equivalent_default

Overrides = Mapping[str, str | None]


@dataclass(frozen=True)
class Above:
    """The overrides in force over a level: as declared, and live (after the table's changes)."""

    want: Overrides = field(default_factory=dict)
    have: Overrides = field(default_factory=dict)


NOTHING_ABOVE = Above()


def touched_defaults(table: Table, current: Table) -> frozenset[str]:
    """Columns whose default the table's own column change sets or drops (AlterColumn does so
    when the default or the type changes and either side has one): after it, every partition
    has the table's new default there."""
    out: set[str] = set()
    for col in table.columns:
        old = current.column(col.name)
        if old is None or col.generated is not None or (col.default is None and old.default is None):
            continue
        if old.type != col.type or not equivalent_default(col.default, old.default, col.type):
            out.add(col.name)
    return frozenset(out)


def default_changes(
    table: Table, current: Table, part: Partition, old: Partition | None, above: Above, touched: frozenset[str],
    out: list[Change],
) -> Above:
    """The SET/DROP DEFAULT steps that give ``part`` its declared defaults (``old`` is it live,
    None when the plan creates it; ``current`` the table live); returns the overrides in force
    for its own partitions."""
    schema = part.schema or table.schema
    want = {**above.want, **dict(part.column_defaults)}
    if old is None:
        # Made by this plan: it copies its parent's defaults, which are (by the time the step
        # runs: it waits for the table's column changes) the declared ones of the table.
        have: dict[str, str | None] = {}
        live_have: dict[str, str | None] = {}
    else:
        live_have = {**above.have, **dict(old.column_defaults)}
        have = {c: d for c, d in live_have.items() if c not in touched}
    for column in sorted(want.keys() | have.keys()):
        declared = table.column(column)
        if declared is None or declared.generated is not None:
            continue  # a column the table loses, or one that takes no default
        wanted = want.get(column, declared.default)
        now = have.get(column, declared.default)
        if equivalent_default(wanted, now, declared.type):
            continue
        was = current.column(column)
        before = live_have.get(column, was.default if was is not None else None)
        out.append(SetPartitionDefault(
            table.schema, table.name, part.name, column, wanted, before, new_partition=old is None,
            kept=old is not None and equivalent_default(wanted, before, declared.type), partition_schema=schema,
            # After the partition exists (made or attached) and after the table's own change of
            # the column (added, or its default set, which would reach the partition too).
            needs=frozenset({table_key(schema, part.name), column_key(table.schema, table.name, column)}),
        ))
    return Above(want, live_have)
