"""``replica_identity:`` and ``cluster_on:`` of a table → the model's fields, checked against
the table (both name one of its indexes).

What logical decoding (publications) writes for the old row of an UPDATE or DELETE:
``default`` (the primary key), ``full`` (every column), ``nothing``, or ``index <name>`` — a
unique index or constraint of the same table, which PostgreSQL also wants non-partial,
immediate and over NOT NULL columns (it says so at apply time; the name is checked here).
"""

from __future__ import annotations

from collections.abc import Callable

from pgreconcile.model.objects import Origin, Table

_PLAIN = ("default", "full", "nothing")


def with_replica_identity(
    table: Table, written: str | None, at: Origin, error: Callable[[Origin, str, str | None], None]
) -> tuple[str, str | None]:
    """``(replica_identity, replica_index)`` for ``written`` (None: the default)."""
    if written is None:
        return "default", None
    words = written.split()
    # Keywords in any case; the index name as written (it is an identifier).
    keywords = [w.lower() for w in words]
    if len(words) == 1 and keywords[0] in _PLAIN:
        return keywords[0], None
    if keywords[:2] == ["using", "index"]:
        words, keywords = words[1:], keywords[1:]
    if len(words) == 2 and keywords[0] == "index":
        name = words[1]
        unique = {i.name for i in table.indexes if i.unique} | {u.name for u in table.uniques}
        if table.primary_key is not None:
            unique.add(table.primary_key.name)
        if name not in unique:
            error(at, f"replica identity index {name!r} is not a unique index or constraint of this table",
                  f"declare it, or use one of: {', '.join(sorted(unique)) or 'none'}")
        return "index", name
    error(at, f"replica_identity {written!r} is not one PostgreSQL knows",
          "write default, full, nothing, or `index <unique index name>`")
    return "default", None


def cluster_index(table: Table, written: str, at: Origin, error: Callable[[Origin, str, str | None], None]) -> str:
    """The index ``cluster_on:`` names: one of the table's indexes, or the index of its primary
    key or of a unique constraint (named after the constraint). PostgreSQL also refuses a
    partial index or one of a method that cannot cluster (it says so at apply)."""
    names = {i.name for i in table.indexes} | {u.name for u in table.uniques}
    if table.primary_key is not None:
        names.add(table.primary_key.name)
    if table.partition_by is not None:
        error(at, "a partitioned table cannot be clustered on an index",
              "remove cluster_on (PostgreSQL marks indexes for CLUSTER on plain tables only)")
    elif written not in names:
        error(at, f"cluster_on index {written!r} is not an index, primary key or unique constraint of this table",
              f"declare it, or use one of: {', '.join(sorted(names)) or 'none'}")
    return written
