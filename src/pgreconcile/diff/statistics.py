"""Compare extended statistics: created, dropped, re-created when what they cover or their kinds
change (PostgreSQL can alter only the target, the name and the comment), renamed as declared,
target and comment changed in place.

They hold no data of their own (ANALYZE fills them again), so dropping one needs no
``--allow-destroy``; the plan names it. A statistics object depends on its columns
automatically: PostgreSQL rebuilds it when a column changes type and drops it with a dropped
column, so a drop is ordered before the column goes (its ``live_needs``) and a create after the
columns it covers exist (its ``needs``). Those of a table the plan drops go with it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.diff.changes import Change, DropTable, TableChange
from pgreconcile.diff.deps import expression_needs
from pgreconcile.diff.rename_changes import RenameTable
from pgreconcile.model import Schema
from pgreconcile.model.keys import column_key, schema_key, table_key
from pgreconcile.model.statistics import Statistics
from pgreconcile.normalize.expressions import column_refs, equivalent


@dataclass(frozen=True)
class CreateStatistics(TableChange):
    statistics: Statistics

    ACTION = Action.CREATE
    KIND = "statistics"
    ORDER_RANK = 27  # after the table's columns and indexes

    @property
    def key(self) -> str:
        return self.statistics.key

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        # CREATE STATISTICS takes SHARE UPDATE EXCLUSIVE on the table: no DDL, writes go on.
        return ()


@dataclass(frozen=True)
class DropStatistics(TableChange):
    statistics: Statistics

    ACTION = Action.DESTROY
    KIND = "statistics"
    ORDER_RANK = 9  # before the columns it covers go

    @property
    def key(self) -> str:
        return self.statistics.key


@dataclass(frozen=True)
class AlterStatistics(TableChange):
    """ALTER STATISTICS … SET STATISTICS and COMMENT ON STATISTICS."""

    statistics: Statistics
    old: Statistics

    ACTION = Action.UPDATE
    KIND = "statistics"
    ORDER_RANK = 28

    @property
    def key(self) -> str:
        return self.statistics.key


@dataclass(frozen=True)
class RenameStatistics(TableChange):
    statistics: Statistics
    old_name: str

    ACTION = Action.RENAME
    KIND = "statistics"
    ORDER_RANK = 18

    @property
    def key(self) -> str:
        return self.statistics.key


def same_statistics(a: Statistics, b: Statistics) -> bool:
    """The same definition (what CREATE STATISTICS fixes); target and comment change in place."""
    if (a.table, a.columns, a.kinds) != (b.table, b.columns, b.kinds) or len(a.expressions) != len(b.expressions):
        return False
    return all(equivalent(x, y) for x, y in zip(a.expressions, b.expressions, strict=True))


def statistics_needs(stat: Statistics) -> frozenset[str]:
    """Its table, the columns it covers or its expressions read, and the functions they call."""
    keys = {schema_key(stat.schema), table_key(stat.schema, stat.table)}
    columns = set(stat.columns)
    for text in stat.expressions:
        columns |= column_refs(text)
        keys |= expression_needs(text)
    keys |= {column_key(stat.schema, stat.table, c) for c in columns}
    return frozenset(keys)


def _create(stat: Statistics, *, replaces: bool = False, reason: str | None = None) -> CreateStatistics:
    return CreateStatistics(
        stat.schema, stat.table, stat,
        needs=statistics_needs(stat), creates=frozenset({stat.key}), replaces=replaces, reason=reason,
    )


def _drop(stat: Statistics, *, replaces: bool = False, reason: str | None = None) -> DropStatistics:
    return DropStatistics(
        stat.schema, stat.table, stat,
        removes=frozenset({stat.key}), live_needs=statistics_needs(stat), replaces=replaces, reason=reason,
    )


def _difference(old: Statistics, new: Statistics) -> str:
    if old.table != new.table:
        return "its table changes"
    if old.columns != new.columns:
        return "its columns change"
    if old.kinds != new.kinds:
        return "its kinds change"
    return "its expressions change"


def compare_statistics(desired: Schema, live: Schema, changes: list[Change]) -> list[Change]:
    """The statistics changes (``changes`` are the plan's so far: a table it drops takes its
    statistics with it)."""
    dropped_tables = {(c.table_def.schema, c.table_def.name) for c in changes if isinstance(c, DropTable)}
    pool = {k: s for k, s in live.statistics.items() if (s.schema, s.table) not in dropped_tables}
    # A table renamed in its schema keeps its statistics (a statistics object stays in its own
    # schema when the table moves: that one is compared as it is).
    for c in changes:
        if isinstance(c, RenameTable) and c.schema == c.old_schema:
            for k, s in list(pool.items()):
                if (s.schema, s.table) == (c.old_schema, c.old_name):
                    pool[k] = dataclasses.replace(s, table=c.name)
    out: list[Change] = []
    for key, wanted in desired.statistics.items():
        current = pool.get(key)
        if current is None and wanted.renamed_from is not None:
            old_key = (wanted.schema, wanted.renamed_from)
            old = pool.get(old_key)
            if old is not None and old_key not in desired.statistics:
                out.append(RenameStatistics(
                    wanted.schema, old.table, wanted, old.name,
                    creates=frozenset({wanted.key}), removes=frozenset({old.key}), live_needs=frozenset({old.key}),
                ))
                del pool[old_key]
                current = pool[key] = dataclasses.replace(old, name=wanted.name)
        if current is None:
            out.append(_create(wanted))
            continue
        if not same_statistics(wanted, current):
            why = "re-created: " + _difference(current, wanted)
            out.append(_drop(current, replaces=True, reason=why))
            out.append(_create(wanted, replaces=True, reason=why))
            continue
        if (wanted.target, wanted.comment) != (current.target, current.comment):
            needs = frozenset({wanted.key, table_key(wanted.schema, wanted.table)})
            out.append(AlterStatistics(wanted.schema, wanted.table, wanted, current, needs=needs))
    for key, current in sorted(pool.items()):
        if key[0] in desired.managed and key not in desired.statistics:
            out.append(_drop(current))
    return out
