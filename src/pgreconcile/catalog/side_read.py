"""Half of a large catalog read on a second connection, in the first one's snapshot.

The catalog queries of a 2,000-table schema keep the server busy for about 0.45 s, most of it
in three queries (columns, constraints, indexes) that each run on one backend. A second
connection runs part of them at the same time (about 0.30 s in all), the way ``pg_dump -j``
shares work: the first connection exports its snapshot (``pg_export_snapshot()``), the second
imports it (``SET TRANSACTION SNAPSHOT``) before its first query, so both see exactly the same
catalog — the read stays one consistent picture.

Everything about the second connection is optional. It is opened with the first one's own
connection parameters, to the server the first one reached; if it cannot be opened, or cannot
import the snapshot (a pooler in transaction mode, a server that refuses exported snapshots),
its queries simply run on the first connection afterwards. Only one failure is not absorbed:
a lock wait that timed out, which the read reports as it would on one connection.
Both transactions are read-only and rolled back: nothing is written.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import tuple_row

# libpq options that choose among several hosts: the second connection must reach the server
# the first one reached (a snapshot can only be imported there), so they are replaced by it.
_HOST_CHOICE = {"host", "hostaddr", "port", "target_session_attrs", "load_balance_hosts"}

_BEGIN = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
_EXPORT = "SELECT pg_catalog.pg_export_snapshot()"

Statement = tuple[str, "tuple[str, ...] | None"]


def partner_conninfo(conn: psycopg.Connection[Any]) -> str:
    """``conn``'s own connection parameters (password included: it never leaves the process)
    pointed at the host and port it is connected to."""
    options: dict[str, str] = {}
    for option in conn.pgconn.info:
        keyword = option.keyword.decode()
        if option.val is not None and keyword not in _HOST_CHOICE:
            options[keyword] = option.val.decode()
    options["host"] = conn.info.host
    if conn.info.hostaddr:
        options["hostaddr"] = conn.info.hostaddr
    options["port"] = str(conn.info.port)
    options["application_name"] = (options.get("application_name") or "pgreconcile") + " (catalog read)"
    return psycopg.conninfo.make_conninfo(**options)


class SideRead:
    """The queries given to the second connection, running in a thread."""

    def __init__(self, conninfo: str, snapshot: str, queries: Sequence[tuple[str, str]],
                 params: dict[str, Any], settings: Sequence[Statement]) -> None:
        self._rows: dict[str, list[Any]] = {}
        self._statements = 0
        self._locked: psycopg.errors.LockNotAvailable | None = None
        self._thread = threading.Thread(
            target=self._run, args=(conninfo, snapshot, queries, params, settings),
            name="pgreconcile-side-read", daemon=True,
        )
        self._thread.start()

    def _run(self, conninfo: str, snapshot: str, queries: Sequence[tuple[str, str]],
             params: dict[str, Any], settings: Sequence[Statement]) -> None:
        try:
            with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as side, \
                    side.cursor(row_factory=tuple_row) as cur:
                cur.execute(_BEGIN)
                # The snapshot must be the transaction's first statement after BEGIN.
                cur.execute("SET TRANSACTION SNAPSHOT " + _literal(snapshot))
                self._statements += 2
                try:
                    for statement, values in settings:
                        cur.execute(statement, values)
                        self._statements += 1
                    for name, text in queries:
                        cur.execute(text, params)
                        self._statements += 1
                        self._rows[name] = cur.fetchall()
                finally:
                    if side.info.transaction_status in (TransactionStatus.INTRANS, TransactionStatus.INERROR):
                        cur.execute("ROLLBACK")
                        self._statements += 1
        except psycopg.errors.LockNotAvailable as locked:
            self._locked = locked
        except psycopg.Error:
            # Not opened, snapshot refused, or the connection lost: the first connection reads
            # whatever is missing (SideRead.result() returns only what was read here).
            pass

    def result(self) -> tuple[dict[str, list[Any]], int]:
        """Rows by query name (those it read) and statements sent; re-raises a lock timeout."""
        self._thread.join()
        if self._locked is not None:
            raise self._locked
        return self._rows, self._statements

    def close(self) -> None:
        """Wait for the thread (the first connection's transaction must outlive it)."""
        self._thread.join()


def _literal(text: str) -> str:
    # A snapshot id is hex digits and dashes (e.g. 00000003-0000001B-1); checked rather than
    # trusted, then quoted: SET TRANSACTION SNAPSHOT takes no bound parameter.
    if not text or any(ch not in "0123456789ABCDEFabcdef-" for ch in text):
        raise psycopg.errors.InvalidParameterValue(f"unexpected snapshot id {text!r}")
    return "'" + text + "'"


class SnapshotNotExported(Exception):
    """The server refused ``pg_export_snapshot()``: the read's transaction is aborted, so the
    caller starts it again on one connection."""


def start_side_read(conn: psycopg.Connection[Any], cur: psycopg.Cursor[Any], queries: Sequence[tuple[str, str]],
                    params: dict[str, Any], settings: Sequence[Statement]) -> SideRead:
    """Export ``cur``'s snapshot and start the second connection on ``queries``.

    Raises :class:`SnapshotNotExported` when the export fails (it cannot run in a savepoint:
    PostgreSQL exports no snapshot from a subtransaction)."""
    try:
        row = cur.execute(_EXPORT).fetchone()
    except psycopg.errors.LockNotAvailable:
        raise
    except psycopg.Error as refused:
        raise SnapshotNotExported(str(refused)) from None
    if row is None:
        raise SnapshotNotExported("pg_export_snapshot() returned no row")
    return SideRead(partner_conninfo(conn), str(row[0]), queries, params, settings)
