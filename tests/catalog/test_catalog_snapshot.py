"""How read_schema talks to the server: one read-only snapshot, a fixed number of statements,
the caller's connection left as it was, and the same answer twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import psycopg
import pytest

from conftest import run_sql
from pgreconcile.catalog import STATEMENTS_PER_READ, list_schemas, read_catalog, read_schema

SHOP_SQL = (Path(__file__).parent / "shop.sql").read_text()


class CountingCursor(psycopg.Cursor[Any]):
    """A cursor that records every statement sent through it, as seen from the outside."""

    sent: ClassVar[list[str]] = []

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> CountingCursor:
        CountingCursor.sent.append(query if isinstance(query, str) else repr(query))
        super().execute(query, params, **kwargs)
        return self


@pytest.fixture
def counted(db_url: str) -> Any:
    """A connection whose statements are recorded in ``CountingCursor.sent``."""
    CountingCursor.sent = []
    with psycopg.connect(db_url, cursor_factory=CountingCursor) as conn:
        yield conn


def _tables(prefix: str, count: int) -> str:
    """``count`` tables, each with a key, a foreign key, a check, a default and an index."""
    return "".join(
        f"CREATE TABLE public.{prefix}{n} (id integer PRIMARY KEY,"
        f" ref integer REFERENCES public.{prefix}0 (id),"
        f" label text CHECK (label <> ''), at timestamptz DEFAULT now());"
        f"CREATE INDEX {prefix}{n}_label_idx ON public.{prefix}{n} (lower(label));"
        for n in range(count)
    )


def test_statement_count_does_not_grow_with_the_number_of_tables(db_url: str, counted: Any) -> None:
    run_sql(db_url, _tables("a", 1))
    one = read_catalog(counted, ["public"])
    sent_for_one = len(CountingCursor.sent)

    run_sql(db_url, _tables("b", 50))
    CountingCursor.sent = []
    fifty = read_catalog(counted, ["public"])

    assert len(one.schema.tables) == 1
    assert len(fifty.schema.tables) == 51
    assert len(CountingCursor.sent) == sent_for_one == STATEMENTS_PER_READ
    assert one.statements == fifty.statements == STATEMENTS_PER_READ


def test_one_read_only_repeatable_read_transaction_rolled_back(db_url: str, counted: Any) -> None:
    read_catalog(counted, ["public"])
    sent = CountingCursor.sent
    assert sent[0] == "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    # The lock wait is bounded inside the transaction (issue 18), then the search path is fixed.
    assert sent[1] == "SELECT pg_catalog.set_config('lock_timeout', %s, true)"
    assert sent[2] == "SET LOCAL search_path = pg_catalog"
    assert sent[-1] == "ROLLBACK"
    assert not any("information_schema." in s for s in sent)
    # No other transaction control in between: everything is read from one snapshot.
    assert not any(s.split()[0].upper() in {"BEGIN", "COMMIT", "ROLLBACK"} for s in sent[1:-1])


def test_search_path_is_only_changed_inside_the_read(db_url: str) -> None:
    with psycopg.connect(db_url) as conn:
        before = conn.execute("SHOW search_path").fetchone()
        conn.rollback()
        read_schema(conn, ["public"])
        assert conn.execute("SHOW search_path").fetchone() == before


@pytest.mark.parametrize("autocommit", [False, True], ids=["transactional", "autocommit"])
def test_connection_is_left_as_it_was(db_url: str, autocommit: bool) -> None:
    with psycopg.connect(db_url, autocommit=autocommit) as conn:
        read_schema(conn, ["public"])
        assert conn.autocommit is autocommit
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_refuses_a_connection_inside_a_transaction(db_url: str) -> None:
    with psycopg.connect(db_url) as conn:
        conn.execute("SELECT 1")
        with pytest.raises(ValueError, match="no open transaction"):
            read_schema(conn, ["public"])


def test_reading_twice_gives_equal_schemas(db_url: str, db_conn: psycopg.Connection[Any]) -> None:
    run_sql(db_url, SHOP_SQL)
    first = read_schema(db_conn, ["app", "other"])
    second = read_schema(db_conn, ["other", "app"])
    assert first == second
    assert list(first.tables) == list(second.tables)
    assert first.external_tables == second.external_tables


def test_a_change_between_reads_is_seen(db_url: str, db_conn: psycopg.Connection[Any]) -> None:
    run_sql(db_url, "CREATE TABLE public.t (a integer)")
    before = read_schema(db_conn, ["public"])
    run_sql(db_url, "ALTER TABLE public.t ADD COLUMN b text NOT NULL DEFAULT 'x'")
    after = read_schema(db_conn, ["public"])
    assert before != after
    assert [c.name for c in after.tables[("public", "t")].columns] == ["a", "b"]


def test_list_schemas_names_user_schemas_and_leaves_no_transaction_open(db_url: str) -> None:
    run_sql(db_url, 'CREATE SCHEMA app; CREATE SCHEMA "Mixed"; CREATE TEMP TABLE x (a integer);')
    with psycopg.connect(db_url) as conn:
        assert list_schemas(conn) == ("Mixed", "app", "public")
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        # ...so that a read on the same connection can start its own snapshot.
        assert set(read_schema(conn, list_schemas(conn)).namespaces) == {"Mixed", "app", "public"}
