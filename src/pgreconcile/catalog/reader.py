"""Live database → model, in one snapshot and a fixed number of queries.

Every object kind is read by one query (``queries/<kind>.sql``), all inside a single
``REPEATABLE READ READ ONLY`` transaction, so the result is one consistent picture of the
catalog and the cost does not grow with round trips: 1 table or 2,000 tables, the same
statements are sent. Only ``pg_catalog`` is read (``information_schema`` is slow and hides
objects the current role does not own).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import pickle
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import tuple_row

from pgreconcile.catalog import build
from pgreconcile.catalog.locks import CatalogLocked, describe_locked
from pgreconcile.catalog.side_read import SideRead, SnapshotNotExported, start_side_read
from pgreconcile.gc_pause import paused_gc
from pgreconcile.model.schema import Schema

# One query per object kind, run in this order. external_tables lists tables outside the
# managed schemas (with column names) so that foreign keys into them can be checked.
QUERY_NAMES: tuple[str, ...] = (
    "namespaces",
    "extensions",
    "enums",
    "tables",
    "columns",
    "constraints",
    "indexes",
    "policies",
    # [views]
    "views",

    # [routines]
    "functions",
    "triggers",
    "aggregates",
    "event_triggers",

    # [sequences]
    "sequences",
    "table_options",
    "column_options",

    # [constraints-types]
    "domains",
    "types",
    # [privileges]
    "privileges",
    "roles",
    "default_privileges",
    "publications",
    "subscriptions",

    # [partitions]
    "partitions",
    "external_tables",
    "dependents",
    "unmanaged",
    "comments",  # of indexes, constraints and policies
    "collations",
    "foreign_data",  # wrappers, servers, and foreign tables' servers and options
    "statistics",
    "rules",
    "text_search",  # dictionaries and configurations
    "operators",
    "casts",
)

_BEGIN = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
# format_type(), pg_get_expr() and pg_get_indexdef() qualify every name that is not visible on
# the search_path; with only pg_catalog on it, every type and function outside pg_catalog comes
# back schema-qualified (public.user_role), which is the model's canonical spelling.
_SEARCH_PATH = "SET LOCAL search_path = pg_catalog"
# Catalog queries have wild row estimates (set-returning functions), which push their cost past
# jit_above_cost: compiling then takes longer than running (~70 ms of a 100 ms query measured on
# 2,000 tables). And the 40,000-row column sort must not spill to disk at the default work_mem.
# Constants inside expressions are printed by the reading session (a timestamptz default as
# '2020-01-01 00:00:00+00', an interval as '01:00:00'): fixing the session's style makes the
# printed text independent of the server's and the user's configuration.
_TUNING = (
    "SET LOCAL jit = off",
    "SET LOCAL work_mem = '64MB'",
    "SET LOCAL TimeZone = 'UTC'",
    "SET LOCAL DateStyle = 'ISO, YMD'",
    "SET LOCAL IntervalStyle = 'postgres'",
)

# pg_get_expr() and friends take an ACCESS SHARE lock on each table they describe (as pg_dump's
# reads do), so a table held in ACCESS EXCLUSIVE mode by another session would stall the read
# for as long as that session likes: the wait is bounded, and its end names the holder.
_LOCK_TIMEOUT = "SELECT pg_catalog.set_config('lock_timeout', %s, true)"
DEFAULT_LOCK_TIMEOUT_MS = 10_000

# Statements sent by every read on one connection: BEGIN, the settings, one per query, ROLLBACK.
STATEMENTS_PER_READ = 1 + 1 + 1 + len(_TUNING) + len(QUERY_NAMES) + 1

# A catalog of this many tables or more is read over two connections (catalog/side_read.py):
# below it, opening the second one (tens of milliseconds to a remote server over TLS) costs
# about what it saves. SIDE_QUERIES are the ones the
# second connection runs: constraints (the second most costly) and the code kinds, about half
# the server's time at 2,000 tables, while the first runs columns and indexes.
SIDE_FROM_TABLES = 1000
# From this many tables, the columns (the largest part of the model) are built while the rest of
# the catalog is read (Fetched.columns); below it, a thread costs about what it saves.
EARLY_COLUMNS_FROM = 200
_NEVER = 2**62
SIDE_QUERIES: frozenset[str] = frozenset({
    "constraints", "privileges", "column_options", "views", "functions", "triggers",
    "dependents", "unmanaged", "partitions",
})


@dataclass(frozen=True, slots=True)
class CatalogRead:
    """The result of reading a live catalog.

    ``statements`` counts every statement sent (transaction control included), so tests and
    benchmarks can check that it does not grow with the size of the schema. ``notes`` names
    objects that exist but that the model cannot represent (and that are therefore left
    alone), for the CLI to show as warnings.
    """

    schema: Schema
    statements: int
    seconds: float
    notes: tuple[str, ...] = ()


# [privileges] Queries whose text depends on the server's major version: (name, below) → the
# variant read from servers older than ``below`` (the catalog columns it reads do not exist there).
_OLDER_VARIANTS: dict[tuple[str, int], str] = {
    ("publications", 150000): "publications_pre15",
}
# Catalog columns a major added, read as the value every object had before it on older servers:
# query name → (below, column as the query spells it, stand-in). One query then serves every
# major (a copy of the whole query per major drifted apart as columns were added to one).
_NEWER_COLUMNS: dict[str, tuple[tuple[int, str, str], ...]] = {
    "constraints": ((180000, "con.conenforced", "true"), (180000, "con.conperiod", "false")),
    # (Read from the row as JSON before, to run on 14 too: a tenth of a second at 2,000 tables.)
    "indexes": ((150000, "i.indnullsnotdistinct", "false"),),
    # [partitions] NOT NULL constraints have names from 18 on.
    "partitions": ((180000, "c.relispartition AS not_null_names_known", "false AS not_null_names_known"),),
    # No unlogged sequences before 15: an identity's then follows nothing (catalog/build_sequences.py).
    "sequences": ((150000, "c.relpersistence = 'u' AS unlogged", "NULL::pg_catalog.bool AS unlogged"),),
    # [subscriptions] Options by the major that added them; streaming's default became parallel in 18.
    "subscriptions": (
        (150000, "s.subtwophasestate <> 'd' AS two_phase", "false AS two_phase"),
        (150000, "s.subdisableonerr AS disable_on_error", "false AS disable_on_error"),
        (160000, "s.suborigin AS publisher_origin", "'any'::pg_catalog.text AS publisher_origin"),
        (160000, "s.subpasswordrequired AS password_required", "true AS password_required"),
        (160000, "s.subrunasowner AS run_as_owner", "false AS run_as_owner"),
        (170000, "s.subfailover AS failover", "false AS failover"),
        (180000, "'parallel' AS streaming_default", "'off' AS streaming_default"),
        (180000, "true AS two_phase_alterable", "false AS two_phase_alterable"),
    ),
}
# Read in place of the connection strings of subscriptions by a role that is not a superuser
# (the column is not granted to PUBLIC): the subscriptions are still read, their conninfo unknown.
HIDDEN_CONNINFO = ("s.subconninfo,", "NULL::pg_catalog.text AS subconninfo,")


def _variant(name: str, server_version: int) -> str:
    for (base, below), variant in _OLDER_VARIANTS.items():
        if base == name and server_version < below:
            return variant
    return name


def versioned_text(name: str, server_version: int) -> str:
    """The SQL of query ``name`` as a server of ``server_version`` can run it."""
    text = query_text(_variant(name, server_version))
    for below, column, stand_in in _NEWER_COLUMNS.get(name, ()):
        if server_version < below:
            if column not in text:
                raise AssertionError(f"queries/{name}.sql no longer reads {column}")
            text = text.replace(column, stand_in)
    return text


@cache
def query_text(name: str) -> str:
    """The SQL of ``queries/<name>.sql``, loaded from the installed package."""
    return (resources.files("pgreconcile.catalog") / "queries" / f"{name}.sql").read_text("utf-8")


@dataclass(frozen=True, slots=True)
class Fetched:
    """The rows of every catalog query, read in one snapshot, before they become a model."""

    names: frozenset[str]
    rows: dict[str, list[Any]]
    statements: int
    started: float
    server_version: int
    # The tables' columns, built in a thread of their own while the server answered the
    # queries after them (a large catalog only: see EARLY_COLUMNS_FROM).
    columns: Future[build.TableColumns] | None = None

    def digest(self) -> str:
        """A SHA-256 of everything the read returned (and of what was asked): two reads with
        equal digests build equal models. Pickled without its memo (``fast``), so that equal
        rows give equal bytes whichever objects psycopg happened to share between them."""
        out = io.BytesIO()
        pickler = pickle.Pickler(out, protocol=5)
        pickler.fast = True
        pickler.dump((self.server_version, sorted(self.names), [(n, self.rows.get(n)) for n in QUERY_NAMES]))
        return hashlib.sha256(out.getbuffer()).hexdigest()


def read_catalog(
    conn: psycopg.Connection[Any],
    managed: Iterable[str],
    *,
    lock_timeout_ms: int = DEFAULT_LOCK_TIMEOUT_MS,
    side_from: int = SIDE_FROM_TABLES,
) -> CatalogRead:
    """Read the live state of the ``managed`` schemas, with statistics and notes
    (:func:`fetch_catalog`, then :func:`build_catalog`)."""
    return build_catalog(fetch_catalog(conn, managed, lock_timeout_ms=lock_timeout_ms, side_from=side_from))


def build_catalog(fetched: Fetched) -> CatalogRead:
    """The model of what :func:`fetch_catalog` read, with statistics and notes."""
    notes: list[str] = []
    with paused_gc():
        built = fetched.columns.result() if fetched.columns is not None else None
        schema = build.schema(fetched.names, fetched.rows, notes, built)
    return CatalogRead(
        schema=schema,
        statements=fetched.statements,
        seconds=time.perf_counter() - fetched.started,
        notes=tuple(notes),
    )


def fetch_catalog(
    conn: psycopg.Connection[Any],
    managed: Iterable[str],
    *,
    lock_timeout_ms: int = DEFAULT_LOCK_TIMEOUT_MS,
    side_from: int = SIDE_FROM_TABLES,
    build_early: bool = True,
) -> Fetched:
    """Read the rows describing the ``managed`` schemas, in one snapshot.

    No lock is waited for longer than ``lock_timeout_ms`` (0: for ever); a read that gives up
    raises :class:`CatalogLocked` naming the tables locked and the sessions holding them.

    The connection must not be inside a transaction (the read needs its own snapshot). It is
    switched to autocommit for the duration so that the explicit ``BEGIN ... READ ONLY`` is the
    transaction, and restored afterwards; the read transaction is always rolled back.

    With ``side_from`` tables or more, a second connection runs part of the queries in the
    same snapshot (catalog/side_read.py); ``side_from=0`` always tries, for tests.
    ``build_early`` False: no columns built meanwhile (a reader that may need no model).
    """
    status = conn.info.transaction_status
    if status != TransactionStatus.IDLE:
        raise ValueError(
            f"read_catalog needs a connection with no open transaction (status is {status.name})"
        )
    names = frozenset(managed)
    params = {"managed": sorted(names)}
    started = time.perf_counter()
    statements = 0
    rows: dict[str, list[Any]] = {}
    columns: Future[build.TableColumns] | None = None
    version = conn.info.server_version
    texts = {name: versioned_text(name, version) for name in QUERY_NAMES}
    if conn.info.parameter_status("is_superuser") != "on":
        texts["subscriptions"] = texts["subscriptions"].replace(*HIDDEN_CONNINFO)
    side: SideRead | None = None
    locked, exported = False, True
    was_autocommit = conn.autocommit
    conn.autocommit = True
    try:
        with conn.cursor(row_factory=tuple_row) as cur:
            cur.execute(_BEGIN)
            statements += 1
            try:
                for statement in session_settings(lock_timeout_ms):
                    cur.execute(*statement)
                    statements += 1
                for name in QUERY_NAMES:
                    if side is not None and name in SIDE_QUERIES:
                        continue  # the side connection reads it
                    cur.execute(texts[name], params)
                    statements += 1
                    rows[name] = cur.fetchall()
                    if name == "columns" and build_early and len(rows["tables"]) >= EARLY_COLUMNS_FROM:
                        columns = _build_soon(rows["tables"], rows["columns"])
                    if name == "tables" and len(rows[name]) >= side_from:
                        statements += 1  # the snapshot's export
                        side = start_side_read(conn, cur, [(n, texts[n]) for n in QUERY_NAMES if n in SIDE_QUERIES],
                                               params, session_settings(lock_timeout_ms))
                if side is not None:
                    side_rows, side_statements = side.result()
                    statements += side_statements
                    for name in QUERY_NAMES:
                        if name not in SIDE_QUERIES:
                            continue
                        if name in side_rows:
                            rows[name] = side_rows[name]
                        else:  # the side connection failed before reading it: read it here
                            cur.execute(texts[name], params)
                            statements += 1
                            rows[name] = cur.fetchall()
            except psycopg.errors.LockNotAvailable:
                locked = True
            except SnapshotNotExported:
                exported = False
            finally:
                if side is not None:
                    side.close()  # waits for it, so the snapshot outlives every reader
                # Also after a failed query (INERROR); a broken connection has nothing to end.
                if conn.info.transaction_status in (TransactionStatus.INTRANS, TransactionStatus.INERROR):
                    cur.execute("ROLLBACK")
                    statements += 1
        if locked:
            raise CatalogLocked(
                f"reading the catalog waited {lock_timeout_ms} ms for a lock and gave up{describe_locked(conn)}; "
                "nothing was changed",
                hint="wait for that session to end its transaction (or ask its owner), or raise --lock-timeout",
            )
    finally:
        if not conn.closed:
            conn.autocommit = was_autocommit
    if not exported:  # the transaction was aborted by the refusal: read again, on one connection
        again = fetch_catalog(conn, names, lock_timeout_ms=lock_timeout_ms, side_from=_NEVER,
                              build_early=build_early)
        return dataclasses.replace(again, statements=again.statements + statements, started=started)
    return Fetched(names, rows, statements, started, version, columns)


def _build_soon(table_rows: list[Any], column_rows: list[Any]) -> Future[build.TableColumns]:
    """Build the columns in a thread of their own: the read's thread mostly waits on the server
    from here on (the indexes and two dozen small queries), with the interpreter free."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pgreconcile-columns")
    try:
        return pool.submit(_paused, table_rows, column_rows)
    finally:
        pool.shutdown(wait=False)  # the thread ends with its one task


def _paused(table_rows: list[Any], column_rows: list[Any]) -> build.TableColumns:
    with paused_gc():
        return build.table_columns(table_rows, column_rows)


def session_settings(lock_timeout_ms: int) -> list[tuple[str, tuple[str, ...] | None]]:
    """The statements that set up a read transaction after its BEGIN: the lock timeout, the
    search path and the tuning (each connection of a read sends them)."""
    return [(_LOCK_TIMEOUT, (str(int(lock_timeout_ms)),)), *((setting, None) for setting in (_SEARCH_PATH, *_TUNING))]


def read_schema(
    conn: psycopg.Connection[Any], managed: Iterable[str], *, lock_timeout_ms: int = DEFAULT_LOCK_TIMEOUT_MS
) -> Schema:
    """The live state of the ``managed`` schemas as a :class:`Schema`.

    Names come back exactly as stored (unquoted); column types are canonical
    ``format_type()`` text; expressions are PostgreSQL's own deparsed SQL. Reading an
    unchanged database twice gives equal schemas. Invalid indexes are included; objects the
    model cannot represent (exclusion constraints, indexes of other access methods) are left
    out — :func:`read_catalog` returns notes naming them.
    """
    return read_catalog(conn, managed, lock_timeout_ms=lock_timeout_ms).schema


def list_schemas(conn: psycopg.Connection[Any]) -> tuple[str, ...]:
    """Names of every user schema in the database, sorted (system and temporary schemas left
    out), for commands that manage "everything" when no schema list is given."""
    opened = conn.info.transaction_status == TransactionStatus.IDLE and not conn.autocommit
    with conn.cursor(row_factory=tuple_row) as cur:
        cur.execute(query_text("schema_names"))
        names = tuple(name for (name,) in cur.fetchall())
    if opened:
        # End the transaction psycopg opened implicitly, so that a read_catalog() that follows
        # on the same connection can start its own snapshot.
        conn.rollback()
    return names
