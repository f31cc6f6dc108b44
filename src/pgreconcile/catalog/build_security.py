"""Catalog rows → policies, column dependents and unmanaged objects.

Companion of :mod:`pgreconcile.catalog.build` for what pg_policy, pg_depend and the catalogs
of unmodelled kinds say. Row shapes are fixed by ``queries/policies.sql``,
``queries/dependents.sql`` and ``queries/unmanaged.sql``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from pgreconcile.model.keys import column_key, policy_key, table_key, unmanaged_key
from pgreconcile.model.objects import Dependent, Policy, PolicyCommand, Unmanaged

Row = Sequence[Any]

# pg_policy.polcmd letters.
_COMMANDS: dict[str, PolicyCommand] = {
    "*": PolicyCommand.ALL,
    "r": PolicyCommand.SELECT,
    "a": PolicyCommand.INSERT,
    "w": PolicyCommand.UPDATE,
    "d": PolicyCommand.DELETE,
}


def policies(rows: Iterable[Row]) -> dict[int, list[Policy]]:
    """Policy rows (ordered by table oid, then name) → policies per table oid."""
    by_table: dict[int, list[Policy]] = defaultdict(list)
    for relid, name, cmd, permissive, roles, using, check in rows:
        by_table[relid].append(
            Policy(
                name=name,
                command=_COMMANDS[cmd],
                permissive=permissive,
                roles=tuple(roles),
                using=using,
                with_check=check,
            )
        )
    return by_table


def _dependent(kind: str, schema: str, table: str | None, name: str) -> Dependent:
    """The key and label of one dependent object, in the vocabulary of plan changes."""
    owner = (schema, table) if table is not None else None
    if kind == "policy" and table is not None:
        return Dependent(policy_key(schema, table, name), f"policy {name} on {schema}.{table}", True, owner)
    if table is not None:  # a trigger or a rule: named per table
        label = f"{kind} {name} on {schema}.{table}"
        # Rules are managed (diff/rules.py re-creates them around a change); the key of either
        # kind is `kind:schema.table.name` (model.keys.rule_key).
        return Dependent(unmanaged_key(kind, schema, f"{table}.{name}"), label, kind == "rule", owner)
    # Views and materialized views are managed kinds (diff/views.py re-creates them around a
    # change, or refuses when they live outside the managed schemas).
    managed = kind in ("view", "materialized view")
    return Dependent(unmanaged_key(kind, schema, name), f"{kind} {schema}.{name}", managed)


def dependents(
    rows: Iterable[Row], tables: dict[int, tuple[str, str]], partitions: dict[int, tuple[str, str]] | None = None
) -> dict[str, tuple[Dependent, ...]]:
    """Dependency rows → the objects that read each column key (or table key, for whole-table
    reads), each listed once, in a stable order. ``partitions`` gives each partition's top-level
    table: a partition's own policy that reads one of its columns reads the table's column (a
    change to it recurses to the partition, and PostgreSQL refuses it there)."""
    found: dict[str, dict[str, Dependent]] = defaultdict(dict)
    partitions = partitions or {}
    for relid, column, kind, schema, table, name in rows:
        owner = tables.get(relid) or (partitions.get(relid) if kind == "policy" else None)
        if owner is None:
            continue
        key = column_key(*owner, column) if column is not None else table_key(*owner)
        dep = _dependent(kind, schema, table, name)
        found[key].setdefault(dep.key, dep)
    return {key: tuple(deps.values()) for key, deps in sorted(found.items())}


def unmanaged(rows: Iterable[Row]) -> tuple[Unmanaged, ...]:
    """``(kind, schema, name)`` rows → unmanaged objects, in the query's order."""
    return tuple(Unmanaged(kind=kind, schema=schema, name=name) for kind, schema, name in rows)
