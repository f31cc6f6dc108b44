"""A large catalog is read over two connections sharing one snapshot (catalog/side_read.py):
the answer is the one a single connection gives, the second connection sees exactly the first
one's snapshot, a second connection that cannot be had costs nothing but the time, and a lock
wait is bounded on both."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.rows import tuple_row

from conftest import run_sql
from pgreconcile.catalog import STATEMENTS_PER_READ, read_catalog
from pgreconcile.catalog.locks import CatalogLocked
from pgreconcile.catalog.reader import _TUNING, SIDE_QUERIES, session_settings
from pgreconcile.catalog.side_read import start_side_read

SHOP_SQL = (Path(__file__).parent / "shop.sql").read_text()
SHOP = ["app", "other"]
ALWAYS, NEVER = 0, 10**9

# The side connection's statements: BEGIN, SET TRANSACTION SNAPSHOT, the settings, its
# queries, ROLLBACK; and on the first one, the export.
SIDE_STATEMENTS = 1 + 2 + (2 + len(_TUNING)) + 1


def test_two_connections_read_what_one_reads(db_url: str, db_conn: psycopg.Connection[Any]) -> None:
    run_sql(db_url, SHOP_SQL)
    alone = read_catalog(db_conn, SHOP, side_from=NEVER)
    shared = read_catalog(db_conn, SHOP, side_from=ALWAYS)
    assert alone.statements == STATEMENTS_PER_READ
    # Counted on both connections: proof that the second one ran (and ran its queries).
    assert shared.statements == STATEMENTS_PER_READ + SIDE_STATEMENTS
    assert shared.schema == alone.schema
    assert shared.notes == alone.notes
    assert db_conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_the_second_connection_sees_the_first_ones_snapshot(db_url: str) -> None:
    probe = "SELECT count(*) FROM pg_catalog.pg_class WHERE relname = 'late_table'"
    with psycopg.connect(db_url, autocommit=True) as conn, conn.cursor(row_factory=tuple_row) as cur:
        cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cur.execute("SELECT 1")  # the snapshot is taken here
        # Committed by someone else after the snapshot: invisible to both connections.
        run_sql(db_url, "CREATE TABLE public.late_table (a integer)")
        side = start_side_read(conn, cur, [("probe", probe)], {}, session_settings(1000))
        rows, statements = side.result()
        cur.execute("ROLLBACK")
    assert rows == {"probe": [(0,)]}
    assert statements == 2 + (2 + len(_TUNING)) + 1 + 1


@pytest.fixture
def single_connection_role(db_url: str) -> Iterator[str]:
    """A login role allowed one connection at a time; yields a URL connecting as it."""
    role = f"one_conn_{uuid.uuid4().hex[:8]}"
    run_sql(db_url, f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 1')
    try:
        yield psycopg.conninfo.make_conninfo(db_url, user=role)
    finally:
        run_sql(db_url, f'DROP OWNED BY "{role}"; DROP ROLE "{role}"')


def test_without_a_second_connection_the_first_reads_everything(
    db_url: str, single_connection_role: str
) -> None:
    run_sql(db_url, SHOP_SQL)
    role = psycopg.conninfo.conninfo_to_dict(single_connection_role)["user"]
    run_sql(db_url, f'GRANT USAGE ON SCHEMA app, other TO "{role}"')
    with psycopg.connect(db_url) as owner:
        expected = read_catalog(owner, SHOP, side_from=NEVER)
    with psycopg.connect(single_connection_role) as conn:
        # The role's one connection is this one: the second is refused by the server.
        got = read_catalog(conn, SHOP, side_from=ALWAYS)
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    # Every table is there, exactly as the owner reads it, the side's queries read by the first
    # connection after the refusal (one statement for the export, none on a second connection).
    assert got.statements == STATEMENTS_PER_READ + 1
    assert got.schema.tables == expected.schema.tables
    assert set(SIDE_QUERIES) >= {"constraints", "privileges"}


def test_a_lock_is_waited_for_only_as_long_as_asked(db_url: str) -> None:
    run_sql(db_url, "CREATE TABLE public.notes (id integer PRIMARY KEY, body text CHECK (body <> ''))")
    holder = psycopg.connect(db_url, application_name="the-locker")
    try:
        holder.execute("LOCK TABLE public.notes IN ACCESS EXCLUSIVE MODE")
        with psycopg.connect(db_url) as conn, pytest.raises(CatalogLocked) as raised:
            read_catalog(conn, ["public"], lock_timeout_ms=500, side_from=ALWAYS)
        assert "table public.notes is locked (ACCESS EXCLUSIVE)" in str(raised.value)
        assert f"pid {holder.info.backend_pid}" in str(raised.value)
    finally:
        holder.rollback()
        holder.close()
