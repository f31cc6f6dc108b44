"""The canonical form of declared view queries: created as temporary views in a transaction
that is rolled back, read back like the live catalog."""

from __future__ import annotations

from typing import Any, ClassVar

import psycopg

from conftest import run_sql
from pgreconcile.catalog.canonical import Declared, canonical_parts, canonicalize
from pgreconcile.catalog.reader import read_schema
from pgreconcile.model import Schema, View

SQL = """
CREATE SCHEMA app;
CREATE TABLE app.notes (id integer PRIMARY KEY, title text, created_at timestamptz);
CREATE VIEW app.recent AS SELECT id, title FROM app.notes WHERE created_at > now() - interval '7 days';
"""


def test_a_declared_query_reads_back_as_the_live_text(db_url: str) -> None:
    run_sql(db_url, SQL)
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, ["app"])
        written = "select id,title from notes where created_at > now() - '7 days'::interval"
        desired = Schema(
            views={("app", "recent"): View("app", "recent", written)},
            managed=frozenset({"app"}),
        )
        canonical, note = canonicalize(conn, desired, live)
        # Nothing survives the plan: no temporary view, no open transaction.
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'pgreconcile_canonical_%'")
            assert cur.fetchone() == (0,)
    assert note is None
    view = canonical.views[("app", "recent")]
    assert view.query == live.views[("app", "recent")].query
    assert view.columns == (("id", "integer"), ("title", "text"))
    assert "column:app.notes.title" in view.reads


def test_failures_keep_the_declared_text_and_others_still_resolve(db_url: str) -> None:
    run_sql(db_url, SQL)
    with psycopg.connect(db_url) as conn:
        parts, note = canonical_parts(
            conn,
            [
                Declared("app", "a", "SELECT * FROM not_there"),
                Declared("app", "b", "SELECT 1 AS one; DROP TABLE app.notes"),
                Declared("app", "c", "SELECT id FROM notes", exists=True),
                # Reads a view declared after it, which does not exist yet.
                Declared("app", "d", "SELECT id FROM e"),
                Declared("app", "e", "SELECT id FROM notes", kind="materialized view"),
            ],
        )
        live = read_schema(conn, ["app"])
    assert note is None
    assert parts[0] is None and parts[1] is None
    # PostgreSQL 16 and later print a single table's columns unqualified.
    assert parts[2] is not None
    assert parts[2].query in ("SELECT notes.id\n   FROM app.notes", "SELECT id\n   FROM app.notes")
    assert parts[3] is not None and parts[3].query in ("SELECT e.id\n   FROM app.e", "SELECT id\n   FROM app.e")
    assert "materialized view:app.e" in parts[3].reads
    assert parts[4] is not None and parts[4].materialized
    # Nothing survives: the table is there, no view d or e.
    assert ("app", "notes") in live.tables
    assert set(live.views) == {("app", "recent")} and not live.materialized_views


class _Counting(psycopg.Cursor[Any]):
    sent: ClassVar[list[str]] = []

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> _Counting:
        _Counting.sent.append(str(query))
        super().execute(query, params, **kwargs)
        return self


def test_the_statement_count_does_not_grow_with_the_number_of_views(db_url: str) -> None:
    run_sql(db_url, SQL)
    counts = []
    for n in (1, 40):
        items = [Declared("app", f"v{i}", f"SELECT id + {i} AS x FROM notes") for i in range(n)]
        _Counting.sent = []
        with psycopg.connect(db_url, cursor_factory=_Counting) as conn:
            parts, _ = canonical_parts(conn, items)
        assert all(p is not None for p in parts)
        counts.append(len(_Counting.sent))
    assert counts[0] == counts[1] == 13
