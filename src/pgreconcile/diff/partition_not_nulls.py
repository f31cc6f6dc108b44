"""PostgreSQL 18 names the NOT NULLs of partitions too, and how a partition is made decides them.

A plain ``CREATE TABLE p PARTITION OF t`` (and ``CREATE TABLE p (LIKE t INCLUDING
CONSTRAINTS)``) gives each of the partition's NOT NULLs the name its parent's has, while
``PARTITION OF t (c NOT NULL)`` names it after the partition (``p_c_not_null``), and a table
attached as a partition keeps the names it had. Where the declarations know the partition's
names (read from a catalog of 18 or later, as SQL files are: ``Partition.not_null_names``):

- a new partition whose NOT NULL is to be named otherwise than its parent's is created with
  ``PARTITION OF t (c CONSTRAINT name NOT NULL)`` (made standalone, the copy is renamed before
  it is attached); its own NOT NULLs (on columns the table leaves nullable) are added under
  their declared name;
- a table the plan attaches has its NOT NULLs renamed before the attach (they are its own
  until then);
- a live partition's own NOT NULL is renamed in place. One it inherits cannot be: PostgreSQL
  refuses to rename an inherited constraint, and only a detach, a rename and an attach again
  would, which scans the partition under a lock to check its bound. The plan does not do that
  for a name: it leaves the name and says so (a note, never a step that would fail).

The same recursion makes a table's NOT NULL rename fail when one of its partitions holds that
NOT NULL under another name (PostgreSQL renames the partitions' along and does not find it):
such a rename is left out, with a note.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from pgreconcile.diff.changes import Change
from pgreconcile.diff.rename_changes import RenameConstraint
from pgreconcile.model import Partition, Schema, Table
from pgreconcile.model.keys import constraint_key, table_key
from pgreconcile.model.objects import default_not_null_name, given_to_partition
from pgreconcile.quoting import qualified

KIND = "not-null constraint"
_CANNOT = ("PostgreSQL cannot rename a constraint a partition inherits; to rename one, detach the partition, "
           "rename it and attach the partition again (the attach scans the partition under a lock)")


def top_names(table: Table, current: Table | None) -> dict[str, str]:
    """Column → the name of its NOT NULL on ``table`` once the plan ran (declared, else the live
    one, which an undeclared name keeps, else PostgreSQL's default): what its partitions inherit."""
    live = {c.name: c for c in current.columns} if current is not None else {}
    out: dict[str, str] = {}
    for col in table.columns:
        if col.nullable:
            continue
        old = live.get(col.name)
        name = col.not_null_name
        kept = old.not_null_name if old is not None and not old.nullable else None
        if name is None or (kept is not None and current is not None and current is not table
                            and blocked_by_partitions(current, col.name, kept)):
            name = kept  # undeclared, or a rename PostgreSQL would refuse (not_null_renames)
        out[col.name] = name or default_not_null_name(table.name, col.name)
    return out


def passed_on(part: Partition, inherited: Mapping[str, str], old: Partition | None = None) -> dict[str, str]:
    """What the partitions of ``part`` inherit once the plan ran: for a live one (``old``), its
    live names but for its own NOT NULLs renamed as declared; for a new one, its declared names
    (YAML and Python may name some only), else what PostgreSQL gives it."""
    declared = dict(part.not_null_names or ())
    if old is not None and old.not_null_names is not None:
        return {c: declared.get(c, n) if c in old.not_null and c in part.not_null else n
                for c, n in old.not_null_names}
    return {**given_to_partition(part, inherited), **declared}


def renamed_at_creation(part: Partition, inherited: Mapping[str, str]) -> tuple[tuple[str, str, str], ...]:
    """(column, the name PostgreSQL would give it, the declared name) for each NOT NULL a new
    partition inherits that is declared under another name than its parent's."""
    if part.not_null_names is None:
        return ()
    return tuple(
        (column, inherited[column], name)
        for column, name in part.not_null_names
        if column in inherited and column not in part.not_null and name != inherited[column]
    )


def own_name(part: Partition, column: str) -> str | None:
    """The declared name of a NOT NULL of the partition's own (on a column its table leaves
    nullable), when it is not PostgreSQL's default; None otherwise."""
    name = dict(part.not_null_names or ()).get(column)
    return None if name in (None, default_not_null_name(part.name, column)) else name


def attach_renames(part: Partition, current: Table) -> tuple[tuple[str, str], ...]:
    """(live name, declared name) of the NOT NULLs of a table the plan attaches as ``part``:
    until the attach they are the table's own, which PostgreSQL renames (the parent's merge
    with them under the table's names)."""
    if part.not_null_names is None:
        return ()
    live = {c.name: c.not_null_name for c in current.columns if not c.nullable and c.not_null_name}
    wanted = dict(part.not_null_names)
    return tuple(sorted((live[c], n) for c, n in wanted.items() if c in live and live[c] != n))


def partition_not_null_names(desired: Schema, live: Schema, changes: list[Change]) -> tuple[list[Change], list[str]]:
    """Renames of live partitions' own NOT NULLs declared under other names, and notes for the
    inherited ones, which stay as they are. ``changes`` holds the tables' NOT NULL renames:
    PostgreSQL renames the partitions' along."""
    renamed = {
        (c.schema, c.table_name, c.old_name): c.name
        for c in changes if isinstance(c, RenameConstraint) and c.constraint_kind == KIND
    }
    out: list[Change] = []
    kept: dict[str, list[str]] = {}
    for key, table in sorted(desired.tables.items()):
        current = live.tables.get(key)
        if not table.partitions or current is None or not current.partitions:
            continue
        along = {old: new for (s, t, old), new in renamed.items() if (s, t) == (table.schema, table.name)}
        for part, old, schema in _pairs(table.schema, table.partitions, current.partitions, current.schema):
            if part.not_null_names is None or old.not_null_names is None:
                continue
            have = dict(old.not_null_names)
            for column, name in part.not_null_names:
                now = have.get(column)
                if now is None:
                    continue  # made NOT NULL by this plan, under its declared name
                now = along.get(now, now)
                if now == name:
                    continue
                if column in old.not_null and column in part.not_null:
                    out.append(RenameConstraint(
                        schema, part.name, now, name, KIND,
                        needs=frozenset({table_key(schema, part.name)}),
                        creates=frozenset({constraint_key(schema, part.name, name)}),
                        reason="PostgreSQL 18 keeps a NOT NULL's name when a table is attached",
                    ))
                else:
                    kept.setdefault(qualified(schema, part.name), []).append(f"{now} declared as {name}")
    if not kept:
        return out, []
    # One note for them all: a table of many partitions attached alike has some on each.
    listed = "; ".join(f"{where}: {', '.join(names)}" for where, names in kept.items())
    return out, [f"NOT NULL names partitions inherit, declared otherwise ({listed}): {_CANNOT}"]


def _pairs(
    schema: str, wanted: Sequence[Partition], existing: Sequence[Partition], live_schema: str
) -> Iterator[tuple[Partition, Partition, str]]:
    """Each declared partition with its live self (same schema and name), at every level."""
    olds = {(p.schema or live_schema, p.name): p for p in existing}
    for part in wanted:
        where = part.schema or schema
        old = olds.get((where, part.name))
        if old is None:
            continue
        yield part, old, where
        yield from _pairs(where, part.partitions, old.partitions, where)


def blocked_by_partitions(live_table: Table, column: str, old_name: str) -> list[str]:
    """The partitions of ``live_table`` (at every level) that hold the NOT NULL of ``column``
    under another name than ``old_name``: renaming the table's then fails on them."""
    found: list[str] = []

    def walk(parts: Sequence[Partition], schema: str) -> None:
        for part in parts:
            where = part.schema or schema
            names = dict(part.not_null_names or ())
            if column in names and names[column] != old_name:
                found.append(qualified(where, part.name))
            walk(part.partitions, where)

    walk(live_table.partitions, live_table.schema)
    return found
