"""The advisory lock that keeps two applies on one database from interleaving, and who holds it.

One session-level lock key for every pgreconcile apply on a database. Waiting for it is bounded
by ``lock_timeout``; when the wait ends, the message names the session that holds the lock
(from ``pg_locks`` and ``pg_stat_activity``), so the person waiting knows whom to ask.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import tuple_row

from pgreconcile.errors import ApplyFailed

# One advisory lock key for every pgreconcile apply against a database ("pgrecncl" in ASCII).
ADVISORY_LOCK_KEY = 0x7067726563_6E636C

# A bigint advisory key shows in pg_locks split in two: classid is the high 32 bits, objid the
# low 32 bits, objsubid 1 (2 would mean a pair of integer keys).
_HOLDER = """
SELECT a.pid,
       a.application_name,
       a.usename::pg_catalog.text,
       pg_catalog.to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC',
       pg_catalog.round(EXTRACT(epoch FROM pg_catalog.now() - a.backend_start))::pg_catalog.int8,
       a.state
FROM pg_catalog.pg_locks AS l
JOIN pg_catalog.pg_stat_activity AS a ON a.pid = l.pid
WHERE l.locktype = 'advisory'
  AND l.granted
  AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
  AND l.classid = %s::pg_catalog.oid
  AND l.objid = %s::pg_catalog.oid
  AND l.objsubid = 1
"""


def acquire(conn: psycopg.Connection[Any], waited_ms: int) -> None:
    """Take the apply lock for this session (``lock_timeout`` bounds the wait), or raise
    :class:`ApplyFailed` naming who holds it."""
    try:
        conn.execute("SELECT pg_catalog.pg_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))
    except psycopg.errors.LockNotAvailable:
        holder = describe_holder(conn)
        raise ApplyFailed(
            f"another apply holds the pgreconcile lock on this database{holder}; waited {waited_ms} ms",
            hint="wait for it to finish, or raise --lock-timeout; nothing was applied",
        ) from None


def release(conn: psycopg.Connection[Any]) -> None:
    """Give the lock back (ending the session releases it too)."""
    conn.execute("SELECT pg_catalog.pg_advisory_unlock(%s)", (ADVISORY_LOCK_KEY,))


def describe_holder(conn: psycopg.Connection[Any]) -> str:
    """``: pid 4242 (application_name 'pgreconcile', user app, connected since … UTC, 12 s
    ago, active)``, or an empty string when the holder is gone or cannot be seen."""
    high, low = ADVISORY_LOCK_KEY >> 32, ADVISORY_LOCK_KEY & 0xFFFF_FFFF
    try:
        with conn.cursor(row_factory=tuple_row) as cur:
            row = cur.execute(_HOLDER, (high, low)).fetchone()
    except psycopg.Error:
        return ""
    if row is None:
        return ""
    pid, app, user, since, seconds, state = row
    parts = [f"application_name {app!r}" if app else "no application_name"]
    if user:
        parts.append(f"user {user}")
    if since:
        parts.append(f"connected since {since}, {seconds} s ago")
    if state:
        parts.append(str(state))
    return f": pid {pid} ({', '.join(parts)})"
