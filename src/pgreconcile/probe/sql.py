"""The SQL of data probes: read-only counting queries, assembled through pgreconcile.quoting.

Names go through :mod:`pgreconcile.quoting`; the only other text that reaches these queries is
SQL the plan itself sends (a CHECK, an index expression or predicate — parsed during
validation, exactly as in ``ddl/``) and value expressions built by :mod:`.conversions` from
quoted names and literals. Every counting query returns a single row of integers; the one
exception, :func:`examples_query`, lists a few values and runs only with ``--show-values``.
"""

from __future__ import annotations

from collections.abc import Sequence

from pgreconcile.quoting import qualified

COUNT_ROWS = "count(*)"


def count_values(value: str) -> str:
    """Aggregate: how many rows hold a non-NULL ``value``."""
    return f"count({value})"


def count_where(condition: str) -> str:
    """Aggregate: how many rows satisfy ``condition`` (NULL counts as not satisfied)."""
    return f"count(*) FILTER (WHERE {condition})"


def all_present(values: Sequence[str]) -> str:
    """Condition: none of ``values`` is NULL (a key that a UNIQUE or a foreign key checks)."""
    return " AND ".join(f"{v} IS NOT NULL" for v in values)


def any_missing(values: Sequence[str]) -> str:
    """Condition: at least one of ``values`` is NULL."""
    return " OR ".join(f"{v} IS NULL" for v in values)


def aggregates_query(schema: str, table: str, aggregates: Sequence[str]) -> str:
    """One scan of a table computing several aggregates (probes of one table share it)."""
    return f"SELECT {', '.join(aggregates)} FROM {qualified(schema, table)}"


def duplicates_query(
    schema: str, table: str, keys: Sequence[str], where: str | None = None, *, nulls_equal: bool = False,
    only: bool = True,
) -> str:
    """Duplicate keys in one scan: (duplicate groups, rows in them, rows with a complete key,
    rows with a NULL in the key).

    Rows are grouped by the whole key, NULLs included, so the same scan also counts incomplete
    keys (which a PRIMARY KEY rejects and a UNIQUE ignores: NULLs are distinct there); a group's
    keys are equal, so ``bool_or`` over it tells whether that key is incomplete. ``nulls_equal``
    (``NULLS NOT DISTINCT``): a NULL equals a NULL, as GROUP BY already has it, so a group of
    incomplete keys is a duplicate too. No ``keys`` (every key column is NULL in every row):
    one group of all rows.

    ``ONLY``: a key is the table's alone — the rows of tables that inherit from it are not
    checked by it (see docs/declarations.md, table inheritance). Not for a partitioned table
    (``only`` False), which holds no rows itself: its key covers every partition's rows."""
    filtered = f" WHERE {where}" if where else ""
    missing = any_missing(keys) if keys else "true"
    grouping = ", ".join(keys) if keys else "()"
    grouped = (
        f"SELECT count(*) AS key_rows, bool_or({missing}) AS incomplete "
        f"FROM {'ONLY ' if only else ''}{qualified(schema, table)}{filtered} GROUP BY {grouping}"
    )
    repeated = "key_rows > 1" if nulls_equal else "key_rows > 1 AND NOT incomplete"
    return (
        f"SELECT count(*) FILTER (WHERE {repeated}), "
        f"coalesce(sum(key_rows) FILTER (WHERE {repeated}), 0), "
        "coalesce(sum(key_rows) FILTER (WHERE NOT incomplete), 0), "
        "coalesce(sum(key_rows) FILTER (WHERE incomplete), 0) "
        f"FROM ({grouped}) AS key_groups"
    )


CHILD = "child"
PARENT = "parent"


def orphans_query(
    schema: str, table: str, keys: Sequence[str], parent_schema: str, parent_table: str, parent_keys: Sequence[str]
) -> str:
    """(rows whose complete key has no parent row, rows with a complete key) for a foreign key.

    ``keys`` and ``parent_keys`` are value expressions over the aliases :data:`CHILD` and
    :data:`PARENT` (both sides qualified: the tables may share column names). Rows with a NULL in
    the key are not checked by a foreign key (MATCH SIMPLE), so they are not counted. Two
    subqueries rather than one scan with a correlated FILTER, so that the planner can use an
    anti-join instead of one parent lookup per row. ``ONLY`` on both sides, as PostgreSQL's own
    foreign key checks read them: the rows of tables inheriting from either are not checked,
    and do not satisfy the key."""
    child = f"ONLY {qualified(schema, table)} AS {CHILD}"
    present = all_present(keys)
    matches = " AND ".join(f"{p} = {c}" for p, c in zip(parent_keys, keys, strict=True))
    parent = f"ONLY {qualified(parent_schema, parent_table)} AS {PARENT}"
    return (
        f"SELECT (SELECT count(*) FROM {child} WHERE {present} "
        f"AND NOT EXISTS (SELECT 1 FROM {parent} WHERE {matches})), "
        f"(SELECT count(*) FROM {child} WHERE {present})"
    )


def examples_query(schema: str, table: str, value: str, condition: str, limit: int = 3) -> str:
    """A few distinct values (as text, cut to 40 characters) of rows meeting ``condition``:
    what a refused conversion rejects, shown only when asked for (``--show-values``)."""
    shown = f"left(({value})::text, 40)"
    return (
        f"SELECT {shown} FROM {qualified(schema, table)} WHERE {condition} "
        f"GROUP BY 1 ORDER BY 1 LIMIT {int(limit)}"
    )
