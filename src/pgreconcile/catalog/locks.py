"""Who holds the table lock a catalog read gave up waiting for.

The catalog read only takes ACCESS SHARE locks (``pg_get_expr()`` and friends lock the table
they describe), and only ACCESS EXCLUSIVE conflicts with that: so when the read's
``lock_timeout`` fires, the tables held in ACCESS EXCLUSIVE mode by other sessions are the ones
it waited for. They are listed from ``pg_locks`` and ``pg_stat_activity`` right after the read
gave up (on the same connection, its transaction rolled back), so that the message can name the
table and the session: pid, application_name, user, and since when its transaction runs.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import tuple_row

from pgreconcile.errors import ReconcileError


class CatalogLocked(ReconcileError):
    """A catalog read gave up waiting for a table lock held by another session."""


_HOLDERS = """
SELECT n.nspname::pg_catalog.text || '.' || c.relname::pg_catalog.text,
       a.pid,
       a.application_name,
       a.usename::pg_catalog.text,
       pg_catalog.to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC',
       pg_catalog.round(EXTRACT(epoch FROM pg_catalog.now() - a.xact_start))::pg_catalog.int8,
       a.state
FROM pg_catalog.pg_locks AS l
JOIN pg_catalog.pg_class AS c ON c.oid = l.relation
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_stat_activity AS a ON a.pid = l.pid
WHERE l.locktype = 'relation'
  AND l.mode = 'AccessExclusiveLock'
  AND l.granted
  AND l.pid <> pg_catalog.pg_backend_pid()
  AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
  AND n.nspname NOT LIKE 'pg\\_temp\\_%'
ORDER BY 1, 2
LIMIT 10
"""


def describe_locked(conn: psycopg.Connection[Any]) -> str:
    """``: table shop.customers is locked (ACCESS EXCLUSIVE) by pid 4242 (application_name
    'psql', user app, in a transaction since … UTC, 12 s ago, idle in transaction)``, one clause
    per locked table; empty when the holder is already gone or cannot be seen."""
    try:
        with conn.cursor(row_factory=tuple_row) as cur:
            rows = cur.execute(_HOLDERS).fetchall()
    except psycopg.Error:
        return ""
    clauses = []
    for table, pid, app, user, since, seconds, state in rows:
        parts = [f"application_name {app!r}" if app else "no application_name"]
        if user:
            parts.append(f"user {user}")
        if since:
            parts.append(f"in a transaction since {since}, {seconds} s ago")
        if state:
            parts.append(str(state))
        clauses.append(f"table {table} is locked (ACCESS EXCLUSIVE) by pid {pid} ({', '.join(parts)})")
    return (": " + "; ".join(clauses)) if clauses else ""
