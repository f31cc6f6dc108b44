"""A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind: find it and drop it.

PostgreSQL builds such an index in several transactions, so a failure (duplicates for a unique
index, a timeout, a cancel) cannot roll it back: the index stays, marked invalid, still
maintained on every write and in the way of the next attempt of the same name. Apply notes which
invalid indexes existed before the step, and drops the new ones after a failure.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import tuple_row

from pgreconcile.quoting import qualified

_INVALID = """
SELECT n.nspname, c.relname
FROM pg_catalog.pg_index AS i
JOIN pg_catalog.pg_class AS c ON c.oid = i.indexrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE NOT i.indisvalid
ORDER BY 1, 2
"""

_FIND_THEM = "find them with: SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid"


def invalid_indexes(conn: psycopg.Connection[Any]) -> set[tuple[str, str]]:
    """(schema, name) of every invalid index in the database."""
    with conn.cursor(row_factory=tuple_row) as cur:
        return {(schema, name) for schema, name in cur.execute(_INVALID).fetchall()}


def drop_new_invalid(conn: psycopg.Connection[Any], before: set[tuple[str, str]]) -> str:
    """Drop the invalid indexes that were not there ``before``; a sentence saying what was done."""
    if conn.broken or conn.closed:
        return f"The connection was lost, so an INVALID index it may have left was not dropped; {_FIND_THEM}."
    try:
        left = sorted(invalid_indexes(conn) - before)
    except psycopg.Error:
        return f"It may have left an INVALID index that could not be looked up; {_FIND_THEM}."
    sentences = []
    for schema, name in left:
        shown = qualified(schema, name)
        try:
            conn.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {shown}")
            sentences.append(f"It left the INVALID index {shown} behind, which was dropped.")
        except psycopg.Error as err:
            reason = err.diag.message_primary or type(err).__name__
            sentences.append(
                f"It left the INVALID index {shown} behind, which could not be dropped ({reason}): "
                f"run DROP INDEX CONCURRENTLY {shown};"
            )
    return " ".join(sentences)
